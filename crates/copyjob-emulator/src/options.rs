//! The command-line options of the emulator, as a [`clap::Args`] struct that other commands
//! (for example `copyjob serve`) flatten into their own.

use crate::{Config, LroMode, WorkspaceConfig};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// The emulator's command-line options, shared by the `copyjob-emulator` binary and
/// `copyjob serve` (`#[command(flatten)]`).
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// Address to listen on. Loopback by default; anything else exposes the emulator.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Port to listen on; 0 picks a free one. The bound URL is printed on stdout.
    #[arg(long, default_value_t = 5055)]
    pub port: u16,
    /// Accepted bearer token (repeatable). Without any, every non-empty bearer token is accepted.
    #[arg(long = "token", value_name = "TOKEN")]
    pub tokens: Vec<String>,
    /// A workspace to start with, `ID` or `ID=NAME` (repeatable).
    /// Default: one workspace 00000000-0000-4000-8000-000000000001.
    #[arg(long = "workspace", value_name = "ID[=NAME]")]
    pub workspaces: Vec<WorkspaceConfig>,
    /// Create workspaces on first use instead of answering 404 WorkspaceNotFound.
    #[arg(long)]
    pub any_workspace: bool,
    /// Long-running operations (create, getDefinition, updateDefinition): `sync` answers 201/200,
    /// `async` answers 202 and an operation to poll.
    #[arg(long, default_value = "sync", value_name = "sync|async")]
    pub lro: LroMode,
    /// How long an async operation stays NotStarted, in milliseconds.
    #[arg(long, default_value_t = 500, value_name = "MS")]
    pub lro_queued_ms: u64,
    /// How long an async operation stays Running, in milliseconds.
    #[arg(long, default_value_t = 1500, value_name = "MS")]
    pub lro_running_ms: u64,
    /// How long a job instance stays NotStarted, in milliseconds.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub job_queued_ms: u64,
    /// How long a job instance stays InProgress, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub job_running_ms: u64,
    /// Runs end Failed with a failureReason instead of Completed.
    #[arg(long)]
    pub fail_runs: bool,
    /// Retry-After, in seconds, on 202s, running operations and active job instances.
    #[arg(long, default_value_t = 2, value_name = "SECONDS")]
    pub retry_after: u64,
    /// Items per page of every list (continuationToken / continuationUri beyond).
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub page_size: usize,
    /// Answer every Nth API request with 429 RequestBlocked (0: never).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub throttle_every: u64,
    /// Retry-After, in seconds, of the injected 429s.
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    pub throttle_retry_after: u64,
    /// Serve this folder at / (for example the editor), so the page and the API share one origin.
    #[arg(long, value_name = "DIR")]
    pub www: Option<PathBuf>,
    /// Base URL written in Location headers and continuationUri (default: http://<Host header>).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Log one line per request on stderr.
    #[arg(long, short)]
    pub verbose: bool,
    /// Sign-in for the token endpoint (`/{tenant}/oauth2/v2.0/token`): a service principal with a secret.
    #[command(flatten)]
    pub auth: crate::auth::AuthOptions,
}

impl Options {
    /// The emulator configuration and the address to listen on.
    pub fn into_config(self) -> (Config, SocketAddr) {
        let config = Config {
            tokens: self.tokens,
            workspaces: self.workspaces,
            any_workspace: self.any_workspace,
            lro: self.lro,
            lro_queued: Duration::from_millis(self.lro_queued_ms),
            lro_running: Duration::from_millis(self.lro_running_ms),
            job_queued: Duration::from_millis(self.job_queued_ms),
            job_running: Duration::from_millis(self.job_running_ms),
            fail_runs: self.fail_runs,
            retry_after: self.retry_after,
            page_size: self.page_size,
            throttle_every: self.throttle_every,
            throttle_retry_after: self.throttle_retry_after,
            www: self.www,
            public_url: self.public_url,
            log_requests: self.verbose,
            clients: self.auth.clients(),
            token_lifetime: Duration::from_secs(self.auth.token_lifetime),
            token_expires_in: self.auth.token_expires_in,
            clock: crate::Clock::system(),
            before_validation: None,
        };
        (config, SocketAddr::new(self.host, self.port))
    }
}
