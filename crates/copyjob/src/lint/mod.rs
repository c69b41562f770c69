//! Lint rules: the mistakes a JSON Schema cannot see.
//!
//! One rule per file in `rules/`, each declared with `declare_rule!`, which keeps the rule's
//! metadata (code, default severity, whether it has a safe fix, the evidence it rests on, and
//! `service_rejects: true` when the service itself rejects the problem) and its
//! documentation (*What it does*, *Why*, *Examples*) together; `docs/rules/` is generated from
//! them. [`RULES`] is the registry.

mod context;
pub mod rules;

pub use context::LintContext;

pub use crate::codes::CodeInfo;

/// What a rule is, for the registry, the docs and the configuration: the [`CodeInfo`] of its
/// `lint/<name>` code.
pub type RuleMeta = CodeInfo;

/// A lint rule.
pub trait Rule: Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Reports the rule's findings through `ctx`.
    fn check(&self, ctx: &mut LintContext<'_>);
    /// Whether the rule looks at each activity on its own, through [`LintContext::activities`]
    /// (or `destinations`, `mappings`) and nothing else: it then runs over a window of activities
    /// at a time, with the other such rules, while their nodes are in the cache.
    fn per_activity(&self) -> bool {
        false
    }
}

/// Declares a rule: a unit struct carrying the doc comment and the metadata as `META`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            name: $code:literal,
            severity: $severity:ident,
            fixable: $fixable:literal,
            evidence: $evidence:literal
            $(, service_rejects: $service:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $name;

        impl $name {
            /// The rule's metadata.
            pub const META: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
                group: $crate::codes::Group::Lint,
                name: $code,
                code: concat!("lint/", $code),
                severity: $crate::Severity::$severity,
                fixable: $fixable,
                service_rejects: false $(|| $service)?,
                evidence: $evidence,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

pub use rules::RULES;

/// The metadata of every rule, in registry order.
pub fn all_rules() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|r| r.meta())
}

/// The rule with a code (`lint/<name>`) or name.
pub fn find_rule(code: &str) -> Option<&'static RuleMeta> {
    let name = code.strip_prefix("lint/").unwrap_or(code);
    all_rules().find(|m| m.name == name)
}

/// Whether a string is a GUID in the 8-4-4-4-12 hex form. Not an RFC 4122 check: real Fabric
/// ids have any version and variant nibbles.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Whether a value of an id field is a template token such as `SOURCE_WORKSPACE_ID` or
/// `CREATE_NEW_GUID`: upper-case letters, digits and underscores.
pub fn is_id_token(s: &str) -> bool {
    s.len() > 3
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether an id field's value is a placeholder (reported by `template-placeholder`, so the GUID
/// rules leave it alone).
pub fn is_id_placeholder(s: &str) -> bool {
    placeholder(s).is_some() || is_id_token(s)
}

/// The all-zero GUID.
pub const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// The template placeholder a string holds, if any: `{{NAME}}`, `${NAME}`, `$(NAME)`, a whole
/// `<name>`, or a `REPLACE…` / `CHANGE_ME` / `TODO` / `FIXME` / `TBD` / `VERIFY…` / `PLACEHOLDER`
/// token (upper case, digits, `_` and `-` only, so `Replace` or `Verify` as a real value is not one).
pub fn placeholder(s: &str) -> Option<&str> {
    // One pass for both questions, without an early exit (so it compiles to vector code): is
    // there a delimiter, and a lower-case letter (nearly every value has one, and then it is not
    // a marker token)?
    let (delimited, lower) = s
        .bytes()
        .fold((false, false), |(d, l), b| (d | matches!(b, b'{' | b'$' | b'<'), l | b.is_ascii_lowercase()));
    if delimited {
        if let Some(found) = delimited_placeholder(s) {
            return Some(found);
        }
    }
    if lower {
        return None;
    }
    let t = s.trim();
    (t.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-'))
        && is_marker(t))
    .then_some(t)
}

/// The placeholder a connector `type` field holds, if any: what [`placeholder`] finds, a `<…>`
/// anywhere in it (`<Connector>Table`), or a whole marker in lower case or capitalized
/// (`verify-connector-type`, `tbd`, `Fixme`). Type strings are PascalCase names with no `<`, so
/// these are never real values there; elsewhere a lower-case word such as `todo` may be data.
/// `template-placeholder` reports it, and the connector type rules skip it (reported once).
pub fn type_placeholder(s: &str) -> Option<&str> {
    if let Some(found) = placeholder(s) {
        return Some(found);
    }
    if let Some(start) = memchr::memchr(b'<', s.as_bytes()) {
        if let Some(len) = s[start..].find('>') {
            if len > 1 {
                return Some(&s[start..start + len + 1]);
            }
        }
    }
    let t = s.trim();
    let mut letters = t.chars().filter(char::is_ascii_alphabetic);
    let _first = letters.next();
    let lower_after_first = letters.all(|c| c.is_ascii_lowercase());
    (lower_after_first
        && t.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
        && is_marker(t))
    .then_some(t)
}

/// Whether a trimmed value starts with a marker word (`REPLACE`, `TODO`, `VERIFY`, ..., in any
/// case) that ends at `_`, `-` or the end of the value.
fn is_marker(t: &str) -> bool {
    // Every type field is asked: the first letter rules out nearly all values at once.
    if !t.as_bytes().first().is_some_and(|b| MARKER_STARTS[usize::from(*b)]) {
        return false;
    }
    MARKERS.iter().any(|p| {
        t.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p))
            && (p.ends_with(['_', '-']) || t.len() == p.len() || t[p.len()..].starts_with(['_', '-']))
    })
}

/// The marker words [`is_marker`] looks for, in upper case.
const MARKERS: [&str; 14] = [
    "REPLACE",
    "CHANGE_ME",
    "CHANGEME",
    "TODO",
    "FIXME",
    "TBD",
    "TBC",
    "VERIFY",
    "PLACEHOLDER",
    "XXX",
    "YOUR_",
    "YOUR-",
    "INSERT_",
    "INSERT-",
];

/// The bytes a marker word starts with, in either case.
static MARKER_STARTS: [bool; 256] = {
    let mut starts = [false; 256];
    let mut i = 0;
    while i < MARKERS.len() {
        let first = MARKERS[i].as_bytes()[0];
        starts[first as usize] = true;
        starts[first.to_ascii_lowercase() as usize] = true;
        i += 1;
    }
    starts
};

/// `{{NAME}}`, `${NAME}`, `$(NAME)` or a whole `<name>`.
fn delimited_placeholder(s: &str) -> Option<&str> {
    if let Some(start) = s.find("{{") {
        if let Some(len) = s[start..].find("}}") {
            return Some(&s[start..start + len + 2]);
        }
    }
    for open in ["${", "$("] {
        if let Some(start) = s.find(open) {
            let close = if open == "${" { '}' } else { ')' };
            let rest = &s[start + 2..];
            if let Some(len) = rest.find(close) {
                let name = &rest[..len];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
                    return Some(&s[start..start + 2 + len + 1]);
                }
            }
        }
    }
    let t = s.trim();
    if t.len() > 2 && t.starts_with('<') && t.ends_with('>') && !t[1..t.len() - 1].contains(['<', '>']) {
        return Some(t);
    }
    None
}

/// `text` in lower case, borrowed when it already is (names and GUIDs usually are).
pub(crate) fn lower(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_rule_by_code_or_name() {
        for rule in all_rules() {
            assert_eq!(find_rule(&format!("lint/{}", rule.name)).map(|m| m.name), Some(rule.name));
            assert_eq!(find_rule(rule.name).map(|m| m.name), Some(rule.name));
        }
        assert!(find_rule("lint/no-such-rule").is_none());
    }

    #[test]
    fn guids_are_checked_by_shape_only() {
        assert!(is_guid("09025161-3298-a423-4fce-7c0227e3df52"));
        assert!(is_guid(ZERO_GUID));
        assert!(!is_guid("09025161-3298-a423-4fce-7c0227e3df5"));
        assert!(!is_guid("{09025161-3298-a423-4fce-7c0227e3df52}"));
        assert!(!is_guid("09025161x3298-a423-4fce-7c0227e3df52"));
    }

    #[test]
    fn placeholders() {
        assert_eq!(placeholder("{{.SOURCE_WORKSPACE_ID}}"), Some("{{.SOURCE_WORKSPACE_ID}}"));
        assert_eq!(placeholder("prefix-{{ name }}"), Some("{{ name }}"));
        assert_eq!(placeholder("${WORKSPACE_ID}"), Some("${WORKSPACE_ID}"));
        assert_eq!(placeholder("$(Build.Id)"), Some("$(Build.Id)"));
        assert_eq!(placeholder("<workspace-guid>"), Some("<workspace-guid>"));
        assert_eq!(placeholder("REPLACE-COPY-JOB-NAME"), Some("REPLACE-COPY-JOB-NAME"));
        assert_eq!(placeholder("CUSTOMERS"), None);
        assert_eq!(placeholder("a < b > c"), None);
        assert_eq!(placeholder("Replace"), None);
        assert_eq!(placeholder("costs $5 (approx)"), None);
        assert_eq!(placeholder("VERIFY-CONNECTOR-TYPE"), Some("VERIFY-CONNECTOR-TYPE"));
        assert_eq!(placeholder("TBD"), Some("TBD"));
        assert_eq!(placeholder("FIXME_TABLE"), Some("FIXME_TABLE"));
        assert_eq!(placeholder("PLACEHOLDER"), Some("PLACEHOLDER"));
        assert_eq!(placeholder("Verify"), None);
        assert_eq!(placeholder("TBDATA"), None);
        assert_eq!(placeholder("XXX"), Some("XXX"));
        // Lower-case markers are placeholders only in type fields.
        assert_eq!(placeholder("verify-connector-type"), None);
        assert_eq!(placeholder("tbd"), None);
    }

    #[test]
    fn type_placeholders() {
        assert_eq!(type_placeholder("verify-connector-type"), Some("verify-connector-type"));
        assert_eq!(type_placeholder("tbd"), Some("tbd"));
        assert_eq!(type_placeholder("Tbd"), Some("Tbd"));
        assert_eq!(type_placeholder("fixme"), Some("fixme"));
        assert_eq!(type_placeholder("VERIFY-CONNECTOR-TYPE"), Some("VERIFY-CONNECTOR-TYPE"));
        assert_eq!(type_placeholder("<Connector>Table"), Some("<Connector>"));
        assert_eq!(type_placeholder("{{TYPE}}"), Some("{{TYPE}}"));
        for real in [
            "LakehouseTable",
            "DataWarehouse",
            "TabularTranslator",
            "Todoist",
            "tbdata",
            "VerifyTable",
            "Parquet",
        ] {
            assert_eq!(type_placeholder(real), None, "{real}");
        }
    }
}
