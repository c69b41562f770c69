//! The emulator under hostile requests: oversized bodies, malformed JSON, wrong content types,
//! huge headers, unknown query parameters, ids that are not GUIDs, path traversal in part paths
//! — each answered in the service's error shape (or accepted), never a 500 or a dropped
//! connection; slow validations run off the async workers; concurrent updateDefinition of one
//! item leaves one whole definition.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use copyjob_emulator::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends a raw HTTP/1.1 request whose body is `len` bytes of `fill`, written in chunks, and
/// returns the raw response (status line, headers, body) read to the end.
async fn raw_post(emu: &Emu, path: &str, len: u64, fill: u8) -> String {
    let addr = emu.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    let chunk = vec![fill; 1 << 16];
    let mut sent = 0u64;
    while sent < len {
        let n = chunk.len().min(usize::try_from(len - sent).unwrap());
        stream.write_all(&chunk[..n]).await.expect("the server reads the whole body: no reset");
        sent += n as u64;
    }
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("the server answers: no reset");
    String::from_utf8_lossy(&response).into_owned()
}

fn body_of(raw: &str) -> Value {
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not a JSON body ({e}): {raw:.400}"))
}

#[tokio::test]
async fn a_300_mb_body_gets_413_not_a_dropped_connection() {
    let emu = start(config()).await;
    let path = format!("{}/copyJobs", emu.ws());
    let raw = raw_post(&emu, &path, 300 * 1024 * 1024, b' ').await;
    assert!(raw.starts_with("HTTP/1.1 413 "), "{raw:.300}");
    assert!(
        raw.to_ascii_lowercase().contains("x-ms-public-api-error-code: invalidpayloadsize"),
        "{raw:.600}"
    );
    let body = body_of(&raw);
    assert_eq!(body["errorCode"], "InvalidPayloadSize");
    assert_eq!(body["message"], "The request body is 314572800 bytes; the limit is 33554432 bytes");
    assert!(body["requestId"].as_str().is_some_and(|id| id.len() == 36), "{body}");

    // Just over the limit: the same; just under: read and judged as JSON.
    let raw = raw_post(&emu, &path, 32 * 1024 * 1024 + 1, b' ').await;
    assert!(raw.starts_with("HTTP/1.1 413 "), "{raw:.300}");
    let raw = raw_post(&emu, &path, 1024, b' ').await;
    assert!(raw.starts_with("HTTP/1.1 400 "), "{raw:.300}");
    assert_eq!(body_of(&raw)["errorCode"], "InvalidInput");

    // The emulator still serves.
    assert_eq!(emu.get(&path).await.status(), StatusCode::OK);
}

/// A request that must be answered in the service's error shape with one of `statuses`.
async fn assert_refused(r: reqwest::Response, statuses: &[StatusCode], what: &str) -> Value {
    let status = r.status();
    assert!(statuses.contains(&status), "{what}: {status}");
    let code = header(&r, "x-ms-public-api-error-code").map(str::to_owned);
    let request_id = header(&r, "requestid").map(str::to_owned);
    let body: Value = r.json().await.unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
    assert_eq!(body["errorCode"].as_str(), code.as_deref(), "{what}: {body}");
    assert_eq!(body["requestId"].as_str(), request_id.as_deref(), "{what}: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {body}");
    body
}

#[tokio::test]
async fn malformed_requests_get_the_services_error_shape() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let id = emu.create("target").await["id"].as_str().unwrap().to_owned();
    let bad = [StatusCode::BAD_REQUEST];
    let send = |method: Method, path: String, content_type: &'static str, body: Vec<u8>| {
        let req =
            emu.http.request(method, emu.url(&path)).bearer_auth(TOKEN).header("content-type", content_type);
        async move { req.body(body).send().await.expect("answered") }
    };

    // Malformed JSON, in every body-taking call.
    for (method, path) in [
        (Method::POST, format!("{ws}/copyJobs")),
        (Method::POST, format!("{ws}/items")),
        (Method::PATCH, format!("{ws}/copyJobs/{id}")),
        (Method::POST, format!("{ws}/copyJobs/{id}/updateDefinition")),
        (Method::POST, format!("{ws}/items/{id}/updateDefinition")),
    ] {
        for body in
            [&b"{"[..], b"{\"displayName\": }", b"\xff\xfe", b"[1, 2]", b"null", b"\"text\"", b"{\"a\":1}{}"]
        {
            let what = format!("{method} {path} {:?}", String::from_utf8_lossy(body));
            assert_refused(
                send(method.clone(), path.clone(), "application/json", body.to_vec()).await,
                &bad,
                &what,
            )
            .await;
        }
    }
    // Deeply nested JSON is refused, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = send(Method::POST, format!("{ws}/copyJobs"), "application/json", deep.into_bytes()).await;
    assert_refused(r, &bad, "deep nesting").await;

    // Wrong content types: the body is still judged as JSON (as the service does), never a 500.
    for content_type in
        ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
    {
        let r = send(Method::POST, format!("{ws}/copyJobs"), content_type, b"displayName=x".to_vec()).await;
        assert_refused(r, &bad, content_type).await;
        let body = serde_json::to_vec(&json!({"displayName": format!("typed {content_type}")})).unwrap();
        let r = send(Method::POST, format!("{ws}/copyJobs"), content_type, body).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{content_type}");
    }

    // Ids that are not GUIDs, anywhere in the path.
    for path in [
        "/v1/workspaces/not-a-guid/copyJobs".to_owned(),
        format!("{ws}/copyJobs/not-a-guid"),
        format!("{ws}/copyJobs/{id}x"),
        format!("{ws}/items/%00/getDefinition"),
        format!("{ws}/copyJobs/..%2F..%2Fetc%2Fpasswd"),
        "/v1/operations/%3Cscript%3E".to_owned(),
        format!("/v1/workspaces/{}/copyJobs", "9".repeat(5000)),
    ] {
        let r = emu.get(&path).await;
        let body = assert_refused(r, &[StatusCode::BAD_REQUEST, StatusCode::NOT_FOUND], &path).await;
        assert!(
            ["InvalidParameter", "EntityNotFound", "ItemNotFound", "EndpointNotFound"]
                .contains(&body["errorCode"].as_str().unwrap()),
            "{path}: {body}"
        );
    }

    // Unknown query parameters are ignored, known ones with bad values refused.
    let r = emu.get(&format!("{ws}/copyJobs?foo=bar&%3Cx%3E=%3Cy%3E&continuationTokenX=1")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = emu.get(&format!("{ws}/copyJobs?continuationToken=%3Cnot-a-token%3E")).await;
    assert_refused(r, &bad, "bad continuation token").await;
    let r = emu.post(&format!("{ws}/items/{id}/getDefinition?format=%00"), None).await;
    assert!(r.status().as_u16() < 500, "{}", r.status());

    // Path traversal and odd names in part paths: refused or warned about, never written anywhere.
    for path in [
        "../copyjob-content.json",
        "/etc/passwd",
        "..\\..\\x",
        "copyjob-content.json\u{0}",
        "",
        "<img src=x>",
    ] {
        let mut definition = definition(CONTENT);
        definition["parts"]
            .as_array_mut()
            .unwrap()
            .push(json!({"path": path, "payload": "e30=", "payloadType": "InlineBase64"}));
        let r = emu
            .post(&format!("{ws}/copyJobs/{id}/updateDefinition"), Some(json!({"definition": definition})))
            .await;
        let status = r.status();
        if status.is_success() {
            let got: Value =
                emu.post(&format!("{ws}/items/{id}/getDefinition"), None).await.json().await.unwrap();
            let paths: Vec<&str> = got["definition"]["parts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["path"].as_str().unwrap())
                .collect();
            assert!(
                paths.iter().all(|p| ["copyjob-content.json", ".platform", path].contains(p)),
                "{paths:?}"
            );
        } else {
            assert_refused(r, &bad, path).await;
        }
    }
}

#[tokio::test]
async fn huge_headers_are_refused_cleanly() {
    let emu = start(config()).await;
    let path = format!("{}/copyJobs", emu.ws());
    let padded = |bytes: usize| {
        emu.http.get(emu.url(&path)).bearer_auth(TOKEN).header("x-padding", "a".repeat(bytes)).send()
    };
    // A large but acceptable header is served.
    assert_eq!(padded(16 * 1024).await.expect("answered").status(), StatusCode::OK);
    // A huge one is answered (431 from the HTTP layer), not a reset; the emulator keeps serving.
    let r = padded(1024 * 1024).await;
    if let Ok(r) = r {
        assert!(r.status().is_client_error(), "{}", r.status());
    }
    // A huge token is refused as a token.
    let r = emu.http.get(emu.url(&path)).bearer_auth("t".repeat(64 * 1024)).send().await.expect("answered");
    assert_refused(r, &[StatusCode::UNAUTHORIZED], "huge token").await;
    assert_eq!(emu.get(&path).await.status(), StatusCode::OK);
}

/// The test runtime has one thread, shared by the emulator and the client. Validations are held
/// in flight (the `before_validation` hook waits until the test releases it) while the test reads:
/// the reads can only be answered if validations run off the async workers. If they ran on the
/// worker, the held hook would stop the only thread; it gives up after 10 s and says so, and the
/// test fails instead of hanging.
#[tokio::test]
async fn slow_validations_do_not_stall_other_requests() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, Condvar, Mutex};
    // Released at first (the item's creation is validated too), held once the item exists.
    let released = Arc::new((Mutex::new(true), Condvar::new()));
    let entered = Arc::new(AtomicUsize::new(0));
    let gave_up = Arc::new(AtomicBool::new(false));
    let hook = {
        let (released, entered, gave_up) = (released.clone(), entered.clone(), gave_up.clone());
        copyjob_emulator::ValidationHook(Arc::new(move || {
            entered.fetch_add(1, Ordering::SeqCst);
            let (lock, cv) = &*released;
            let guard = lock.lock().unwrap();
            let (guard, wait) = cv.wait_timeout_while(guard, Duration::from_secs(10), |r| !*r).unwrap();
            drop(guard);
            if wait.timed_out() {
                gave_up.store(true, Ordering::SeqCst);
            }
        }))
    };
    let emu = Arc::new(start(Config { before_validation: Some(hook), ..config() }).await);
    let id = emu.create("slow").await["id"].as_str().unwrap().to_owned();
    *released.0.lock().unwrap() = false;
    let before = entered.load(Ordering::SeqCst);
    let body = json!({"definition": {"parts": [
        {"path": "copyjob-content.json", "payload": b64(SALES.as_bytes()), "payloadType": "InlineBase64"}]}});
    let mut held = Vec::new();
    for _ in 0..2 {
        let (emu, id, body) = (emu.clone(), id.clone(), body.clone());
        held.push(tokio::spawn(async move {
            emu.post(&format!("{}/copyJobs/{id}/updateDefinition", emu.ws()), Some(body)).await.status()
        }));
    }
    // Both validations are in flight (polled, not timed: at most 20 s).
    common::poll(|| async { (entered.load(Ordering::SeqCst) >= before + 2).then_some(()) }).await;
    for _ in 0..5 {
        let r = emu.get(&format!("{}/copyJobs/{id}", emu.ws())).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    assert!(held.iter().all(|h| !h.is_finished()), "the validations were held while the reads were answered");
    assert!(
        !gave_up.load(Ordering::SeqCst),
        "a read waited for a held validation: validation ran on the async worker"
    );
    {
        let (lock, cv) = &*released;
        *lock.lock().unwrap() = true;
        cv.notify_all();
    }
    for h in held {
        assert_eq!(h.await.unwrap(), StatusCode::OK);
    }
}

const SALES: &str = include_str!("../../../examples/workspace/Sales.CopyJob/copyjob-content.json");

/// Concurrent updateDefinition of one item: the last write wins as a whole — the stored
/// definition is exactly one of those sent, never a mix of two.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_of_one_item_leave_one_whole_definition() {
    let emu = std::sync::Arc::new(start(config()).await);
    let id = emu.create("contended").await["id"].as_str().unwrap().to_owned();
    let definition_n = |n: usize| {
        let content = SALES.replacen("\"table\": \"", &format!("\"table\": \"w{n}_"), 1);
        let platform = format!(
            "{{\"$schema\": \"https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json\", \"metadata\": {{\"type\": \"CopyJob\", \"displayName\": \"writer {n}\"}}, \"config\": {{\"version\": \"2.0\", \"logicalId\": \"00000000-0000-4000-8000-{n:012}\"}}}}"
        );
        json!({"definition": {"parts": [
            {"path": "copyjob-content.json", "payload": b64(content.as_bytes()), "payloadType": "InlineBase64"},
            {"path": ".platform", "payload": b64(platform.as_bytes()), "payloadType": "InlineBase64"},
        ]}})
    };
    let sent: Vec<Value> = (0..32).map(definition_n).collect();
    let mut writers = Vec::new();
    for body in sent.clone() {
        let (emu, id) = (emu.clone(), id.clone());
        writers.push(tokio::spawn(async move {
            let r = emu.post(&format!("{}/copyJobs/{id}/updateDefinition", emu.ws()), Some(body)).await;
            (r.status(), r.text().await.unwrap_or_default())
        }));
    }
    for w in writers {
        let (status, body) = w.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let got: Value =
        emu.post(&format!("{}/items/{id}/getDefinition", emu.ws()), None).await.json().await.unwrap();
    let parts = got["definition"]["parts"].as_array().unwrap();
    let text = |path: &str| {
        let part = parts.iter().find(|p| p["path"] == path).expect(path);
        String::from_utf8(unb64(part["payload"].as_str().unwrap())).unwrap()
    };
    // The writer of each part: the content's table prefix, the .platform's logicalId (the
    // emulator rewrites .platform's name; its logicalId is the writer's).
    let content = text("copyjob-content.json");
    let platform: Value = serde_json::from_str(&text(".platform")).unwrap();
    let writer = (0..32)
        .find(|n| content == SALES.replacen("\"table\": \"", &format!("\"table\": \"w{n}_"), 1))
        .expect("the content is one writer's, whole");
    let whole = platform["config"]["logicalId"] == format!("00000000-0000-4000-8000-{writer:012}");
    assert!(whole, "the stored definition mixes writers: {got}");
}
