//! Reading a definition in any shape users have it, decoding its parts, and checking them.

use crate::codec::{decode_base64, decode_text, has_bom, TextProblem};
use crate::config::{Config, RuleLevel};
use crate::diagnostic::{Diagnostic, LineIndex, Range, Severity};
use crate::json::{JsonText, ObjectRef, Target, ValueRef};
use crate::lint::{rules::DOCS_PLATFORM_PLACEHOLDER, LintContext, Rule, RULES};
use crate::model::{ItemFile, CONTENT_PART, INLINE_BASE64, KNOWN_PARTS, PLATFORM_PART};
use crate::schema::{SchemaId, Schemas};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{hash_map::Entry, HashMap};

/// Part paths and a position each (foldhash: SipHash was a tenth of checking an envelope of many
/// parts, a diagnostic each).
type PathMap<'a> = HashMap<&'a str, usize, foldhash::fast::RandomState>;

/// The shape of a checked document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DocumentKind {
    /// A create request body: `{displayName, description?, folderId?, definition?}`.
    CreateRequest,
    /// An update (PATCH) request body: `{displayName?, description?}`.
    UpdateRequest,
    /// `{"definition": {...}}`: an updateDefinition request or a getDefinition response.
    DefinitionBody,
    /// A bare definition envelope `{format?, parts}`.
    Definition,
    /// A `copyjob-content.json` file.
    Content,
    /// A `.platform` file.
    Platform,
    /// A Git item folder (`Name.CopyJob/`).
    ItemFolder,
    /// Not a shape this crate knows.
    Unknown,
}

impl DocumentKind {
    /// What a user would call this shape.
    pub fn describe(self) -> &'static str {
        match self {
            DocumentKind::CreateRequest => "create request body",
            DocumentKind::UpdateRequest => "update request body",
            DocumentKind::DefinitionBody => "definition body",
            DocumentKind::Definition => "definition",
            DocumentKind::Content => "copyjob-content.json",
            DocumentKind::Platform => ".platform",
            DocumentKind::ItemFolder => "item folder",
            DocumentKind::Unknown => "unknown document",
        }
    }

    /// Guesses the shape of a parsed document from its top-level keys.
    pub fn classify(value: ValueRef<'_>) -> DocumentKind {
        let Some(object) = value.as_object() else { return DocumentKind::Unknown };
        let has = |k: &str| object.contains_key(k);
        if is_json_schema(value) || is_activity(value) {
            return DocumentKind::Unknown;
        }
        let create_keys = ["displayName", "type", "folderId", "sensitivityLabelSettings"];
        if has("definition") {
            if create_keys.iter().any(|k| has(k)) || has("description") {
                DocumentKind::CreateRequest
            } else {
                DocumentKind::DefinitionBody
            }
        } else if has("parts") {
            DocumentKind::Definition
        } else if has("activities") || object.get("properties").is_some_and(looks_like_job_properties) {
            DocumentKind::Content
        } else if has("metadata") || has("config") {
            DocumentKind::Platform
        } else if create_keys.iter().any(|k| has(k)) {
            DocumentKind::CreateRequest
        } else if has("description") {
            DocumentKind::UpdateRequest
        } else {
            DocumentKind::Unknown
        }
    }

    /// The shape a file's name implies: files named (or ending in) `copyjob-content.json` and
    /// `.platform` are those parts; `*.create.json` is a create body and `*.update.json` an update
    /// (PATCH) body, the two shapes that cannot always be told apart by their content.
    pub fn from_file_name(name: &str) -> Option<DocumentKind> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        if base.ends_with(CONTENT_PART) {
            Some(DocumentKind::Content)
        } else if base.ends_with(PLATFORM_PART) {
            Some(DocumentKind::Platform)
        } else if base.ends_with(".create.json") {
            Some(DocumentKind::CreateRequest)
        } else if base.ends_with(".update.json") {
            Some(DocumentKind::UpdateRequest)
        } else {
            None
        }
    }

    /// The kind a user names (`--kind`, the npm option `kind`): the camelCase name of the
    /// variant (`updateRequest`) or a short one (`create`, `update`, `definition`, `content`,
    /// `platform`).
    pub fn from_name(name: &str) -> Option<DocumentKind> {
        Some(match name {
            "create" | "createRequest" => DocumentKind::CreateRequest,
            "update" | "updateRequest" => DocumentKind::UpdateRequest,
            "definitionBody" | "update-definition" | "getDefinition" => DocumentKind::DefinitionBody,
            "definition" | "parts" => DocumentKind::Definition,
            "content" | "copyjob-content.json" => DocumentKind::Content,
            "platform" | ".platform" => DocumentKind::Platform,
            _ => return None,
        })
    }

    /// Whether a create body could equally be an update (PATCH) body: only `displayName` and
    /// `description` (both bodies' keys).
    fn is_ambiguous_body(object: ObjectRef<'_>) -> bool {
        object.contains_key("displayName") && object.keys().all(|k| k == "displayName" || k == "description")
    }
}

/// A text's JSON as the checker reads it (a byte-order mark skipped, a raw control character in
/// a string kept), as a `serde_json::Value`.
fn json_value(text: &str) -> Option<Value> {
    JsonText::parse(text, None, &mut Vec::new()).to_value()
}

/// Whether a document is a JSON Schema rather than a definition.
fn is_json_schema(value: ValueRef<'_>) -> bool {
    value.member("$schema").and_then(ValueRef::as_str).is_some_and(|s| s.contains("json-schema.org"))
}

/// Whether a document is a single activity (`{id?, properties: {source, destination}}`).
fn is_activity(value: ValueRef<'_>) -> bool {
    value.member("activities").is_none()
        && value.member("properties").and_then(ValueRef::as_object).is_some_and(|p| {
            p.get("jobMode").is_none() && p.get("source").is_some() && p.get("destination").is_some()
        })
        && value.at("/properties/source/connectionSettings").is_none()
}

/// Whether a `properties` value looks like a Copy job's (and not, say, a JSON Schema's).
fn looks_like_job_properties(value: ValueRef<'_>) -> bool {
    let Some(object) = value.as_object() else { return false };
    object.is_empty() || ["jobMode", "source", "destination", "policy"].iter().any(|k| object.contains_key(k))
}

/// A definition part, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The part's path: `copyjob-content.json`, `.platform`, or an unknown one.
    pub path: String,
    /// The base64 payload, exactly as the envelope carried it (absent for files).
    pub payload: Option<String>,
    /// JSON Pointer to the part object in the checked document (`/definition/parts/0`), when
    /// the part came from an envelope.
    pub pointer: Option<String>,
    /// Where the payload string (quotes included) is in the checked document, when the part came
    /// from an envelope.
    pub payload_range: Option<Range>,
    /// The decoded bytes.
    pub bytes: Vec<u8>,
    /// Whether the part is a known part and valid JSON.
    pub parsed: bool,
}

impl Part {
    /// The part's JSON as a `serde_json::Value` (parsed on each call), when it is a known part
    /// and valid JSON.
    pub fn value(&self) -> Option<Value> {
        self.text().filter(|_| self.parsed).and_then(json_value)
    }

    /// The part's text, when its bytes are UTF-8 (a byte-order mark stays in the text).
    pub fn text(&self) -> Option<&str> {
        decode_text(&self.bytes).ok()
    }
}

/// Everything learnt about one document or item folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The document's shape.
    pub kind: DocumentKind,
    /// The checked document's text, when it was a JSON document holding parts (a request or
    /// response body, or an envelope): diagnostics without a `part` point into it.
    pub source: Option<String>,
    /// The parts, in document order.
    pub parts: Vec<Part>,
    /// Every problem found: the document's first, then each part's in part order, by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// The checked document's JSON as a `serde_json::Value` (parsed on each call), for request and
    /// response bodies and envelopes that are valid JSON.
    pub fn document(&self) -> Option<Value> {
        self.source.as_deref().and_then(json_value)
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The number of diagnostics of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// The part with a path (a search of the list: to look up every diagnostic's part, use
    /// [`Report::index`]).
    pub fn part(&self, path: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.path == path)
    }

    /// The text a diagnostic's positions refer to: its part's text, or the document's. Checks
    /// the part's UTF-8 at each call: for every diagnostic, use [`Report::index`].
    pub fn text_of(&self, diagnostic: &Diagnostic) -> Option<&str> {
        match &diagnostic.part {
            Some(path) => self.part(path).and_then(Part::text),
            None => self.source.as_deref(),
        }
    }

    /// The parts by path, each text checked once: what renders every diagnostic with its text
    /// uses (a search of the parts and a UTF-8 check of the text per diagnostic cost the size of
    /// the envelope, or of the part, for each).
    pub fn index(&self) -> ReportIndex<'_> {
        ReportIndex {
            report: self,
            by_path: self.part_positions(),
            texts: vec![std::cell::OnceCell::new(); self.parts.len()],
        }
    }

    /// Each part path's position in the list (the first part with it, as [`Report::part`] finds).
    fn part_positions(&self) -> PathMap<'_> {
        let mut positions = PathMap::with_capacity_and_hasher(self.parts.len(), Default::default());
        for (i, part) in self.parts.iter().enumerate() {
            positions.entry(part.path.as_str()).or_insert(i);
        }
        positions
    }

    /// Sorts the diagnostics the way every output shows them: the document's first, then each
    /// part's in part order, each by position, then code (for diagnostics added to a report).
    pub fn sort(&mut self) {
        self.sort_with(Vec::new());
    }

    /// Sorts the report's diagnostics and `later` (the rules' findings) into one list.
    fn sort_with(&mut self, mut later: Vec<Diagnostic>) {
        // The document first, then the parts in their order (looked up once, and only when a
        // diagnostic is in a part: an envelope may hold thousands of parts), each by position.
        let positions = std::cell::OnceCell::new();
        let rank = |d: &Diagnostic| {
            let p = d.part.as_deref()?;
            Some(positions.get_or_init(|| self.part_positions()).get(p).copied().unwrap_or(usize::MAX))
        };
        // Small keys are sorted, each diagnostic's part ranked once, and the diagnostics moved
        // once into their places (sorting the diagnostics themselves moved them in every merge).
        let keys_of = |list: &[Diagnostic]| -> Vec<SortKey> {
            list.iter()
                .enumerate()
                .map(|(i, d)| (rank(d), d.range.start.offset, d.range.end.offset, i))
                .collect()
        };
        let mut keys = keys_of(&self.diagnostics);
        let later_keys = keys_of(&later);
        // The first place out of order, if any.
        let unsorted = |keys: &[SortKey], list: &[Diagnostic]| {
            keys.windows(2)
                .position(|pair| in_order(&pair[0], &list[pair[0].3], &pair[1], &list[pair[1].3]).is_gt())
        };
        let later_sorted = unsorted(&later_keys, &later).is_none();
        // Often in order already (a parser's problems, one rule's findings), or two runs in order
        // (the schemas' findings, then one rule's): merged, each diagnostic moved once.
        match unsorted(&keys, &self.diagnostics).map(|i| i + 1) {
            None if later.is_empty() => return,
            None if later_sorted => {
                let first = std::mem::take(&mut self.diagnostics);
                self.diagnostics = merge(first, &keys, later, &later_keys);
                return;
            }
            Some(split) if later.is_empty() && unsorted(&keys[split..], &self.diagnostics).is_none() => {
                let second = self.diagnostics.split_off(split);
                let first = std::mem::take(&mut self.diagnostics);
                self.diagnostics = merge(first, &keys[..split], second, &keys[split..]);
                return;
            }
            _ => {}
        }
        let before = self.diagnostics.len();
        keys.extend(later_keys.into_iter().map(|(part, start, end, i)| (part, start, end, before + i)));
        self.diagnostics.append(&mut later);
        let diagnostics = &self.diagnostics;
        keys.sort_by(|a, b| in_order(a, &diagnostics[a.3], b, &diagnostics[b.3]));
        // Each diagnostic moved once, in its order, into a list of their number: read from a few
        // sequential runs (each source's findings are in order), written in order. Following
        // the permutation's cycles in place moved them as often, but to and from random places
        // of a list larger than the cache: twice as long with a diagnostic in every activity.
        let mut taken: Vec<Option<Diagnostic>> =
            std::mem::take(&mut self.diagnostics).into_iter().map(Some).collect();
        let mut sorted = Vec::with_capacity(taken.len());
        sorted.extend(keys.iter().filter_map(|k| taken[k.3].take()));
        self.diagnostics = sorted;
    }

    /// A problem inside a part decoded from a payload, as it shows in the checked document: on the
    /// payload string, its position in the part named in the message (`… (copyjob-content.json
    /// line 3, column 16)`), without the fix (which edits the part's text). `None` for
    /// diagnostics of the document itself and of parts that did not come from a payload.
    pub fn on_payload(&self, diagnostic: &Diagnostic) -> Option<Diagnostic> {
        on_payload(self.part(diagnostic.part.as_deref()?)?, diagnostic)
    }
}

/// A [`Report`]'s parts by path, each part's text checked once ([`Report::index`]).
#[derive(Debug)]
pub struct ReportIndex<'r> {
    report: &'r Report,
    by_path: PathMap<'r>,
    texts: Vec<std::cell::OnceCell<Option<&'r str>>>,
}

impl<'r> ReportIndex<'r> {
    /// [`Report::part`].
    pub fn part(&self, path: &str) -> Option<&'r Part> {
        self.by_path.get(path).map(|&i| &self.report.parts[i])
    }

    /// [`Report::text_of`].
    pub fn text_of(&self, diagnostic: &Diagnostic) -> Option<&'r str> {
        match &diagnostic.part {
            Some(path) => {
                let i = *self.by_path.get(&**path)?;
                *self.texts[i].get_or_init(|| self.report.parts[i].text())
            }
            None => self.report.source.as_deref(),
        }
    }

    /// [`Report::on_payload`].
    pub fn on_payload(&self, diagnostic: &Diagnostic) -> Option<Diagnostic> {
        on_payload(self.part(diagnostic.part.as_deref()?)?, diagnostic)
    }
}

fn on_payload(part: &Part, diagnostic: &Diagnostic) -> Option<Diagnostic> {
    let path = &part.path;
    let range = part.payload_range?;
    let start = diagnostic.range.start;
    Some(Diagnostic {
        message: format!("{} ({path} line {}, column {})", diagnostic.message, start.line, start.column)
            .into(),
        part: None,
        pointer: format!("{}/payload", part.pointer.as_deref().unwrap_or_default()),
        range,
        fix: None,
        ..diagnostic.clone()
    })
}

/// Checks definitions. Holds the compiled schemas: build one and reuse it, with a [`Config`] per
/// call ([`Checker::check`]); the `check_*` shorthands use the default configuration.
#[derive(Debug, Default)]
pub struct Checker {
    schemas: Schemas,
}

impl Checker {
    /// A checker with every schema compiled.
    pub fn new() -> Self {
        Checker { schemas: Schemas::new() }
    }

    /// The compiled schemas.
    pub fn schemas(&self) -> &Schemas {
        &self.schemas
    }

    /// Checks a JSON document of any supported shape: a create, update or updateDefinition
    /// request body, a getDefinition response, a bare `{parts}` envelope, a
    /// `copyjob-content.json` or a `.platform`. The shape is recognised from the content.
    pub fn check_document(&self, bytes: &[u8]) -> Report {
        self.document(None, Cow::Borrowed(bytes), &Config::default())
    }

    /// Like [`Checker::check_document`], but a file's name can say what it is (see
    /// [`DocumentKind::from_file_name`]).
    pub fn check_file(&self, name: &str, bytes: &[u8]) -> Report {
        self.document(DocumentKind::from_file_name(name), Cow::Borrowed(bytes), &Config::default())
    }

    /// Checks a document as the given shape (`None`: recognise it from the content).
    pub fn check_document_as(&self, kind: Option<DocumentKind>, bytes: &[u8]) -> Report {
        self.document(kind, Cow::Borrowed(bytes), &Config::default())
    }

    /// Checks a Git item folder (`Name.CopyJob/`), given its files with paths relative to the
    /// folder. Files other than `copyjob-content.json` and `.platform` are reported as unknown.
    pub fn check_item_folder(&self, files: &[ItemFile]) -> Report {
        self.item_folder(files.to_vec(), &Config::default())
    }

    /// Checks a document. The report keeps the document, as its source text or as its one part:
    /// the bytes are owned from the start, so a caller that hands them over
    /// ([`Checker::check_owned`]) is spared a copy of a large document.
    pub(crate) fn document(
        &self,
        kind: Option<DocumentKind>,
        bytes: Cow<'_, [u8]>,
        config: &Config,
    ) -> Report {
        let finish = Finish { kind: DocumentKind::Unknown, document: None, bare: None, config };
        if let Some(kind @ (DocumentKind::Content | DocumentKind::Platform)) = kind {
            return self.finish(
                Finish { kind, ..finish },
                vec![bare_part(kind, bytes.into_owned())],
                Vec::new(),
            );
        }
        let bytes = bytes.into_owned();
        let (mut report, keep) = self.recognised(kind, &bytes, config);
        match keep {
            Keep::Source => report.source = String::from_utf8(bytes).ok(),
            Keep::Part => {
                if let Some(part) = report.parts.first_mut() {
                    part.bytes = bytes;
                }
            }
            Keep::Nothing => {}
        }
        report
    }

    /// Checks a document whose shape is not a bare part by name: the report, without the bytes
    /// it is to keep ([`Keep`]), which the caller moves in once nothing borrows them.
    fn recognised(&self, kind: Option<DocumentKind>, bytes: &[u8], config: &Config) -> (Report, Keep) {
        let mut out = Vec::new();
        let finish = Finish { kind: DocumentKind::Unknown, document: None, bare: None, config };
        let text = match decode_text(bytes) {
            Ok(text) => text,
            Err(problem) => {
                out.push(text_problem(bytes, problem, None));
                return (self.finish(finish, Vec::new(), out), Keep::Nothing);
            }
        };
        let json = JsonText::parse(text, None, &mut out);
        if has_bom(bytes) {
            out.push(bom(&json));
        }
        let Some(value) = json.root() else {
            let kind = kind.unwrap_or(DocumentKind::Unknown);
            return (self.finish(Finish { kind, ..finish }, Vec::new(), out), Keep::Source);
        };
        let named = kind.is_some();
        let kind = kind.unwrap_or_else(|| DocumentKind::classify(value));
        let (schema, base) = match kind {
            DocumentKind::CreateRequest => (Some(SchemaId::CreateRequest), Some("/definition")),
            DocumentKind::UpdateRequest => (Some(SchemaId::UpdateRequest), None),
            DocumentKind::DefinitionBody => (Some(SchemaId::UpdateDefinitionRequest), Some("/definition")),
            DocumentKind::Definition => (Some(SchemaId::Definition), Some("")),
            DocumentKind::Content | DocumentKind::Platform => {
                // A bare part recognised from its content: the document is the part, and the
                // parse that recognised it is the part's (parsing it again reported every
                // syntax problem twice). Its bytes are moved in by the caller.
                let part = bare_part(kind, Vec::new());
                for d in &mut out {
                    d.part = Some(crate::diagnostic::part_name(&part.path));
                }
                return (
                    self.finish(Finish { kind, bare: Some(json), ..finish }, vec![part], out),
                    Keep::Part,
                );
            }
            DocumentKind::ItemFolder | DocumentKind::Unknown => (None, None),
        };
        if kind == DocumentKind::Unknown {
            out.push(unknown_shape(&json, value));
        }
        if !named
            && kind == DocumentKind::CreateRequest
            && value.as_object().is_some_and(DocumentKind::is_ambiguous_body)
        {
            out.push(ambiguous_shape(&json));
        }
        if let Some(schema) = schema {
            self.schemas.check(schema, &json, &mut out);
        }
        let parts = match base {
            Some(base) if kind != DocumentKind::CreateRequest || value.member("definition").is_some() => {
                envelope_parts(&json, base, &mut out)
            }
            _ => Vec::new(),
        };
        (self.finish(Finish { kind, document: Some(&json), ..finish }, parts, out), Keep::Source)
    }

    /// Checks an item folder's files, which become the report's parts.
    pub(crate) fn item_folder(&self, files: Vec<ItemFile>, config: &Config) -> Report {
        let mut out = Vec::new();
        let mut parts = Vec::with_capacity(files.len());
        for file in files {
            if !KNOWN_PARTS.contains(&file.path.as_str()) {
                out.push(unknown_part_at_file(&file.path));
            }
            parts.push(Part {
                path: file.path,
                payload: None,
                pointer: None,
                payload_range: None,
                bytes: file.bytes,
                parsed: false,
            });
        }
        if !parts.iter().any(|p| p.path == CONTENT_PART) {
            out.push(Diagnostic {
                code: "envelope/missing-content-part".into(),
                severity: Severity::Error,
                message: format!("the item folder has no {CONTENT_PART}").into(),
                help: Some(format!("add {CONTENT_PART}; it is the one required part of a Copy job").into()),
                part: None,
                pointer: String::new(),
                range: LineIndex::new("").range(0, 0),
                fix: None,
            });
        }
        let finish = Finish { kind: DocumentKind::ItemFolder, document: None, bare: None, config };
        self.finish(finish, parts, out)
    }

    /// Parses and checks the known parts, then assembles the report.
    fn finish(&self, finish: Finish<'_, '_>, mut parts: Vec<Part>, mut out: Vec<Diagnostic>) -> Report {
        let Finish { kind, document, mut bare, config } = finish;
        let (parsed, mut rules): (Vec<bool>, _) = {
            let parsed: Vec<Option<JsonText<'_>>> = parts
                .iter()
                .map(|part| match bare.take() {
                    Some(json) => self.check_parsed(part, json, &mut out),
                    None => self.check_part(part, &mut out),
                })
                .collect();
            let find = |path: &str| {
                parts.iter().zip(&parsed).find(|(p, _)| p.path == path).and_then(|(_, j)| j.as_ref())
            };
            let platform_part = parts.iter().find(|p| p.path == PLATFORM_PART);
            let context = LintContext {
                kind,
                content: find(CONTENT_PART).filter(|j| j.is_parsed()),
                platform: find(PLATFORM_PART).filter(|j| j.is_parsed()),
                // The parse's text: a bare part's bytes are moved into it after the check.
                platform_text: find(PLATFORM_PART)
                    .map(|j| j.index.text())
                    .or_else(|| platform_part.and_then(Part::text)),
                has_platform: platform_part.is_some(),
                document: document.filter(|j| j.is_parsed() && kind != DocumentKind::Unknown),
                meta: &crate::lint::rules::PlatformType::META,
                // The rules' findings, merged with the schemas' when sorted.
                out: Vec::new(),
                endpoints: Default::default(),
                type_fields: Default::default(),
                window: None,
                views: None,
            };
            let rules = lint(context, config);
            (parsed.into_iter().map(|json| json.is_some_and(|j| j.is_parsed())).collect(), rules)
        };
        for (part, parsed) in parts.iter_mut().zip(parsed) {
            part.parsed = parsed;
        }
        config.apply(&mut out);
        config.apply(&mut rules);
        let mut report = Report { kind, source: None, parts, diagnostics: out };
        report.sort_with(rules);
        report
    }

    /// Validates a parsed part against its schema (its parse problems are already reported).
    fn check_parsed<'p>(
        &self,
        part: &Part,
        mut json: JsonText<'p>,
        out: &mut Vec<Diagnostic>,
    ) -> Option<JsonText<'p>> {
        let schema = part_schema(&part.path)?;
        json.part = Some(crate::diagnostic::part_name(&part.path));
        self.schemas.check(schema, &json, out);
        Some(json)
    }

    fn check_part<'p>(&self, part: &'p Part, out: &mut Vec<Diagnostic>) -> Option<JsonText<'p>> {
        let schema = part_schema(&part.path)?;
        let text = match decode_text(&part.bytes) {
            Ok(text) => text,
            Err(problem) => {
                out.push(text_problem(&part.bytes, problem, Some(&part.path)));
                return None;
            }
        };
        if schema == SchemaId::Platform && text.trim() == DOCS_PLATFORM_PLACEHOLDER {
            // Not JSON: lint/docs-placeholder-platform says what it is.
            return None;
        }
        let json = JsonText::parse(text, Some(&part.path), out);
        if has_bom(&part.bytes) {
            out.push(bom(&json));
        }
        self.check_parsed(part, json, out)
    }
}

/// The schema of a known part (`copyjob-content.json`, `.platform`).
fn part_schema(path: &str) -> Option<SchemaId> {
    match path {
        CONTENT_PART => Some(SchemaId::Content),
        PLATFORM_PART => Some(SchemaId::Platform),
        _ => None,
    }
}

/// A diagnostic's place in a report's order: its part's rank (none for the document), its
/// range's start and end; then its place in its list.
type SortKey = (Option<usize>, u32, u32, usize);

/// The report's order of two diagnostics and their keys: by key, then code.
fn in_order(a: &SortKey, da: &Diagnostic, b: &SortKey, db: &Diagnostic) -> std::cmp::Ordering {
    (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| da.code.cmp(&db.code))
}

/// Two lists each in order, merged into one list of their number: each diagnostic moved once,
/// and of equal ones the first list's first (as a stable sort of the two in turn orders them).
/// Before, the rules appended to the schemas' list, which grew by a copy of itself, and a
/// merge in place moved the first run's diagnostics twice: nearly a tenth of checking a
/// document with an error in every activity.
fn merge(
    first: Vec<Diagnostic>,
    first_keys: &[SortKey],
    second: Vec<Diagnostic>,
    second_keys: &[SortKey],
) -> Vec<Diagnostic> {
    let mut merged = Vec::with_capacity(first.len() + second.len());
    let (mut a, mut b) = (first.into_iter(), second.into_iter());
    let (mut i, mut j) = (0, 0);
    while let (Some(ka), Some(kb), Some(da), Some(db)) =
        (first_keys.get(i), second_keys.get(j), a.as_slice().first(), b.as_slice().first())
    {
        if in_order(ka, da, kb, db).is_gt() {
            merged.extend(b.next());
            j += 1;
        } else {
            merged.extend(a.next());
            i += 1;
        }
    }
    merged.extend(a);
    merged.extend(b);
    merged
}

/// What of the checked bytes a report keeps.
enum Keep {
    /// Nothing: they are not text.
    Nothing,
    /// The document's text, which diagnostics without a part point into.
    Source,
    /// Its one part's bytes.
    Part,
}

/// What a report is about, besides its parts and diagnostics.
struct Finish<'c, 'j> {
    kind: DocumentKind,
    document: Option<&'j JsonText<'j>>,
    /// A bare part recognised from its content: the parse that recognised it, reused for the
    /// part (its problems are already reported).
    bare: Option<JsonText<'j>>,
    config: &'c Config,
}

/// Runs every rule the configuration leaves on.
fn lint(mut context: LintContext<'_>, config: &Config) -> Vec<Diagnostic> {
    let on = RULES.iter().filter(|rule| config.level(rule.meta().code()) != Some(RuleLevel::Off));
    let (per_activity, whole): (Vec<&&dyn Rule>, Vec<&&dyn Rule>) = on.partition(|rule| rule.per_activity());
    for rule in whole {
        context.meta = rule.meta();
        rule.check(&mut context);
    }
    // The rules that look at each activity on its own, a window of activities at a time: each
    // rule reading every activity in turn read the whole tree once per rule, from memory once the
    // document outgrows the cache.
    let activities = context.activity_list().map_or(0, |list| list.len());
    for start in (0..activities).step_by(ACTIVITY_WINDOW) {
        context.window = Some((start, (start + ACTIVITY_WINDOW).min(activities)));
        context.views = None;
        context.views = Some(context.activity_views());
        for rule in &per_activity {
            context.meta = rule.meta();
            rule.check(&mut context);
        }
    }
    context.window = None;
    context.views = None;
    context.out
}

/// How many activities the per-activity rules see at a time (a regular activity's nodes are
/// ~10 KB: the window's fit in the core's cache).
const ACTIVITY_WINDOW: usize = 32;

fn unknown_shape(json: &JsonText<'_>, value: ValueRef<'_>) -> Diagnostic {
    let help = if is_json_schema(value) {
        "this is a JSON Schema; lint the definitions it describes instead"
    } else if is_activity(value) {
        "this looks like a single activity: put it in the \"activities\" array of a copyjob-content.json"
    } else {
        "expected a getDefinition response or updateDefinition body `{\"definition\": {\"parts\": [...]}}`, \
         a create body `{\"displayName\": ..., \"definition\": ...}`, a bare `{\"parts\": [...]}`, \
         a copyjob-content.json or a .platform"
    };
    json.diagnostic(
        "",
        Target::Opening,
        "envelope/unknown-shape",
        Severity::Error,
        "this is not a Copy job definition".to_owned(),
        Some(help.to_owned()),
    )
}

fn ambiguous_shape(json: &JsonText<'_>) -> Diagnostic {
    json.diagnostic(
        "",
        Target::Opening,
        "envelope/ambiguous-shape",
        Severity::Info,
        "checked as a create request body: a body of only displayName and description is also a valid \
         update (PATCH) body"
            .to_owned(),
        Some(
            "if it is an update body, say so: `copyjob lint --kind update`, a file named *.update.json, \
             or the npm option kind: \"updateRequest\""
                .to_owned(),
        ),
    )
}

/// A document that is a single part (`copyjob-content.json` or `.platform`).
fn bare_part(kind: DocumentKind, bytes: Vec<u8>) -> Part {
    let path = if kind == DocumentKind::Platform { PLATFORM_PART } else { CONTENT_PART };
    Part { path: path.to_owned(), payload: None, pointer: None, payload_range: None, bytes, parsed: false }
}

/// Decodes the parts of the envelope at `base` (a JSON Pointer) of `json`.
fn envelope_parts(json: &JsonText<'_>, base: &str, out: &mut Vec<Diagnostic>) -> Vec<Part> {
    let Some(definition) = json.root().and_then(|v| v.at(base)).and_then(ValueRef::as_object) else {
        return Vec::new();
    };
    check_format(json, base, &definition, out);
    let Some(items) = definition.get("parts").and_then(ValueRef::as_array) else { return Vec::new() };
    let mut parts = Vec::new();
    // Sized for every part (growing it re-hashed every path seen, read back from memory).
    let mut seen = PathMap::with_capacity_and_hasher(items.len(), Default::default());
    for (i, item) in items.iter().enumerate() {
        // Written at its size (a `format!` grew it, a reallocation per part).
        let at = [base, "/parts/", itoa::Buffer::new().format(i)].concat();
        let Some(path_value) = item.member("path") else { continue };
        let Some(path) = path_value.as_str() else { continue };
        // One lookup per path: the first part with it is remembered, a later one reported.
        let slot = match seen.entry(path) {
            Entry::Vacant(slot) => slot,
            Entry::Occupied(first) => {
                let first = *first.get();
                out.push(json.diagnostic(
                    format!("{at}/path"),
                    Target::Value,
                    "envelope/duplicate-part",
                    Severity::Error,
                    format!("part \"{path}\" appears twice (parts[{first}] and parts[{i}])"),
                    Some(
                        "keep one of them; the service rejects a definition with duplicate parts".to_owned(),
                    ),
                ));
                continue;
            }
        };
        slot.insert(i);
        if !KNOWN_PARTS.contains(&path) {
            out.push(unknown_part(json, &at, (path_value, path)));
        }
        if !check_payload_type(json, &at, item, out) {
            continue;
        }
        let Some(value) = item.member("payload") else { continue };
        let Some(payload) = value.as_str() else { continue };
        if let Some(part) = decode_payload(json, &at, path, (value, payload), out) {
            parts.push(part);
        }
    }
    if !seen.contains_key(CONTENT_PART) {
        out.push(json.diagnostic(
            format!("{base}/parts"),
            Target::Opening,
            "envelope/missing-content-part",
            Severity::Error,
            format!("the definition has no \"{CONTENT_PART}\" part"),
            Some(format!(
                "add a part with \"path\": \"{CONTENT_PART}\"; it is the one required part of a Copy job"
            )),
        ));
    }
    parts
}

/// `envelope/unknown-format` for a non-empty `format`.
fn check_format(json: &JsonText<'_>, base: &str, definition: &ObjectRef<'_>, out: &mut Vec<Diagnostic>) {
    let Some(format) = definition.get("format").and_then(ValueRef::as_str).filter(|f| !f.is_empty()) else {
        return;
    };
    out.push(json.diagnostic(
        format!("{base}/format"),
        Target::Value,
        "envelope/unknown-format",
        Severity::Warning,
        format!("unknown definition format \"{format}\": Copy jobs have a single, unnamed format"),
        Some("remove \"format\"".to_owned()),
    ));
}

/// The known part an unknown part's path most likely means ([`closest`], with the known parts
/// prepared once: an envelope may hold thousands of unknown parts).
fn closest_part(path: &str) -> Option<&'static str> {
    static PREPARED: std::sync::OnceLock<crate::suggest::Prepared> = std::sync::OnceLock::new();
    let prepared = PREPARED.get_or_init(|| crate::suggest::Prepared::new(KNOWN_PARTS));
    let found = prepared.nearest(path, |_, candidate| (candidate / 3).max(1), |_| false)?;
    KNOWN_PARTS.get(found).copied()
}

fn unknown_part(json: &JsonText<'_>, at: &str, (value, path): (ValueRef<'_>, &str)) -> Diagnostic {
    let help = match closest_part(path) {
        Some(known) => Cow::Owned(format!("did you mean \"{known}\"?")),
        None => Cow::Borrowed(
            "a Copy job definition has the parts copyjob-content.json and .platform; remove this one",
        ),
    };
    json.diagnostic_at(
        json.span_of(value, Target::Value),
        "envelope/unknown-part",
        Severity::Warning,
        ["unknown part \"", path, "\""].concat(),
        Some(help),
        [at, "/path"].concat(),
    )
}

/// Whether the part at `at` can be decoded: its `payloadType`, when given, is `InlineBase64`.
fn check_payload_type(json: &JsonText<'_>, at: &str, item: ValueRef<'_>, out: &mut Vec<Diagnostic>) -> bool {
    let Some(payload_type) = item.member("payloadType").and_then(ValueRef::as_str) else { return true };
    if payload_type == INLINE_BASE64 {
        return true;
    }
    let help = if payload_type.eq_ignore_ascii_case(INLINE_BASE64) {
        format!("payload types are case-sensitive: write \"{INLINE_BASE64}\"")
    } else {
        format!("encode the part in base64 and set \"payloadType\": \"{INLINE_BASE64}\"")
    };
    out.push(json.diagnostic(
        format!("{at}/payloadType"),
        Target::Value,
        "envelope/unknown-payload-type",
        Severity::Error,
        format!("unknown payload type \"{payload_type}\": the part cannot be decoded"),
        Some(help),
    ));
    false
}

/// Decodes the payload of the part at `at`, reporting base64 problems on the payload string.
fn decode_payload(
    json: &JsonText<'_>,
    at: &str,
    path: &str,
    (value, payload): (ValueRef<'_>, &str),
    out: &mut Vec<Diagnostic>,
) -> Option<Part> {
    let pointer = [at, "/payload"].concat();
    let (start, end) = json.span_of(value, Target::Value);
    match decode_base64(payload) {
        Ok((bytes, padded)) => {
            if !padded {
                let missing = (4 - payload.len() % 4) % 4;
                out.push(json.diagnostic_at(
                    (end.saturating_sub(1), end),
                    "codec/missing-padding",
                    Severity::Warning,
                    format!("the payload of \"{path}\" lacks its base64 padding"),
                    Some(format!("add {} at the end; the service writes padded base64", "=".repeat(missing))),
                    pointer,
                ));
            }
            Some(Part {
                path: path.to_owned(),
                payload: Some(payload.to_owned()),
                pointer: Some(at.to_owned()),
                payload_range: Some(json.index.range(start, end)),
                bytes,
                parsed: false,
            })
        }
        Err(problem) => {
            // The bad character itself when the payload has no escapes (its text is the string's).
            let exact = end - start == payload.len() + 2;
            let range = if exact {
                (start + 1 + problem.offset, start + 1 + problem.offset + problem.len)
            } else {
                (start, end)
            };
            out.push(json.diagnostic_at(
                range,
                "codec/invalid-base64",
                Severity::Error,
                format!("the payload of \"{path}\" is not valid base64: {}", problem.message),
                Some(problem.help),
                pointer,
            ));
            None
        }
    }
}

fn unknown_part_at_file(path: &str) -> Diagnostic {
    let help = match closest_part(path) {
        Some(known) => format!("did you mean \"{known}\"? Files are matched by exact name"),
        None => {
            format!("a Copy job item folder holds {CONTENT_PART} and {PLATFORM_PART}; this file is not sent")
        }
    };
    Diagnostic {
        code: "envelope/unknown-part".into(),
        severity: Severity::Warning,
        message: format!("unknown part \"{path}\"").into(),
        help: Some(help.into()),
        part: Some(crate::diagnostic::part_name(path)),
        pointer: String::new(),
        range: LineIndex::new("").range(0, 0),
        fix: None,
    }
}

fn bom(json: &JsonText<'_>) -> Diagnostic {
    json.diagnostic_at(
        (0, 3),
        "codec/bom",
        Severity::Error,
        "the text starts with a UTF-8 byte-order mark".to_owned(),
        Some("save the file as UTF-8 without a byte-order mark (BOM); the service rejects it"),
        String::new(),
    )
}

fn text_problem(bytes: &[u8], problem: TextProblem, part: Option<&str>) -> Diagnostic {
    let TextProblem::InvalidUtf8 { valid_up_to } = problem;
    let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let index = LineIndex::new(prefix);
    let mut range = index.range(valid_up_to, valid_up_to);
    range.end.offset += 1;
    let hint = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        "the text looks like UTF-16: save it as UTF-8"
    } else {
        "save the text as UTF-8; the service reads nothing else"
    };
    Diagnostic {
        code: "codec/invalid-utf8".into(),
        severity: Severity::Error,
        message: format!(
            "byte {valid_up_to} (0x{:02X}) is not valid UTF-8",
            bytes.get(valid_up_to).copied().unwrap_or(0)
        )
        .into(),
        help: Some(hint.into()),
        part: part.map(crate::diagnostic::part_name),
        pointer: String::new(),
        range,
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Position;
    use serde_json::json;

    /// The parts a test diagnostic can be in (by index), and each one's rank in the report's
    /// order: the document's first, then the parts in part order (`.platform` first here), then
    /// unknown ones.
    const PATHS: [(Option<&str>, Option<usize>); 4] = [
        (None, None),
        (Some("copyjob-content.json"), Some(1)),
        (Some(".platform"), Some(0)),
        (Some("unknown.json"), Some(usize::MAX)),
    ];
    const CODES: [&str; 3] = ["a/one", "b/two", "c/three"];

    /// A test diagnostic's sort key: part rank, start, end, code.
    fn key_of(
        &(part, start, len, code): &(usize, u32, u32, usize),
    ) -> (Option<usize>, u32, u32, &'static str) {
        (PATHS[part].1, start, start + len, CODES[code])
    }

    /// A report of the diagnostics `found` describes (part, start, length, code), sorted, and
    /// the plain stable sort of them by part order, position and code. Those from `later` on are
    /// sorted in as a second list, as the rules' findings are.
    fn sorted_both_ways(
        found: &[(usize, u32, u32, usize)],
        later: usize,
    ) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let parts = [".platform", "copyjob-content.json"]
            .map(|path| Part { path: path.to_owned(), ..bare_part(DocumentKind::Content, Vec::new()) })
            .into();
        let diagnostics: Vec<Diagnostic> = found
            .iter()
            .enumerate()
            .map(|(i, &(part, start, len, code))| {
                let at = |offset: u32| Position {
                    line: 1,
                    column: offset + 1,
                    offset,
                    utf16_column: offset + 1,
                    utf16_offset: offset,
                };
                Diagnostic {
                    code: CODES[code].into(),
                    severity: Severity::Error,
                    message: i.to_string().into(),
                    help: None,
                    part: PATHS[part].0.map(Into::into),
                    pointer: String::new(),
                    range: Range { start: at(start), end: at(start + len) },
                    fix: None,
                }
            })
            .collect();
        // The stable sort of the diagnostics in the order they came, by their keys.
        let mut expected: Vec<(usize, Diagnostic)> = diagnostics.iter().cloned().enumerate().collect();
        expected.sort_by_key(|(i, _)| key_of(&found[*i]));
        let mut diagnostics = diagnostics;
        let later = diagnostics.split_off(later.min(found.len()));
        let mut report = Report { kind: DocumentKind::Definition, source: None, parts, diagnostics };
        if later.is_empty() {
            report.sort();
        } else {
            report.sort_with(later);
        }
        (report.diagnostics, expected.into_iter().map(|(_, d)| d).collect())
    }

    proptest::proptest! {
        /// The report's order is a plain stable sort by part order, position and code, however
        /// the diagnostics came (the sort orders small keys, then moves each diagnostic once).
        #[test]
        fn the_sort_is_a_stable_sort_by_part_position_and_code(
            found in proptest::collection::vec((0..4usize, 0..6u32, 0..3u32, 0..3usize), 0..40)
        ) {
            let (sorted, expected) = sorted_both_ways(&found, found.len());
            proptest::prop_assert_eq!(sorted, expected);
        }

        /// Two runs, each in order or not, in one list or the second apart (as the rules'
        /// findings come): runs in order are merged, equal keys in both.
        #[test]
        fn two_runs_sort_as_the_stable_sort_orders_them(
            mut found in proptest::collection::vec((0..4usize, 0..6u32, 0..3u32, 0..3usize), 0..40),
            split in 0..40usize,
            in_order in proptest::bool::ANY,
            apart in proptest::bool::ANY,
        ) {
            let split = split.min(found.len());
            if in_order {
                found[..split].sort_by_key(key_of);
                found[split..].sort_by_key(key_of);
            }
            let (sorted, expected) = sorted_both_ways(&found, if apart { split } else { found.len() });
            proptest::prop_assert_eq!(sorted, expected);
        }
    }

    #[test]
    fn a_part_path_is_matched_as_closest_matches_it() {
        for path in [
            "copyjob-content.json",
            "copyjob_content.json",
            "CopyJob-Content.json",
            "copyjob-contents.json",
            ".platfrom",
            "platform",
            ".Platform",
            "content.json",
            "notes.txt",
            "",
            "é.platform",
            "part-123.json",
        ] {
            assert_eq!(closest_part(path), crate::schema::closest(path, &KNOWN_PARTS), "{path:?}");
        }
    }

    #[test]
    fn the_index_answers_as_the_report_does() {
        use base64::Engine as _;
        let encode = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
        let content = r#"{"properties": {"jobMode": "Bad"}, "activities": [{"id": "x"}]}"#;
        let platform = r#"{"metadata": {"type": "Notebook"}}"#;
        let body = json!({"definition": {"parts": [
            {"path": "copyjob-content.json", "payload": encode(content), "payloadType": "InlineBase64"},
            {"path": "notes.txt", "payload": encode("\u{ff}"), "payloadType": "InlineBase64"},
            {"path": ".platform", "payload": encode(platform), "payloadType": "InlineBase64"},
            {"path": "bad.bin", "payload": "/w==", "payloadType": "InlineBase64"}
        ]}});
        let report = Checker::new().check_document(body.to_string().as_bytes());
        let index = report.index();
        assert!(report.diagnostics.iter().any(|d| d.part.as_deref() == Some(".platform")));
        assert!(report.diagnostics.iter().any(|d| d.part.is_none()));
        for d in &report.diagnostics {
            assert_eq!(index.text_of(d), report.text_of(d), "{d:?}");
            assert_eq!(index.on_payload(d), report.on_payload(d), "{d:?}");
            if let Some(path) = &d.part {
                assert_eq!(index.part(path).map(|p| &p.path), report.part(path).map(|p| &p.path));
            }
        }
        assert!(index.part("missing").is_none());
    }

    #[test]
    fn a_part_recognised_from_its_content_reports_each_problem_once() {
        // Recognised from the content (no file name), the part was parsed a second time and
        // every syntax problem and the byte-order mark were reported twice.
        let text =
            "\u{feff}{\"properties\": {\"jobMode\": \"Batch\", \"jobMode\": \"CDC\"}, \"activities\": []}";
        let checker = Checker::new();
        let report = checker.check_document_as(None, text.as_bytes());
        let named = checker.check_file("copyjob-content.json", text.as_bytes());
        assert_eq!(report.kind, DocumentKind::Content);
        let codes = |r: &Report| {
            r.diagnostics.iter().map(|d| (d.code.clone(), d.part.clone(), d.range)).collect::<Vec<_>>()
        };
        assert_eq!(codes(&report), codes(&named));
        let count = |code: &str| report.diagnostics.iter().filter(|d| d.code == code).count();
        assert_eq!((count("json/duplicate-key"), count("codec/bom")), (1, 1));
        let content = report.part(CONTENT_PART).and_then(Part::value);
        assert!(content.is_some());
        assert_eq!(content, named.part(CONTENT_PART).and_then(Part::value));
    }

    #[test]
    fn a_report_is_the_same_whether_the_bytes_are_copied_or_moved() {
        use crate::rewrite::Source;
        use base64::Engine as _;
        let encode = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
        let content = "\u{feff}{\"properties\": {\"jobMode\": \"Bad\"}, \"activities\": [{\"id\": 1}]}";
        let platform = r#"{"metadata": {"type": "CopyJob", "displayName": ""}}"#;
        let envelope = json!({"definition": {"parts": [
            {"path": "copyjob-content.json", "payload": encode(content), "payloadType": "InlineBase64"},
            {"path": ".platform", "payload": encode(DOCS_PLATFORM_PLACEHOLDER), "payloadType": "InlineBase64"}
        ]}})
        .to_string();
        let documents: [(&str, Option<&str>, Vec<u8>); 7] = [
            // Each kind of document the report keeps differently: a part recognised from its
            // content or named, a request body, text that is not JSON, bytes that are not text.
            ("content, recognised", None, content.as_bytes().to_vec()),
            ("platform, recognised", None, platform.as_bytes().to_vec()),
            ("content, named", Some("copyjob-content.json"), content.as_bytes().to_vec()),
            ("envelope", None, envelope.clone().into_bytes()),
            ("not JSON", None, b"{\"definition\": [".to_vec()),
            ("not text", None, vec![b'{', 0xff, b'}']),
            ("empty", None, Vec::new()),
        ];
        let checker = Checker::new();
        let config = Config::default();
        for (what, name, bytes) in documents {
            let source = Source::Document { name: name.map(str::to_owned), kind: None, bytes: bytes.clone() };
            let copied = checker.check(&source, &config);
            let moved = checker.check_owned(source, &config);
            assert_eq!(copied, moved, "{what}");
            let kept = moved.source.as_ref().map(|s| s.as_bytes()).or(match moved.kind {
                DocumentKind::Content | DocumentKind::Platform => moved.parts.first().map(|p| &p.bytes[..]),
                _ => None,
            });
            let expected = (what != "not text").then_some(&bytes[..]);
            assert_eq!(kept, expected, "{what}: the report keeps the checked text");
        }
        let folder = vec![ItemFile::new("copyjob-content.json", content), ItemFile::new("notes.txt", "x")];
        let copied = checker.check(&Source::Folder(folder.clone()), &config);
        let moved = checker.check_owned(Source::Folder(folder.clone()), &config);
        assert_eq!(copied, moved);
        assert!(moved.parts.iter().zip(&folder).all(|(p, f)| p.path == f.path && p.bytes == f.bytes));
        let placeholder = checker.check_document(envelope.as_bytes());
        assert!(placeholder.diagnostics.iter().any(|d| d.code == "lint/docs-placeholder-platform"));
    }

    #[test]
    fn the_per_activity_rules_see_every_activity_once_across_windows() {
        // Activities on both sides of each window's edge break three per-activity rules (an id
        // that is no GUID, an empty table name, a duplicated destination column) and one rule
        // that sees all activities together (the same destination table twice).
        let bad = [0, ACTIVITY_WINDOW - 1, ACTIVITY_WINDOW, 2 * ACTIVITY_WINDOW, 3 * ACTIVITY_WINDOW + 4];
        let count = 3 * ACTIVITY_WINDOW + 5;
        let activities: Vec<Value> = (0..count)
            .map(|i| {
                let wrong = bad.contains(&i);
                let id =
                    if wrong { format!("activity-{i}") } else { format!("00000000-0000-4000-8000-{i:012}") };
                let source_table = if wrong { String::new() } else { format!("s{i}") };
                let destination_table = if wrong { "same".to_owned() } else { format!("d{i}") };
                let column = |name: &str| json!({"source": {"name": name}, "destination": {"name": name}});
                let mappings = if wrong { vec![column("a"), column("A")] } else { vec![column("a")] };
                json!({"id": id, "properties": {
                    "source": {"datasetSettings": {"table": source_table}},
                    "destination": {"datasetSettings": {"table": destination_table}},
                    "translator": {"type": "TabularTranslator", "mappings": mappings}}})
            })
            .collect();
        let content = json!({"properties": {"jobMode": "Batch"}, "activities": activities}).to_string();
        let report = Checker::new().check_file(CONTENT_PART, content.as_bytes());
        let activities_of = |code: &str| -> Vec<usize> {
            let mut found: Vec<usize> = report
                .diagnostics
                .iter()
                .filter(|d| d.code == code)
                .filter_map(|d| d.pointer.split('/').nth(2)?.parse().ok())
                .collect();
            found.sort_unstable();
            found
        };
        assert_eq!(activities_of("lint/activity-id-not-guid"), bad);
        assert_eq!(activities_of("lint/empty-table-name"), bad);
        assert_eq!(activities_of("lint/duplicate-destination-column"), bad);
        assert_eq!(activities_of("lint/duplicate-destination-table"), bad[1..]);
    }

    #[test]
    fn every_kind_has_its_own_description() {
        let kinds = [
            (DocumentKind::CreateRequest, "create request body"),
            (DocumentKind::UpdateRequest, "update request body"),
            (DocumentKind::DefinitionBody, "definition body"),
            (DocumentKind::Definition, "definition"),
            (DocumentKind::Content, "copyjob-content.json"),
            (DocumentKind::Platform, ".platform"),
            (DocumentKind::ItemFolder, "item folder"),
            (DocumentKind::Unknown, "unknown document"),
        ];
        for (kind, described) in kinds {
            assert_eq!(kind.describe(), described);
        }
    }

    /// A single activity is not a content file; job properties without activities are.
    #[test]
    fn classifies_activities_apart_from_job_properties() {
        let cases = [
            (json!({"properties": {"source": {}, "destination": {}}}), DocumentKind::Unknown),
            (
                json!({"id": "a", "properties": {"source": {"type": "X"}, "destination": {}}}),
                DocumentKind::Unknown,
            ),
            (
                json!({"properties": {"jobMode": "Batch", "source": {}, "destination": {}}}),
                DocumentKind::Content,
            ),
            (
                json!({"properties": {"source": {"connectionSettings": {}}, "destination": {}}}),
                DocumentKind::Content,
            ),
            (
                json!({"activities": [], "properties": {"source": {}, "destination": {}}}),
                DocumentKind::Content,
            ),
            (json!({"properties": {"jobMode": "Batch"}}), DocumentKind::Content),
        ];
        for (value, kind) in cases {
            let text = value.to_string();
            let json = JsonText::parse(&text, None, &mut Vec::new());
            assert_eq!(json.root().map(DocumentKind::classify), Some(kind), "{value}");
        }
    }

    /// A problem inside a payload's part, placed on the payload: the message names the part's
    /// line and column, the pointer is the payload's, the range the payload string's, no fix.
    #[test]
    fn a_part_problem_on_its_payload() {
        let content = "{\n  \"properties\": {\n    \"jobmode\": \"Batch\"\n  },\n  \"activities\": []\n}";
        let body = format!(
            r#"{{"definition": {{"parts": [{{"path": "copyjob-content.json", "payload": "{}", "payloadType": "InlineBase64"}}]}}}}"#,
            crate::codec::encode_base64(content.as_bytes())
        );
        let report = Checker::new().check_document(body.as_bytes());
        let inner = report
            .diagnostics
            .iter()
            .find(|d| d.part.as_deref() == Some("copyjob-content.json") && d.fix.is_some())
            .expect("a fixable problem in the part");
        let outer = report.on_payload(inner).expect("the part came from a payload");
        let start = inner.range.start;
        assert_eq!(outer.code, inner.code);
        assert_eq!(outer.severity, inner.severity);
        assert_eq!(
            outer.message,
            format!("{} (copyjob-content.json line {}, column {})", inner.message, start.line, start.column)
        );
        assert_eq!(outer.part, None);
        assert_eq!(outer.pointer, "/definition/parts/0/payload");
        let part = report.part("copyjob-content.json").expect("the part");
        assert_eq!(Some(outer.range), part.payload_range);
        assert_eq!(outer.fix, None);
        // The document's own problems have no payload to go to.
        let own = Diagnostic { part: None, ..inner.clone() };
        assert_eq!(report.on_payload(&own), None);
    }

    /// The report names the document's kind: the one asked for even when the text is not JSON,
    /// the one recognised for a bare part.
    #[test]
    fn the_report_names_the_kind() {
        let checker = Checker::new();
        assert_eq!(
            checker.check_document_as(Some(DocumentKind::CreateRequest), b"{").kind,
            DocumentKind::CreateRequest
        );
        assert_eq!(checker.check_document_as(Some(DocumentKind::Content), b"{").kind, DocumentKind::Content);
        assert_eq!(
            checker.check_document(b"{\"properties\": {\"jobMode\": \"Batch\"}, \"activities\": []}").kind,
            DocumentKind::Content
        );
        assert_eq!(
            checker.check_document(b"{\"metadata\": {\"type\": \"CopyJob\"}}").kind,
            DocumentKind::Platform
        );
        assert_eq!(checker.check_document(b"[").kind, DocumentKind::Unknown);
    }
}
