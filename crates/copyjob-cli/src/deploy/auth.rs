//! Access tokens for the Fabric API: a given bearer token, a service principal with a secret,
//! workload identity federation, or the Azure CLI's login — tried in that order.
//!
//! The Microsoft identity platform's token endpoint is called directly (client-credentials
//! grant, v2.0 endpoint) rather than through the `azure_identity` crate: that crate refuses an
//! authority host that is not HTTPS (so tests could not point it at the emulator), is async
//! only, and brings `azure_core` and a second TLS stack; see the README.
//!
//! Secrets and tokens live in [`Secret`], whose `Debug` and `Display` print `<redacted>`; the
//! values are only read to build a request.

use super::client::{retry_after, DEFAULT_THROTTLE_WAIT};
use anyhow::{bail, Context as _};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The Fabric API's scope.
pub const SCOPE: &str = "https://api.fabric.microsoft.com/.default";
/// The public cloud's authority host (override: `AZURE_AUTHORITY_HOST`).
pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
/// Renew a token this long before it expires (at most half its lifetime).
const RENEW_MARGIN: Duration = Duration::from_secs(300);
/// First wait after a 5xx from the token endpoint without `Retry-After` (doubled each time).
const FIRST_RETRY_WAIT: Duration = Duration::from_secs(1);

/// A value that must never be shown: a secret, an assertion or a token.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The value, to put in a request.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How tokens are obtained.
#[derive(Debug, Clone)]
pub enum Credential {
    /// `--token` / `FABRIC_TOKEN`: used as is, never renewed.
    Static(Secret),
    /// `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`.
    ClientSecret { tenant: String, client_id: String, secret: Secret },
    /// `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_FEDERATED_TOKEN_FILE` (read at every sign-in:
    /// the file is rotated by the platform).
    Federated { tenant: String, client_id: String, token_file: PathBuf },
    /// `az account get-access-token`.
    AzureCli,
}

/// What the environment says, read once (tests pass their own).
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub token: Option<String>,
    pub tenant: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub federated_token_file: Option<String>,
    pub authority_host: Option<String>,
}

impl Env {
    /// The Azure SDK's environment variables, and `--token` / `FABRIC_TOKEN`.
    pub fn from_process(token: Option<String>) -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Env {
            token: token.filter(|t| !t.trim().is_empty()),
            tenant: var("AZURE_TENANT_ID"),
            client_id: var("AZURE_CLIENT_ID"),
            client_secret: var("AZURE_CLIENT_SECRET"),
            federated_token_file: var("AZURE_FEDERATED_TOKEN_FILE"),
            authority_host: var("AZURE_AUTHORITY_HOST"),
        }
    }
}

impl Credential {
    /// The first credential the environment provides.
    pub fn from_env(env: &Env) -> anyhow::Result<Credential> {
        if let Some(token) = &env.token {
            let token = token.trim();
            let token = token.strip_prefix("Bearer ").unwrap_or(token);
            return Ok(Credential::Static(Secret::new(token)));
        }
        match (&env.tenant, &env.client_id) {
            (Some(tenant), Some(client_id)) => {
                check_tenant(tenant)?;
                if let Some(secret) = &env.client_secret {
                    return Ok(Credential::ClientSecret {
                        tenant: tenant.clone(),
                        client_id: client_id.clone(),
                        secret: Secret::new(secret.clone()),
                    });
                }
                if let Some(file) = &env.federated_token_file {
                    return Ok(Credential::Federated {
                        tenant: tenant.clone(),
                        client_id: client_id.clone(),
                        token_file: PathBuf::from(file),
                    });
                }
                bail!(
                    "AZURE_TENANT_ID and AZURE_CLIENT_ID are set but neither AZURE_CLIENT_SECRET nor \
                     AZURE_FEDERATED_TOKEN_FILE: set one of them to sign in as the service principal"
                )
            }
            (Some(_), None) if env.client_secret.is_some() || env.federated_token_file.is_some() => {
                bail!("AZURE_CLIENT_ID is not set: a service principal needs its client id")
            }
            (None, Some(_)) if env.client_secret.is_some() || env.federated_token_file.is_some() => {
                bail!("AZURE_TENANT_ID is not set: a service principal needs its tenant")
            }
            _ => Ok(Credential::AzureCli),
        }
    }

    /// Who signs in, for messages.
    pub fn describe(&self) -> String {
        match self {
            Credential::Static(_) => "the given bearer token".to_owned(),
            Credential::ClientSecret { client_id, .. } => {
                format!("service principal {client_id} (client secret)")
            }
            Credential::Federated { client_id, .. } => {
                format!("service principal {client_id} (workload identity federation)")
            }
            Credential::AzureCli => "the Azure CLI's login".to_owned(),
        }
    }
}

/// A tenant id or domain: letters, digits, `-` and `.` (it goes into the token URL's path).
fn check_tenant(tenant: &str) -> anyhow::Result<()> {
    if tenant.is_empty() || !tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        bail!("AZURE_TENANT_ID `{tenant}` is not a tenant id or domain");
    }
    Ok(())
}

/// A token and when to renew it.
#[derive(Debug, Clone)]
struct Cached {
    token: Secret,
    renew_at: Instant,
}

/// Hands out tokens, renewing them before they expire.
#[derive(Debug)]
pub struct TokenSource {
    credential: Credential,
    authority: String,
    http: reqwest::blocking::Client,
    cached: Option<Cached>,
    /// The longest total wait on 429s and 5xx answers of the token endpoint, for one sign-in.
    max_wait: Duration,
    /// What happened that the user should hear of (retries); taken by [`TokenSource::take_notes`].
    notes: Vec<String>,
}

/// When to renew a token that lives `lifetime` from `now`: 5 minutes before it expires, or half
/// way for short-lived tokens.
pub fn renew_at(now: Instant, lifetime: Duration) -> Instant {
    now + lifetime - RENEW_MARGIN.min(lifetime / 2)
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct AadError {
    error: Option<String>,
    error_description: Option<String>,
}

impl TokenSource {
    pub fn new(
        credential: Credential,
        authority_host: Option<&str>,
        http: reqwest::blocking::Client,
        max_wait: Duration,
    ) -> Self {
        let authority = authority_host.unwrap_or(DEFAULT_AUTHORITY).trim_end_matches('/').to_owned();
        TokenSource { credential, authority, http, cached: None, max_wait, notes: Vec::new() }
    }

    /// The notes gathered since the last call (retries of the token endpoint).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// Whether a new token can be asked for (not for a given bearer token).
    pub fn renewable(&self) -> bool {
        !matches!(self.credential, Credential::Static(_))
    }

    /// Forgets the current token (the API said it expired).
    pub fn invalidate(&mut self) {
        self.cached = None;
    }

    /// The values output must never show: the secret, and the current token.
    pub fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.credential {
            Credential::Static(t) => out.push(t.expose().to_owned()),
            Credential::ClientSecret { secret, .. } => out.push(secret.expose().to_owned()),
            _ => {}
        }
        if let Some(c) = &self.cached {
            out.push(c.token.expose().to_owned());
        }
        out.retain(|s| s.len() >= 4);
        out
    }

    /// A valid token; `renewed` is true when it was just obtained (not for the first one).
    pub fn token(&mut self) -> anyhow::Result<(Secret, bool)> {
        let now = Instant::now();
        if let Some(c) = &self.cached {
            if now < c.renew_at {
                return Ok((c.token.clone(), false));
            }
        }
        let renewed = self.cached.is_some();
        let (token, lifetime) = self.acquire()?;
        self.cached = Some(Cached { token: token.clone(), renew_at: renew_at(Instant::now(), lifetime) });
        Ok((token, renewed))
    }

    fn acquire(&mut self) -> anyhow::Result<(Secret, Duration)> {
        match &self.credential {
            // A given token is not renewed: pretend it lives long.
            Credential::Static(token) => Ok((token.clone(), Duration::from_secs(365 * 24 * 3600))),
            Credential::ClientSecret { tenant, client_id, secret } => {
                let (tenant, client_id, secret) = (tenant.clone(), client_id.clone(), secret.clone());
                self.client_credentials(&tenant, &client_id, &[("client_secret", secret.expose())])
            }
            Credential::Federated { tenant, client_id, token_file } => {
                let (tenant, client_id) = (tenant.clone(), client_id.clone());
                let assertion = std::fs::read_to_string(token_file).with_context(|| {
                    format!(
                        "cannot read the federated token file {} (AZURE_FEDERATED_TOKEN_FILE)",
                        token_file.display()
                    )
                })?;
                let assertion = assertion.trim();
                if assertion.is_empty() {
                    bail!("the federated token file {} is empty", token_file.display());
                }
                self.client_credentials(
                    &tenant,
                    &client_id,
                    &[
                        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                        ("client_assertion", assertion),
                    ],
                )
            }
            Credential::AzureCli => azure_cli(),
        }
    }

    /// The client-credentials grant; 429 and 5xx answers are retried after their `Retry-After`
    /// (else 10 s for a 429, 1 s doubling for a 5xx) while the total wait stays within `max_wait`.
    fn client_credentials(
        &mut self,
        tenant: &str,
        client_id: &str,
        proof: &[(&str, &str)],
    ) -> anyhow::Result<(Secret, Duration)> {
        let url = format!("{}/{tenant}/oauth2/v2.0/token", self.authority);
        let mut form: Vec<(&str, &str)> =
            vec![("grant_type", "client_credentials"), ("client_id", client_id), ("scope", SCOPE)];
        form.extend_from_slice(proof);
        let mut waited = Duration::ZERO;
        let mut backoff = FIRST_RETRY_WAIT;
        let (status, bytes) = loop {
            let response =
                self.http.post(&url).form(&form).send().map_err(|e| {
                    anyhow::anyhow!("cannot reach the token endpoint {url}: {}", without_url(&e))
                })?;
            let status = response.status();
            let asked = retry_after(response.headers());
            let bytes = response
                .bytes()
                .map_err(|e| anyhow::anyhow!("cannot read the token response: {}", without_url(&e)))?;
            let retriable = status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            if !retriable {
                break (status, bytes);
            }
            let wait =
                asked.unwrap_or(if status.is_server_error() { backoff } else { DEFAULT_THROTTLE_WAIT });
            if waited + wait > self.max_wait {
                bail!(
                    "sign-in as {} failed: the token endpoint still answered {} after waiting {}s in \
                     total (--max-throttle-wait {}s){}",
                    self.credential.describe(),
                    status_text(status),
                    waited.as_secs(),
                    self.max_wait.as_secs(),
                    aad_error(&bytes).map(|d| format!(": {d}")).unwrap_or_default()
                );
            }
            self.notes.push(format!(
                "the token endpoint answered {}: signing in again in {}s",
                status_text(status),
                wait.as_secs()
            ));
            std::thread::sleep(wait);
            waited += wait;
            backoff = (backoff * 2).min(Duration::from_secs(60));
        };
        if !status.is_success() {
            let detail = aad_error(&bytes).unwrap_or_else(|| format!("HTTP {status}"));
            bail!("sign-in as {} failed: {detail}", self.credential.describe());
        }
        let parsed: TokenResponse =
            serde_json::from_slice(&bytes).context("the token endpoint's answer has no access_token")?;
        let seconds = match parsed.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_u64().unwrap_or(3600),
            Some(serde_json::Value::String(s)) => s.parse().unwrap_or(3600),
            _ => 3600,
        };
        Ok((Secret::new(parsed.access_token), Duration::from_secs(seconds)))
    }
}

/// An Entra ID error body's `error: first line of error_description`.
fn aad_error(bytes: &[u8]) -> Option<String> {
    let e = serde_json::from_slice::<AadError>(bytes).ok()?;
    let error = e.error?;
    Some(format!("{error}: {}", e.error_description.unwrap_or_default().lines().next().unwrap_or_default()))
}

/// `429 Too Many Requests`.
fn status_text(status: reqwest::StatusCode) -> String {
    format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or_default()).trim_end().to_owned()
}

/// A reqwest error's text without the URL (which the caller names).
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(&format!(" ({url})"), "").replace(url.as_str(), "<url>");
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CliToken {
    access_token: String,
    #[serde(rename = "expires_on")]
    expires_on: Option<i64>,
}

/// `az account get-access-token --scope …`.
fn azure_cli() -> anyhow::Result<(Secret, Duration)> {
    let output = std::process::Command::new("az")
        .args(["account", "get-access-token", "--scope", SCOPE, "--output", "json"])
        .output()
        .map_err(|e| {
            anyhow::anyhow!(
                "no credential: pass --token or set FABRIC_TOKEN, set AZURE_TENANT_ID and AZURE_CLIENT_ID \
                 with AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE, or sign in with `az login` \
                 (the Azure CLI could not be run: {e})"
            )
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!(
            "the Azure CLI gave no token (run `az login`, or use a service principal): {}",
            stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message")
        );
    }
    let token: CliToken =
        serde_json::from_slice(&output.stdout).context("the Azure CLI's answer has no accessToken")?;
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs();
    let lifetime = token
        .expires_on
        .and_then(|at| u64::try_from(at).ok())
        .map_or(Duration::from_secs(600), |at| Duration::from_secs(at.saturating_sub(now)));
    Ok((Secret::new(token.access_token), lifetime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_before_they_expire() {
        let now = Instant::now();
        assert_eq!(renew_at(now, Duration::from_secs(3600)), now + Duration::from_secs(3300));
        assert_eq!(renew_at(now, Duration::from_secs(60)), now + Duration::from_secs(30));
        assert_eq!(renew_at(now, Duration::ZERO), now);
    }

    #[test]
    fn the_environment_chooses_the_credential() {
        let spn = Env {
            tenant: Some("contoso.onmicrosoft.com".into()),
            client_id: Some("app".into()),
            client_secret: Some("s3cret-value".into()),
            ..Env::default()
        };
        let credential = Credential::from_env(&spn).expect("credential");
        assert!(matches!(credential, Credential::ClientSecret { .. }));
        assert!(!format!("{credential:?}").contains("s3cret"), "{credential:?}");
        let token = Env { token: Some("Bearer abc.def".into()), ..spn.clone() };
        assert!(matches!(Credential::from_env(&token), Ok(Credential::Static(t)) if t.expose() == "abc.def"));
        let federated =
            Env { client_secret: None, federated_token_file: Some("/tmp/assertion".into()), ..spn.clone() };
        assert!(matches!(Credential::from_env(&federated), Ok(Credential::Federated { .. })));
        let bad_tenant = Env { tenant: Some("a/b".into()), ..spn.clone() };
        assert!(Credential::from_env(&bad_tenant).is_err());
        assert!(matches!(Credential::from_env(&Env::default()), Ok(Credential::AzureCli)));
        let no_proof = Env { client_secret: None, ..spn };
        assert!(Credential::from_env(&no_proof).is_err());
    }
}
