//! What the emulator is told at start.

use crate::clock::Clock;
use std::path::PathBuf;
use std::time::Duration;
use uuid::Uuid;

/// The id of the workspace the emulator has when none is configured.
pub const DEFAULT_WORKSPACE_ID: Uuid = Uuid::from_u128(0x00000000_0000_4000_8000_000000000001);

/// Whether long-running operations (create, getDefinition, updateDefinition) finish in the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LroMode {
    /// 201/200 with the result, as the live service answers for Copy jobs.
    #[default]
    Sync,
    /// 202 with `Location`, `x-ms-operation-id` and `Retry-After`; poll `/v1/operations/{id}`.
    Async,
}

impl std::str::FromStr for LroMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sync" => Ok(LroMode::Sync),
            "async" => Ok(LroMode::Async),
            other => Err(format!("unknown LRO mode `{other}`: expected sync or async")),
        }
    }
}

/// A workspace the emulator starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceConfig {
    /// The workspace id.
    pub id: Uuid,
    /// The display name.
    pub display_name: String,
}

impl std::str::FromStr for WorkspaceConfig {
    type Err = String;
    /// `ID` or `ID=NAME`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (id, name) = match s.split_once('=') {
            Some((id, name)) => (id, Some(name)),
            None => (s, None),
        };
        let id =
            Uuid::parse_str(id.trim()).map_err(|e| format!("`{id}` is not a workspace id (UUID): {e}"))?;
        let display_name = name.map_or_else(|| format!("Workspace {id}"), str::to_owned);
        Ok(WorkspaceConfig { id, display_name })
    }
}

/// The emulator's configuration. [`Config::default`] is what the binary runs with when no flag
/// is given.
#[derive(Debug, Clone)]
pub struct Config {
    /// Accepted bearer tokens. Empty: any non-empty bearer token is accepted.
    pub tokens: Vec<String>,
    /// The workspaces. Empty: one workspace, [`DEFAULT_WORKSPACE_ID`].
    pub workspaces: Vec<WorkspaceConfig>,
    /// Create a workspace on first use of an unknown workspace id instead of answering 404.
    pub any_workspace: bool,
    /// Sync or async long-running operations.
    pub lro: LroMode,
    /// How long an async operation stays `NotStarted`.
    pub lro_queued: Duration,
    /// How long an async operation stays `Running`.
    pub lro_running: Duration,
    /// How long a job instance stays `NotStarted`.
    pub job_queued: Duration,
    /// How long a job instance stays `InProgress`.
    pub job_running: Duration,
    /// Runs end `Failed` (with a `failureReason`) instead of `Completed`.
    pub fail_runs: bool,
    /// `Retry-After` (seconds) on LRO 202s, running operation states, job run/cancel 202s and
    /// non-terminal job instances.
    pub retry_after: u64,
    /// Page size of every list.
    pub page_size: usize,
    /// Every Nth authenticated API request is answered 429 `RequestBlocked` (0: never).
    pub throttle_every: u64,
    /// `Retry-After` (seconds) of the injected 429s.
    pub throttle_retry_after: u64,
    /// A static folder served at `/` (the editor), so the page and the API share one origin.
    pub www: Option<PathBuf>,
    /// The base URL written in `Location` headers and `continuationUri`s (default: from `Host`).
    pub public_url: Option<String>,
    /// Log one line per request on stderr.
    pub log_requests: bool,
    /// Applications the token endpoint signs in (`/{tenant}/oauth2/v2.0/token`); their tokens
    /// are accepted by the API besides `tokens`.
    pub clients: Vec<crate::auth::ClientConfig>,
    /// How long an issued token lives; after that the API answers 401 `TokenExpired`.
    pub token_lifetime: Duration,
    /// The `expires_in` the token endpoint claims (default: the real lifetime).
    pub token_expires_in: Option<u64>,
    /// Where every time is read: [`Clock::system`] (the default), or a [`Clock::manual`] one
    /// that a test moves.
    pub clock: Clock,
    /// Called on the validation thread before each request body is checked (none by default).
    /// For tests: it can hold validations in flight to observe what the emulator does meanwhile.
    pub before_validation: Option<ValidationHook>,
}

/// A function the emulator calls before it validates a request body ([`Config::before_validation`]).
#[derive(Clone)]
pub struct ValidationHook(pub std::sync::Arc<dyn Fn() + Send + Sync>);

impl std::fmt::Debug for ValidationHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ValidationHook")
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tokens: Vec::new(),
            workspaces: Vec::new(),
            any_workspace: false,
            lro: LroMode::Sync,
            lro_queued: Duration::from_millis(500),
            lro_running: Duration::from_millis(1500),
            job_queued: Duration::from_secs(1),
            job_running: Duration::from_secs(5),
            fail_runs: false,
            retry_after: 2,
            page_size: 100,
            throttle_every: 0,
            throttle_retry_after: 5,
            www: None,
            public_url: None,
            log_requests: false,
            clients: Vec::new(),
            token_lifetime: Duration::from_secs(3600),
            token_expires_in: None,
            clock: Clock::system(),
            before_validation: None,
        }
    }
}

impl Config {
    /// The workspaces to start with: the configured ones, or the default one.
    pub fn initial_workspaces(&self) -> Vec<WorkspaceConfig> {
        if self.workspaces.is_empty() {
            vec![WorkspaceConfig { id: DEFAULT_WORKSPACE_ID, display_name: "Emulator workspace".to_owned() }]
        } else {
            self.workspaces.clone()
        }
    }

    /// Checks values that cannot work.
    pub fn validate(&self) -> Result<(), crate::Error> {
        if self.page_size == 0 {
            return Err(crate::Error::Config("the page size must be at least 1".to_owned()));
        }
        if self.tokens.iter().any(|t| t.trim().is_empty()) {
            return Err(crate::Error::Config("a token cannot be empty".to_owned()));
        }
        if let Some(www) = &self.www {
            if !www.is_dir() {
                return Err(crate::Error::WwwNotADirectory(www.clone()));
            }
        }
        Ok(())
    }
}
