//! Long-running operations, sync and async: 202s, operation states, results and failures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use copyjob_emulator::LroMode;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

fn async_config() -> copyjob_emulator::Config {
    let mut cfg = config();
    cfg.lro = LroMode::Async;
    cfg
}

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

/// Polls the operation until it leaves NotStarted/Running, checking every state on the way.
async fn wait(emu: &Emu, op: &str) -> (Value, Response) {
    let seen = std::sync::Mutex::new(Vec::new());
    let result = poll(|| {
        let seen = &seen;
        async move {
            let r = emu.get(&format!("/v1/operations/{op}")).await;
            assert_eq!(r.status(), StatusCode::OK);
            assert_eq!(header(&r, "x-ms-operation-id"), Some(op));
            let status = r.headers().clone();
            let body: Value = r.json().await.unwrap();
            assert!(is_service_timestamp(body["createdTimeUtc"].as_str().unwrap()), "{body}");
            assert!(is_service_timestamp(body["lastUpdatedTimeUtc"].as_str().unwrap()), "{body}");
            let s = body["status"].as_str().unwrap().to_owned();
            seen.lock().unwrap().push(s.clone());
            match s.as_str() {
                "NotStarted" | "Running" => {
                    assert_eq!(status.get("retry-after").unwrap(), "1");
                    assert!(status
                        .get("location")
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .ends_with(&format!("/v1/operations/{op}")));
                    assert_eq!(
                        status.get("access-control-expose-headers").unwrap(),
                        "RequestId,Location,Retry-After,x-ms-operation-id"
                    );
                    assert_eq!(body["percentComplete"], Value::Null);
                    None
                }
                _ => Some(body),
            }
        }
    })
    .await;
    assert!(seen
        .lock()
        .unwrap()
        .iter()
        .all(|s| ["NotStarted", "Running", "Succeeded", "Failed"].contains(&s.as_str())));
    let last = emu.get(&format!("/v1/operations/{op}")).await;
    (result, last)
}

#[tokio::test]
async fn async_create_get_and_update_definition() {
    let emu = start(async_config()).await;
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

    let (state, last) = wait(&emu, &op).await;
    assert_eq!(state["status"], "Succeeded");
    assert_eq!(state["percentComplete"], 100);
    assert_eq!(state["error"], Value::Null);
    assert_eq!(header(&last, "location").unwrap(), format!("{}/v1/operations/{op}/result", emu.base));
    assert_eq!(header(&last, "access-control-expose-headers"), Some("RequestId,Location,x-ms-operation-id"));
    assert!(last.headers().get("retry-after").is_none());

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
    assert_eq!(wait(&emu, &op).await.0["status"], "Succeeded");
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
    assert_eq!(wait(&emu, &op).await.0["status"], "Succeeded");
    let result: Value = emu.get(&format!("/v1/operations/{op}/result")).await.json().await.unwrap();
    assert_eq!(result["id"], id.as_str());
    let r = emu.post(&format!("{ws}/items/{id}/getDefinition"), None).await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,x-ms-operation-id").await;
    wait(&emu, &op).await;
    let body: Value = emu.get(&format!("/v1/operations/{op}/result")).await.json().await.unwrap();
    assert_eq!(unb64(body["definition"]["parts"][0]["payload"].as_str().unwrap()), new_content.as_bytes());

    // Validation still happens up front, synchronously.
    let r = emu
        .post(&format!("{ws}/copyJobs/{id}/updateDefinition"), Some(json!({"definition": definition("{}")})))
        .await;
    assert_error(r, StatusCode::BAD_REQUEST, "InvalidDefinitionParts").await;
}

/// An emulator whose operations stay in one state for ten minutes: what a client sees before an
/// operation finishes, observed deterministically (no timing window).
fn frozen(queued: Duration, running: Duration) -> copyjob_emulator::Config {
    let mut cfg = async_config();
    cfg.lro_queued = queued;
    cfg.lro_running = running;
    cfg
}

const LONG: Duration = Duration::from_secs(600);

#[tokio::test]
async fn no_result_before_the_operation_succeeds() {
    for (queued, running, state) in [(LONG, LONG, "NotStarted"), (Duration::ZERO, LONG, "Running")] {
        let emu = start(frozen(queued, running)).await;
        let ws = emu.ws();
        let r = emu
            .post(
                &format!("{ws}/copyJobs"),
                Some(json!({"displayName": "slow", "definition": definition(CONTENT)})),
            )
            .await;
        let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,ETag,x-ms-operation-id").await;
        for _ in 0..3 {
            let r = emu.get(&format!("/v1/operations/{op}")).await;
            assert_eq!(r.status(), StatusCode::OK);
            assert_eq!(header(&r, "retry-after"), Some("1"));
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["status"], state, "{body}");
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
    }
    // With no duration the same operation has succeeded by the first poll.
    let emu = start(frozen(Duration::ZERO, Duration::ZERO)).await;
    let r = emu.post(&format!("{}/copyJobs", emu.ws()), Some(json!({"displayName": "fast"}))).await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,ETag,x-ms-operation-id").await;
    let r = emu.get(&format!("/v1/operations/{op}/result")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["displayName"], "fast");
}

#[tokio::test]
async fn failed_operation_has_no_result() {
    // Operations run for two seconds: the delete below follows the 202 at once.
    let emu = start(frozen(Duration::ZERO, Duration::from_secs(2))).await;
    let ws = emu.ws();
    let r = emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "doomed"}))).await;
    let op = assert_accepted(&emu, r, "RequestId,Location,Retry-After,ETag,x-ms-operation-id").await;
    wait(&emu, &op).await;
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
    let r = emu.call(Method::DELETE, &format!("{ws}/copyJobs/{id}"), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let (state, last) = wait(&emu, &op).await;
    assert_eq!(state["status"], "Failed");
    assert_eq!(state["error"]["errorCode"], "ItemNotFound");
    assert!(last.headers().get("location").is_none());
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
