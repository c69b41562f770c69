//! The emulator reads every time from `Config::clock`: on a manual clock real time passing
//! changes nothing, and every state, expiry and timestamp follows the clock to the millisecond.
//! Were any of them read from the real clock, the millisecond durations below would be over
//! long before the clock is moved.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use common::*;
use copyjob_emulator::{ClientConfig, ClientProof, Clock, Config, LroMode, FABRIC_SCOPE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use time::macros::datetime;

const MS: Duration = Duration::from_millis(1);

/// Fifty times the durations below: what the emulator would see elapse on the real clock.
async fn let_real_time_pass() {
    tokio::time::sleep(50 * MS).await;
}

async fn json_of(emu: &Emu, path: &str) -> Value {
    let r = emu.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

async fn sign_in(emu: &Emu, secret: &str) -> reqwest::Response {
    let fields = [
        ("grant_type", "client_credentials"),
        ("client_id", "app"),
        ("client_secret", secret),
        ("scope", FABRIC_SCOPE),
    ];
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    emu.http
        .post(emu.url("/tenant/oauth2/v2.0/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn list_with(emu: &Emu, token: &str) -> reqwest::Response {
    emu.http.get(emu.url(&format!("{}/copyJobs", emu.ws()))).bearer_auth(token).send().await.unwrap()
}

#[tokio::test]
async fn every_time_comes_from_the_configured_clock() {
    let start_utc = datetime!(2026-03-01 12:00:00 UTC);
    let clock = Clock::manual_at(start_utc);
    let emu = start(Config {
        lro: LroMode::Async,
        lro_queued: MS,
        lro_running: MS,
        job_queued: MS,
        job_running: MS,
        token_lifetime: 10 * MS,
        clients: vec![ClientConfig { id: "app".into(), proof: ClientProof::Secret("s3cret".into()) }],
        clock: clock.clock(),
        ..config()
    })
    .await;
    let ws = emu.ws();

    // A token issued at 12:00:00 that lives 10 ms; its claims are stamped by the clock.
    let body: Value = sign_in(&emu, "s3cret").await.json().await.unwrap();
    let token = body["access_token"].as_str().unwrap().to_owned();
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap());
    let claims: Value = serde_json::from_slice(&claims.unwrap()).unwrap();
    assert_eq!(claims["iat"], start_utc.unix_timestamp(), "{claims}");
    assert_eq!(claims["exp"], start_utc.unix_timestamp(), "a lifetime under a second: {claims}");

    // An operation of 1 ms queued and 1 ms running.
    let r = emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "timed"}))).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let op = format!("/v1/operations/{}", header(&r, "x-ms-operation-id").unwrap());
    for (status, updated) in [
        ("NotStarted", "2026-03-01T12:00:00"),
        ("Running", "2026-03-01T12:00:00.001"),
        ("Succeeded", "2026-03-01T12:00:00.002"),
    ] {
        let_real_time_pass().await;
        let state = json_of(&emu, &op).await;
        assert_eq!(state["status"], status, "{state}");
        assert_eq!(state["createdTimeUtc"], "2026-03-01T12:00:00", "{state}");
        assert_eq!(state["lastUpdatedTimeUtc"], updated, "{state}");
        clock.advance(MS);
    }
    let item = json_of(&emu, &format!("{op}/result")).await["id"].as_str().unwrap().to_owned();

    // A run started at 12:00:00.003, 1 ms queued and 1 ms in progress.
    let r = emu.post(&format!("{ws}/items/{item}/jobs/instances?jobType=CopyJob"), None).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let run = header(&r, "location").unwrap().to_owned();
    for (status, end) in [
        ("NotStarted", Value::Null),
        ("InProgress", Value::Null),
        ("Completed", json!("2026-03-01T12:00:00.005")),
    ] {
        let_real_time_pass().await;
        let instance = json_of(&emu, &run).await;
        assert_eq!(instance["status"], status, "{instance}");
        assert_eq!(instance["startTimeUtc"], "2026-03-01T12:00:00.003", "{instance}");
        assert_eq!(instance["endTimeUtc"], end, "{instance}");
        clock.advance(MS);
    }

    // A run cancelled 1 ms after it started (12:00:00.006) ends when it was cancelled.
    let r = emu.post(&format!("{ws}/items/{item}/jobs/instances?jobType=CopyJob"), None).await;
    let run = header(&r, "location").unwrap().to_owned();
    clock.advance(MS);
    assert_eq!(emu.post(&format!("{run}/cancel"), None).await.status(), StatusCode::ACCEPTED);
    let_real_time_pass().await;
    let instance = json_of(&emu, &run).await;
    assert_eq!(instance["status"], "Cancelled", "{instance}");
    assert_eq!(instance["startTimeUtc"], "2026-03-01T12:00:00.006", "{instance}");
    assert_eq!(instance["endTimeUtc"], "2026-03-01T12:00:00.007", "{instance}");

    // The token (issued at 12:00:00, living 10 ms) is live until 12:00:00.010.
    assert_eq!(list_with(&emu, &token).await.status(), StatusCode::OK);
    clock.advance(2 * MS);
    let_real_time_pass().await;
    assert_eq!(list_with(&emu, &token).await.status(), StatusCode::OK, "live at 12:00:00.009");
    clock.advance(MS);
    assert_error(list_with(&emu, &token).await, StatusCode::UNAUTHORIZED, "TokenExpired").await;

    // Entra ID's errors are stamped by the clock too.
    let r = sign_in(&emu, "wrong").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.json::<Value>().await.unwrap()["timestamp"], "2026-03-01T12:00:00.01");
}

#[tokio::test]
async fn the_throttling_message_names_a_time_of_the_clock() {
    let clock = Clock::manual_at(datetime!(2026-03-01 12:59:58 UTC));
    let emu =
        start(Config { throttle_every: 1, throttle_retry_after: 5, clock: clock.clock(), ..config() }).await;
    for (advance, until) in [(0, "1:00:03 PM"), (3600, "2:00:03 PM")] {
        clock.advance(Duration::from_secs(advance));
        let body = assert_error(
            emu.get(&format!("{}/copyJobs", emu.ws())).await,
            StatusCode::TOO_MANY_REQUESTS,
            "RequestBlocked",
        )
        .await;
        let expected = format!("Request is blocked by the upstream service until: 3/1/2026 {until} (UTC)");
        assert_eq!(body["message"], expected.as_str());
    }
}
