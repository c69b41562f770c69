//! `copyjob.json`: per-repository rule levels, found next to the items, plus `--rule` flags.

use anyhow::{bail, Context as _};
use copyjob::{Config, RuleLevel};
use std::path::{Path, PathBuf};

/// The configuration file's name.
pub const FILE_NAME: &str = "copyjob.json";

/// The groups of codes that can be configured.
const GROUPS: [&str; 5] = ["envelope/", "codec/", "json/", "schema/", "lint/"];

/// The configuration in effect for one input, and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Effective {
    /// The merged configuration.
    pub config: Config,
    /// The configuration file, when one was found.
    pub file: Option<PathBuf>,
    /// The codes set with `--rule`.
    pub from_flags: Vec<String>,
}

impl Effective {
    /// Where a code's level was set, if it was.
    pub fn source_of(&self, code: &str) -> Option<String> {
        if self.from_flags.iter().any(|c| c == code) {
            Some("--rule".to_owned())
        } else if self.config.rules.contains_key(code) {
            self.file.as_ref().map(|f| f.to_string_lossy().into_owned())
        } else {
            None
        }
    }
}

/// Parses `--rule CODE=LEVEL`.
pub fn parse_rule_flag(flag: &str) -> Result<(String, RuleLevel), String> {
    let (code, level) = flag
        .split_once('=')
        .ok_or_else(|| format!("`{flag}`: expected CODE=LEVEL, e.g. lint/activity-id-not-guid=off"))?;
    let level: RuleLevel = level.parse()?;
    check_code(code)?;
    Ok((code.to_owned(), level))
}

fn check_code(code: &str) -> Result<(), String> {
    if !GROUPS.iter().any(|g| code.starts_with(g)) {
        return Err(format!("`{code}` is not a diagnostic code: codes start with {}", GROUPS.join(", ")));
    }
    if code.starts_with("lint/") && copyjob::lint::find_rule(code).is_none() {
        let names: Vec<&str> = copyjob::lint::all_rules().map(|r| r.name).collect();
        let hint = copyjob::schema::closest(code.trim_start_matches("lint/"), &names)
            .map(|n| format!(": did you mean lint/{n}?"))
            .unwrap_or_default();
        return Err(format!("`{code}` is not a lint rule{hint}"));
    }
    Ok(())
}

/// Reads a configuration file.
pub fn read(path: &Path) -> anyhow::Result<Config> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let config: Config = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid copyjob configuration", path.display()))?;
    for code in config.rules.keys() {
        if let Err(e) = check_code(code) {
            bail!("{}: {e}", path.display());
        }
    }
    Ok(config)
}

/// The configuration file for an input: `copyjob.json` in its folder or the nearest ancestor.
pub fn find(input: &Path) -> Option<PathBuf> {
    let start = if input.is_dir() { input.to_path_buf() } else { input.parent()?.to_path_buf() };
    let start = if start.as_os_str().is_empty() { PathBuf::from(".") } else { start };
    let start = start.canonicalize().ok()?;
    start.ancestors().map(|dir| dir.join(FILE_NAME)).find(|f| f.is_file())
}

/// The configuration in effect for an input.
pub fn effective(
    input: &Path,
    explicit: Option<&Path>,
    flags: &[(String, RuleLevel)],
) -> anyhow::Result<Effective> {
    let file = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None if input.as_os_str() == "-" => find(Path::new(".")),
        None => find(input),
    };
    let mut config = match &file {
        Some(path) => read(path)?,
        None => Config::default(),
    };
    for (code, level) in flags {
        config.rules.insert(code.clone(), *level);
    }
    let file = file.map(|f| relative(&f));
    Ok(Effective { config, file, from_flags: flags.iter().map(|(c, _)| c.clone()).collect() })
}

/// A path relative to the current directory when it is under it.
fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
