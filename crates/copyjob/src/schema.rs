//! The JSON Schemas (embedded at build time), compiled once per [`Schemas`] value, and the
//! translation of schema errors into positioned diagnostics.

use crate::diagnostic::{Diagnostic, Severity};
use crate::json::{lookup, pointer_join, split_pointer, JsonText, Target};
use jsonschema::error::ValidationErrorKind;
use jsonschema::{Retrieve, Uri, ValidationError, Validator};
use serde_json::Value;
use std::sync::OnceLock;

/// One of the JSON Schemas this crate ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaId {
    /// `copyjob-content.json`, the job's content.
    Content,
    /// `.platform`, the item's Git metadata.
    Platform,
    /// The definition envelope `{format?, parts}`.
    Definition,
    /// The create request body.
    CreateRequest,
    /// The update (PATCH) request body.
    UpdateRequest,
    /// The updateDefinition request body, also the getDefinition response.
    UpdateDefinitionRequest,
}

impl SchemaId {
    /// Every schema, in a stable order.
    pub const ALL: [SchemaId; 6] = [
        SchemaId::Content,
        SchemaId::Platform,
        SchemaId::Definition,
        SchemaId::CreateRequest,
        SchemaId::UpdateRequest,
        SchemaId::UpdateDefinitionRequest,
    ];

    /// The schema's file name in `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaId::Content => "copyjob-content.schema.json",
            SchemaId::Platform => "platform.schema.json",
            SchemaId::Definition => "definition.schema.json",
            SchemaId::CreateRequest => "create-request.schema.json",
            SchemaId::UpdateRequest => "update-request.schema.json",
            SchemaId::UpdateDefinitionRequest => "update-definition-request.schema.json",
        }
    }

    /// The schema's `$id`.
    pub fn uri(self) -> String {
        format!("{SCHEMA_BASE}{}", self.file_name())
    }

    /// The schema's source text, exactly as in `schemas/`.
    pub fn source(self) -> &'static str {
        match self {
            SchemaId::Content => include_str!("../../../schemas/copyjob-content.schema.json"),
            SchemaId::Platform => include_str!("../../../schemas/platform.schema.json"),
            SchemaId::Definition => include_str!("../../../schemas/definition.schema.json"),
            SchemaId::CreateRequest => include_str!("../../../schemas/create-request.schema.json"),
            SchemaId::UpdateRequest => include_str!("../../../schemas/update-request.schema.json"),
            SchemaId::UpdateDefinitionRequest => {
                include_str!("../../../schemas/update-definition-request.schema.json")
            }
        }
    }

    fn by_uri(uri: &str) -> Option<SchemaId> {
        Self::ALL.into_iter().find(|id| uri.strip_prefix(SCHEMA_BASE) == Some(id.file_name()))
    }
}

/// The base URI of every schema `$id`.
pub const SCHEMA_BASE: &str = "https://copyjob.dev/schemas/";

struct Embedded;

impl Retrieve for Embedded {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let id = SchemaId::by_uri(uri.as_str()).ok_or_else(|| format!("no embedded schema {uri}"))?;
        Ok(serde_json::from_str(id.source())?)
    }
}

/// The schemas, each parsed and compiled on first use (a check compiles only those its document
/// needs). Build one and reuse it.
pub struct Schemas {
    documents: [OnceLock<Value>; SchemaId::ALL.len()],
    validators: [OnceLock<Validator>; SchemaId::ALL.len()],
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas").finish_non_exhaustive()
    }
}

impl Schemas {
    /// The embedded schemas, compiled when first needed.
    pub fn new() -> Self {
        Schemas { documents: Default::default(), validators: Default::default() }
    }

    fn slot(id: SchemaId) -> usize {
        SchemaId::ALL.iter().position(|i| *i == id).unwrap_or(0)
    }

    /// The parsed schema document.
    ///
    /// # Panics
    /// Never for the shipped schemas: a test parses them all.
    pub fn document(&self, id: SchemaId) -> &Value {
        self.documents[Self::slot(id)].get_or_init(|| {
            #[allow(clippy::expect_used)]
            serde_json::from_str(id.source()).expect("embedded schemas are valid JSON")
        })
    }

    /// The compiled schema.
    ///
    /// # Panics
    /// Never for the shipped schemas: a test compiles them all.
    pub fn validator(&self, id: SchemaId) -> &Validator {
        self.validators[Self::slot(id)].get_or_init(|| {
            #[allow(clippy::expect_used)]
            jsonschema::options()
                .should_validate_formats(true)
                .with_retriever(Embedded)
                .build(self.document(id))
                .expect("embedded schemas compile")
        })
    }

    /// Validates `json` (which must have parsed) against schema `id`, appending diagnostics. A
    /// valid value costs one `is_valid` pass; errors are collected only for an invalid one.
    pub fn check(&self, id: SchemaId, json: &JsonText<'_>, out: &mut Vec<Diagnostic>) {
        let Some(value) = json.value() else { return };
        let validator = self.validator(id);
        if validator.is_valid(value) {
            return;
        }
        for error in validator.iter_errors(value) {
            self.translate(id, &error, json, out);
        }
    }

    /// The subschema holding the keyword that failed.
    fn failing_schema(&self, root: SchemaId, error: &ValidationError<'_>) -> Option<&Value> {
        let (id, pointer) = match error.absolute_keyword_location() {
            Some(uri) => {
                let s = uri.as_str();
                let (base, fragment) = s.split_once('#').unwrap_or((s, ""));
                (SchemaId::by_uri(base)?, fragment.to_owned())
            }
            None => (root, error.schema_path().as_str().to_owned()),
        };
        let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        lookup(self.document(id), parent)
    }

    fn translate(
        &self,
        root: SchemaId,
        error: &ValidationError<'_>,
        json: &JsonText<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let pointer = error.instance_path().as_str().to_owned();
        let schema = self.failing_schema(root, error);
        let x_help = schema.and_then(|s| s.get("x-help")).and_then(Value::as_str).map(str::to_owned);
        let instance = error.instance();
        let name = describe_location(&pointer);
        let mut push = |pointer: &str, target: Target, code: &str, message: String, help: Option<String>| {
            out.push(json.diagnostic(pointer, target, code, Severity::Error, message, help));
        };
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let known: Vec<&str> = schema
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                for key in unexpected {
                    let help = match closest(key, &known) {
                        Some(k) => Some(format!("did you mean \"{k}\"?")),
                        None if known.is_empty() => Some("remove it".to_owned()),
                        None => Some(format!("remove it; the known properties are {}", quote_list(&known))),
                    };
                    push(
                        &pointer_join(&pointer, key),
                        Target::Key,
                        "schema/unknown-property",
                        format!("unknown property \"{key}\" in {name}"),
                        help,
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let property = property.as_str().unwrap_or_default();
                let detail = schema
                    .and_then(|s| s.pointer(&format!("/properties/{property}")))
                    .and_then(describe_expected);
                let help = match detail {
                    Some(d) => format!("add \"{property}\" ({d})"),
                    None => format!("add \"{property}\""),
                };
                push(
                    &pointer,
                    Target::Opening,
                    "schema/missing-property",
                    format!("{name} is missing the required property \"{property}\""),
                    Some(x_help.unwrap_or(help)),
                );
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<String> =
                    options.as_array().map(|a| a.iter().map(Value::to_string).collect()).unwrap_or_default();
                let allowed_refs: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let help = instance
                    .as_str()
                    .and_then(|s| closest(s, &allowed_refs))
                    .map(|s| format!("did you mean \"{s}\"?"))
                    .or(x_help);
                push(
                    &pointer,
                    Target::Value,
                    "schema/invalid-value",
                    format!(
                        "{} is not a valid value for {name}: expected one of {}",
                        short(instance),
                        allowed.join(", ")
                    ),
                    help,
                );
            }
            ValidationErrorKind::Constant { expected_value } => push(
                &pointer,
                Target::Value,
                "schema/invalid-value",
                format!("{} is not a valid value for {name}: expected {expected_value}", short(instance)),
                x_help,
            ),
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    jsonschema::error::TypeKind::Single(t) => article(&t.to_string()),
                    jsonschema::error::TypeKind::Multiple(set) => {
                        set.iter().map(|t| article(&t.to_string())).collect::<Vec<_>>().join(" or ")
                    }
                };
                let target =
                    if instance.is_object() || instance.is_array() { Target::Opening } else { Target::Value };
                push(
                    &pointer,
                    target,
                    "schema/wrong-type",
                    format!("{name} must be {expected}, not {}", article(json_type(instance))),
                    x_help.or_else(|| retype_help(instance, &expected)),
                );
            }
            ValidationErrorKind::Pattern { pattern } => push(
                &pointer,
                Target::Value,
                "schema/pattern-mismatch",
                format!("{} is not a valid {name}", short(instance)),
                x_help.or_else(|| Some(format!("the value must match the pattern `{pattern}`"))),
            ),
            ValidationErrorKind::Format { format } => push(
                &pointer,
                Target::Value,
                "schema/invalid-format",
                format!("{} is not a valid {format} in {name}", short(instance)),
                x_help.or_else(|| {
                    (format == "uuid")
                        .then(|| "use a GUID such as 00000000-0000-0000-0000-000000000000".to_owned())
                }),
            ),
            ValidationErrorKind::MaxLength { limit } => push(
                &pointer,
                Target::Value,
                "schema/too-long",
                format!(
                    "{name} is {} characters long; at most {limit} are allowed",
                    instance.as_str().map_or(0, |s| s.chars().count())
                ),
                x_help.or_else(|| Some("shorten it".to_owned())),
            ),
            ValidationErrorKind::MinLength { limit } => push(
                &pointer,
                Target::Value,
                "schema/too-short",
                format!(
                    "{name} must be at least {limit} character{} long",
                    if *limit == 1 { "" } else { "s" }
                ),
                x_help,
            ),
            ValidationErrorKind::Minimum { .. }
            | ValidationErrorKind::Maximum { .. }
            | ValidationErrorKind::ExclusiveMinimum { .. }
            | ValidationErrorKind::ExclusiveMaximum { .. } => {
                push(&pointer, Target::Value, "schema/out-of-range", format!("{name}: {error}"), x_help)
            }
            ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
                let message = schema.and_then(|s| s.get("x-message")).and_then(Value::as_str).map_or_else(
                    || format!("{name} does not match any of the allowed shapes"),
                    str::to_owned,
                );
                push(&pointer, Target::Opening, "schema/no-match", message, x_help);
            }
            _ => push(&pointer, Target::Value, "schema/invalid", format!("{name}: {error}"), x_help),
        }
    }
}

impl Default for Schemas {
    fn default() -> Self {
        Self::new()
    }
}

/// Names the value at `pointer` for a message: `jobMode`, `activities[2].id`, `the document`.
pub(crate) fn describe_location(pointer: &str) -> String {
    let mut out = String::new();
    for segment in split_pointer(pointer) {
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            out = segment;
        }
    }
    if out.is_empty() {
        "the document".to_owned()
    } else if out.starts_with('[') {
        format!("item {out}")
    } else {
        out
    }
}

/// Help for a value of the wrong type that is only quoted, or unquoted, by mistake.
fn retype_help(instance: &Value, expected: &str) -> Option<String> {
    match instance {
        Value::String(s) => {
            let parsed: Value = serde_json::from_str(s.trim()).ok()?;
            let fits = match expected {
                "an integer" => parsed.is_i64() || parsed.is_u64(),
                "a number" => parsed.is_number(),
                "a boolean" => parsed.is_boolean(),
                _ => false,
            };
            fits.then(|| format!("remove the quotes: {parsed}"))
        }
        Value::Number(_) | Value::Bool(_) if expected == "a string" => {
            Some(format!("put it in quotes: \"{instance}\""))
        }
        _ => None,
    }
}

fn describe_expected(schema: &Value) -> Option<String> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let v: Vec<String> = values.iter().map(Value::to_string).collect();
        return Some(format!("one of {}", v.join(", ")));
    }
    match schema.get("type")? {
        Value::String(t) => Some(article(t)),
        _ => None,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn article(t: &str) -> String {
    match t {
        "null" => "null".to_owned(),
        "array" | "object" | "integer" => format!("an {t}"),
        _ => format!("a {t}"),
    }
}

/// A value for a message, shortened when long.
fn short(value: &Value) -> String {
    let s = match value {
        Value::Object(_) => return "an object".to_owned(),
        Value::Array(_) => return "an array".to_owned(),
        v => v.to_string(),
    };
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

fn quote_list(items: &[&str]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

/// The candidate closest to `word` (case-insensitive edit distance), if it is close enough to be
/// a likely typo.
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(row[j + 1]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_compiles_and_declares_its_id() {
        let schemas = Schemas::new();
        for id in SchemaId::ALL {
            assert_eq!(schemas.document(id)["$id"], Value::String(id.uri()), "{id:?}");
            // Compiles it (a panic would fail the test).
            let _ = schemas.validator(id).is_valid(&Value::Null);
        }
    }

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("Batchh", &["Batch", "CDC"]), Some("Batch"));
        assert_eq!(closest("batch", &["Batch", "CDC"]), Some("Batch"));
        assert_eq!(closest("Incremental", &["Batch", "CDC"]), None);
    }

    #[test]
    fn locations_read_naturally() {
        assert_eq!(describe_location(""), "the document");
        assert_eq!(describe_location("/properties/jobMode"), "jobMode");
        assert_eq!(describe_location("/activities/2"), "activities[2]");
        assert_eq!(describe_location("/activities/2/id"), "id");
    }
}
