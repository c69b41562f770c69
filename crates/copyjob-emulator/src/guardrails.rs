//! Defences against hostile or merely heavy requests: definitions are validated on a bounded
//! pool of blocking threads (never on the async workers, so a slow definition cannot stall other
//! requests), and a request body over the limit is answered 413 `InvalidPayloadSize` after the
//! body has been read and discarded (so the client receives the error instead of a reset
//! connection).

use crate::config::ValidationHook;
use crate::error::ApiError;
use crate::http::App;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use copyjob::{DocumentKind, Report, Source};
use http_body_util::BodyExt;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The largest request body accepted (definitions are inline base64).
pub(crate) const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// How much of an oversized body is read (and discarded) before answering 413; beyond it the
/// connection is closed.
const DRAIN_LIMIT: u64 = 2 * 1024 * 1024 * 1024;

/// How long an oversized body may take to arrive before the 413 is sent anyway.
const DRAIN_TIME: Duration = Duration::from_secs(60);

/// How many definitions are validated at once (the other requests keep the async workers).
pub(crate) fn validation_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8)
}

/// How long a request waits for a validation thread before 503 `ServiceUnavailable`.
const QUEUE_TIME: Duration = Duration::from_secs(60);

static POOL: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(validation_threads()));

/// Checks a request body with the core, under the service's configuration, on a blocking thread
/// of the bounded pool.
pub(crate) async fn check(app: &App, kind: DocumentKind, bytes: &[u8]) -> Result<Report, ApiError> {
    let busy = || {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "Too many definitions are being validated; retry later",
        );
        e.retry_after = Some(5);
        e
    };
    let permit =
        tokio::time::timeout(QUEUE_TIME, POOL.acquire()).await.map_err(|_| busy())?.map_err(|_| busy())?;
    let (checker, rules) = (app.checker.clone(), app.rules.clone());
    let source = Source::Document { name: None, kind: Some(kind), bytes: bytes.to_vec() };
    let hook = app.config.before_validation.clone();
    let report = tokio::task::spawn_blocking(move || {
        if let Some(ValidationHook(hook)) = hook {
            hook();
        }
        checker.check_owned(source, &rules)
    })
    .await;
    drop(permit);
    report.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            format!("validation failed: {e}"),
        )
    })
}

/// A body whose `Content-Length` is over [`BODY_LIMIT`]: read and discarded, then 413.
/// (Bodies without a length are limited by axum's `DefaultBodyLimit`; see `routes::body_bytes`.)
pub(crate) async fn limit_body(req: Request, next: Next) -> Response {
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let Some(length) = length.filter(|&n| n > BODY_LIMIT as u64) else { return next.run(req).await };
    let error = too_large(length);
    if length <= DRAIN_LIMIT {
        let _ = tokio::time::timeout(DRAIN_TIME, drain(req.into_body())).await;
    }
    let mut response = error.into_response();
    if length > DRAIN_LIMIT {
        response.headers_mut().insert(header::CONNECTION, header::HeaderValue::from_static("close"));
    }
    response
}

async fn drain(mut body: Body) {
    while let Some(frame) = body.frame().await {
        if frame.is_err() {
            break;
        }
    }
}

fn too_large(length: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "InvalidPayloadSize",
        format!("The request body is {length} bytes; the limit is {BODY_LIMIT} bytes"),
    )
}
