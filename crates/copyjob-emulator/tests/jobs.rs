//! Job instances: run on demand (both URL forms), lifecycle, failure, cancel, dedupe, list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use copyjob_emulator::ManualClock;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// Asserts a run/cancel 202 and returns the instance path.
async fn assert_job_accepted(emu: &Emu, r: Response, item: &str) -> String {
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId,Location,Retry-After"));
    assert_eq!(header(&r, "content-type"), Some("application/octet-stream"));
    assert_eq!(header(&r, "content-length"), Some("0"));
    assert_eq!(header(&r, "retry-after"), Some("1"));
    assert!(r.headers().get("x-ms-operation-id").is_none());
    let location = header(&r, "location").unwrap().to_owned();
    let prefix = format!("{}/v1/workspaces/{WS}/items/{item}/jobs/instances/", emu.base);
    assert!(location.starts_with(&prefix), "{location}");
    assert!(uuid::Uuid::parse_str(&location[prefix.len()..]).is_ok());
    assert!(r.bytes().await.unwrap().is_empty());
    location
}

async fn instance(emu: &Emu, location: &str) -> (Value, Option<String>, Option<String>) {
    let r = emu.get(location).await;
    assert_eq!(r.status(), StatusCode::OK);
    let retry = header(&r, "retry-after").map(str::to_owned);
    let expose = header(&r, "access-control-expose-headers").map(str::to_owned);
    (r.json().await.unwrap(), retry, expose)
}

/// One look at an instance: checks the headers and body of its state; returns the body.
async fn look(emu: &Emu, location: &str) -> Value {
    let (body, retry, expose) = instance(emu, location).await;
    match body["status"].as_str().unwrap() {
        "NotStarted" | "InProgress" => {
            assert_eq!(retry.as_deref(), Some("1"));
            assert_eq!(expose.as_deref(), Some("RequestId,Retry-After"));
            assert_eq!(body["endTimeUtc"], Value::Null);
        }
        _ => {
            assert_eq!(retry, None);
            assert_eq!(expose.as_deref(), Some("RequestId"));
        }
    }
    body
}

/// The instance, which must have ended.
async fn ended(emu: &Emu, location: &str) -> Value {
    let body = look(emu, location).await;
    assert!(!["NotStarted", "InProgress"].contains(&body["status"].as_str().unwrap()), "{body}");
    body
}

/// Takes a run of [`config`]'s durations through its states on the manual clock: NotStarted
/// until `job_queued`, InProgress until `job_queued + job_running`, then ended.
async fn run_through(emu: &Emu, clock: &ManualClock, location: &str) -> Value {
    let cfg = config();
    assert_eq!(look(emu, location).await["status"], "NotStarted");
    clock.advance(cfg.job_queued);
    assert_eq!(look(emu, location).await["status"], "InProgress");
    clock.advance(cfg.job_running - Duration::from_millis(1));
    assert_eq!(look(emu, location).await["status"], "InProgress", "until the very end");
    clock.advance(Duration::from_millis(1));
    ended(emu, location).await
}

#[tokio::test]
async fn run_to_completion_by_query_and_by_path() {
    let (cfg, clock) = manual_config();
    let emu = start(cfg).await;
    let ws = emu.ws();
    let item = emu.create("job").await["id"].as_str().unwrap().to_owned();

    let r = emu.post(&format!("{ws}/items/{item}/jobs/instances?jobType=Execute"), None).await;
    let run_request_id = header(&r, "requestid").unwrap().to_owned();
    let location = assert_job_accepted(&emu, r, &item).await;
    let (first, _, _) = instance(&emu, &location).await;
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "itemId",
            "jobType",
            "invokeType",
            "status",
            "failureReason",
            "rootActivityId",
            "startTimeUtc",
            "endTimeUtc"
        ]
    );
    assert_eq!(first["jobType"], "CopyJob");
    assert_eq!(first["invokeType"], "Manual");
    assert_eq!(first["itemId"], item.as_str());
    assert_eq!(first["rootActivityId"], run_request_id.as_str(), "rootActivityId is the run's RequestId");
    assert!(is_service_timestamp(first["startTimeUtc"].as_str().unwrap()));
    let done = run_through(&emu, &clock, &location).await;
    assert_eq!(done["status"], "Completed");
    assert_eq!(done["failureReason"], Value::Null);
    assert!(is_service_timestamp(done["endTimeUtc"].as_str().unwrap()));
    assert_eq!(done["startTimeUtc"], first["startTimeUtc"]);

    // New path form, job type case-insensitive, with a body; via the /copyJobs alias too.
    let r = emu
        .post(&format!("{ws}/items/{item}/jobs/copyjob/instances"), Some(json!({"executionData": {}})))
        .await;
    let location = assert_job_accepted(&emu, r, &item).await;
    assert_eq!(run_through(&emu, &clock, &location).await["status"], "Completed");
    let r = emu.post(&format!("{ws}/copyJobs/{item}/jobs/CopyJob/instances"), None).await;
    let location = assert_job_accepted(&emu, r, &item).await;
    let id = location.rsplit('/').next().unwrap();
    let (alias, _, _) = instance(&emu, &format!("{ws}/copyJobs/{item}/jobs/instances/{id}")).await;
    assert_eq!(alias["id"], id);
    run_through(&emu, &clock, &location).await;

    let list: Value = emu.get(&format!("{ws}/items/{item}/jobs/instances")).await.json().await.unwrap();
    assert_eq!(list["value"].as_array().unwrap().len(), 3);
    assert!(list.get("continuationToken").is_none());
}

#[tokio::test]
async fn job_errors() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let item = emu.create("job").await["id"].as_str().unwrap().to_owned();
    assert_error(
        emu.post(&format!("{ws}/items/{item}/jobs/instances?jobType=RunNotebook"), None).await,
        StatusCode::BAD_REQUEST,
        "InvalidJobType",
    )
    .await;
    assert_error(
        emu.post(&format!("{ws}/items/{item}/jobs/instances"), None).await,
        StatusCode::BAD_REQUEST,
        "InvalidJobType",
    )
    .await;
    assert_error(
        emu.post(&format!("{ws}/items/{item}/jobs/Pipeline/instances"), None).await,
        StatusCode::BAD_REQUEST,
        "InvalidJobType",
    )
    .await;
    let missing = uuid::Uuid::new_v4();
    assert_error(
        emu.post(&format!("{ws}/items/{missing}/jobs/CopyJob/instances"), None).await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;
    assert_error(
        emu.get(&format!("{ws}/items/{item}/jobs/instances/{missing}")).await,
        StatusCode::NOT_FOUND,
        "JobInstanceNotFound",
    )
    .await;
    assert_error(
        emu.post(&format!("{ws}/items/{item}/jobs/instances/{missing}/cancel"), None).await,
        StatusCode::NOT_FOUND,
        "JobInstanceNotFound",
    )
    .await;
    assert_error(
        emu.get(&format!("{ws}/items/{missing}/jobs/instances")).await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;
}

#[tokio::test]
async fn cancel_and_already_completed() {
    let (cfg, clock) = manual_config();
    let (queued, running) = (cfg.job_queued, cfg.job_running);
    let emu = start(cfg).await;
    let ws = emu.ws();
    let item = emu.create("job").await["id"].as_str().unwrap().to_owned();
    let r = emu.post(&format!("{ws}/items/{item}/jobs/instances?jobType=CopyJob"), None).await;
    let location = assert_job_accepted(&emu, r, &item).await;
    let id = location.rsplit('/').next().unwrap().to_owned();

    // A second run while the first is active (queued, then in progress) is deduped.
    for active in ["NotStarted", "InProgress"] {
        assert_eq!(look(&emu, &location).await["status"], active);
        let r = emu.post(&format!("{ws}/items/{item}/jobs/CopyJob/instances"), None).await;
        let deduped = assert_job_accepted(&emu, r, &item).await;
        assert_eq!(ended(&emu, &deduped).await["status"], "Deduped");
        clock.advance(queued);
    }

    let r = emu.post(&format!("{ws}/items/{item}/jobs/instances/{id}/cancel"), None).await;
    assert_eq!(assert_job_accepted(&emu, r, &item).await, location);
    let cancelled = ended(&emu, &location).await;
    assert_eq!(cancelled["status"], "Cancelled");
    assert_eq!(cancelled["failureReason"], Value::Null);
    assert!(is_service_timestamp(cancelled["endTimeUtc"].as_str().unwrap()));
    // It stays cancelled past the time it would have completed.
    clock.advance(running);
    assert_eq!(ended(&emu, &location).await, cancelled);

    let body = assert_error(
        emu.post(&format!("{ws}/items/{item}/jobs/instances/{id}/cancel"), None).await,
        StatusCode::BAD_REQUEST,
        "JobAlreadyCompleted",
    )
    .await;
    assert_eq!(body["isRetriable"], false);
}

#[tokio::test]
async fn fail_runs_ends_failed_with_a_failure_reason() {
    let (mut cfg, clock) = manual_config();
    cfg.fail_runs = true;
    let emu = start(cfg).await;
    let ws = emu.ws();
    let item = emu.create("job").await["id"].as_str().unwrap().to_owned();
    let r = emu.post(&format!("{ws}/items/{item}/jobs/instances?jobType=CopyJob"), None).await;
    let location = assert_job_accepted(&emu, r, &item).await;
    let failed = run_through(&emu, &clock, &location).await;
    assert_eq!(failed["status"], "Failed");
    let reason = &failed["failureReason"];
    let keys: Vec<&str> = reason.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["requestId", "errorCode", "message", "isRetriable"]);
    assert_eq!(reason["errorCode"], "JobInstanceStatusFailed");
    assert_eq!(reason["isRetriable"], false);
    let id = location.rsplit('/').next().unwrap();
    assert_error(
        emu.post(&format!("{ws}/items/{item}/jobs/instances/{id}/cancel"), None).await,
        StatusCode::BAD_REQUEST,
        "JobAlreadyCompleted",
    )
    .await;
}

#[tokio::test]
async fn job_instances_page() {
    let mut cfg = config();
    cfg.page_size = 2;
    cfg.job_queued = std::time::Duration::ZERO;
    cfg.job_running = std::time::Duration::ZERO;
    let emu = start(cfg).await;
    let ws = emu.ws();
    let item = emu.create("job").await["id"].as_str().unwrap().to_owned();
    for _ in 0..5 {
        let r = emu.post(&format!("{ws}/items/{item}/jobs/instances?jobType=CopyJob"), None).await;
        let location = assert_job_accepted(&emu, r, &item).await;
        assert_eq!(ended(&emu, &location).await["status"], "Completed");
    }
    let mut next = Some(format!("{ws}/items/{item}/jobs/instances"));
    let mut ids = Vec::new();
    let mut pages = 0;
    while let Some(url) = next {
        let page: Value = emu.get(&url).await.json().await.unwrap();
        pages += 1;
        ids.extend(page["value"].as_array().unwrap().iter().map(|j| j["id"].clone()));
        next = page["continuationUri"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 3);
    assert_eq!(ids.len(), 5);
}
