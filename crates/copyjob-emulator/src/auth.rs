//! Microsoft Entra ID's token endpoint, as far as clients of the Fabric API use it:
//! `POST /{tenant}/oauth2/v2.0/token` with the client-credentials grant, authenticated by a
//! client secret or by a federated assertion (workload identity federation: what GitHub Actions
//! OIDC and Azure DevOps service connections provide). Point a client at it with
//! `AZURE_AUTHORITY_HOST=http://127.0.0.1:PORT`.
//!
//! Clients are registered with `--client ID=SECRET` and `--federated-client ID=ASSERTION`.
//! Tokens live `--token-lifetime` seconds; an expired one is answered 401 `TokenExpired` by
//! the API, as the service does. `--token-expires-in` makes the token response claim another
//! lifetime than the real one (a clock skew), so a client meets `TokenExpired` before it
//! thinks the token is due for renewal.

use crate::http::App;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::Engine as _;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The longest token lifetime: longer is "never expires" in practice, and would overflow the
/// clock's arithmetic.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// The only scope the emulated tenant grants: the Fabric API's.
pub const FABRIC_SCOPE: &str = "https://api.fabric.microsoft.com/.default";

/// `client_assertion_type` of a federated (JWT bearer) assertion.
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How a registered client proves who it is.
#[derive(Clone, PartialEq, Eq)]
pub enum ClientProof {
    /// A client secret.
    Secret(String),
    /// A federated assertion (the exact text of the identity provider's token).
    Assertion(String),
}

impl std::fmt::Debug for ClientProof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret, even in debug output.
        match self {
            ClientProof::Secret(_) => f.write_str("Secret(<redacted>)"),
            ClientProof::Assertion(_) => f.write_str("Assertion(<redacted>)"),
        }
    }
}

/// A registered application (service principal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The application (client) id.
    pub id: String,
    /// Its credential.
    pub proof: ClientProof,
}

impl ClientConfig {
    /// Parses `ID=VALUE` into a client with a secret (`federated: false`) or an assertion.
    pub fn parse(s: &str, federated: bool) -> Result<Self, String> {
        let Some((id, value)) = s.split_once('=') else {
            return Err("expected CLIENT_ID=VALUE".to_owned());
        };
        let (id, value) = (id.trim(), value.to_owned());
        if id.is_empty() || value.is_empty() {
            return Err("expected CLIENT_ID=VALUE, both non-empty".to_owned());
        }
        let proof = if federated { ClientProof::Assertion(value) } else { ClientProof::Secret(value) };
        Ok(ClientConfig { id: id.to_owned(), proof })
    }

    /// `--client ID=SECRET`.
    pub fn secret(s: &str) -> Result<Self, String> {
        Self::parse(s, false)
    }

    /// `--federated-client ID=ASSERTION`.
    pub fn federated(s: &str) -> Result<Self, String> {
        Self::parse(s, true)
    }
}

/// The tokens the endpoint issued, with when each expires.
#[derive(Debug, Default)]
pub(crate) struct Issued(Mutex<HashMap<String, Instant>>);

impl Issued {
    fn insert(&self, token: String, now: Instant, expires: Instant) {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, e| *e + Duration::from_secs(3600) > now);
        map.insert(token, expires);
    }

    /// At `now`: `Some(true)`: an issued, live token; `Some(false)`: issued but expired; `None`:
    /// not ours.
    pub(crate) fn check(&self, token: &str, now: Instant) -> Option<bool> {
        let map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(token).map(|expires| now < *expires)
    }
}

/// The token endpoint's routes.
pub(crate) fn router() -> Router<Arc<App>> {
    Router::new().route("/{tenant}/oauth2/v2.0/token", post(token))
}

/// An Entra ID error body: `{error, error_description, error_codes, timestamp, trace_id,
/// correlation_id}`.
fn aad_error(
    now: time::OffsetDateTime,
    status: StatusCode,
    error: &str,
    code: u32,
    description: &str,
) -> Response {
    let trace = Uuid::new_v4();
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description} Trace ID: {trace}"),
        "error_codes": [code],
        "timestamp": crate::timefmt::service_timestamp(now),
        "trace_id": trace.to_string(),
        "correlation_id": Uuid::new_v4().to_string(),
    });
    json_response(status, &body)
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, serde_json::to_vec(body).unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store, no-cache"));
    response
}

async fn token(State(app): State<Arc<App>>, Path(tenant): Path<String>, body: Bytes) -> Response {
    let now = app.config.clock.now_utc();
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| form.get(name).map(String::as_str).filter(|v| !v.is_empty());
    if field("grant_type") != Some("client_credentials") {
        return aad_error(
            now,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type: the emulator supports client_credentials.",
        );
    }
    let Some(client_id) = field("client_id") else {
        return aad_error(
            now,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    };
    match field("scope") {
        Some(FABRIC_SCOPE) => {}
        Some(other) => {
            return aad_error(
                now,
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                1002012,
                &format!(
                    "The provided value for scope {other} is not valid: the emulator grants {FABRIC_SCOPE}."
                ),
            )
        }
        None => {
            return aad_error(
                now,
                StatusCode::BAD_REQUEST,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'scope'.",
            )
        }
    }
    let registered: Vec<&ClientConfig> = app.config.clients.iter().filter(|c| c.id == client_id).collect();
    if registered.is_empty() {
        return aad_error(
            now,
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory '{tenant}'."),
        );
    }
    match (field("client_secret"), field("client_assertion"), field("client_assertion_type")) {
        (Some(secret), None, _) => {
            let ok = registered.iter().any(|c| c.proof == ClientProof::Secret(secret.to_owned()));
            if !ok {
                return aad_error(
                    now,
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.",
                );
            }
        }
        (None, Some(assertion), Some(JWT_BEARER)) => {
            let ok = registered.iter().any(|c| c.proof == ClientProof::Assertion(assertion.to_owned()));
            if !ok {
                return aad_error(
                    now,
                    StatusCode::BAD_REQUEST,
                    "invalid_client",
                    700211,
                    "No matching federated identity record found for presented assertion.",
                );
            }
        }
        (None, Some(_), _) => {
            return aad_error(
                now,
                StatusCode::BAD_REQUEST,
                "invalid_request",
                900144,
                &format!("The request body must contain client_assertion_type={JWT_BEARER}."),
            )
        }
        _ => return aad_error(
            now,
            StatusCode::BAD_REQUEST,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        ),
    }
    // A longer lifetime (a library caller's `Duration::MAX`) would overflow the clock.
    let lifetime = app.config.token_lifetime.min(MAX_TOKEN_LIFETIME);
    let access_token = jwt(client_id, &tenant, now, lifetime);
    let instant = app.config.clock.now();
    app.issued.insert(access_token.clone(), instant, instant + lifetime);
    let expires_in = app.config.token_expires_in.unwrap_or(lifetime.as_secs());
    json_response(
        StatusCode::OK,
        &json!({
            "token_type": "Bearer",
            "expires_in": expires_in,
            "ext_expires_in": expires_in,
            "access_token": access_token,
        }),
    )
}

/// A JWT-shaped token (unsigned: the emulator only compares it with what it issued).
fn jwt(client_id: &str, tenant: &str, now: time::OffsetDateTime, lifetime: Duration) -> String {
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let now = now.unix_timestamp();
    let header = json!({"typ": "JWT", "alg": "none"});
    let claims = json!({
        "aud": "https://api.fabric.microsoft.com",
        "iss": format!("https://sts.windows.net/{tenant}/"),
        "iat": now,
        "nbf": now,
        "exp": now + i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX / 2),
        "appid": client_id,
        "tid": tenant,
        "jti": Uuid::new_v4().to_string(),
    });
    format!("{}.{}.{}", b64(&header), b64(&claims), Uuid::new_v4().simple())
}

/// The token endpoint's command-line flags (flattened into [`crate::Options`]).
#[derive(Debug, Clone, clap::Args)]
pub struct AuthOptions {
    /// Register an application that signs in with a client secret, `CLIENT_ID=SECRET`
    /// (repeatable). With any client registered, only issued tokens and --token ones are accepted.
    #[arg(long = "client", value_name = "ID=SECRET", value_parser = ClientConfig::secret)]
    pub clients: Vec<ClientConfig>,
    /// Register an application that signs in with a federated assertion (workload identity
    /// federation), `CLIENT_ID=ASSERTION` (repeatable).
    #[arg(long = "federated-client", value_name = "ID=ASSERTION", value_parser = ClientConfig::federated)]
    pub federated_clients: Vec<ClientConfig>,
    /// How long an issued token lives, in seconds (at most ten years); then the API answers 401
    /// TokenExpired.
    #[arg(long, default_value_t = 3600, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=MAX_TOKEN_LIFETIME.as_secs()))]
    pub token_lifetime: u64,
    /// The `expires_in` the token endpoint claims (default: --token-lifetime). A larger value
    /// emulates a clock skew: clients meet TokenExpired before they renew.
    #[arg(long, value_name = "SECONDS")]
    pub token_expires_in: Option<u64>,
}

impl AuthOptions {
    /// Every registered client.
    pub fn clients(&self) -> Vec<ClientConfig> {
        self.clients.iter().chain(&self.federated_clients).cloned().collect()
    }
}
