//! `copyjob.json`: per-repository rule levels, found next to the items, plus `--rule` flags.
//! Every code is validated by the core against its registry.

use anyhow::Context as _;
use copyjob::{Config, RuleLevel};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The configuration file's name.
pub const FILE_NAME: &str = "copyjob.json";

/// The configuration in effect for one input, and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Effective {
    /// The merged configuration.
    pub config: Config,
    /// The configuration files applied, the farthest first (a nearer file's levels win).
    pub files: Vec<(PathBuf, Config)>,
    /// The codes set with `--rule`.
    pub from_flags: Vec<String>,
}

impl Effective {
    /// Where a code's level was set, if it was.
    pub fn source_of(&self, code: &str) -> Option<String> {
        if self.from_flags.iter().any(|c| c == code) {
            return Some("--rule".to_owned());
        }
        let (file, _) = self.files.iter().rev().find(|(_, config)| config.level(code).is_some())?;
        Some(file.to_string_lossy().into_owned())
    }
}

/// Parses `--rule CODE=LEVEL`; the code must be a registered one.
pub fn parse_rule_flag(flag: &str) -> Result<(String, RuleLevel), String> {
    let (code, level) = flag
        .split_once('=')
        .ok_or_else(|| format!("`{flag}`: expected CODE=LEVEL, e.g. lint/activity-id-not-guid=off"))?;
    let level: RuleLevel = level.parse()?;
    Config::new([(code, level)]).map_err(|e| e.to_string())?;
    Ok((code.to_owned(), level))
}

/// A `copyjob.json` file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// `true`: configuration files in the folders above are not read.
    #[serde(default)]
    root: bool,
    /// The levels by code; the core refuses an unknown code, naming the nearest.
    #[serde(default)]
    rules: std::collections::BTreeMap<String, RuleLevel>,
}

/// Reads a configuration file: its levels, and whether it is a root (`"root": true`).
fn read(path: &Path) -> anyhow::Result<(Config, bool)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file: ConfigFile = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid copyjob configuration", path.display()))?;
    let config = Config::new(file.rules).with_context(|| format!("{}", path.display()))?;
    Ok((config, file.root))
}

/// The configuration files for an input: `copyjob.json` in its folder and each ancestor, the
/// nearest last, up to the repository root (the folder holding `.git`) or a configuration with
/// `"root": true`, as editorconfig and eslint do.
pub fn find(input: &Path) -> anyhow::Result<Vec<(PathBuf, Config)>> {
    let Some(start) =
        (if input.is_dir() { Some(input.to_path_buf()) } else { input.parent().map(Path::to_path_buf) })
    else {
        return Ok(Vec::new());
    };
    let start = if start.as_os_str().is_empty() { PathBuf::from(".") } else { start };
    let Ok(start) = start.canonicalize() else { return Ok(Vec::new()) };
    let mut found = Vec::new();
    for dir in start.ancestors() {
        let file = dir.join(FILE_NAME);
        if file.is_file() {
            let (config, root) = read(&file)?;
            found.push((file, config));
            if root {
                break;
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    found.reverse();
    Ok(found)
}

/// The configuration in effect for an input.
pub fn effective(
    input: &Path,
    explicit: Option<&Path>,
    flags: &[(String, RuleLevel)],
) -> anyhow::Result<Effective> {
    let files = match explicit {
        Some(path) => vec![(path.to_path_buf(), read(path)?.0)],
        None if input.as_os_str() == "-" => find(Path::new("."))?,
        None => find(input)?,
    };
    let mut config = files.iter().fold(Config::default(), |merged, (_, c)| merged.merged(c));
    for (code, level) in flags {
        config.set(code, *level)?;
    }
    let files = files.into_iter().map(|(f, c)| (relative(&f), c)).collect();
    Ok(Effective { config, files, from_flags: flags.iter().map(|(c, _)| c.clone()).collect() })
}

/// A path relative to the current directory when it is under it.
fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
