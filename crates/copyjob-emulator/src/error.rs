//! Errors: the library's own ([`Error`]) and the service's error responses ([`ApiError`]).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use copyjob::Diagnostic;
use serde_json::{Map, Value};
use uuid::Uuid;

/// What can go wrong when starting or running the emulator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("the server failed: {0}")]
    Serve(#[source] std::io::Error),
    /// The static folder given with `--www` is not a directory.
    #[error("the static folder {0} is not a directory")]
    WwwNotADirectory(std::path::PathBuf),
    /// A configuration value is not usable.
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// An error response in the service's shape:
/// `{requestId, errorCode, message, moreDetails?, relatedResource?, isRetriable?}`.
///
/// Handlers return it; the request middleware fills in `requestId` (the same value as the
/// `RequestId` header) when the response leaves the emulator. Boxed: it travels in `Result`s.
#[derive(Debug, Clone)]
pub struct ApiError(Box<ApiErrorData>);

impl std::ops::Deref for ApiError {
    type Target = ApiErrorData;
    fn deref(&self) -> &ApiErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ApiErrorData {
        &mut self.0
    }
}

/// The content of an [`ApiError`].
#[derive(Debug, Clone)]
pub struct ApiErrorData {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable error code, also sent as `x-ms-public-api-error-code`.
    pub code: &'static str,
    /// The human-readable message.
    pub message: String,
    /// `moreDetails` entries.
    pub more_details: Vec<Value>,
    /// `relatedResource`.
    pub related_resource: Option<Value>,
    /// `isRetriable`, when the service sends it for this error.
    pub is_retriable: Option<bool>,
    /// A `Retry-After` header, in seconds.
    pub retry_after: Option<u64>,
    /// Whether to send `Access-Control-Expose-Headers` (the recorded 429 has none).
    pub expose_headers: bool,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError(Box::new(ApiErrorData {
            status,
            code,
            message: message.into(),
            more_details: Vec::new(),
            related_resource: None,
            is_retriable: None,
            retry_after: None,
            expose_headers: true,
        }))
    }

    /// 400 with a code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 400 `InvalidInput` with one detail.
    pub fn invalid_input(detail_code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::bad_request("InvalidInput", "The request has invalid input").with_detail(detail_code, &message)
    }

    /// Adds a `moreDetails` entry `{errorCode, message}`.
    pub fn with_detail(mut self, code: &str, message: &str) -> Self {
        let mut entry = Map::new();
        entry.insert("errorCode".into(), Value::from(code));
        entry.insert("message".into(), Value::from(message));
        self.more_details.push(Value::Object(entry));
        self
    }

    /// Adds the diagnostics of the core crate as `moreDetails` entries: each is the diagnostic
    /// (`code`, `severity`, `message`, `help`, `part`, `pointer`, `range`) with `errorCode` set to
    /// its `code`, so it reads both as an `ErrorResponseDetails` and as a `copyjob::Diagnostic`.
    pub fn with_diagnostics<'d>(mut self, diagnostics: impl IntoIterator<Item = &'d Diagnostic>) -> Self {
        for d in diagnostics {
            let mut entry = Map::new();
            entry.insert("errorCode".into(), Value::from(&*d.code));
            if let Ok(Value::Object(fields)) = serde_json::to_value(d) {
                entry.extend(fields);
            }
            self.more_details.push(Value::Object(entry));
        }
        self
    }

    /// Sets `isRetriable`.
    pub fn retriable(mut self, retriable: bool) -> Self {
        self.is_retriable = Some(retriable);
        self
    }

    /// Sets `relatedResource`.
    pub fn related(mut self, resource_id: impl Into<String>, resource_type: &str) -> Self {
        let mut r = Map::new();
        r.insert("resourceId".into(), Value::from(resource_id.into()));
        r.insert("resourceType".into(), Value::from(resource_type));
        self.related_resource = Some(Value::Object(r));
        self
    }

    /// The JSON body, with the request id.
    pub fn body(&self, request_id: Uuid) -> Value {
        let mut body = Map::new();
        body.insert("requestId".into(), Value::from(request_id.to_string()));
        body.insert("errorCode".into(), Value::from(self.code));
        body.insert("message".into(), Value::from(self.message.as_str()));
        if !self.more_details.is_empty() {
            body.insert("moreDetails".into(), Value::Array(self.more_details.clone()));
        }
        if let Some(r) = &self.related_resource {
            body.insert("relatedResource".into(), r.clone());
        }
        if let Some(r) = self.is_retriable {
            body.insert("isRetriable".into(), Value::from(r));
        }
        Value::Object(body)
    }

    /// The complete response, for a request id.
    pub fn render(&self, request_id: Uuid) -> Response {
        let body = serde_json::to_vec(&self.body(request_id)).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(crate::http::JSON_UTF8));
        headers.insert("x-ms-public-api-error-code", HeaderValue::from_static(self.code));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.expose_headers {
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("RequestId"));
        }
        response
    }
}

/// Marks a response that still needs its error body (rendered by the request middleware).
#[derive(Debug, Clone)]
pub(crate) struct PendingError(pub ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(PendingError(self));
        response
    }
}

/// Common errors.
impl ApiError {
    pub(crate) fn item_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "ItemNotFound", "The requested item was not found")
    }

    pub(crate) fn job_instance_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "JobInstanceNotFound", "The requested job instance was not found")
    }

    pub(crate) fn workspace_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "WorkspaceNotFound", "The requested workspace was not found")
    }

    pub(crate) fn endpoint_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "EndpointNotFound", "The requested endpoint was not found")
    }
}
