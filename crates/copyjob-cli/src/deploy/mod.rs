//! Deployment commands: `pull`, `push`, `run`, `cancel`, `status`, `runs` against the Fabric
//! REST API (or the emulator), signed in as a user, a service principal or a workload identity.

mod api;
mod auth;
mod client;
mod jobs;
mod params;
mod progress;
mod pull;
mod push;

use anyhow::Context as _;
use std::process::ExitCode;
use std::time::Duration;

pub use jobs::{CancelArgs, RunArgs, RunsArgs, StatusArgs};
pub use pull::PullArgs;
pub use push::PushArgs;

/// Where the API is and how to sign in: shared by every deployment command.
#[derive(Debug, Clone, clap::Args)]
pub struct Connection {
    /// The workspace: its id, or its display name.
    #[arg(long, short = 'w', env = "FABRIC_WORKSPACE", value_name = "WORKSPACE")]
    pub workspace: String,
    /// The API's base URL.
    #[arg(
        long,
        env = "FABRIC_API_URL",
        default_value = "https://api.fabric.microsoft.com",
        value_name = "URL"
    )]
    pub api: String,
    /// A bearer token for the API. Without it: a service principal from AZURE_TENANT_ID,
    /// AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE, else the Azure
    /// CLI's login. AZURE_AUTHORITY_HOST overrides https://login.microsoftonline.com.
    #[arg(long, env = "FABRIC_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The longest total wait on throttling (429) for one request, or on the token endpoint's
    /// 429s and 5xx answers for one sign-in, e.g. `5m`.
    #[arg(long, default_value = "5m", value_parser = parse_duration, value_name = "DURATION")]
    pub max_throttle_wait: Duration,
    /// Print every request (method, URL, status, RequestId) on stderr.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// Output of the deployment commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Tables and lines for people.
    Text,
    /// One JSON document on stdout.
    Json,
}

/// `30s`, `10m`, `1h30m`, or seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    if let Ok(seconds) = text.trim().parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("`{text}` is not a duration (e.g. 30s, 10m, 1h): {e}"))
}

impl Connection {
    /// A client signed in as the environment says, and the workspace's id.
    fn connect(&self) -> anyhow::Result<(client::Client, String)> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("copyjob/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(120))
            .build()
            .context("cannot set up the HTTP client")?;
        let env = auth::Env::from_process(self.token.clone());
        let credential = auth::Credential::from_env(&env)?;
        let tokens = auth::TokenSource::new(
            credential,
            env.authority_host.as_deref(),
            http.clone(),
            self.max_throttle_wait,
        );
        let mut client = client::Client::new(
            http,
            &self.api,
            tokens,
            self.max_throttle_wait,
            progress::Progress::new(),
            self.verbose,
        );
        if let Some(secret) = env.client_secret {
            client.progress.redact(vec![secret]);
        }
        client.progress.step(&format!("signing in with {}", client.who()));
        let workspace = api::resolve_workspace(&mut client, &self.workspace)?;
        Ok((client, workspace))
    }
}

/// The deployment subcommands, for the CLI's `Command` enum.
#[derive(Debug, clap::Subcommand)]
pub enum DeployCommand {
    /// Download copy jobs' definitions into item folders (Name.CopyJob/), byte for byte.
    Pull(PullArgs),
    /// Deploy item folders to a workspace: lint, parameters, create / update / leave alone.
    Push(PushArgs),
    /// Run a copy job now; with --wait, follow it: exit 0 Completed, 1 Failed/Cancelled, 3 timeout.
    Run(RunArgs),
    /// Cancel a job instance.
    Cancel(CancelArgs),
    /// A copy job's latest job instance (or the one given).
    Status(StatusArgs),
    /// A copy job's job instances, newest first.
    Runs(RunsArgs),
}

/// Runs a deployment command; prints its errors itself (secrets blanked out).
pub fn run(command: DeployCommand) -> ExitCode {
    let mut secrets: Vec<String> = Vec::new();
    for name in ["AZURE_CLIENT_SECRET", "FABRIC_TOKEN"] {
        if let Ok(v) = std::env::var(name) {
            if v.len() >= 4 {
                secrets.push(v);
            }
        }
    }
    let outcome = match command {
        DeployCommand::Pull(args) => {
            secrets.extend(args.connection.token.clone());
            pull::run(args)
        }
        DeployCommand::Push(args) => {
            secrets.extend(args.connection.token.clone());
            push::run(args)
        }
        DeployCommand::Run(args) => {
            secrets.extend(args.connection.token.clone());
            jobs::run(args)
        }
        DeployCommand::Cancel(args) => {
            secrets.extend(args.connection.token.clone());
            jobs::cancel(args)
        }
        DeployCommand::Status(args) => {
            secrets.extend(args.connection.token.clone());
            jobs::status(args)
        }
        DeployCommand::Runs(args) => {
            secrets.extend(args.connection.token.clone());
            jobs::runs(args)
        }
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            let mut text = format!("{err:#}");
            for s in secrets.iter().filter(|s| s.len() >= 4) {
                text = text.replace(s.as_str(), "<redacted>");
            }
            eprintln!("error: {text}");
            // An API, sign-in or I/O failure: 2, as for the other commands (1 is kept for
            // definitions with errors and runs that failed).
            ExitCode::from(2)
        }
    }
}

/// Writes results on stdout (a closed pipe is not an error).
fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}
