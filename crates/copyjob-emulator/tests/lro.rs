//! Long-running operations, sync and async: 202s, operation states, results and failures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use copyjob_emulator::{LroMode, ManualClock};
use reqwest::header::HeaderMap;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// Asserts an LRO 202 and returns the operation id.
async fn assert_accepted(emu: &Emu, r: Response, expose: &str) -> String {
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(header(&r, "access-control-expose-headers"), Some(expose));
    assert_eq!(header(&r, "content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(header(&r, "retry-after"), Some("1"));
    let op = header(&r, "x-ms-operation-id").unwrap().to_owned();
    assert_eq!(header(&r, "location").unwrap(), format!("{}/v1/operations/{op}", emu.base));
    assert_eq!(r.text().await.unwrap(), "null");
    op
}

/// A header of a kept header map.
fn hdr<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// One look at the operation: checks what every state has, and what a pending one (NotStarted,
/// Running) has besides. Returns the body and the headers.
async fn state(emu: &Emu, op: &str) -> (Value, HeaderMap) {
    let r = emu.get(&format!("/v1/operations/{op}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "x-ms-operation-id"), Some(op));
    let headers = r.headers().clone();
    let body: Value = r.json().await.unwrap();
    assert!(is_service_timestamp(body["createdTimeUtc"].as_str().unwrap()), "{body}");
    assert!(is_service_timestamp(body["lastUpdatedTimeUtc"].as_str().unwrap()), "{body}");
    let status = body["status"].as_str().unwrap();
    assert!(["NotStarted", "Running", "Succeeded", "Failed"].contains(&status), "{body}");
    if ["NotStarted", "Running"].contains(&status) {
        assert_eq!(hdr(&headers, "retry-after"), Some("1"));
        assert!(hdr(&headers, "location").unwrap().ends_with(&format!("/v1/operations/{op}")));
        assert_eq!(
            hdr(&headers, "access-control-expose-headers"),
            Some("RequestId,Location,Retry-After,x-ms-operation-id")
        );
        assert_eq!(body["percentComplete"], Value::Null);
    }
    (body, headers)
}

/// Takes an operation of [`config`]'s durations through its states on the manual clock:
/// NotStarted until `lro_queued`, Running until `lro_queued + lro_running`, then finished.
/// Returns the final state and its headers.
async fn finish(emu: &Emu, clock: &ManualClock, op: &str) -> (Value, HeaderMap) {
    let cfg = config();
    assert_eq!(state(emu, op).await.0["status"], "NotStarted");
    clock.advance(cfg.lro_queued);
    assert_eq!(state(emu, op).await.0["status"], "Running");
    clock.advance(cfg.lro_running - Duration::from_millis(1));
    assert_eq!(state(emu, op).await.0["status"], "Running", "until the very end");
    clock.advance(Duration::from_millis(1));
    let done = state(emu, op).await;
    assert!(["Succeeded", "Failed"].contains(&done.0["status"].as_str().unwrap()), "{}", done.0);
    done
}

#[tokio::test]
async fn async_create_get_and_update_definition() {
    let (cfg, clock) = manual_config();
    let emu = start(copyjob_emulator::Config { lro: LroMode::Async, ..cfg }).await;
    let ws = emu.ws();
    let r = emu
        .post(
            &format!("{ws}/copyJobs"),
            Some(json!({"displayName": "lro", "definition": definition(CONTENT)})),
        )
        .await;
    assert_eq!(header(&r, "etag"), Some("\"\""));
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,ETag,x-ms-operation-id").await;

    // The name is reserved while the create runs.
    let r = emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "lro"}))).await;
    assert_error(r, StatusCode::BAD_REQUEST, "ItemDisplayNameAlreadyInUse").await;

    let (state, last) = finish(&emu, &clock, &op).await;
    assert_eq!(state["status"], "Succeeded");
    assert_eq!(state["percentComplete"], 100);
    assert_eq!(state["error"], Value::Null);
    assert_eq!(hdr(&last, "location").unwrap(), format!("{}/v1/operations/{op}/result", emu.base));
    assert_eq!(hdr(&last, "access-control-expose-headers"), Some("RequestId,Location,x-ms-operation-id"));
    assert!(last.get("retry-after").is_none());

    let r = emu.get(&format!("/v1/operations/{op}/result")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "content-type"), Some("application/json"));
    let item: Value = r.json().await.unwrap();
    assert_eq!(item["displayName"], "lro");
    let id = item["id"].as_str().unwrap().to_owned();
    assert_eq!(emu.get(&format!("{ws}/copyJobs/{id}")).await.json::<Value>().await.unwrap(), item);

    // getDefinition: 202, then {definition} from /result.
    let r = emu.post(&format!("{ws}/items/{id}/getDefinition"), None).await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,x-ms-operation-id").await;
    assert_eq!(finish(&emu, &clock, &op).await.0["status"], "Succeeded");
    let body: Value = emu.get(&format!("/v1/operations/{op}/result")).await.json().await.unwrap();
    assert_eq!(unb64(body["definition"]["parts"][0]["payload"].as_str().unwrap()), CONTENT.as_bytes());

    // updateDefinition: 202, then the item from /result.
    let new_content = CONTENT.replace("CDC", "Batch");
    let r = emu
        .post(
            &format!("{ws}/copyJobs/{id}/updateDefinition"),
            Some(json!({"definition": definition(&new_content)})),
        )
        .await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,x-ms-operation-id").await;
    assert_eq!(finish(&emu, &clock, &op).await.0["status"], "Succeeded");
    let result: Value = emu.get(&format!("/v1/operations/{op}/result")).await.json().await.unwrap();
    assert_eq!(result["id"], id.as_str());
    let r = emu.post(&format!("{ws}/items/{id}/getDefinition"), None).await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,x-ms-operation-id").await;
    finish(&emu, &clock, &op).await;
    let body: Value = emu.get(&format!("/v1/operations/{op}/result")).await.json().await.unwrap();
    assert_eq!(unb64(body["definition"]["parts"][0]["payload"].as_str().unwrap()), new_content.as_bytes());

    // Validation still happens up front, synchronously.
    let r = emu
        .post(&format!("{ws}/copyJobs/{id}/updateDefinition"), Some(json!({"definition": definition("{}")})))
        .await;
    assert_error(r, StatusCode::BAD_REQUEST, "InvalidDefinitionParts").await;
}

/// An async emulator on a manual clock, with these durations.
fn frozen(queued: Duration, running: Duration) -> (copyjob_emulator::Config, ManualClock) {
    let (cfg, clock) = manual_config();
    (copyjob_emulator::Config { lro: LroMode::Async, lro_queued: queued, lro_running: running, ..cfg }, clock)
}

/// What a client sees before an operation finishes, observed on a clock that moves only when
/// told (no timing window): no result, no item, the name reserved.
#[tokio::test]
async fn no_result_before_the_operation_succeeds() {
    let step = Duration::from_secs(1);
    let (cfg, clock) = frozen(step, step);
    let emu = start(cfg).await;
    let ws = emu.ws();
    let r = emu
        .post(
            &format!("{ws}/copyJobs"),
            Some(json!({"displayName": "slow", "definition": definition(CONTENT)})),
        )
        .await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,ETag,x-ms-operation-id").await;
    for expected in ["NotStarted", "Running"] {
        for _ in 0..3 {
            let (body, _) = state(&emu, &op).await;
            assert_eq!(body["status"], expected, "{body}");
            let body = assert_error(
                emu.get(&format!("/v1/operations/{op}/result")).await,
                StatusCode::BAD_REQUEST,
                "OperationNotSucceeded",
            )
            .await;
            assert_eq!(body["message"], "The operation has not succeeded yet");
        }
        // The item does not exist yet, and its name is reserved.
        let list: Value = emu.get(&format!("{ws}/copyJobs")).await.json().await.unwrap();
        assert_eq!(list["value"], json!([]), "{list}");
        let r = emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "slow"}))).await;
        assert_error(r, StatusCode::BAD_REQUEST, "ItemDisplayNameAlreadyInUse").await;
        clock.advance(step);
    }
    let r = emu.get(&format!("/v1/operations/{op}/result")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["displayName"], "slow");

    // With no duration the same operation has succeeded by the first poll, the clock unmoved.
    let (cfg, _clock) = frozen(Duration::ZERO, Duration::ZERO);
    let emu = start(cfg).await;
    let r = emu.post(&format!("{}/copyJobs", emu.ws()), Some(json!({"displayName": "fast"}))).await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,ETag,x-ms-operation-id").await;
    let r = emu.get(&format!("/v1/operations/{op}/result")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["displayName"], "fast");
}

#[tokio::test]
async fn failed_operation_has_no_result() {
    // Operations run for two seconds of a clock that moves only when told: the delete below
    // happens while the update is running, however slow the machine.
    let running = Duration::from_secs(2);
    let (cfg, clock) = frozen(Duration::ZERO, running);
    let emu = start(cfg).await;
    let ws = emu.ws();
    let r = emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "doomed"}))).await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,ETag,x-ms-operation-id").await;
    clock.advance(running);
    assert_eq!(state(&emu, &op).await.0["status"], "Succeeded");
    let id = emu.get(&format!("/v1/operations/{op}/result")).await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Delete the item while its definition is being updated: the operation fails.
    let r = emu
        .post(
            &format!("{ws}/copyJobs/{id}/updateDefinition"),
            Some(json!({"definition": definition(CONTENT)})),
        )
        .await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,x-ms-operation-id").await;
    assert_eq!(state(&emu, &op).await.0["status"], "Running");
    let r = emu.call(Method::DELETE, &format!("{ws}/copyJobs/{id}"), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(state(&emu, &op).await.0["status"], "Running", "the operation runs on after the delete");
    clock.advance(running);
    let (state, last) = state(&emu, &op).await;
    assert_eq!(state["status"], "Failed");
    assert_eq!(state["error"]["errorCode"], "ItemNotFound");
    assert_eq!(state["percentComplete"], Value::Null);
    assert!(last.get("location").is_none());
    assert!(last.get("retry-after").is_none());
    assert_eq!(hdr(&last, "access-control-expose-headers"), Some("RequestId,x-ms-operation-id"));
    let body = assert_error(
        emu.get(&format!("/v1/operations/{op}/result")).await,
        StatusCode::BAD_REQUEST,
        "OperationHasNoResult",
    )
    .await;
    assert_eq!(body["message"], "The operation has no result");

    let unknown = uuid::Uuid::new_v4();
    assert_error(
        emu.get(&format!("/v1/operations/{unknown}")).await,
        StatusCode::NOT_FOUND,
        "OperationNotFound",
    )
    .await;
    assert_error(
        emu.get(&format!("/v1/operations/{unknown}/result")).await,
        StatusCode::NOT_FOUND,
        "OperationNotFound",
    )
    .await;
}

#[tokio::test]
async fn sync_mode_answers_in_the_call() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let r = emu.post(&format!("{ws}/items"), Some(json!({"displayName": "s", "type": "CopyJob"}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(r.headers().get("x-ms-operation-id").is_none());
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let r = emu.post(&format!("{ws}/items/{id}/getDefinition"), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = emu
        .post(&format!("{ws}/items/{id}/updateDefinition"), Some(json!({"definition": definition(CONTENT)})))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}
