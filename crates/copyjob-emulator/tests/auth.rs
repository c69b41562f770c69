//! The token endpoint (`/{tenant}/oauth2/v2.0/token`): client secrets, federated assertions,
//! Entra ID's error bodies, and 401 `TokenExpired` for an expired token.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clap::Parser as _;
use common::{assert_error, start, Emu, WS};
use copyjob_emulator::{ClientConfig, ClientProof, Clock, Config, Options, FABRIC_SCOPE, MAX_TOKEN_LIFETIME};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

const SECRET: &str = "the-Secret~1";
const ASSERTION: &str = "eyJ.oidc.assertion";

fn config() -> Config {
    Config {
        clients: vec![
            ClientConfig { id: "app".into(), proof: ClientProof::Secret(SECRET.into()) },
            ClientConfig { id: "fed".into(), proof: ClientProof::Assertion(ASSERTION.into()) },
        ],
        ..common::config()
    }
}

async fn token_request(emu: &Emu, fields: &[(&str, &str)]) -> reqwest::Response {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    emu.http
        .post(emu.url("/contoso.onmicrosoft.com/oauth2/v2.0/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn grant<'a>(client: &'a str, proof: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields =
        vec![("grant_type", "client_credentials"), ("client_id", client), ("scope", FABRIC_SCOPE)];
    fields.extend_from_slice(proof);
    fields
}

async fn aad_error(r: reqwest::Response, status: StatusCode, error: &str, code: u64) {
    assert_eq!(r.status(), status);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"][0], code, "{body}");
    assert!(body["error_description"].as_str().unwrap().starts_with(&format!("AADSTS{code}: ")), "{body}");
    assert!(body["trace_id"].is_string() && body["correlation_id"].is_string());
}

async fn list_with(emu: &Emu, token: &str) -> reqwest::Response {
    emu.http.get(emu.url(&format!("/v1/workspaces/{WS}/copyJobs"))).bearer_auth(token).send().await.unwrap()
}

#[tokio::test]
async fn client_credentials_with_a_secret_or_an_assertion() {
    let emu = start(config()).await;
    let r = token_request(&emu, &grant("app", &[("client_secret", SECRET)])).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("eyJ") && token.split('.').count() == 3, "a JWT: {token}");
    assert_eq!(list_with(&emu, &token).await.status(), StatusCode::OK);

    let fed = grant(
        "fed",
        &[
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", ASSERTION),
        ],
    );
    let r = token_request(&emu, &fed).await;
    assert_eq!(r.status(), StatusCode::OK);
    let token: Value = r.json().await.unwrap();
    assert_eq!(list_with(&emu, token["access_token"].as_str().unwrap()).await.status(), StatusCode::OK);
    // The fixed test token still works; any other token does not once clients are registered.
    assert_eq!(list_with(&emu, common::TOKEN).await.status(), StatusCode::OK);
    assert_error(list_with(&emu, "made-up").await, StatusCode::UNAUTHORIZED, "InvalidToken").await;
}

#[tokio::test]
async fn sign_in_errors_are_entra_id_errors() {
    let emu = start(config()).await;
    aad_error(
        token_request(&emu, &grant("app", &[("client_secret", "wrong")])).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        7000215,
    )
    .await;
    aad_error(
        token_request(&emu, &grant("nobody", &[("client_secret", SECRET)])).await,
        StatusCode::BAD_REQUEST,
        "unauthorized_client",
        700016,
    )
    .await;
    let wrong_assertion = grant(
        "fed",
        &[
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", "eyJ.other"),
        ],
    );
    aad_error(token_request(&emu, &wrong_assertion).await, StatusCode::BAD_REQUEST, "invalid_client", 700211)
        .await;
    let wrong_scope = [
        ("grant_type", "client_credentials"),
        ("client_id", "app"),
        ("client_secret", SECRET),
        ("scope", "https://storage.azure.com/.default"),
    ];
    aad_error(token_request(&emu, &wrong_scope).await, StatusCode::BAD_REQUEST, "invalid_scope", 1002012)
        .await;
    let password = [("grant_type", "password"), ("client_id", "app")];
    aad_error(token_request(&emu, &password).await, StatusCode::BAD_REQUEST, "unsupported_grant_type", 70003)
        .await;
    aad_error(
        token_request(&emu, &grant("app", &[])).await,
        StatusCode::BAD_REQUEST,
        "invalid_client",
        7000218,
    )
    .await;
}

#[tokio::test]
async fn an_expired_token_is_401_token_expired() {
    let clock = Clock::manual();
    let lifetime = Duration::from_secs(300);
    let emu = start(Config {
        token_lifetime: lifetime,
        token_expires_in: Some(3600),
        clock: clock.clock(),
        ..config()
    })
    .await;
    let r = token_request(&emu, &grant("app", &[("client_secret", SECRET)])).await;
    let body: Value = r.json().await.unwrap();
    // The claimed lifetime (a clock skew), not the real one.
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(list_with(&emu, &token).await.status(), StatusCode::OK);
    // Live until the very end of its lifetime, on a clock that moves only when told.
    clock.advance(lifetime - Duration::from_millis(1));
    assert_eq!(list_with(&emu, &token).await.status(), StatusCode::OK);
    clock.advance(Duration::from_millis(1));
    let expired = list_with(&emu, &token).await;
    assert_eq!(common::header(&expired, "www-authenticate"), Some("Bearer"));
    assert_error(expired, StatusCode::UNAUTHORIZED, "TokenExpired").await;
    // A new token works; the fixed token never expires.
    let r = token_request(&emu, &grant("app", &[("client_secret", SECRET)])).await;
    let fresh: Value = r.json().await.unwrap();
    assert_eq!(list_with(&emu, fresh["access_token"].as_str().unwrap()).await.status(), StatusCode::OK);
    assert_eq!(list_with(&emu, common::TOKEN).await.status(), StatusCode::OK);
}

/// A lifetime too long for the clock (`Duration::MAX` from a library caller) is held to
/// `MAX_TOKEN_LIFETIME`: the token is issued and works, no panic in the handler.
#[tokio::test]
async fn an_endless_lifetime_is_bounded() {
    let clock = Clock::manual();
    let emu = start(Config { token_lifetime: Duration::MAX, clock: clock.clock(), ..config() }).await;
    let r = token_request(&emu, &grant("app", &[("client_secret", SECRET)])).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["expires_in"], MAX_TOKEN_LIFETIME.as_secs());
    let token = body["access_token"].as_str().unwrap().to_owned();
    clock.advance(MAX_TOKEN_LIFETIME - Duration::from_secs(1));
    assert_eq!(list_with(&emu, &token).await.status(), StatusCode::OK);
    clock.advance(Duration::from_secs(1));
    assert_error(list_with(&emu, &token).await, StatusCode::UNAUTHORIZED, "TokenExpired").await;
}

#[derive(Debug, clap::Parser)]
struct Args {
    #[command(flatten)]
    options: Options,
}

#[test]
fn the_flags_register_clients_and_lifetimes() {
    let args = Args::try_parse_from([
        "emu",
        "--client",
        "app=s3cret=with=equals",
        "--federated-client",
        "fed=eyJ.x",
        "--token-lifetime",
        "60",
        "--token-expires-in",
        "3600",
    ])
    .unwrap();
    let (config, _) = args.options.into_config();
    assert_eq!(
        config.clients,
        [
            ClientConfig { id: "app".into(), proof: ClientProof::Secret("s3cret=with=equals".into()) },
            ClientConfig { id: "fed".into(), proof: ClientProof::Assertion("eyJ.x".into()) },
        ]
    );
    assert_eq!(config.token_lifetime, Duration::from_secs(60));
    assert_eq!(config.token_expires_in, Some(3600));
    // Secrets are not in debug output.
    assert!(!format!("{config:?}").contains("s3cret"));
    assert!(Args::try_parse_from(["emu", "--client", "no-secret"]).is_err());
    // A lifetime of zero, or past ten years, is refused with the range in the message.
    for bad in ["0", "18446744073709551615", &(MAX_TOKEN_LIFETIME.as_secs() + 1).to_string()] {
        let err = Args::try_parse_from(["emu", "--token-lifetime", bad]).unwrap_err();
        assert!(err.to_string().contains("--token-lifetime"), "{err}");
    }
    let max = MAX_TOKEN_LIFETIME.as_secs().to_string();
    assert!(Args::try_parse_from(["emu", "--token-lifetime", max.as_str()]).is_ok());
}
