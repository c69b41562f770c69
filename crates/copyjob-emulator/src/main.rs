//! `copyjob-emulator`: an offline emulator of the Fabric Copy job REST API.

use clap::Parser;
use copyjob_emulator::{Config, Emulator, LroMode, WorkspaceConfig};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// An offline emulator of the Microsoft Fabric Copy job REST API (base path /v1).
#[derive(Debug, Parser)]
#[command(name = "copyjob-emulator", version)]
struct Args {
    /// Address to listen on. Loopback by default; anything else exposes the emulator.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Port to listen on; 0 picks a free one. The bound URL is printed on stdout.
    #[arg(long, default_value_t = 5055)]
    port: u16,
    /// Accepted bearer token (repeatable). Without any, every non-empty bearer token is accepted.
    #[arg(long = "token", value_name = "TOKEN")]
    tokens: Vec<String>,
    /// A workspace to start with, `ID` or `ID=NAME` (repeatable).
    /// Default: one workspace 00000000-0000-4000-8000-000000000001.
    #[arg(long = "workspace", value_name = "ID[=NAME]")]
    workspaces: Vec<WorkspaceConfig>,
    /// Create workspaces on first use instead of answering 404 WorkspaceNotFound.
    #[arg(long)]
    any_workspace: bool,
    /// Long-running operations (create, getDefinition, updateDefinition): `sync` answers 201/200,
    /// `async` answers 202 and an operation to poll.
    #[arg(long, default_value = "sync", value_name = "sync|async")]
    lro: LroMode,
    /// How long an async operation stays NotStarted, in milliseconds.
    #[arg(long, default_value_t = 500, value_name = "MS")]
    lro_queued_ms: u64,
    /// How long an async operation stays Running, in milliseconds.
    #[arg(long, default_value_t = 1500, value_name = "MS")]
    lro_running_ms: u64,
    /// How long a job instance stays NotStarted, in milliseconds.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    job_queued_ms: u64,
    /// How long a job instance stays InProgress, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    job_running_ms: u64,
    /// Runs end Failed with a failureReason instead of Completed.
    #[arg(long)]
    fail_runs: bool,
    /// Retry-After, in seconds, on 202s, running operations and active job instances.
    #[arg(long, default_value_t = 2, value_name = "SECONDS")]
    retry_after: u64,
    /// Items per page of every list (continuationToken / continuationUri beyond).
    #[arg(long, default_value_t = 100, value_name = "N")]
    page_size: usize,
    /// Answer every Nth API request with 429 RequestBlocked (0: never).
    #[arg(long, default_value_t = 0, value_name = "N")]
    throttle_every: u64,
    /// Retry-After, in seconds, of the injected 429s.
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    throttle_retry_after: u64,
    /// Serve this folder at / (for example the editor), so the page and the API share one origin.
    #[arg(long, value_name = "DIR")]
    www: Option<PathBuf>,
    /// Base URL written in Location headers and continuationUri (default: http://<Host header>).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Log one line per request on stderr.
    #[arg(long, short)]
    verbose: bool,
}

impl Args {
    fn config(self) -> (Config, SocketAddr) {
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
        };
        (config, SocketAddr::new(self.host, self.port))
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let (config, addr) = Args::parse().config();
    let server = match Emulator::new(config).bind(addr).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("copyjob-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}", server.url());
    let _ = stdout.flush();
    match server.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("copyjob-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
