//! Shared helpers of the integration tests: start an emulator on 127.0.0.1:0, call it over HTTP.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use copyjob::Checker;
use copyjob_emulator::{Clock, Config, Emulator, ManualClock, RunningServer, DEFAULT_WORKSPACE_ID};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use uuid::Uuid;

pub const TOKEN: &str = "test-token";
pub const WS: Uuid = DEFAULT_WORKSPACE_ID;

/// One checker for the whole test binary: it compiles schemas.
pub fn checker() -> Arc<Checker> {
    static CHECKER: OnceLock<Arc<Checker>> = OnceLock::new();
    CHECKER.get_or_init(|| Arc::new(Checker::new())).clone()
}

/// A test configuration: a known token, short lifecycles, real-looking defaults otherwise.
pub fn config() -> Config {
    Config {
        tokens: vec![TOKEN.to_owned()],
        lro_queued: Duration::from_millis(100),
        lro_running: Duration::from_millis(200),
        job_queued: Duration::from_millis(100),
        job_running: Duration::from_millis(300),
        retry_after: 1,
        ..Config::default()
    }
}

/// [`config`] on a manual clock: nothing the emulator times moves until the test advances the
/// returned handle.
pub fn manual_config() -> (Config, ManualClock) {
    let clock = Clock::manual();
    (Config { clock: clock.clock(), ..config() }, clock)
}

pub struct Emu {
    pub server: RunningServer,
    pub http: reqwest::Client,
    pub base: String,
}

pub async fn start(config: Config) -> Emu {
    let server = Emulator::with_checker(config, checker())
        .bind(([127, 0, 0, 1], 0).into())
        .await
        .expect("bind 127.0.0.1:0")
        .spawn();
    let base = server.url();
    let http = reqwest::Client::builder().no_proxy().build().expect("client");
    Emu { server, http, base }
}

impl Emu {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    pub fn ws(&self) -> String {
        format!("/v1/workspaces/{WS}")
    }

    /// An authenticated request.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(TOKEN);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Option<Value>) -> Response {
        self.call(Method::POST, path, body).await
    }

    /// Creates a Copy job (sync mode) and returns its JSON.
    pub async fn create(&self, name: &str) -> Value {
        let r = self.post(&format!("{}/copyJobs", self.ws()), Some(json!({ "displayName": name }))).await;
        assert_eq!(r.status(), StatusCode::CREATED, "create {name}");
        r.json().await.unwrap()
    }
}

pub fn header<'r>(r: &'r Response, name: &str) -> Option<&'r str> {
    r.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Asserts an error response: status, `x-ms-public-api-error-code`, body `errorCode`, and that
/// `requestId` equals the `RequestId` header. Returns the body.
pub async fn assert_error(r: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(r.status(), status, "status for {code}");
    assert_eq!(header(&r, "x-ms-public-api-error-code"), Some(code));
    assert_eq!(header(&r, "content-type"), Some("application/json; charset=utf-8"));
    let request_id = header(&r, "requestid").expect("RequestId").to_owned();
    let body: Value = r.json().await.expect("error body is JSON");
    assert_eq!(body["errorCode"], code, "{body}");
    assert_eq!(body["requestId"], request_id.as_str());
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    body
}

/// Polls `f` until it returns `Some`, for at most 20 s (generous: never a timing assertion).
/// Where what is waited for is the emulator's own time, move a manual clock ([`manual_config`])
/// instead.
pub async fn poll<T, F, Fut>(mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "condition not reached within 20 s");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn unb64(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).expect("base64")
}

/// A valid content part.
pub const CONTENT: &str = "{\n  \"properties\": {\n    \"jobMode\": \"CDC\"\n  },\n  \"activities\": []\n}";

pub fn definition(content: &str) -> Value {
    json!({ "parts": [{ "path": "copyjob-content.json", "payload": b64(content.as_bytes()), "payloadType": "InlineBase64" }] })
}

/// A service timestamp: `YYYY-MM-DDTHH:MM:SS[.f{1,7}]`, no `Z`.
pub fn is_service_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 19 || s.ends_with('Z') {
        return false;
    }
    let shape_ok = b[..19].iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        10 => *c == b'T',
        13 | 16 => *c == b':',
        _ => c.is_ascii_digit(),
    });
    let frac = &s[19..];
    shape_ok
        && (frac.is_empty()
            || (frac.starts_with('.')
                && (2..=8).contains(&frac.len())
                && frac[1..].bytes().all(|c| c.is_ascii_digit())))
}
