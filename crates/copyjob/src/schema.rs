//! The JSON Schemas (embedded at build time), compiled once per [`Schemas`] value, and the
//! translation of schema errors into positioned diagnostics.

use crate::diagnostic::{Diagnostic, Severity};
#[cfg(not(target_arch = "wasm32"))]
use crate::json::validate::Arena as Instances;
use crate::json::Lookup as _;
use crate::json::{lookup, pointer_join, JsonText, Kind, PointerCursor, Target, ValueRef};
use jsonschema::error::ValidationErrorKind;
#[cfg(target_arch = "wasm32")]
use jsonschema::json::SerdeJson as Instances;
use jsonschema::{Retrieve, Uri, ValidationError, Validator};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
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

/// The `maxLength` of a request property defined in the `$defs` of `create-request.schema.json`
/// (`displayName`, `description`): the one place Fabric's name and description limits are
/// written. The update request's schema refers to the same definitions, and the lint rules on
/// `.platform` read them from here.
pub fn request_max_length(def: &str) -> usize {
    static CREATE: OnceLock<Value> = OnceLock::new();
    let document =
        CREATE.get_or_init(|| serde_json::from_str(SchemaId::CreateRequest.source()).unwrap_or(Value::Null));
    document
        .at(&format!("/$defs/{def}/maxLength"))
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(usize::MAX)
}

/// [`Schemas::document`].
fn schema_document(id: SchemaId) -> &'static Value {
    static DOCUMENTS: [OnceLock<Value>; SchemaId::ALL.len()] =
        [const { OnceLock::new() }; SchemaId::ALL.len()];
    DOCUMENTS[Schemas::slot(id)].get_or_init(|| {
        #[allow(clippy::expect_used)]
        serde_json::from_str(id.source()).expect("embedded schemas are valid JSON")
    })
}

/// A schema as it is compiled: [`schema_document`] with each reference to its own `$defs`
/// replaced by the definition it names (parsed and written once per process). The validator then
/// follows no `$ref`: an error under a `$ref` had jsonschema build its evaluation path (a string
/// and a few allocations per error, a sixth of a check with an error in every activity). The
/// same errors, at paths of this document: diagnostics read their subschemas here.
fn compiled_document(id: SchemaId) -> &'static Value {
    static DOCUMENTS: [OnceLock<Value>; SchemaId::ALL.len()] =
        [const { OnceLock::new() }; SchemaId::ALL.len()];
    DOCUMENTS[Schemas::slot(id)].get_or_init(|| {
        let document = schema_document(id);
        let Value::Object(map) = document else { return document.clone() };
        let no_defs = serde_json::Map::new();
        let defs = document.get("$defs").and_then(Value::as_object).unwrap_or(&no_defs);
        let mut compiled: serde_json::Map<String, Value> = map
            .iter()
            .filter(|(key, _)| *key != "$defs")
            .map(|(key, value)| (key.clone(), inline_refs(value, defs, &mut Vec::new())))
            .collect();
        // The definitions stay only for a reference left to them (a recursive one) or one from
        // another schema (`…/create-request.schema.json#/$defs/displayName`): each compiled
        // definition costs the compiler, the more so the more it inlines.
        let referred_to =
            |target: &str| SchemaId::ALL.iter().any(|other| *other != id && other.source().contains(target));
        let needed = compiled.values().any(|v| refers(v, &|r| r.starts_with("#/$defs/")))
            || referred_to(&format!("{}#/$defs/", id.uri()));
        // A schema that follows no reference and that no other refers to loses its `$id`: with
        // one, jsonschema gave every error the keyword's absolute URI (an `Arc` shared and
        // released per error, the error visited again by each keyword it failed within). Its
        // errors' schema paths are then paths of this document, as `failing_schema` reads them.
        if !referred_to(&id.uri()) && !compiled.values().any(|v| refers(v, &|_| true)) {
            compiled.remove("$id");
        }
        if needed && !defs.is_empty() {
            let inlined = defs
                .iter()
                .map(|(name, def)| (name.clone(), inline_refs(def, defs, &mut vec![name.as_str()])))
                .collect();
            compiled.insert("$defs".to_owned(), Value::Object(inlined));
        }
        Value::Object(compiled)
    })
}

/// Whether `value` holds a `$ref` that `which` accepts.
fn refers(value: &Value, which: &impl Fn(&str) -> bool) -> bool {
    match value {
        Value::Object(map) => {
            map.get("$ref").and_then(Value::as_str).is_some_and(which)
                || map.values().any(|v| refers(v, which))
        }
        Value::Array(items) => items.iter().any(|v| refers(v, which)),
        _ => false,
    }
}

/// `value` with each `"$ref": "#/$defs/<name>"` replaced by that definition (itself inlined): by
/// the definition alone when the `$ref` has no sibling keyword, else by an `allOf` of it beside
/// them (which validates and annotates as the `$ref` did). A definition that refers to itself,
/// directly or not, keeps its `$ref` inside itself; so does a reference to no definition.
fn inline_refs<'d>(
    value: &'d Value,
    defs: &'d serde_json::Map<String, Value>,
    within: &mut Vec<&'d str>,
) -> Value {
    match value {
        Value::Object(map) => {
            // A `$ref` beside an `allOf` that is no array stays as written: the compiler reports it.
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
                .filter(|name| !name.contains(['/', '~']) && !within.contains(name))
                .filter(|_| map.get("allOf").is_none_or(Value::is_array))
                .and_then(|name| defs.get_key_value(name));
            let inlined = target.map(|(name, def)| {
                within.push(name);
                let inlined = inline_refs(def, defs, within);
                within.pop();
                inlined
            });
            let mut rest: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(k, _)| inlined.is_none() || *k != "$ref")
                .map(|(k, v)| (k.clone(), inline_refs(v, defs, within)))
                .collect();
            match inlined {
                None => Value::Object(rest),
                Some(inlined) if rest.is_empty() => inlined,
                Some(inlined) => {
                    if let Value::Array(all) = rest.entry("allOf").or_insert_with(|| Value::Array(Vec::new()))
                    {
                        all.push(inlined);
                    }
                    Value::Object(rest)
                }
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| inline_refs(v, defs, within)).collect()),
        other => other.clone(),
    }
}

/// The base URI of every schema `$id`.
pub const SCHEMA_BASE: &str = "https://copyjob.dev/schemas/";

struct Embedded;

impl Retrieve for Embedded {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let id = SchemaId::by_uri(uri.as_str()).ok_or_else(|| format!("no embedded schema {uri}"))?;
        Ok(compiled_document(id).clone())
    }
}

/// The schemas, each parsed and compiled on first use (a check compiles only those its document
/// needs). Build one and reuse it.
pub struct Schemas {
    validators: [OnceLock<Validator<Instances>>; SchemaId::ALL.len()],
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas").finish_non_exhaustive()
    }
}

impl Schemas {
    /// The embedded schemas, compiled when first needed.
    pub fn new() -> Self {
        Schemas { validators: Default::default() }
    }

    fn slot(id: SchemaId) -> usize {
        SchemaId::ALL.iter().position(|i| *i == id).unwrap_or(0)
    }

    /// The parsed schema document (parsed once per process: its `x-help` texts are shared by
    /// every diagnostic that quotes them).
    ///
    /// # Panics
    /// Never for the shipped schemas: a test parses them all.
    pub fn document(&self, id: SchemaId) -> &'static Value {
        schema_document(id)
    }

    /// The compiled schema (what it validates, the tree or a copy: [`Schemas::check`]).
    ///
    /// # Panics
    /// Never for the shipped schemas: a test compiles them all.
    pub(crate) fn validator(&self, id: SchemaId) -> &Validator<Instances> {
        self.validators[Self::slot(id)].get_or_init(|| {
            #[allow(clippy::expect_used)]
            jsonschema::options_for::<Instances>()
                .should_validate_formats(true)
                .with_retriever(Embedded)
                .build(compiled_document(id))
                .expect("embedded schemas compile")
        })
    }

    /// Validates `json` (which must have parsed) against schema `id`, appending diagnostics. A
    /// valid value costs one `is_valid` pass; errors are collected only for an invalid one.
    ///
    /// Natively the validator reads the parsed tree in place. In WebAssembly it reads a
    /// `serde_json::Value` copy: jsonschema validates its meta-schemas as `serde_json::Value`s
    /// in any case, and a second representation would compile every keyword twice (+480 KB raw,
    /// +95 KB gzipped). A test holds the two to the same errors.
    pub fn check(&self, id: SchemaId, json: &JsonText<'_>, out: &mut Vec<Diagnostic>) {
        let Some(value) = json.root() else { return };
        #[cfg(target_arch = "wasm32")]
        let copy = value.to_value();
        #[cfg(target_arch = "wasm32")]
        let instance = &copy;
        #[cfg(not(target_arch = "wasm32"))]
        let instance = value;
        let validator = self.validator(id);
        if validator.is_valid(instance) {
            return;
        }
        let mut subschemas = Subschemas::default();
        let mut instances = PointerCursor::new(value);
        // Every error is freed after the last is translated, not each after its own: freed one
        // by one, their blocks (a box, locations, values) and the diagnostics' new ones took
        // turns in the allocator's free lists, which it then spent its time sorting and merging
        // (with an error in every activity, +8 % at 64 MB; the peak holds the errors and the
        // diagnostics together, +5 %).
        let errors: Vec<_> = validator.iter_errors(instance).collect();
        // Room for a diagnostic each (the list grew by copies, each a block larger than the last).
        out.reserve(errors.len());
        for error in &errors {
            self.translate(id, error, &mut instances, json, &mut subschemas, out);
        }
        drop(errors);
    }

    /// The subschema holding the keyword that failed (each found once per check: in a document
    /// with an error in every activity, the same few fail again and again).
    fn failing_schema(
        &self,
        root: SchemaId,
        error: &ValidationError<'_>,
        found: &mut Subschemas,
    ) -> Subschema {
        // A keyword's errors share its location's text (an `Arc` the compiled schema holds): it
        // is looked up by its address before its text is read, split and hashed. Every error of
        // the check is alive until the last is translated, so no other text takes that address.
        let location = error.schema_path().as_str();
        let address = (location.as_ptr() as usize, location.len());
        if let Some(subschema) = found.by_address.get(&address) {
            return subschema.clone();
        }
        let (id, pointer) = match error.absolute_keyword_location() {
            Some(uri) => {
                let s = uri.as_str();
                // Split on the byte (a `char` pattern searches char by char).
                let (base, fragment) =
                    memchr::memchr(b'#', s.as_bytes()).map_or((s, ""), |i| (&s[..i], &s[i + 1..]));
                let Some(id) = SchemaId::by_uri(base) else { return Subschema::default() };
                (id, fragment)
            }
            None => (root, location),
        };
        let parent = memchr::memrchr(b'/', pointer.as_bytes()).map_or("", |i| &pointer[..i]);
        let by_pointer = &mut found.by_pointer[Self::slot(id)];
        let subschema = match by_pointer.get(parent) {
            Some(subschema) => subschema.clone(),
            None => {
                let subschema = Subschema::new(lookup(compiled_document(id), parent));
                by_pointer.insert(parent.to_owned(), subschema.clone());
                subschema
            }
        };
        found.by_address.insert(address, subschema.clone());
        subschema
    }

    fn translate(
        &self,
        root: SchemaId,
        error: &ValidationError<'_>,
        instances: &mut PointerCursor<'_>,
        json: &JsonText<'_>,
        subschemas: &mut Subschemas,
        out: &mut Vec<Diagnostic>,
    ) {
        let subschema = self.failing_schema(root, error, subschemas);
        let pointer = error.instance_path().as_str();
        // The failing value, read in the tree (the error would build a copy of it). Every path an
        // error gives is in the tree; were one not, the error is still reported, described by
        // the document.
        let found_instance = instances.at(pointer);
        let instance = found_instance.unwrap_or(instances.root());
        let failure = Failure {
            pointer,
            name: describe_location(pointer),
            instance,
            schema: subschema.value,
            x_help: subschema.x_help,
            x_message: subschema.x_message,
            allowed: subschema.allowed,
        };
        let mut found = |f: Found| {
            let (code, severity) = (f.code, Severity::Error);
            let d = match (f.pointer, found_instance) {
                // On the failing value, found above (not searched again by its pointer).
                (None, Some(value)) => {
                    let span = json.span_of(value, f.target);
                    json.diagnostic_at(span, code, severity, f.message, f.help, failure.pointer.to_owned())
                }
                (pointer, _) => {
                    let pointer = pointer.unwrap_or_else(|| failure.pointer.to_owned());
                    json.diagnostic(pointer, f.target, code, severity, f.message, f.help)
                }
            };
            out.push(d);
        };
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                unexpected.iter().for_each(|key| found(failure.unknown_property(key)));
            }
            ValidationErrorKind::Required { property } => {
                found(failure.missing_property(property.as_str().unwrap_or_default()))
            }
            ValidationErrorKind::Enum { options } => found(failure.not_one_of(options)),
            ValidationErrorKind::Constant { expected_value } => found(failure.not_constant(expected_value)),
            ValidationErrorKind::Type { kind } => found(failure.wrong_type(kind)),
            ValidationErrorKind::Pattern { pattern } => found(failure.pattern(pattern)),
            ValidationErrorKind::Format { format } => found(failure.format(format)),
            ValidationErrorKind::MaxLength { limit } => found(failure.too_long(*limit)),
            ValidationErrorKind::MinLength { limit } => found(failure.too_short(*limit)),
            ValidationErrorKind::Minimum { .. }
            | ValidationErrorKind::Maximum { .. }
            | ValidationErrorKind::ExclusiveMinimum { .. }
            | ValidationErrorKind::ExclusiveMaximum { .. } => {
                found(failure.other("schema/out-of-range", &error.to_string()))
            }
            ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
                found(failure.no_match())
            }
            _ => found(failure.other("schema/invalid", &error.to_string())),
        }
    }
}

/// The failing keywords' subschemas found in one check.
#[derive(Default)]
struct Subschemas {
    /// By the JSON Pointer of the subschema, per schema.
    by_pointer: [foldhash::HashMap<String, Subschema>; SchemaId::ALL.len()],
    /// By the address and length of a keyword's location text ([`Schemas::failing_schema`]).
    by_address: foldhash::HashMap<(usize, usize), Subschema>,
}

/// A failing keyword's subschema, with the texts its diagnostics quote (read once per check).
#[derive(Debug, Clone, Default)]
struct Subschema {
    value: Option<&'static Value>,
    x_help: Option<&'static str>,
    x_message: Option<&'static str>,
    /// Its `enum`.
    allowed: Option<Rc<Allowed>>,
}

/// An `enum`'s values, written once per check, with the closest value to each wrong one found.
#[derive(Debug)]
struct Allowed {
    values: Vec<&'static Value>,
    /// The list as messages write it (`"A", "B"`).
    list: String,
    /// The closest allowed value to a wrong one, by the wrong one (a document with the same
    /// mistake in every activity asks the same again and again).
    closest: RefCell<foldhash::HashMap<String, Option<&'static str>>>,
}

impl Allowed {
    /// How many wrong values [`Allowed::closest`] remembers.
    const REMEMBERED: usize = 256;

    fn closest(&self, wrong: &str) -> Option<&'static str> {
        if let Some(&found) = self.closest.borrow().get(wrong) {
            return found;
        }
        let found = closest_in(wrong, self.values.iter().filter_map(|v| v.as_str()));
        let mut remembered = self.closest.borrow_mut();
        if remembered.len() < Self::REMEMBERED {
            remembered.insert(wrong.to_owned(), found);
        }
        found
    }
}

/// An `enum`'s values as messages write them (`"A", "B"`).
fn allowed_list(options: &[Value]) -> String {
    options.iter().map(Value::to_string).collect::<Vec<_>>().join(", ")
}

impl Subschema {
    fn new(value: Option<&'static Value>) -> Self {
        let text = |key: &str| value.and_then(|s| s.get(key)).and_then(Value::as_str);
        let allowed = value.and_then(|s| s.get("enum")).and_then(Value::as_array).map(|options| {
            let list = allowed_list(options);
            Rc::new(Allowed { values: options.iter().collect(), list, closest: RefCell::default() })
        });
        Subschema { value, x_help: text("x-help"), x_message: text("x-message"), allowed }
    }
}

/// A failed schema keyword, with what its diagnostic needs.
struct Failure<'v> {
    /// Where the failing value is.
    pointer: &'v str,
    /// The failing value's name for messages (`jobMode`, `activities[2]`).
    name: Cow<'v, str>,
    instance: ValueRef<'v>,
    /// The subschema holding the keyword.
    schema: Option<&'static Value>,
    /// The subschema's `x-help`.
    x_help: Option<&'static str>,
    /// The subschema's `x-message`.
    x_message: Option<&'static str>,
    /// The subschema's `enum`, written once per check.
    allowed: Option<Rc<Allowed>>,
}

/// A diagnostic to report for a [`Failure`].
struct Found {
    /// Where, when not the failing value itself.
    pointer: Option<String>,
    target: Target,
    code: &'static str,
    message: Cow<'static, str>,
    help: Option<Cow<'static, str>>,
}

impl Failure<'_> {
    fn found(
        &self,
        target: Target,
        code: &'static str,
        message: impl Into<Cow<'static, str>>,
        help: Option<Cow<'static, str>>,
    ) -> Found {
        Found { pointer: None, target, code, message: message.into(), help }
    }

    /// `additionalProperties` / `unevaluatedProperties`: on the key, with the closest known one.
    fn unknown_property(&self, key: &str) -> Found {
        let known: Vec<&str> = self
            .schema
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let help = match closest(key, &known) {
            Some(k) => format!("did you mean \"{k}\"?"),
            None if known.is_empty() => "remove it".to_owned(),
            None => format!("remove it; the known properties are {}", quote_list(&known)),
        };
        Found {
            pointer: Some(pointer_join(self.pointer, key)),
            target: Target::Key,
            code: "schema/unknown-property",
            message: format!("unknown property \"{key}\" in {}", self.name).into(),
            help: Some(help.into()),
        }
    }

    /// `required`: on the object, saying what to add (the subschema's `x-message`, when it has
    /// one, says what is wrong in the schema's words).
    fn missing_property(&self, property: &str) -> Found {
        // The schema's own help, else what the property expects (described only then).
        let help = self.x_help.map_or_else(
            || {
                let detail =
                    self.schema.and_then(|s| s.get("properties")?.get(property)).and_then(describe_expected);
                Cow::Owned(match detail {
                    Some(d) => format!("add \"{property}\" ({d})"),
                    None => format!("add \"{property}\""),
                })
            },
            Cow::Borrowed,
        );
        self.found(
            Target::Opening,
            "schema/missing-property",
            self.x_message.map_or_else(
                || Cow::Owned(format!("{} is missing the required property \"{property}\"", self.name)),
                Cow::Borrowed,
            ),
            Some(help),
        )
    }

    /// `enum`: the allowed values, and the closest one.
    fn not_one_of(&self, options: &Value) -> Found {
        let options = options.as_array().map(Vec::as_slice).unwrap_or_default();
        // The subschema's list, written once per check (the error's copy of the same values is
        // used only if they differ).
        let written;
        let wrong = self.instance.as_str();
        let (list, closest) = match &self.allowed {
            Some(allowed) if allowed.values.iter().copied().eq(options.iter()) => {
                (allowed.list.as_str(), wrong.and_then(|s| allowed.closest(s)))
            }
            _ => {
                written = allowed_list(options);
                (
                    written.as_str(),
                    wrong.and_then(|s| closest_in(s, options.iter().filter_map(Value::as_str))),
                )
            }
        };
        let help = closest.map(did_you_mean).or_else(|| self.x_help.map(Cow::Borrowed));
        // Written piece by piece: `format!` cost as much as the rest of the diagnostic.
        let mut message = String::with_capacity(64 + self.name.len() + list.len());
        Short(self.instance).write_to(&mut message);
        message.push_str(" is not a valid value for ");
        message.push_str(&self.name);
        message.push_str(": expected one of ");
        message.push_str(list);
        self.found(Target::Value, "schema/invalid-value", message, help)
    }

    /// `const`.
    fn not_constant(&self, expected: &Value) -> Found {
        self.found(
            Target::Value,
            "schema/invalid-value",
            format!("{} is not a valid value for {}: expected {expected}", Short(self.instance), self.name),
            self.x_help.map(Cow::Borrowed),
        )
    }

    /// `type`: with a fix when only quotes are missing or extra.
    fn wrong_type(&self, kind: &jsonschema::error::TypeKind) -> Found {
        let expected = match kind {
            jsonschema::error::TypeKind::Single(t) => article(&t.to_string()),
            jsonschema::error::TypeKind::Multiple(set) => {
                set.iter().map(|t| article(&t.to_string())).collect::<Vec<_>>().join(" or ")
            }
        };
        let target = if self.instance.is_object() || self.instance.is_array() {
            Target::Opening
        } else {
            Target::Value
        };
        self.found(
            target,
            "schema/wrong-type",
            format!("{} must be {expected}, not {}", self.name, article(json_type(self.instance))),
            self.x_help.map(Cow::Borrowed).or_else(|| retype_help(self.instance, &expected).map(Cow::Owned)),
        )
    }

    /// `pattern`.
    fn pattern(&self, pattern: &str) -> Found {
        self.found(
            Target::Value,
            "schema/pattern-mismatch",
            format!("{} is not a valid {}", Short(self.instance), self.name),
            self.x_help
                .map(Cow::Borrowed)
                .or_else(|| Some(Cow::Owned(format!("the value must match the pattern `{pattern}`")))),
        )
    }

    /// `format`.
    fn format(&self, format: &str) -> Found {
        let help = self.x_help.map(Cow::Borrowed).or_else(|| {
            (format == "uuid")
                .then_some(Cow::Borrowed("use a GUID such as 00000000-0000-0000-0000-000000000000"))
        });
        self.found(
            Target::Value,
            "schema/invalid-format",
            format!("{} is not a valid {format} in {}", Short(self.instance), self.name),
            help,
        )
    }

    /// `maxLength`: with the length.
    fn too_long(&self, limit: u64) -> Found {
        let len = self.instance.as_str().map_or(0, |s| s.chars().count());
        self.found(
            Target::Value,
            "schema/too-long",
            format!("{} is {len} characters long; at most {limit} are allowed", self.name),
            self.x_help.map(Cow::Borrowed).or(Some(Cow::Borrowed("shorten it"))),
        )
    }

    /// `minLength`.
    fn too_short(&self, limit: u64) -> Found {
        self.found(
            Target::Value,
            "schema/too-short",
            format!(
                "{} must be at least {limit} character{} long",
                self.name,
                if limit == 1 { "" } else { "s" }
            ),
            self.x_help.map(Cow::Borrowed),
        )
    }

    /// `anyOf` / `oneOf`: the schema's `x-message` when it has one.
    fn no_match(&self) -> Found {
        let message = self.x_message.map_or_else(
            || Cow::Owned(format!("{} does not match any of the allowed shapes", self.name)),
            Cow::Borrowed,
        );
        self.found(Target::Opening, "schema/no-match", message, self.x_help.map(Cow::Borrowed))
    }

    /// Any other keyword: the validator's own message.
    fn other(&self, code: &'static str, message: &str) -> Found {
        self.found(Target::Value, code, format!("{}: {message}", self.name), self.x_help.map(Cow::Borrowed))
    }
}

impl Default for Schemas {
    fn default() -> Self {
        Self::new()
    }
}

/// Names the value at `pointer` for a message: `jobMode`, `activities[2].id`, `the document`.
pub(crate) fn describe_location(pointer: &str) -> Cow<'_, str> {
    // The last key, then the indexes after it, read from the end: usually the key alone, borrowed.
    let Some(body) = memchr::memchr(b'/', pointer.as_bytes()).map(|i| &pointer[i + 1..]) else {
        return Cow::Borrowed("the document");
    };
    let mut key = None;
    let mut indexes = 0;
    // `body.rsplit('/')`, splitting on the byte.
    let mut end = body.len();
    loop {
        let start = memchr::memrchr(b'/', &body.as_bytes()[..end]).map_or(0, |i| i + 1);
        let segment = &body[start..end];
        if segment.parse::<usize>().is_err() {
            key = Some(segment);
            break;
        }
        indexes += 1;
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    let key = match key {
        Some(k) if k.as_bytes().contains(&b'~') => Cow::Owned(k.replace("~1", "/").replace("~0", "~")),
        Some(k) => Cow::Borrowed(k),
        None => Cow::Borrowed(""),
    };
    if indexes == 0 {
        return if key.is_empty() { Cow::Borrowed("the document") } else { key };
    }
    let mut name = if key.is_empty() { "item ".to_owned() } else { key.into_owned() };
    for index in body.rsplit('/').take(indexes).collect::<Vec<_>>().into_iter().rev() {
        name.push('[');
        name.push_str(index);
        name.push(']');
    }
    Cow::Owned(name)
}

/// Help for a value of the wrong type that is only quoted, or unquoted, by mistake.
fn retype_help(instance: ValueRef<'_>, expected: &str) -> Option<String> {
    match instance.kind() {
        Kind::String => {
            let s = instance.as_str().unwrap_or_default();
            let parsed: Value = serde_json::from_str(s.trim()).ok()?;
            let fits = match expected {
                "an integer" => parsed.is_i64() || parsed.is_u64(),
                "a number" => parsed.is_number(),
                "a boolean" => parsed.is_boolean(),
                _ => false,
            };
            fits.then(|| format!("remove the quotes: {parsed}"))
        }
        Kind::PosInt | Kind::NegInt | Kind::Float | Kind::True | Kind::False if expected == "a string" => {
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

fn json_type(value: ValueRef<'_>) -> &'static str {
    match value.kind() {
        Kind::Null => "null",
        Kind::True | Kind::False => "boolean",
        Kind::PosInt | Kind::NegInt => "integer",
        Kind::Float => "number",
        Kind::String => "string",
        Kind::Array => "array",
        Kind::Object => "object",
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
/// `did you mean "<value>"?` for an allowed value of an `enum` of the schemas: written once per
/// process for every such value (the schemas are the process's), so each diagnostic shares it.
fn did_you_mean(value: &str) -> Cow<'static, str> {
    static WRITTEN: OnceLock<foldhash::HashMap<&'static str, String>> = OnceLock::new();
    let written = WRITTEN.get_or_init(|| {
        fn collect(value: &'static Value, out: &mut foldhash::HashMap<&'static str, String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::Array(options)) = map.get("enum") {
                        for option in options.iter().filter_map(Value::as_str) {
                            out.insert(option, format!("did you mean \"{option}\"?"));
                        }
                    }
                    map.values().for_each(|v| collect(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
                _ => {}
            }
        }
        let mut out = foldhash::HashMap::default();
        SchemaId::ALL.into_iter().for_each(|id| collect(schema_document(id), &mut out));
        out
    });
    match written.get(value) {
        Some(help) => Cow::Borrowed(help.as_str()),
        None => Cow::Owned(format!("did you mean \"{value}\"?")),
    }
}

/// A value as messages quote it: its JSON, at most 60 characters (57 and an ellipsis).
struct Short<'v>(ValueRef<'v>);

impl Short<'_> {
    /// Appends it to `out` (a short string without escapes is copied, not formatted).
    fn write_to(&self, out: &mut String) {
        match self.plain() {
            Some(s) => {
                out.push('"');
                out.push_str(s);
                out.push('"');
            }
            None => {
                use std::fmt::Write as _;
                let _ = write!(out, "{self}");
            }
        }
    }

    /// The string, when it is short and needs no escape.
    fn plain(&self) -> Option<&str> {
        self.0.as_str().filter(|s| s.len() <= 58 && s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'))
    }
}

impl std::fmt::Display for Short<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.0;
        match value.kind() {
            Kind::Object => return f.write_str("an object"),
            Kind::Array => return f.write_str("an array"),
            _ => {}
        }
        // A short string that needs no escape is written as it is (no copy of it to serialize).
        if let Some(s) = self.plain() {
            return write!(f, "\"{s}\"");
        }
        let s = value.to_string();
        if s.chars().count() > 60 {
            write!(f, "{}…", s.chars().take(57).collect::<String>())
        } else {
            f.write_str(&s)
        }
    }
}

fn quote_list(items: &[&str]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

/// The candidate closest to `word` (case-insensitive edit distance), if it is close enough to be
/// a likely typo: one edit per three characters of the candidate, at least one.
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    closest_in(word, candidates.iter().copied())
}

/// [`closest`] among any candidates.
fn closest_in<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    crate::suggest::suggest(word, candidates, |_, candidate| (candidate / 3).max(1))
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
            let null = JsonText::parse("null", None, &mut Vec::new());
            assert!(null.root().is_some_and(|v| !schemas.validator(id).is_valid(v)), "{id:?}");
        }
    }

    /// The name and description limits are written once, in the create request's `$defs`: the
    /// update request refers to them, the `.platform` rules read them, and the prose agrees.
    #[test]
    fn request_limits_have_one_source() {
        let schemas = Schemas::new();
        for (def, limit, rule) in [
            ("displayName", 123, "platform-display-name"),
            ("description", 256, "platform-description-length"),
        ] {
            assert_eq!(request_max_length(def), limit, "{def}");
            let target = format!("{SCHEMA_BASE}create-request.schema.json#/$defs/{def}");
            let update = &schemas.document(SchemaId::UpdateRequest)["properties"][def];
            assert_eq!(update["$ref"], Value::String(target), "update request: {def}");
            assert!(update.get("maxLength").is_none(), "update request: {def} sets its own limit");
            let create = &schemas.document(SchemaId::CreateRequest)["properties"][def];
            assert_eq!(create["$ref"], Value::String(format!("#/$defs/{def}")), "create request: {def}");
            for doc in [create, update] {
                let text = doc["description"].as_str().unwrap_or_default();
                assert!(text.contains(&format!("{limit} characters")), "{def}: {text}");
            }
            let meta =
                crate::lint::all_rules().find(|r| r.name == rule).map(|r| r.markdown()).unwrap_or_default();
            assert!(meta.contains(&format!("{limit} characters")), "{rule} docs do not say {limit}");
        }
    }

    /// Every JSON file of the repository's `tests/` folder (fixtures and corpus), with its path.
    fn corpus() -> Vec<(std::path::PathBuf, String)> {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|e| e == "json" || e == "platform") {
                    out.push(path);
                }
            }
        }
        let mut paths = Vec::new();
        files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests"), &mut paths);
        paths.sort();
        paths.into_iter().filter_map(|p| std::fs::read_to_string(&p).ok().map(|text| (p, text))).collect()
    }

    #[test]
    fn the_schemas_with_their_definitions_inlined_validate_as_written() {
        /// The schemas as written in `schemas/`, `$ref`s and all.
        struct Written;
        impl Retrieve for Written {
            fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
                let id = SchemaId::by_uri(uri.as_str()).ok_or("no such schema")?;
                Ok(serde_json::from_str(id.source())?)
            }
        }
        let build = |document: &Value, written: bool| {
            let options = jsonschema::options().should_validate_formats(true);
            let options =
                if written { options.with_retriever(Written) } else { options.with_retriever(Embedded) };
            options.build(document).expect("compiles")
        };
        // The same errors, at the same places, saying the same: only the schema paths differ.
        let errors = |e: ValidationError<'_>| (e.instance_path().as_str().to_owned(), e.to_string());
        let (mut documents, mut errors_seen) = (0, 0);
        for (path, text) in corpus() {
            let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
            documents += 1;
            for id in SchemaId::ALL {
                let written = build(schema_document(id), true);
                let compiled = build(compiled_document(id), false);
                let mut expected: Vec<_> = written.iter_errors(&value).map(errors).collect();
                let mut found: Vec<_> = compiled.iter_errors(&value).map(errors).collect();
                expected.sort();
                found.sort();
                assert_eq!(found, expected, "{} against {id:?}", path.display());
                errors_seen += expected.len();
            }
        }
        assert!(documents > 100 && errors_seen > 1000, "{documents} documents, {errors_seen} errors");
        // The content schema follows no reference of its own, and drops its definitions; those
        // another schema refers to stay.
        let content = compiled_document(SchemaId::Content);
        assert!(!content.to_string().contains("$ref"), "{content}");
        assert!(content.get("$defs").is_none());
        assert!(compiled_document(SchemaId::CreateRequest)["$defs"].get("displayName").is_some());
        // Nothing refers to the content and platform schemas: compiled without their `$id`, their
        // errors carry no absolute location. Those referred to keep theirs.
        for (id, kept) in [
            (SchemaId::Content, false),
            (SchemaId::Platform, false),
            (SchemaId::Definition, true),
            (SchemaId::CreateRequest, true),
        ] {
            assert_eq!(compiled_document(id).get("$id").is_some(), kept, "{id:?}");
        }
    }

    #[test]
    fn a_definition_replaces_its_reference_and_keeps_a_recursive_one() {
        let schema = serde_json::json!({
            "properties": {
                "a": { "$ref": "#/$defs/name" },
                "b": { "$ref": "#/$defs/name", "description": "kept", "allOf": [ { "minLength": 1 } ] },
                "c": { "$ref": "#/$defs/tree" },
                "d": { "$ref": "#/$defs/missing" },
                "e": { "$ref": "other.json#/$defs/name" }
            },
            "$defs": {
                "name": { "type": "string" },
                "tree": { "type": "object", "properties": { "child": { "$ref": "#/$defs/tree" } } }
            }
        });
        let defs = schema["$defs"].as_object().expect("defs");
        let inlined = inline_refs(&schema, defs, &mut Vec::new());
        assert_eq!(inlined["properties"]["a"], serde_json::json!({ "type": "string" }));
        assert_eq!(
            inlined["properties"]["b"],
            serde_json::json!({ "description": "kept", "allOf": [ { "minLength": 1 }, { "type": "string" } ] })
        );
        // A recursive definition is inlined once; its reference to itself stays.
        assert_eq!(
            inlined["properties"]["c"],
            serde_json::json!({ "type": "object", "properties": { "child": { "$ref": "#/$defs/tree" } } })
        );
        assert_eq!(inlined["properties"]["d"], schema["properties"]["d"]);
        assert_eq!(inlined["properties"]["e"], schema["properties"]["e"]);
        // Inside its own definition too: the recursion ends at the first repetition.
        assert_eq!(inlined["$defs"]["tree"]["properties"]["child"], inlined["properties"]["c"]);
    }

    /// Validating the tree in place finds exactly the errors that validating a
    /// `serde_json::Value` copy of it finds: every JSON file of the repository's tests against
    /// every schema.
    #[test]
    fn the_tree_validates_as_a_serde_json_value_does() {
        let schemas = Schemas::new();
        let serde: Vec<Validator> = SchemaId::ALL
            .iter()
            .map(|id| {
                jsonschema::options()
                    .should_validate_formats(true)
                    .with_retriever(Embedded)
                    .build(compiled_document(*id))
                    .expect("compiles")
            })
            .collect();
        let errors = |e: ValidationError<'_>| {
            (e.instance_path().as_str().to_owned(), e.schema_path().as_str().to_owned(), e.to_string())
        };
        let (mut documents, mut invalid) = (0, 0);
        for (path, text) in corpus() {
            let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
            let json = JsonText::parse(&text, None, &mut Vec::new());
            let tree = json.root().expect("parses as serde_json does");
            documents += 1;
            for (id, validator) in SchemaId::ALL.iter().zip(&serde) {
                let mut expected: Vec<_> = validator.iter_errors(&value).map(errors).collect();
                let mut found: Vec<_> = schemas.validator(*id).iter_errors(tree).map(errors).collect();
                expected.sort();
                found.sort();
                assert_eq!(found, expected, "{} against {id:?}", path.display());
                assert_eq!(schemas.validator(*id).is_valid(tree), expected.is_empty());
                invalid += usize::from(!expected.is_empty());
            }
        }
        assert!(documents > 100 && invalid > 100, "{documents} documents, {invalid} invalid");
    }

    /// What one check finds, its failing subschemas remembered across errors (by location text
    /// and address), is what each error translated on its own finds.
    #[test]
    fn each_error_reads_the_subschema_it_would_read_alone() {
        let schemas = Schemas::new();
        let (mut errors_seen, mut helps) = (0, std::collections::HashSet::new());
        // Many keywords failing in one document, their locations of every length.
        let many = serde_json::json!({
            "properties": {
                "jobMode": "Batchh",
                "policy": { "timeout": 5, "retry": -1 },
                "source": { "type": 1, "connectionSettings": { "type": [] } },
                "destination": { "connectionSettings": {} },
            },
            "activities": [{
                "id": 7,
                "properties": {
                    "source": { "datasetSettings": { "table": 1, "schema": 2 }, "noTruncation": "yes" },
                    "destination": {
                        "writeBehavior": "Replace", "tableOption": 3, "applyVOrder": "no",
                        "datasetSettings": { "schema": 1 }, "upsertSettings": { "keys": [1], "useTempDB": 0 },
                    },
                    "translator": { "type": 1, "mappings": [{ "source": { "name": 1, "type": 2 } }] },
                    "enableStaging": "no",
                    "typeConversionSettings": {},
                },
            }, { "properties": { "source": {} } }, 3],
        });
        let mut documents = corpus();
        documents.push((std::path::PathBuf::from("many"), many.to_string()));
        for (path, text) in documents {
            let json = JsonText::parse(&text, None, &mut Vec::new());
            let Some(root) = json.root() else { continue };
            for id in SchemaId::ALL {
                let mut shared = Vec::new();
                schemas.check(id, &json, &mut shared);
                let mut alone = Vec::new();
                for error in schemas.validator(id).iter_errors(root) {
                    let (mut cursor, mut found) = (PointerCursor::new(root), Subschemas::default());
                    schemas.translate(id, &error, &mut cursor, &json, &mut found, &mut alone);
                }
                assert_eq!(shared, alone, "{} against {id:?}", path.display());
                errors_seen += alone.len();
                helps.extend(alone.into_iter().filter_map(|d| d.help));
            }
        }
        assert!(errors_seen > 1000 && helps.len() > 25, "{errors_seen} errors, {} helps", helps.len());
    }

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("Batchh", &["Batch", "CDC"]), Some("Batch"));
        assert_eq!(closest("batch", &["Batch", "CDC"]), Some("Batch"));
        assert_eq!(closest("Incremental", &["Batch", "CDC"]), None);
    }

    /// [`Short`] as first written: the value serialized, then cut.
    fn short_plain(value: ValueRef<'_>) -> String {
        let s = match value.kind() {
            Kind::Object => return "an object".to_owned(),
            Kind::Array => return "an array".to_owned(),
            _ => value.to_string(),
        };
        if s.chars().count() > 60 {
            format!("{}…", s.chars().take(57).collect::<String>())
        } else {
            s
        }
    }

    proptest::proptest! {
        #[test]
        fn a_value_is_quoted_as_its_plain_serialization(
            text in "[a\"\\\\é\u{1}x]{0,70}",
            plain in "[a-z]{55,62}",
            number in proptest::num::f64::ANY,
        ) {
            let document = serde_json::json!([text, plain, number, true, null, {"a": 1}, [1]]).to_string();
            let json = JsonText::parse(&document, None, &mut Vec::new());
            let items = json.root().and_then(|v| v.as_array()).map(|a| a.iter().collect::<Vec<_>>()).unwrap_or_default();
            proptest::prop_assert_eq!(items.len(), 7);
            for item in items {
                proptest::prop_assert_eq!(Short(item).to_string(), short_plain(item));
                let mut written = String::new();
                Short(item).write_to(&mut written);
                proptest::prop_assert_eq!(written, short_plain(item));
            }
        }
    }

    /// [`describe_location`] as first written: every segment decoded, forward.
    fn describe_location_plain(pointer: &str) -> String {
        let mut key = Cow::Borrowed("");
        let mut indexes = String::new();
        for segment in crate::json::segments(pointer) {
            if segment.parse::<usize>().is_ok() {
                indexes.push('[');
                indexes.push_str(&segment);
                indexes.push(']');
            } else {
                key = segment;
                indexes.clear();
            }
        }
        match (key.is_empty(), indexes.is_empty()) {
            (true, true) => "the document".to_owned(),
            (true, false) => format!("item {indexes}"),
            (false, true) => key.into_owned(),
            (false, false) => key.into_owned() + &indexes,
        }
    }

    proptest::proptest! {
        #[test]
        fn a_location_reads_as_its_plain_description(pointer in "[a/0-9~+]{0,12}") {
            proptest::prop_assert_eq!(describe_location(&pointer), describe_location_plain(&pointer));
        }
    }

    #[test]
    fn an_enum_values_help_is_written_once_per_process() {
        // "Append" is an allowed writeBehavior: its help is the one written for the schemas.
        assert!(matches!(did_you_mean("Append"), Cow::Borrowed("did you mean \"Append\"?")));
        assert!(
            matches!(did_you_mean("not in any schema"), Cow::Owned(ref h) if h == "did you mean \"not in any schema\"?")
        );
    }

    #[test]
    fn locations_read_naturally() {
        assert_eq!(describe_location(""), "the document");
        assert_eq!(describe_location("/properties/jobMode"), "jobMode");
        assert_eq!(describe_location("/activities/2"), "activities[2]");
        assert_eq!(describe_location("/activities/2/id"), "id");
        assert_eq!(describe_location("/0/1"), "item [0][1]");
        assert_eq!(describe_location("/a~1b/0/1"), "a/b[0][1]");
        assert_eq!(describe_location("/activities/2/"), "the document");
    }
}
