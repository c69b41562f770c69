//! Per-repository choices: turn a diagnostic off or change its severity.

use crate::diagnostic::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What to do with the diagnostics of one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Do not report it.
    Off,
    /// Report it as an info.
    Info,
    /// Report it as a warning.
    Warning,
    /// Report it as an error.
    Error,
}

impl RuleLevel {
    /// The severity this level gives, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Error => Some(Severity::Error),
        }
    }
}

impl std::str::FromStr for RuleLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(RuleLevel::Off),
            "info" => Ok(RuleLevel::Info),
            "warning" | "warn" => Ok(RuleLevel::Warning),
            "error" => Ok(RuleLevel::Error),
            other => Err(format!("unknown level `{other}`: expected off, info, warning or error")),
        }
    }
}

/// Which diagnostics to report and how severely, by code (`lint/duplicate-activity-id`).
///
/// Codes not listed keep their default severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Level per diagnostic code.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
}

impl Config {
    /// Applies the configuration: drops the diagnostics turned off and changes severities.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.rules.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| match self.rules.get(&d.code).map(|l| l.severity()) {
            None => true,
            Some(None) => false,
            Some(Some(severity)) => {
                d.severity = severity;
                true
            }
        });
    }
}
