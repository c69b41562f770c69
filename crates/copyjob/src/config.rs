//! Per-repository choices: turn a diagnostic off or change its severity. Every code in a
//! configuration is checked against the registry ([`crate::codes`]).

use crate::codes::{all_codes, find_code, nearest_code};
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

/// A configuration naming a code that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code `{code}`: did you mean `{nearest}`? (every code is listed in docs/codes/README.md)")]
pub struct UnknownCode {
    /// The code as written.
    pub code: String,
    /// The registered code nearest to it.
    pub nearest: String,
}

/// Which diagnostics to report and how severely, by code (`lint/duplicate-activity-id`).
///
/// Codes not listed keep their default severity. Every code is a registered one: building a
/// configuration with another is an [`UnknownCode`] error (deserializing one too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ConfigFields")]
pub struct Config {
    rules: BTreeMap<String, RuleLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFields {
    #[serde(default)]
    rules: BTreeMap<String, RuleLevel>,
}

impl TryFrom<ConfigFields> for Config {
    type Error = UnknownCode;
    fn try_from(fields: ConfigFields) -> Result<Self, Self::Error> {
        Config::new(fields.rules)
    }
}

impl Config {
    /// A configuration of levels by code; fails on the first code that is not registered.
    pub fn new<S: AsRef<str>>(rules: impl IntoIterator<Item = (S, RuleLevel)>) -> Result<Self, UnknownCode> {
        let mut config = Config::default();
        for (code, level) in rules {
            config.set(code.as_ref(), level)?;
        }
        Ok(config)
    }

    /// Sets a code's level (a later setting wins).
    pub fn set(&mut self, code: &str, level: RuleLevel) -> Result<(), UnknownCode> {
        if find_code(code).is_none() {
            return Err(UnknownCode {
                code: code.to_owned(),
                nearest: nearest_code(code).unwrap_or_default(),
            });
        }
        self.rules.insert(code.to_owned(), level);
        Ok(())
    }

    /// Every other setting of `other` applied over this one.
    pub fn merged(mut self, other: &Config) -> Config {
        self.rules.extend(other.rules.iter().map(|(c, l)| (c.clone(), *l)));
        self
    }

    /// The level set for a code, if any.
    pub fn level(&self, code: &str) -> Option<RuleLevel> {
        self.rules.get(code).copied()
    }

    /// The codes set, with their levels.
    pub fn rules(&self) -> impl Iterator<Item = (&str, RuleLevel)> {
        self.rules.iter().map(|(c, l)| (c.as_str(), *l))
    }

    /// Only what the Fabric service itself rejects: every code whose
    /// [`service_rejects`](crate::codes::CodeInfo::service_rejects) is false is off.
    pub fn service() -> Config {
        let rules = all_codes()
            .filter(|c| !c.service_rejects)
            .map(|c| (c.code().to_owned(), RuleLevel::Off))
            .collect();
        Config { rules }
    }

    /// Applies the configuration: drops the diagnostics turned off and changes severities.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.rules.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| match self.rules.get(&*d.code).map(|l| l.severity()) {
            None => true,
            Some(None) => false,
            Some(Some(severity)) => {
                d.severity = severity;
                true
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_gives_its_severity() {
        assert_eq!(RuleLevel::Off.severity(), None);
        assert_eq!(RuleLevel::Info.severity(), Some(Severity::Info));
        assert_eq!(RuleLevel::Warning.severity(), Some(Severity::Warning));
        assert_eq!(RuleLevel::Error.severity(), Some(Severity::Error));
    }

    #[test]
    fn unknown_codes_name_the_nearest() {
        let err = Config::new([("lint/duplicate-activity", RuleLevel::Off)]).err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some(
                "unknown code `lint/duplicate-activity`: did you mean `lint/duplicate-activity-id`? \
                 (every code is listed in docs/codes/README.md)"
                    .to_owned()
            )
        );
        let parsed: Result<Config, _> = serde_json::from_str(r#"{ "rules": { "json/sintax": "off" } }"#);
        assert!(parsed.is_err_and(|e| e.to_string().contains("did you mean `json/syntax`?")));
        let ok: Result<Config, _> = serde_json::from_str(r#"{ "rules": { "json/syntax": "warning" } }"#);
        assert_eq!(ok.ok().and_then(|c| c.level("json/syntax")), Some(RuleLevel::Warning));
    }

    #[test]
    fn the_service_configuration_keeps_what_the_service_rejects() {
        let service = Config::service();
        assert_eq!(service.level("json/syntax"), None);
        assert_eq!(service.level("lint/platform-display-name"), None);
        assert_eq!(service.level("lint/duplicate-activity-id"), Some(RuleLevel::Off));
    }
}
