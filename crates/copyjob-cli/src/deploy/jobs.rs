//! `copyjob run`, `cancel`, `status`, `runs`: job instances of a copy job.

use super::{api, Connection, OutputFormat};
use anyhow::Context as _;
use serde_json::Value;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Exit code of `run --wait` when the run did not end in time.
const EXIT_TIMEOUT: u8 = 3;
/// Polling interval when the service sends no Retry-After.
const DEFAULT_POLL: Duration = Duration::from_secs(10);

/// `copyjob run ITEM --workspace WS [--wait] [--timeout DURATION]`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The copy job: its display name or id.
    #[arg(value_name = "ITEM")]
    pub item: String,
    #[command(flatten)]
    pub connection: Connection,
    /// Follow the run until it ends: exit 0 Completed, 1 Failed or Cancelled, 3 on --timeout.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: give up after this long (the run goes on), e.g. `30m`.
    #[arg(long, value_parser = super::parse_duration, value_name = "DURATION", requires = "wait")]
    pub timeout: Option<Duration>,
    /// Output format of the final job instance.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// `copyjob cancel ITEM INSTANCE --workspace WS`.
#[derive(Debug, clap::Args)]
pub struct CancelArgs {
    /// The copy job: its display name or id.
    #[arg(value_name = "ITEM")]
    pub item: String,
    /// The job instance id (from `copyjob run` or `copyjob runs`).
    #[arg(value_name = "INSTANCE")]
    pub instance: String,
    #[command(flatten)]
    pub connection: Connection,
}

/// `copyjob status ITEM [INSTANCE] --workspace WS`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The copy job: its display name or id.
    #[arg(value_name = "ITEM")]
    pub item: String,
    /// A job instance id (default: the newest).
    #[arg(value_name = "INSTANCE")]
    pub instance: Option<String>,
    #[command(flatten)]
    pub connection: Connection,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// `copyjob runs ITEM --workspace WS`.
#[derive(Debug, clap::Args)]
pub struct RunsArgs {
    /// The copy job: its display name or id.
    #[arg(value_name = "ITEM")]
    pub item: String,
    #[command(flatten)]
    pub connection: Connection,
    /// Show at most this many, newest first.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("-")
}

/// One line for a job instance.
fn line(instance: &Value) -> String {
    let mut out = format!(
        "{}  {:<10}  started {}  ended {}",
        text(instance, "id"),
        text(instance, "status"),
        text(instance, "startTimeUtc"),
        text(instance, "endTimeUtc")
    );
    if let Some(reason) = instance.get("failureReason").filter(|r| !r.is_null()) {
        out.push_str(&format!(
            "\n  failureReason: {}: {}",
            text(reason, "errorCode"),
            text(reason, "message")
        ));
        if let Some(id) = reason.get("requestId").and_then(Value::as_str) {
            out.push_str(&format!(" (requestId {id})"));
        }
    }
    out
}

fn print(format: OutputFormat, value: &Value, text_form: &str) -> anyhow::Result<()> {
    let out = match format {
        OutputFormat::Json => serde_json::to_string_pretty(value)? + "\n",
        OutputFormat::Text => format!("{text_form}\n"),
    };
    super::write_stdout(&out)
}

fn is_terminal(status: &str) -> bool {
    matches!(status, "Completed" | "Failed" | "Cancelled" | "Deduped")
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let (mut client, ws) = args.connection.connect()?;
    let item = api::find_copy_job(&mut client, &ws, &args.item)?;
    client.progress.step(&format!("starting a run of \"{}\"", item.display_name));
    let (url, instance) = api::start_run(&mut client, &ws, &item.id)?;
    client.progress.note(&format!("started job instance {instance} of \"{}\"", item.display_name));
    if !args.wait {
        client.progress.finish();
        print(
            args.format,
            &serde_json::json!({ "id": instance, "itemId": item.id, "status": "NotStarted" }),
            &instance,
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let started = Instant::now();
    let mut last_status = String::new();
    loop {
        let (state, retry) = api::get_instance(&mut client, &url)?;
        let status = text(&state, "status").to_owned();
        if status != last_status {
            client.progress.note(&format!("job instance {instance}: {status}"));
            last_status.clone_from(&status);
        }
        if is_terminal(&status) {
            client.progress.finish();
            print(args.format, &state, &line(&state))?;
            return Ok(match status.as_str() {
                "Completed" | "Deduped" => ExitCode::SUCCESS,
                _ => ExitCode::from(1),
            });
        }
        let mut wait = retry.map_or(DEFAULT_POLL, Duration::from_secs).max(Duration::from_millis(100));
        if let Some(timeout) = args.timeout {
            let elapsed = started.elapsed();
            if elapsed >= timeout {
                client.progress.finish();
                eprintln!(
                    "copyjob: timed out after {} waiting for job instance {instance} (still {status}); \
                     it goes on running: `copyjob status` follows it, `copyjob cancel` stops it",
                    humantime::format_duration(timeout)
                );
                print(args.format, &state, &line(&state))?;
                return Ok(ExitCode::from(EXIT_TIMEOUT));
            }
            // A Retry-After longer than the time left: look once more when the time is up.
            wait = wait.min(timeout - elapsed);
        }
        client.progress.step(&format!("\"{}\" is {status}", item.display_name));
        std::thread::sleep(wait);
    }
}

pub fn cancel(args: CancelArgs) -> anyhow::Result<ExitCode> {
    let (mut client, ws) = args.connection.connect()?;
    let item = api::find_copy_job(&mut client, &ws, &args.item)?;
    client.progress.step(&format!("cancelling job instance {}", args.instance));
    api::cancel(&mut client, &ws, &item.id, args.instance.trim())?;
    client.progress.finish();
    super::write_stdout(&format!(
        "cancellation of job instance {} of \"{}\" requested\n",
        args.instance.trim(),
        item.display_name
    ))?;
    Ok(ExitCode::SUCCESS)
}

pub fn status(args: StatusArgs) -> anyhow::Result<ExitCode> {
    let (mut client, ws) = args.connection.connect()?;
    let item = api::find_copy_job(&mut client, &ws, &args.item)?;
    let instance = match &args.instance {
        Some(id) => api::get_instance(&mut client, &api::instance_path(&ws, &item.id, id.trim()))?.0,
        None => api::list_instances(&mut client, &ws, &item.id)?
            .into_iter()
            .next()
            .with_context(|| format!("\"{}\" has never run", item.display_name))?,
    };
    client.progress.finish();
    print(args.format, &instance, &line(&instance))?;
    Ok(ExitCode::SUCCESS)
}

pub fn runs(args: RunsArgs) -> anyhow::Result<ExitCode> {
    let (mut client, ws) = args.connection.connect()?;
    let item = api::find_copy_job(&mut client, &ws, &args.item)?;
    let mut all = api::list_instances(&mut client, &ws, &item.id)?;
    if let Some(limit) = args.limit {
        all.truncate(limit);
    }
    client.progress.finish();
    let text_form = if all.is_empty() {
        format!("\"{}\" has no job instances", item.display_name)
    } else {
        all.iter().map(line).collect::<Vec<_>>().join("\n")
    };
    print(args.format, &Value::Array(all), &text_form)?;
    Ok(ExitCode::SUCCESS)
}
