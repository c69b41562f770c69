//! `copyjob-emulator`: an offline emulator of the Fabric Copy job REST API.

use clap::Parser;
use copyjob_emulator::{Emulator, Options};
use std::io::Write;
use std::process::ExitCode;

/// An offline emulator of the Microsoft Fabric Copy job REST API (base path /v1).
#[derive(Debug, Parser)]
#[command(name = "copyjob-emulator", version)]
struct Args {
    #[command(flatten)]
    options: Options,
}

#[tokio::main]
async fn main() -> ExitCode {
    let (config, addr) = Args::parse().options.into_config();
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
