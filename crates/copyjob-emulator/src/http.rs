//! Request plumbing: request ids, auth, throttling, CORS, error bodies and response helpers.

use crate::config::Config;
use crate::error::{ApiError, PendingError};
use crate::state::Store;
use crate::timefmt::us_timestamp;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use copyjob::Checker;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use time::OffsetDateTime;
use uuid::Uuid;

/// The content type of JSON bodies.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// Expose lists, per endpoint, as the service sends them.
pub(crate) mod expose {
    pub const PLAIN: &str = "RequestId";
    pub const ITEM: &str = "RequestId,ETag";
    pub const CREATED: &str = "RequestId,Location";
    pub const LRO_CREATE: &str = "RequestId,Location,Retry-After,ETag,x-ms-operation-id";
    pub const LRO: &str = "RequestId,Location,Retry-After,x-ms-operation-id";
    pub const OPERATION_DONE: &str = "RequestId,Location,x-ms-operation-id";
    pub const OPERATION_FAILED: &str = "RequestId,x-ms-operation-id";
    pub const JOB_ACCEPTED: &str = "RequestId,Location,Retry-After";
    pub const JOB_ACTIVE: &str = "RequestId,Retry-After";
}

/// The shared state of one emulator.
#[derive(Debug)]
pub(crate) struct App {
    pub config: Config,
    pub checker: Arc<Checker>,
    /// The codes the service rejects ([`copyjob::Config::service`]): every check runs with it.
    pub rules: Arc<copyjob::Config>,
    store: Mutex<Store>,
    requests: AtomicU64,
    /// The tokens the token endpoint issued.
    pub issued: crate::auth::Issued,
}

impl App {
    pub fn new(config: Config, checker: Arc<Checker>) -> Self {
        let store = Store::new(&config);
        App {
            config,
            checker,
            rules: Arc::new(copyjob::Config::service()),
            store: Mutex::new(store),
            requests: AtomicU64::new(0),
            issued: Default::default(),
        }
    }

    /// The store, with the async operations that are due completed.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        let mut store = self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        store.settle(&self.config, self.config.clock.now());
        store
    }
}

/// What a handler knows about its request.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub request_id: Uuid,
    /// `http://host:port`, without a trailing slash.
    pub base_url: String,
    /// The request path, as the client sent it.
    pub path: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", "missing request context")
        })
    }
}

/// The path parameters, parsed by name.
#[derive(Debug)]
pub(crate) struct Params(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<HashMap<String, String>>::from_request_parts(parts, state).await {
            Ok(Path(map)) => Ok(Params(map)),
            Err(e) => Err(ApiError::bad_request("InvalidParameter", e.body_text())),
        }
    }
}

impl Params {
    pub fn str(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// A UUID parameter; anything else is 400 `InvalidParameter`, naming the parameter as the
    /// specification does (routes use its names: `workspaceId`, `folderId`, `jobInstanceId`, ...).
    pub fn uuid(&self, name: &str) -> Result<Uuid, ApiError> {
        uuid_value(self.str(name), name)
    }

    /// The item of an item route: `{copyJobId}` under `/copyJobs`, `{itemId}` under `/items`.
    pub fn item_id(&self) -> Result<Uuid, ApiError> {
        self.uuid(if self.0.contains_key("copyJobId") { "copyJobId" } else { "itemId" })
    }
}

/// A UUID from a path or query parameter or a body field named `name`; anything else is 400
/// `InvalidParameter`.
pub(crate) fn uuid_value(raw: &str, name: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| {
        ApiError::bad_request(
            "InvalidParameter",
            format!("The value '{raw}' is not valid for {name}: expected a UUID"),
        )
    })
}

/// The query string, parsed; names match case-insensitively as on the service.
#[derive(Debug, Default)]
pub(crate) struct Query(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let pairs = parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        Ok(Query(pairs))
    }
}

impl Query {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// A boolean parameter (`true`, `True`, `false`…); absent is `false`.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        self.flag_or(name, false)
    }

    /// A boolean parameter; absent is `default`.
    pub fn flag_or(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") || v.is_empty() => Ok(false),
            Some(v) => Err(ApiError::bad_request(
                "InvalidParameter",
                format!("The value '{v}' is not valid for {name}: expected true or false"),
            )),
        }
    }
}

/// The outer middleware: request id, CORS, error bodies, common headers.
pub(crate) async fn common(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let request_id = Uuid::new_v4();
    let origin = req.headers().get(header::ORIGIN).cloned();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut response =
        if method == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
            preflight(req.headers())
        } else {
            let base_url = base_url(&app.config, req.headers());
            req.extensions_mut().insert(Ctx { request_id, base_url, path: path.clone() });
            next.run(req).await
        };
    if let Some(PendingError(error)) = response.extensions_mut().remove::<PendingError>() {
        let mut rendered = error.render(request_id);
        for (name, value) in response.headers() {
            if !rendered.headers().contains_key(name) {
                rendered.headers_mut().insert(name.clone(), value.clone());
            }
        }
        response = rendered;
    }
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id.to_string()) {
        headers.insert(HeaderName::from_static("requestid"), v);
    }
    if path.starts_with("/v1/") || path == "/v1" {
        headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store, must-revalidate, no-cache"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("deny"));
    }
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    if app.config.log_requests {
        eprintln!("{method} {path} -> {} (RequestId {request_id})", response.status().as_u16());
    }
    response
}

/// Answers a CORS preflight: any origin, the API's methods and the headers asked for.
fn preflight(request: &HeaderMap) -> Response {
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, PATCH, DELETE, PUT, OPTIONS"),
    );
    let allow_headers = request
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("Authorization, Content-Type"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allow_headers);
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    response
}

fn base_url(config: &Config, headers: &HeaderMap) -> String {
    if let Some(url) = &config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// The API middleware: bearer token, then throttling.
pub(crate) async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if let Err(error) = authenticate(&app, req.headers()) {
        let mut response = error.into_response();
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    let n = app.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let every = app.config.throttle_every;
    if every > 0 && n % every == 0 {
        return throttled(app.config.clock.now_utc(), app.config.throttle_retry_after).into_response();
    }
    next.run(req).await
}

fn authenticate(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let config = &app.config;
    let missing = || ApiError::new(StatusCode::UNAUTHORIZED, "TokenIsMissing", "Access token is missing");
    let value = headers.get(header::AUTHORIZATION).ok_or_else(missing)?;
    let value = value.to_str().map_err(|_| invalid_token())?;
    let Some((scheme, token)) = value.split_once(' ') else { return Err(missing()) };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(missing());
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(missing());
    }
    match app.issued.check(token, app.config.clock.now()) {
        Some(true) => return Ok(()),
        Some(false) => {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "TokenExpired", "Access token has expired"))
        }
        None => {}
    }
    let open = config.tokens.is_empty() && config.clients.is_empty();
    if open || config.tokens.iter().any(|t| t == token) {
        Ok(())
    } else {
        Err(invalid_token())
    }
}

fn invalid_token() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "InvalidToken", "Access token is invalid")
}

/// 429 `RequestBlocked` at `now`, as recorded: `Retry-After`, no `Access-Control-Expose-Headers`.
pub(crate) fn throttled(now: OffsetDateTime, retry_after: u64) -> ApiError {
    let until = now + std::time::Duration::from_secs(retry_after);
    let mut error = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "RequestBlocked",
        format!("Request is blocked by the upstream service until: {} (UTC)", us_timestamp(until)),
    );
    error.retry_after = Some(retry_after);
    error.expose_headers = false;
    error
}

/// A JSON response with the service's content type and expose list.
pub(crate) fn json(status: StatusCode, body: &Value, expose: &'static str) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(expose));
    response
}

/// An item response: JSON with `ETag: ""`.
pub(crate) fn item(status: StatusCode, body: &Value) -> Response {
    let mut response = json(status, body, expose::ITEM);
    response.headers_mut().insert(header::ETAG, HeaderValue::from_static("\"\""));
    response
}

/// An empty response, `application/octet-stream` and `Content-Length: 0`, as the service sends
/// for DELETE, updateDefinition, job run and cancel.
pub(crate) fn empty(status: StatusCode, expose: &'static str) -> Response {
    let mut response = (status, Body::empty()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(expose));
    response
}

/// Sets a header from a string, ignoring values that cannot be headers.
pub(crate) fn set(response: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(HeaderName::from_static(name), v);
    }
}

/// Sets `Retry-After`.
pub(crate) fn retry_after(response: &mut Response, seconds: u64) {
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
}
