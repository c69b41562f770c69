//! Cross-cutting HTTP behaviour: auth, CORS, throttling, paging, RequestId, static files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn bearer_token_required() {
    let emu = start(config()).await;
    let url = emu.url("/v1/workspaces");
    let r = emu.http.get(&url).send().await.unwrap();
    assert_eq!(header(&r, "www-authenticate"), Some("Bearer"));
    assert_error(r, StatusCode::UNAUTHORIZED, "TokenIsMissing").await;
    let r = emu.http.get(&url).header("Authorization", "Basic abc").send().await.unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "TokenIsMissing").await;
    let r = emu.http.get(&url).bearer_auth("wrong").send().await.unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "InvalidToken").await;
    // Unknown routes are behind auth too, then 404.
    let r = emu.http.get(emu.url("/v1/nothing")).send().await.unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "TokenIsMissing").await;
    assert_error(emu.get("/v1/nothing").await, StatusCode::NOT_FOUND, "EndpointNotFound").await;
    assert_error(
        emu.call(Method::PUT, "/v1/workspaces", None).await,
        StatusCode::NOT_FOUND,
        "EndpointNotFound",
    )
    .await;
    let r = emu.get("/v1/workspaces").await;
    assert_eq!(r.status(), StatusCode::OK);

    // Several tokens; without any configured, any bearer token is accepted.
    let mut cfg = config();
    cfg.tokens.push("second".to_owned());
    let emu2 = start(cfg).await;
    let r = emu2.http.get(emu2.url("/v1/workspaces")).bearer_auth("second").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut cfg = config();
    cfg.tokens.clear();
    let open = start(cfg).await;
    let r = open.http.get(open.url("/v1/workspaces")).bearer_auth("anything").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = open.http.get(open.url("/v1/workspaces")).send().await.unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "TokenIsMissing").await;
}

#[tokio::test]
async fn cors_preflight_and_simple_requests() {
    let emu = start(config()).await;
    let r = emu
        .http
        .request(Method::OPTIONS, emu.url(&format!("{}/copyJobs", emu.ws())))
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "preflight needs no token");
    assert_eq!(header(&r, "access-control-allow-origin"), Some("http://localhost:5173"));
    assert!(header(&r, "access-control-allow-methods").unwrap().contains("PATCH"));
    assert_eq!(header(&r, "access-control-allow-headers"), Some("authorization,content-type"));
    assert!(header(&r, "requestid").is_some());

    let r = emu
        .http
        .get(emu.url("/v1/workspaces"))
        .bearer_auth(TOKEN)
        .header("Origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "access-control-allow-origin"), Some("http://localhost:5173"));
    assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId"));
    // Errors carry CORS headers too, so a page can read them.
    let r = emu
        .http
        .get(emu.url("/v1/workspaces"))
        .header("Origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "access-control-allow-origin"), Some("http://localhost:5173"));
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_response_has_a_request_id() {
    let emu = start(config()).await;
    let a = emu.get("/v1/workspaces").await;
    let b = emu.get("/v1/workspaces").await;
    let (a, b) = (header(&a, "requestid").unwrap().to_owned(), header(&b, "requestid").unwrap().to_owned());
    assert_ne!(a, b);
    assert!(uuid::Uuid::parse_str(&a).is_ok());
}

#[tokio::test]
async fn throttling_injection() {
    let mut cfg = config();
    cfg.throttle_every = 3;
    cfg.throttle_retry_after = 7;
    let emu = start(cfg).await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let r = emu.get("/v1/workspaces").await;
        statuses.push(r.status().as_u16());
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(header(&r, "retry-after"), Some("7"));
            assert!(r.headers().get("access-control-expose-headers").is_none(), "as recorded");
            let body = assert_error(r, StatusCode::TOO_MANY_REQUESTS, "RequestBlocked").await;
            let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["requestId", "errorCode", "message"]);
            assert!(body["message"]
                .as_str()
                .unwrap()
                .starts_with("Request is blocked by the upstream service until: "));
            assert!(body["message"].as_str().unwrap().ends_with(" (UTC)"));
        }
    }
    assert_eq!(statuses, [200, 200, 429, 200, 200, 429]);
}

#[tokio::test]
async fn paging_across_several_pages() {
    let mut cfg = config();
    cfg.page_size = 2;
    cfg.workspaces = (1..=5u128)
        .map(|i| copyjob_emulator::WorkspaceConfig {
            id: uuid::Uuid::from_u128(i),
            display_name: format!("ws{i}"),
        })
        .collect();
    let emu = start(cfg).await;
    let ws = format!("/v1/workspaces/{}", uuid::Uuid::from_u128(1));
    for i in 0..5 {
        let r = emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": format!("job{i}")}))).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    for list in [format!("{ws}/copyJobs"), format!("{ws}/items?type=CopyJob"), "/v1/workspaces".to_owned()] {
        // Follow continuationUri.
        let mut names = Vec::new();
        let mut next = Some(list.clone());
        let mut pages = 0;
        while let Some(url) = next {
            let page: Value = emu.get(&url).await.json().await.unwrap();
            pages += 1;
            names.extend(
                page["value"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["displayName"].as_str().unwrap().to_owned()),
            );
            match (page.get("continuationToken"), page.get("continuationUri")) {
                (Some(token), Some(uri)) => {
                    assert!(uri.as_str().unwrap().starts_with(&emu.base));
                    assert!(uri
                        .as_str()
                        .unwrap()
                        .contains(&format!("continuationToken={}", token.as_str().unwrap())));
                    next = uri.as_str().map(str::to_owned);
                }
                (None, None) => next = None,
                other => panic!("one continuation field without the other: {other:?}"),
            }
        }
        assert_eq!(pages, 3, "{list}");
        assert_eq!(names.len(), 5);
        if list.contains("copyJobs") {
            assert_eq!(names, ["job0", "job1", "job2", "job3", "job4"]);
        }
        // Or repeat the request with continuationToken.
        let first: Value = emu.get(&list).await.json().await.unwrap();
        let token = first["continuationToken"].as_str().unwrap();
        let sep = if list.contains('?') { '&' } else { '?' };
        let second: Value =
            emu.get(&format!("{list}{sep}continuationToken={token}")).await.json().await.unwrap();
        assert_eq!(second["value"].as_array().unwrap().len(), 2);
        assert_ne!(second["value"][0], first["value"][0]);
    }
    assert_error(
        emu.get(&format!("{ws}/copyJobs?continuationToken=garbage!")).await,
        StatusCode::BAD_REQUEST,
        "InvalidContinuationToken",
    )
    .await;
}

#[tokio::test]
async fn static_folder_at_root() {
    let dir = std::env::temp_dir().join(format!("copyjob-emulator-www-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<h1>editor</h1>").unwrap();
    let mut cfg = config();
    cfg.www = Some(dir.clone());
    let emu = start(cfg).await;
    let r = emu.http.get(emu.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "<h1>editor</h1>");
    let r = emu.http.get(emu.url("/index.html")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The API is still behind auth on the same origin.
    let r = emu.http.get(emu.url("/v1/workspaces")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    std::fs::remove_dir_all(&dir).ok();

    // Without a folder, / is a JSON 404.
    let emu = start(config()).await;
    let r = emu.http.get(emu.url("/")).send().await.unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "EndpointNotFound").await;

    // A folder that does not exist is a start-up error.
    let mut cfg = config();
    cfg.www = Some(std::env::temp_dir().join("copyjob-emulator-no-such-dir"));
    let err = copyjob_emulator::Emulator::new(cfg).bind(([127, 0, 0, 1], 0).into()).await.err();
    assert!(matches!(err, Some(copyjob_emulator::Error::WwwNotADirectory(_))));
}

/// Dropping the handle of a spawned emulator stops it: the port stops accepting connections.
#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let server = copyjob_emulator::Emulator::new(common::config())
        .bind(([127, 0, 0, 1], 0).into())
        .await
        .expect("bind")
        .spawn();
    let addr = server.local_addr();
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok(), "serving before the drop");
    drop(server);
    common::poll(|| async { tokio::net::TcpStream::connect(addr).await.is_err().then_some(()) }).await;
}

/// Every answer under the API root carries the service's no-cache and hardening headers,
/// `/v1` itself included (an unknown path's error too).
#[tokio::test]
async fn api_answers_are_never_cached() {
    let emu = start(config()).await;
    for path in ["/v1", "/v1/", "/v1/workspaces", "/v1/no-such-route"] {
        let r = emu.get(path).await;
        assert_eq!(header(&r, "cache-control"), Some("no-store, must-revalidate, no-cache"), "{path}");
        assert_eq!(header(&r, "pragma"), Some("no-cache"), "{path}");
        assert_eq!(header(&r, "x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(header(&r, "x-frame-options"), Some("deny"), "{path}");
    }
}
