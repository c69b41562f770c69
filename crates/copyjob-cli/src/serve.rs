//! `copyjob serve`: the browser editor (`www/dist`) and the Fabric API emulator on one port.

use anyhow::{bail, Context as _};
use copyjob_emulator::{Emulator, Options};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `copyjob serve`: the emulator's own flags (`--port`, `--host`, `--www`, `--lro`, …).
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub emulator: Options,
}

/// Where the built editor lives inside the repository.
const DIST: &str = "www/dist";

/// Serves until SIGINT / SIGTERM. Prints the URL (and only it) on stdout.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut options = args.emulator;
    let www = match options.www.take() {
        Some(dir) => dir,
        None => find_dist().with_context(|| {
            format!(
                "the editor is not built: no {DIST}/index.html next to the copyjob executable or the \
                 current directory. Build it with `www/build.sh` (or run `./scripts/run`, which \
                 builds whatever is missing), or pass --www DIR"
            )
        })?,
    };
    if !www.join("index.html").is_file() {
        bail!("{} has no index.html: build the editor with `www/build.sh`, or pass --www DIR", www.display());
    }
    options.www = Some(www);
    let (config, addr) = options.into_config();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let server = Emulator::new(config).bind(addr).await?;
        let url = format!("{}/", server.url());
        let mut stdout = std::io::stdout();
        // The URL alone on stdout, so scripts and tests can read it.
        writeln!(stdout, "{url}").context("cannot write to stdout")?;
        stdout.flush().context("cannot write to stdout")?;
        eprintln!(
            "copyjob serve: the editor and the emulator's API ({url}v1) are at {url} \
             (any non-empty bearer token unless --token; Ctrl-C stops)"
        );
        server.run().await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `<repo>/www/dist` found from the executable's folder (target/release/copyjob) or the current
/// directory, walking up.
fn find_dist() -> Option<PathBuf> {
    let mut starts: Vec<PathBuf> = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.canonicalize().unwrap_or(exe);
        if let Some(dir) = exe.parent() {
            starts.push(dir.to_path_buf());
        }
    }
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    starts.iter().find_map(|start| start.ancestors().map(|dir| dir.join(DIST)).find(|d| has_index(d)))
}

fn has_index(dir: &Path) -> bool {
    dir.join("index.html").is_file()
}
