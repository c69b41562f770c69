//! `copyjob`: lint, pack and unpack Microsoft Fabric Copy job definitions.

mod config;
mod deploy;
mod inputs;
mod render;
mod serve;

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand, ValueEnum};
use copyjob::{
    Checker, CreateRequest, DefinitionBody, Diagnostic, DocumentKind, Group, ItemFile, Report, Severity,
};
use std::io::{IsTerminal, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

/// mimalloc: the lint of a large document allocates millions of small strings and maps. Without
/// transparent huge pages (its `no_thp` feature): with them every region it touched was a 2 MB
/// page, and `copyjob lint` of the 4.3 MB benchmark document peaked at 40 MB instead of 23 (for
/// 4 ms less, in fewer page faults).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "copyjob", version, about = "Lint, pack and unpack Microsoft Fabric Copy job definitions")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check definitions and report every problem.
    ///
    /// PATH is an item folder (`Name.CopyJob/`), a folder of item folders (walked), a definition,
    /// response or request JSON file, a copyjob-content.json or .platform file, or `-` for stdin.
    /// Exits 0 when there is no error, 1 when there is at least one, 2 on a usage or I/O failure.
    Lint {
        /// Files or folders to check.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// When to use colours in text output.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
        /// Apply the safe fixes in place, report what changed, then report what remains.
        #[arg(long)]
        fix: bool,
        /// Set a code's level: `off`, `info`, `warning` or `error` (repeatable); overrides copyjob.json.
        #[arg(long = "rule", value_name = "CODE=LEVEL", value_parser = config::parse_rule_flag)]
        rules: Vec<(String, copyjob::RuleLevel)>,
        /// The configuration file (default: the copyjob.json files above each PATH, up to the
        /// repository root or one with `"root": true`; the nearest wins).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// What the files are, when their content cannot say: `update` for an update (PATCH)
        /// body, which is indistinguishable from a create body (`create`, `definition`,
        /// `content`, `platform` also work). Files named `*.update.json` or `*.create.json` say it
        /// by their name.
        #[arg(long, value_name = "KIND", value_parser = parse_kind)]
        kind: Option<DocumentKind>,
    },
    /// Rewrite parts in the service's own formatting (2-space indent, no trailing newline).
    ///
    /// Files of item folders and bare parts are rewritten; in request and response bodies, the
    /// base64 payloads are re-encoded. Key order, strings and numbers are kept exactly.
    Fmt {
        /// Files or folders to format.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Change nothing; exit 1 when a file would change.
        #[arg(long)]
        check: bool,
    },
    /// Encode an item folder as an updateDefinition (or, with --create, a create) request body.
    Pack {
        /// The item folder holding copyjob-content.json and .platform.
        #[arg(value_name = "FOLDER")]
        folder: PathBuf,
        /// Write the body to this file instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write a create body, with displayName and description taken from .platform.
        #[arg(long)]
        create: bool,
        /// Pack even when the definition has errors.
        #[arg(long)]
        force: bool,
    },
    /// Decode the parts of a definition, response or request body into files, byte for byte.
    Unpack {
        /// The JSON file, or `-` for stdin.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The folder to write the parts into (created when missing).
        #[arg(short, long, value_name = "FOLDER")]
        output: PathBuf,
    },
    /// Serve the browser editor with the Fabric API emulator on one port; prints its URL.
    Serve(serve::ServeArgs),
    #[command(flatten)]
    Deploy(deploy::DeployCommand),
}

/// Output formats of `copyjob lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable, with a code frame for each problem.
    Text,
    /// A JSON array of diagnostics, each with its `file`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Lint { paths, format, color, fix, rules, config, kind } => {
            let checker = Checker::new();
            let mut checked = Vec::new();
            for path in &paths {
                for mut input in inputs::discover(path)? {
                    input.config = config::effective(path, config.as_deref(), &rules)?;
                    input.kind = kind;
                    if fix {
                        input = fix_in_place(input, &checker)?;
                    }
                    // The report keeps the bytes; what is rendered reads them there.
                    let report = input.check_owned(&checker);
                    checked.push((input, report));
                }
            }
            let color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            let out = render::render(format, &checked, color);
            write_stdout(&out)?;
            let failed = checked.iter().any(|(_, r)| r.has_errors());
            // The process ends here: freeing every parsed tree node by node would cost a sixth of
            // the lint of a large document, for memory the exit returns at once.
            std::mem::forget(checked);
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Fmt { paths, check } => fmt(&paths, check),
        Command::Pack { folder, output, create, force } => pack(&folder, output.as_deref(), create, force),
        Command::Unpack { file, output } => unpack(&file, &output),
        Command::Serve(args) => serve::run(args),
        Command::Deploy(command) => Ok(deploy::run(command)),
    }
}

/// Parses `--kind`.
fn parse_kind(name: &str) -> Result<DocumentKind, String> {
    DocumentKind::from_name(name).ok_or_else(|| {
        format!(
            "unknown kind `{name}`: expected create, update, definitionBody, definition, content or platform"
        )
    })
}

/// Applies the safe fixes in place; prints each change on stderr.
fn fix_in_place(mut input: inputs::Input, checker: &Checker) -> anyhow::Result<inputs::Input> {
    let fixed = checker.fix(&input.to_source(), &input.config.config);
    if fixed.changed {
        input.write(&fixed)?;
        let folder = input.is_folder.then(|| input.name.trim_end_matches('/').to_owned());
        for change in &fixed.changes {
            match &folder {
                Some(folder) => eprintln!("fixed {folder}/{change}"),
                None => eprintln!("fixed {}: {change}", input.name),
            }
        }
    }
    Ok(input)
}

fn fmt(paths: &[PathBuf], check: bool) -> anyhow::Result<ExitCode> {
    let checker = Checker::new();
    let (mut changed, mut failed) = (0, 0);
    for path in paths {
        for mut input in inputs::discover(path)? {
            let report = input.check(&checker);
            let unparsable: Vec<&str> = report
                .parts
                .iter()
                .filter(|p| copyjob::KNOWN_PARTS.contains(&p.path.as_str()) && !p.parsed)
                .map(|p| p.path.as_str())
                .collect();
            if !unparsable.is_empty() {
                eprintln!(
                    "{}: not formatted: {} is not valid JSON (see `copyjob lint`)",
                    input.name,
                    unparsable.join(", ")
                );
                failed += 1;
            }
            let formatted = checker.format(&input.to_source());
            if !formatted.changed {
                continue;
            }
            changed += 1;
            let files: Vec<String> = if input.is_folder {
                formatted.changed_files.iter().map(|f| input.file_of(Some(f))).collect()
            } else {
                vec![input.name.clone()]
            };
            for file in &files {
                println!("{} {file}", if check { "would reformat" } else { "formatted" });
            }
            if !check {
                input.write(&formatted)?;
            }
        }
    }
    Ok(if failed > 0 || (check && changed > 0) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

fn write_output(output: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display())),
        None => write_stdout(text),
    }
}

/// Prints diagnostics as text on stderr.
fn report_to_stderr(input: &inputs::Input, report: &Report) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = render::render(Format::Text, &[(input.clone(), report.clone())], color);
    eprint!("{text}");
}

fn pack(folder: &Path, output: Option<&Path>, create: bool, force: bool) -> anyhow::Result<ExitCode> {
    if !folder.is_dir() {
        bail!("{} is not a folder: `copyjob pack` takes an item folder (Name.CopyJob/)", folder.display());
    }
    let input = inputs::Input::folder(folder)?;
    let checker = Checker::new();
    let report = input.check(&checker);
    if report.has_errors() && !force {
        report_to_stderr(&input, &report);
        eprintln!("error: not packed: the definition has errors (use --force to pack it anyway)");
        return Ok(ExitCode::from(1));
    }
    if report.diagnostics.iter().any(|d| d.severity == Severity::Warning) {
        report_to_stderr(&input, &report);
    }
    let files: Vec<ItemFile> = match &input.source {
        inputs::Source::Folder(files) => {
            files.iter().filter(|f| copyjob::KNOWN_PARTS.contains(&f.path.as_str())).cloned().collect()
        }
        _ => Vec::new(),
    };
    let definition = copyjob::pack(files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())));
    let body = if create {
        let platform = report.part(copyjob::PLATFORM_PART).and_then(copyjob::Part::value);
        let metadata = platform.as_ref().and_then(|p| p.get("metadata"));
        let text = |key: &str| metadata.and_then(|m| m.get(key)).and_then(|v| v.as_str()).map(str::to_owned);
        let Some(display_name) = text("displayName") else {
            bail!(
                "cannot write a create body: {} has no .platform with metadata.displayName",
                folder.display()
            );
        };
        serde_json::to_string_pretty(&CreateRequest {
            display_name,
            description: text("description"),
            folder_id: None,
            definition: Some(definition),
        })?
    } else {
        serde_json::to_string_pretty(&DefinitionBody { definition })?
    };
    write_output(output, &(body + "\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn unpack(file: &Path, output: &Path) -> anyhow::Result<ExitCode> {
    let input = inputs::Input::file(file)?;
    let checker = Checker::new();
    let report = input.check(&checker);
    if matches!(
        report.kind,
        DocumentKind::Content | DocumentKind::Platform | DocumentKind::UpdateRequest | DocumentKind::Unknown
    ) && report.diagnostics.iter().all(|d| !matches!(d.group(), Some(Group::Codec | Group::Json)))
    {
        report_to_stderr(&input, &report);
        bail!(
            "{} is a {}, not a definition: `copyjob unpack` takes a getDefinition response, an \
             updateDefinition or create body, or a {{\"parts\": [...]}} envelope",
            input.name,
            report.kind.describe()
        );
    }
    if !report.diagnostics.is_empty() {
        report_to_stderr(&input, &report);
    }
    std::fs::create_dir_all(output).with_context(|| format!("cannot create {}", output.display()))?;
    let mut written = 0;
    for part in &report.parts {
        if !is_safe_relative(&part.path) {
            eprintln!("warning: part \"{}\" not written: its path leaves the output folder", part.path);
            continue;
        }
        let target = output.join(&part.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&target, &part.bytes).with_context(|| format!("cannot write {}", target.display()))?;
        eprintln!("wrote {} ({} bytes)", target.display(), part.bytes.len());
        written += 1;
    }
    let undecodable = report.diagnostics.iter().any(|d: &Diagnostic| {
        d.is_error() && (matches!(d.group(), Some(Group::Codec | Group::Envelope)) || d.part.is_none())
    });
    if written == 0 || undecodable {
        eprintln!("error: some parts could not be decoded");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether a part path stays inside the folder it is written to.
fn is_safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Reads stdin to the end.
pub(crate) fn read_stdin() -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).context("cannot read stdin")?;
    Ok(bytes)
}
