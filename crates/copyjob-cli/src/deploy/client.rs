//! The Fabric REST API client: bearer tokens (renewed, and once more on 401 `TokenExpired`),
//! 429 retries after `Retry-After` within a bounded total wait, long-running operations
//! (202 + `Location` / `x-ms-operation-id` + `Retry-After`), paging by `continuationToken`, and
//! the service's error bodies (`errorCode`, `message`, `requestId`).

use super::auth::TokenSource;
use super::progress::Progress;
use anyhow::{anyhow, bail, Context as _};
use reqwest::blocking::Response;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Wait when a 429 has no readable `Retry-After`.
pub(crate) const DEFAULT_THROTTLE_WAIT: Duration = Duration::from_secs(10);
/// Wait between operation polls when `Retry-After` is missing.
const DEFAULT_POLL: Duration = Duration::from_secs(5);
/// The shortest wait between polls (a `Retry-After: 0` must not spin).
const MIN_POLL: Duration = Duration::from_millis(100);
/// The longest a long-running operation is followed.
const LRO_LIMIT: Duration = Duration::from_secs(30 * 60);

/// An error response of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status; `None` for a failed long-running operation, whose state is read with a
    /// 200 (its `error` is the service's answer).
    pub status: Option<u16>,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    /// `moreDetails`: `errorCode: message` lines (with a position when the detail is a diagnostic).
    pub details: Vec<String>,
    /// What was being done (`POST …/copyJobs`).
    pub context: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(status) => write!(f, "{}: HTTP {status} {}", self.context, self.code)?,
            None => write!(f, "{}: {}", self.context, self.code)?,
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (requestId {id})")?;
        }
        for d in &self.details {
            write!(f, "\n  - {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    fn from_body(status: u16, headers: Option<&HeaderMap>, body: &[u8], context: String) -> Self {
        let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        Self::from_value(Some(status), headers, &value, context)
    }

    fn from_value(status: Option<u16>, headers: Option<&HeaderMap>, value: &Value, context: String) -> Self {
        let header =
            |name: &str| headers.and_then(|h| h.get(name)).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let code = text("errorCode").or_else(|| header("x-ms-public-api-error-code")).unwrap_or_else(|| {
            status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Error")
                .replace(' ', "")
        });
        let details = value
            .get("moreDetails")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|d| {
                        let code = d.get("errorCode").and_then(Value::as_str).unwrap_or("detail");
                        let message = d.get("message").and_then(Value::as_str).unwrap_or("");
                        let mut line = format!("{code}: {message}");
                        if let Some(part) = d.get("part").and_then(Value::as_str) {
                            let start = d.pointer("/range/start");
                            let pos = |k: &str| start.and_then(|s| s.get(k)).and_then(Value::as_u64);
                            if let (Some(l), Some(c)) = (pos("line"), pos("column")) {
                                line.push_str(&format!(" ({part}:{l}:{c})"));
                            }
                        }
                        line
                    })
                    .collect()
            })
            .unwrap_or_default();
        ApiError {
            status,
            code,
            message: text("message").unwrap_or_default(),
            request_id: text("requestId").or_else(|| header("requestid")),
            details,
            context,
        }
    }
}

/// A successful answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A client of one API base URL.
#[derive(Debug)]
pub struct Client {
    http: reqwest::blocking::Client,
    api: String,
    tokens: TokenSource,
    /// The longest total wait on 429s for one request.
    pub max_throttle_wait: Duration,
    pub progress: Progress,
    verbose: bool,
}

/// The `Retry-After` header, in seconds.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn pause(wait: Duration) {
    std::thread::sleep(wait.max(MIN_POLL));
}

impl Client {
    pub fn new(
        http: reqwest::blocking::Client,
        api: &str,
        tokens: TokenSource,
        max_throttle_wait: Duration,
        mut progress: Progress,
        verbose: bool,
    ) -> Self {
        progress.redact(tokens.secrets());
        Client {
            http,
            api: api.trim_end_matches('/').to_owned(),
            tokens,
            max_throttle_wait,
            progress,
            verbose,
        }
    }

    /// `{api}/v1{path}`.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_owned()
        } else {
            format!("{}/v1{path}", self.api)
        }
    }

    /// Who signs in.
    pub fn who(&self) -> String {
        self.tokens.credential().describe()
    }

    fn token(&mut self) -> anyhow::Result<String> {
        let result = self.tokens.token();
        for note in self.tokens.take_notes() {
            self.progress.note(&note);
        }
        let (token, renewed) = result?;
        self.progress.redact(self.tokens.secrets());
        if renewed {
            self.progress.note("the access token was renewed before it expired");
        }
        Ok(token.expose().to_owned())
    }

    /// One request: bearer token, 429 retries, one sign-in again on `TokenExpired`.
    /// Non-success answers are [`ApiError`]s.
    pub fn send(&mut self, method: Method, path: &str, body: Option<&Value>) -> anyhow::Result<Answer> {
        let url = self.url(path);
        let context = format!("{method} {url}");
        let mut throttled = Duration::ZERO;
        let mut signed_in_again = false;
        loop {
            let token = self.token()?;
            let mut request = self.http.request(method.clone(), &url).bearer_auth(&token);
            request = match body {
                Some(body) => request.json(body),
                None if method == Method::POST => request.header(reqwest::header::CONTENT_LENGTH, "0"),
                None => request,
            };
            let response: Response =
                request.send().map_err(|e| anyhow!("{context}: {}", self.progress.clean(&e.to_string())))?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().with_context(|| format!("{context}: cannot read the answer"))?;
            if self.verbose {
                let id = headers.get("requestid").and_then(|v| v.to_str().ok()).unwrap_or("-");
                self.progress.note(&format!("{method} {url} -> {} (RequestId {id})", status.as_u16()));
            }
            if status == StatusCode::TOO_MANY_REQUESTS {
                let wait = retry_after(&headers).unwrap_or(DEFAULT_THROTTLE_WAIT);
                let error = ApiError::from_body(429, Some(&headers), &bytes, context.clone());
                if throttled + wait > self.max_throttle_wait {
                    return Err(anyhow!(error).context(format!(
                        "still throttled after waiting {}s in total (--max-throttle-wait {}s)",
                        throttled.as_secs(),
                        self.max_throttle_wait.as_secs()
                    )));
                }
                self.progress.note(&format!(
                    "throttled (429 {}): retrying {} {} in {}s",
                    error.code,
                    method,
                    path_of(&url),
                    wait.as_secs()
                ));
                throttled += wait;
                std::thread::sleep(wait);
                continue;
            }
            if status == StatusCode::UNAUTHORIZED && !signed_in_again && self.tokens.renewable() {
                let error = ApiError::from_body(401, Some(&headers), &bytes, context.clone());
                if error.code == "TokenExpired" {
                    self.progress.note("the access token expired (401 TokenExpired): signing in again");
                    self.tokens.invalidate();
                    signed_in_again = true;
                    continue;
                }
                return Err(error.into());
            }
            if !status.is_success() {
                return Err(ApiError::from_body(status.as_u16(), Some(&headers), &bytes, context).into());
            }
            let body = if bytes.iter().all(u8::is_ascii_whitespace) {
                Value::Null
            } else {
                serde_json::from_slice(&bytes).unwrap_or(Value::Null)
            };
            return Ok(Answer { status, headers, body });
        }
    }

    /// A request that may be a long-running operation: a 202 is followed to its end; the
    /// operation's result (or `null`) is returned.
    pub fn call(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        what: &str,
    ) -> anyhow::Result<Value> {
        let answer = self.send(method, path, body)?;
        if answer.status != StatusCode::ACCEPTED {
            return Ok(answer.body);
        }
        self.follow(&answer, what)
    }

    /// Follows a long-running operation from its 202.
    fn follow(&mut self, accepted: &Answer, what: &str) -> anyhow::Result<Value> {
        let operation_url = match (accepted.header("x-ms-operation-id"), accepted.header("location")) {
            (Some(id), _) => self.url(&format!("/operations/{id}")),
            // The token goes only to the API's own origin.
            (None, Some(location)) if same_origin(location, &self.api) => location.to_owned(),
            (None, Some(location)) => {
                bail!("{what}: the operation's Location {location} is not on {}", self.api)
            }
            (None, None) => bail!("{what}: the service answered 202 without Location or x-ms-operation-id"),
        };
        let started = Instant::now();
        let mut wait = retry_after(&accepted.headers).unwrap_or(DEFAULT_POLL);
        loop {
            self.progress.step(&format!("{what}: waiting for the operation ({}s)", wait.as_secs()));
            pause(wait);
            let state = self.send(Method::GET, &operation_url, None)?;
            let status = state.body.get("status").and_then(Value::as_str).unwrap_or("Undefined").to_owned();
            match status.as_str() {
                "Succeeded" | "Completed" => {
                    if state.header("location").is_some() {
                        let result_url = format!("{operation_url}/result");
                        return match self.send(Method::GET, &result_url, None) {
                            Ok(result) => Ok(result.body),
                            Err(e) => match e.downcast_ref::<ApiError>() {
                                Some(api) if api.code == "OperationHasNoResult" => Ok(Value::Null),
                                _ => Err(e),
                            },
                        };
                    }
                    return Ok(Value::Null);
                }
                "Failed" | "Cancelled" | "Undefined" => {
                    return Err(operation_error(what, &status, &state.body).into());
                }
                _ => {}
            }
            if started.elapsed() > LRO_LIMIT {
                bail!("{what}: the operation did not end within {} minutes", LRO_LIMIT.as_secs() / 60);
            }
            wait = retry_after(&state.headers).unwrap_or(DEFAULT_POLL);
        }
    }

    /// Every element of a paged list (`value`, `continuationToken`).
    pub fn list(&mut self, path: &str) -> anyhow::Result<Vec<Value>> {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page_path = match &token {
                None => path.to_owned(),
                Some(t) => {
                    let sep = if path.contains('?') { '&' } else { '?' };
                    let encoded: String = form_urlencoded_byte(t);
                    format!("{path}{sep}continuationToken={encoded}")
                }
            };
            let answer = self.send(Method::GET, &page_path, None)?;
            if let Some(values) = answer.body.get("value").and_then(Value::as_array) {
                all.extend(values.iter().cloned());
            }
            match answer.body.get("continuationToken").and_then(Value::as_str) {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => return Ok(all),
            }
        }
    }
}

/// A long-running operation that ended `status` (`Failed`, …): its `error` (`errorCode`,
/// `message`, `requestId`, `moreDetails`), or `Operation<status>` when it has none.
fn operation_error(what: &str, status: &str, state: &Value) -> ApiError {
    let error = state.get("error").cloned().unwrap_or(Value::Null);
    let mut api = ApiError::from_value(None, None, &error, format!("{what}: the operation ended {status}"));
    if error.get("errorCode").and_then(Value::as_str).is_none() {
        api.code = format!("Operation{status}");
    }
    api
}

/// Percent-encodes a query value (the token is opaque and may hold `%`, `=`, `+`).
fn form_urlencoded_byte(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `url` is on the origin (scheme, host, port) of `base`.
fn same_origin(url: &str, base: &str) -> bool {
    let origin = |u: &str| -> String {
        let rest = u.find("://").map_or(0, |i| i + 3);
        let end = u[rest..].find('/').map_or(u.len(), |j| rest + j);
        u[..end].to_ascii_lowercase()
    };
    origin(url) == origin(base)
}

/// The path of a URL, for messages.
fn path_of(url: &str) -> &str {
    url.find("://").and_then(|i| url[i + 3..].find('/').map(|j| &url[i + 3 + j..])).unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_tokens_are_encoded_once() {
        assert_eq!(form_urlencoded_byte("LDEsMTAwMDAwLDA%3D"), "LDEsMTAwMDAwLDA%253D");
        assert_eq!(form_urlencoded_byte("a b+c"), "a%20b%2Bc");
    }

    #[test]
    fn error_bodies_give_code_message_request_id_and_details() {
        let body = br#"{"requestId":"r-1","errorCode":"InvalidDefinitionParts","message":"The definition parts are invalid","moreDetails":[{"errorCode":"schema/invalid-value","message":"bad jobMode","part":"copyjob-content.json","range":{"start":{"line":3,"column":16}}}]}"#;
        let e = ApiError::from_body(400, None, body, "POST x".into());
        assert_eq!(
            e.to_string(),
            "POST x: HTTP 400 InvalidDefinitionParts: The definition parts are invalid (requestId r-1)\n  - schema/invalid-value: bad jobMode (copyjob-content.json:3:16)"
        );
        let e = ApiError::from_body(502, None, b"<html>", "GET y".into());
        assert_eq!(e.to_string(), "GET y: HTTP 502 BadGateway");
    }

    #[test]
    fn a_failed_operation_is_its_error_without_an_http_status() {
        let state = serde_json::json!({
            "status": "Failed",
            "error": {
                "errorCode": "ItemDisplayNameAlreadyInUse",
                "message": "Requested 'Sales copy' is already in use",
                "requestId": "r-2"
            }
        });
        assert_eq!(
            operation_error("create \"Sales copy\"", "Failed", &state).to_string(),
            "create \"Sales copy\": the operation ended Failed: ItemDisplayNameAlreadyInUse: \
             Requested 'Sales copy' is already in use (requestId r-2)"
        );
        let state = serde_json::json!({ "status": "Failed", "error": null });
        assert_eq!(
            operation_error("update \"A\"", "Failed", &state).to_string(),
            "update \"A\": the operation ended Failed: OperationFailed"
        );
    }

    #[test]
    fn only_the_api_origin_is_followed() {
        assert!(same_origin(
            "https://api.fabric.microsoft.com/v1/operations/x",
            "https://api.fabric.microsoft.com"
        ));
        assert!(!same_origin("https://evil.example/v1/operations/x", "https://api.fabric.microsoft.com"));
        assert!(!same_origin("http://127.0.0.1:6/v1", "http://127.0.0.1:5"));
    }

    #[test]
    fn paths_of_urls() {
        assert_eq!(path_of("http://127.0.0.1:5/v1/workspaces"), "/v1/workspaces");
        assert_eq!(path_of("/v1/x"), "/v1/x");
    }
}
