//! WebAssembly bindings of [`copyjob`], published on npm as `@copyjob/copyjob`.
//!
//! This crate only adapts: it converts JavaScript values to the core's inputs and the core's
//! results to plain JavaScript objects with camelCase names. Positions are given in UTF-16 code
//! units (`line`, `column`, `offset`), so that `text.slice(start.offset, end.offset)` is the
//! text a diagnostic is about. Every check, message and position comes from the core.

use copyjob::{
    Checker, Config, Diagnostic, DocumentKind, ItemFile, Part, Report, ReportIndex, Rewritten, RuleLevel,
    SchemaId, Source,
};
use js_sys::{Array, Object, Uint8Array};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** How serious a diagnostic is. */
export type Severity = "error" | "warning" | "info";

/** What to do with the diagnostics of one code: turn them off or change their severity. */
export type RuleLevel = "off" | "info" | "warning" | "error";

/** The shape of a checked document. */
export type DocumentKind =
  | "createRequest"
  | "updateRequest"
  | "definitionBody"
  | "definition"
  | "content"
  | "platform"
  | "itemFolder"
  | "unknown";

/**
 * A position in a JavaScript string: 1-based `line`, and `column` (1-based) and `offset`
 * (0-based) in UTF-16 code units, so `text.slice(range.start.offset, range.end.offset)` is the
 * text a diagnostic is about.
 */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range `[start, end)`. */
export interface Range {
  start: Position;
  end: Position;
}

/**
 * One problem found in a document. Positions refer to the text of `part` (see `Part.text`) when
 * it is set, and otherwise to the checked document (`LintResult.source`).
 */
export interface Diagnostic {
  /** Stable code, `group/kebab-name`, for example `schema/invalid-value`. */
  code: string;
  severity: Severity;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  help?: string;
  /** The definition part the problem is in: `copyjob-content.json` or `.platform`. */
  part?: string;
  /** JSON Pointer (RFC 6901) to the value concerned, in the part or the document. */
  pointer: string;
  range: Range;
  /** A safe fix, when the rule offers one (see `fix`). */
  fix?: Fix;
  /**
   * For a problem inside a part decoded from a base64 payload: where it shows in the checked
   * document (`LintResult.source`), the part's payload string, with the position inside the part
   * in the message.
   */
  inEnvelope?: { range: Range; message: string };
}

/** Replace the text of `range` with `newText`. */
export interface TextEdit {
  /** In the same text as the diagnostic's range (its part's text, or the document's). */
  range: Range;
  newText: string;
}

/** A safe fix: edits that never change the definition's meaning. */
export interface Fix {
  /** What the fix does, for example `rename "writeBehaviour" to "writeBehavior"`. */
  message: string;
  /** Non-overlapping edits of the text the diagnostic's range refers to. */
  edits: TextEdit[];
}

/** A definition part, decoded. */
export interface Part {
  /** `copyjob-content.json`, `.platform`, or an unknown part's path. */
  path: string;
  /** The base64 payload exactly as the envelope carried it (absent for files). */
  payload?: string;
  /** Where the payload string (quotes included) is in the checked document (`LintResult.source`). */
  payloadRange?: Range;
  /** The decoded bytes. */
  bytes: Uint8Array;
  /** The text, when the bytes are UTF-8 (a byte-order mark stays in it). */
  text?: string;
  /** The parsed JSON, for a known part that is valid JSON. */
  value?: JsonValue;
}

/** Everything learnt about one document or item folder. */
export interface LintResult {
  kind: DocumentKind;
  /**
   * The text of the checked document when it holds parts (a request or response body, or an
   * envelope): diagnostics without a `part` point into it. When the input was an object, this is
   * the text it was checked as (2-space indented JSON).
   */
  source?: string;
  /** The parts, in document order. */
  parts: Part[];
  /** Every problem found, sorted by part then position. */
  diagnostics: Diagnostic[];
}

/** The result of `unpack`: the same as `lint`'s. */
export type UnpackResult = LintResult;

/** The files of a Git item folder (`Name.CopyJob/`), by path relative to the folder. */
export type Files = { [path: string]: string | Uint8Array };

/**
 * What `lint` checks: a JSON text or its UTF-8 bytes (a getDefinition response, an
 * updateDefinition or create body, a bare `{parts}` envelope, a copyjob-content.json or a
 * .platform), the same already parsed, or an item folder's files.
 */
export type LintInput = string | Uint8Array | { files: Files } | { [key: string]: JsonValue };

/** The input of `unpack`: a definition in any shape `lint` reads, except an item folder. */
export type DefinitionInput = string | Uint8Array | { [key: string]: JsonValue };

/** Options of `lint`, as in the CLI's configuration. */
export interface LintOptions {
  /**
   * Level per diagnostic code, for example `{ "codec/missing-padding": "off" }`. An unknown code
   * throws an Error naming the nearest one.
   */
  rules?: { [code: string]: RuleLevel };
  /**
   * What the document is, when its content cannot say: an update (PATCH) body
   * `{displayName, description}` is also a valid create body, and is checked as one unless
   * `kind: "updateRequest"`.
   */
  kind?: Exclude<DocumentKind, "itemFolder" | "unknown">;
  /**
   * The input's file name: a file named `copyjob-content.json` or `.platform` is checked as that
   * part whatever it holds (as the CLI does for files).
   */
  fileName?: string;
}

/** Options of `formatDefinition`. */
export interface FormatOptions {
  /** The input's file name, as in `LintOptions.fileName`. */
  fileName?: string;
}

/** The result of `fix` or `formatDefinition` on a document. */
export interface DocumentRewrite {
  /** Whether `text` differs from the input. */
  changed: boolean;
  /**
   * The whole document after the changes: the part itself for a copyjob-content.json or
   * .platform, or the body or envelope with the changed parts' payloads re-encoded (the rest of
   * its text kept as is). For a parsed object input, it is rewritten from its 2-space text.
   */
  text: string;
  /** What changed, one line per change (`"<part>: <change>"` for a document holding parts). */
  changes: string[];
}

/** The result of `fix` or `formatDefinition` on an item folder's files. */
export interface FilesRewrite {
  /** Whether any file changed. */
  changed: boolean;
  /** The new text of each changed file, by path; unchanged files are left out. */
  files: { [path: string]: string };
  /** What changed, one line per change: `"<path>: <change>"`. */
  changes: string[];
}

/** A lint rule's metadata and documentation. */
export interface RuleInfo {
  /** The diagnostic code, `lint/<name>`. */
  code: string;
  name: string;
  /** The severity it reports with unless configured otherwise. */
  severity: Severity;
  /** Whether it offers a safe fix. */
  fixable: boolean;
  /** The first sentence of its documentation. */
  summary: string;
  /** What the rule rests on: Microsoft's docs and specs, real files, or inference. */
  evidence: string;
  /** The documentation in Markdown: What it does, Why, Examples. */
  docs: string;
  /** The documentation page in the copyjob repository: `docs/rules/<name>.md`. */
  docsUrl: string;
}

/** Any diagnostic code's metadata and documentation (`codes()`). */
export interface CodeInfo {
  /** The code, `group/kebab-name`. */
  code: string;
  group: "envelope" | "codec" | "json" | "schema" | "lint" | "deploy";
  /** The severity it reports with unless configured otherwise. */
  severity: Severity;
  /** Whether it offers a safe fix. */
  fixable: boolean;
  /** Whether the Fabric service itself rejects a definition with the problem. */
  serviceRejects: boolean;
  /** The first sentence of its documentation. */
  summary: string;
  /** What the check rests on. */
  evidence: string;
  /** The documentation in Markdown. */
  docs: string;
  /** The documentation page in the copyjob repository: `docs/rules/<name>.md` or `docs/codes/<group>/<name>.md`. */
  docsUrl: string;
}

/**
 * Applies every safe fix the diagnostics offer (as `lint` with the same options reports them: a
 * rule turned off offers no fix), lints again and repeats until nothing is left to fix. For an
 * item folder's files, returns the changed files.
 */
export function fix(input: { files: Files }, options?: LintOptions): FilesRewrite;
export function fix(input: DefinitionInput, options?: LintOptions): DocumentRewrite;

/**
 * Formats the parts of a definition as the service does (`format` on each known part that is
 * valid JSON); a body or envelope gets the formatted parts' payloads re-encoded, the rest of its
 * text kept as is. For an item folder's files, returns the changed files.
 */
export function formatDefinition(input: { files: Files }, options?: FormatOptions): FilesRewrite;
export function formatDefinition(input: DefinitionInput, options?: FormatOptions): DocumentRewrite;

/** One part of a definition envelope. */
export interface DefinitionPart {
  path: string;
  payload: string;
  payloadType: "InlineBase64";
}

/** `{ definition: { parts } }`: an updateDefinition request body. */
export interface DefinitionBody {
  definition: {
    format?: string;
    parts: DefinitionPart[];
  };
}

/** A JSON Schema shipped with copyjob. */
export interface SchemaInfo {
  /** The schema's file name, for example `copyjob-content.schema.json`. */
  name: string;
  /** The schema's `$id`. */
  uri: string;
  /** The schema document (draft 2020-12). */
  schema: { [key: string]: JsonValue };
}

/** Whether a connector supports something: `n/a` does not apply (merging rows into files). */
export type Support = "yes" | "no" | "n/a" | "unknown";

/** A type string of `copyjob-content.json` and the evidence it rests on. */
export interface CatalogName {
  /** The string, exactly as the definition spells it. */
  name: string;
  /** Keys of `ConnectorCatalog.sources`. */
  evidence: string[];
}

/** What a connector can do in a Copy job (Microsoft's Copy job connector table). */
export interface ConnectorCapabilities {
  source: Support;
  destination: Support;
  /** Read - Full load. */
  fullLoad: Support;
  /** Read - Incremental load (watermark based). */
  watermark: Support;
  /** Read - CDC. */
  cdc: Support;
  /** `writeBehavior: "Append"`. */
  append: Support;
  /** `writeBehavior: "Overwrite"` (the table's Override). */
  overwrite: Support;
  /** `writeBehavior: "Upsert"`. */
  upsert: Support;
  /** `writeBehavior: "Merge"` (the table's CDC Merge). */
  merge: Support;
}

/** One connector of the catalog. */
export interface ConnectorInfo {
  name: string;
  /** Its row in Microsoft's connector table, when it has one. */
  tableName: string | null;
  /** `connectionSettings.type` values, the preferred first. */
  connectionTypes: CatalogName[];
  /** `properties.source.type` / `properties.destination.type` values (tables, objects). */
  datasetTypes: CatalogName[];
  /** Whether it stores files: the file formats are its dataset types too. */
  files: boolean;
  /** `datasetSettings.location.type` values. */
  locationTypes: CatalogName[];
  /** `storeSettings.type` values. */
  storeSettingsTypes: CatalogName[];
  capabilities: ConnectorCapabilities;
  /** Keys of `ConnectorCatalog.sources` the capabilities rest on. */
  capabilityEvidence: string[];
  /** A remark on the evidence. */
  note?: string;
}

/** A file format: a dataset type of the file connectors. */
export interface FileFormatInfo {
  name: string;
  evidence: string[];
  reads: boolean;
  writes: boolean;
  /** `formatSettings.type` values. */
  formatSettingsTypes: CatalogName[];
}

/** Where evidence comes from. */
export interface EvidenceSource {
  kind: "docs" | "real" | "third-party" | "inferred";
  title: string;
  url?: string;
  version?: string;
}

/** The connector catalog the lint rules rest on (`docs/connectors.md` in the repository). */
export interface ConnectorCatalog {
  sources: { [key: string]: EvidenceSource };
  formats: FileFormatInfo[];
  connectors: ConnectorInfo[];
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `LintOptions` (declared in the TypeScript section), so the parameter is optional.
    #[wasm_bindgen(typescript_type = "LintOptions")]
    pub type JsLintOptions;

    /// `FormatOptions` (declared in the TypeScript section).
    #[wasm_bindgen(typescript_type = "FormatOptions")]
    pub type JsFormatOptions;
}

thread_local! {
    /// The one checker: compiling the schemas is the expensive part, so it is built once; the
    /// configuration is passed per call.
    static CHECKER: Checker = Checker::new();
}

/// Runs `f` with the shared checker.
fn with_checker<R>(f: impl FnOnce(&Checker) -> R) -> R {
    CHECKER.with(f)
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        // Plain objects (never ES Maps), `null` for JSON null; bytes as `Uint8Array`.
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false))
        .map_err(|e| JsError::new(&e.to_string()))
}

// ---- Output shapes -------------------------------------------------------------------------

#[derive(Serialize)]
struct JsPosition {
    line: u32,
    column: u32,
    offset: u32,
}

impl From<copyjob::Position> for JsPosition {
    fn from(p: copyjob::Position) -> Self {
        JsPosition { line: p.line, column: p.utf16_column, offset: p.utf16_offset }
    }
}

#[derive(Serialize)]
struct JsRange {
    start: JsPosition,
    end: JsPosition,
}

impl From<copyjob::Range> for JsRange {
    fn from(r: copyjob::Range) -> Self {
        JsRange { start: r.start.into(), end: r.end.into() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsTextEdit<'a> {
    range: JsRange,
    new_text: &'a str,
}

#[derive(Serialize)]
struct JsFix<'a> {
    message: &'a str,
    edits: Vec<JsTextEdit<'a>>,
}

impl<'a> From<&'a copyjob::Fix> for JsFix<'a> {
    fn from(f: &'a copyjob::Fix) -> Self {
        JsFix {
            message: &f.message,
            edits: f
                .edits
                .iter()
                .map(|e| JsTextEdit { range: e.range.into(), new_text: &e.new_text })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct JsDiagnostic<'a> {
    code: &'a str,
    severity: copyjob::Severity,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'a str>,
    pointer: &'a str,
    range: JsRange,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsFix<'a>>,
    #[serde(rename = "inEnvelope", skip_serializing_if = "Option::is_none")]
    in_envelope: Option<JsInEnvelope>,
}

/// Where a problem inside a part shows in the checked document (the core's `Report::on_payload`).
#[derive(Serialize)]
struct JsInEnvelope {
    range: JsRange,
    message: String,
}

impl<'a> JsDiagnostic<'a> {
    fn new(index: &ReportIndex<'_>, d: &'a Diagnostic) -> Self {
        JsDiagnostic {
            code: &d.code,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
            part: d.part.as_deref(),
            pointer: &d.pointer,
            range: d.range.into(),
            fix: d.fix.as_ref().map(JsFix::from),
            in_envelope: index
                .on_payload(d)
                .map(|e| JsInEnvelope { range: e.range.into(), message: e.message.into_owned() }),
        }
    }
}

/// Bytes, serialized as a `Uint8Array`.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

#[derive(Serialize)]
struct JsPart<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'a str>,
    #[serde(rename = "payloadRange", skip_serializing_if = "Option::is_none")]
    payload_range: Option<JsRange>,
    bytes: Bytes<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    // `value` is set by `report_to_js`, with the engine's own JSON.parse.
}

impl<'a> From<&'a Part> for JsPart<'a> {
    fn from(p: &'a Part) -> Self {
        JsPart {
            path: &p.path,
            payload: p.payload.as_deref(),
            payload_range: p.payload_range.map(JsRange::from),
            bytes: Bytes(&p.bytes),
            text: p.text(),
        }
    }
}

#[derive(Serialize)]
struct JsReport<'a> {
    kind: copyjob::DocumentKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    parts: Vec<JsPart<'a>>,
    diagnostics: Vec<JsDiagnostic<'a>>,
}

fn report_to_js(report: &Report) -> Result<JsValue, JsError> {
    let result = to_js(&JsReport {
        kind: report.kind,
        source: report.source.as_deref(),
        parts: report.parts.iter().map(JsPart::from).collect(),
        diagnostics: {
            let index = report.index();
            report.diagnostics.iter().map(|d| JsDiagnostic::new(&index, d)).collect()
        },
    })?;
    // Each part's parsed JSON: the core parsed it, so the text is valid JSON; the engine's own
    // JSON.parse builds the objects far faster than converting the core's value field by field.
    let parts = js_sys::Reflect::get(&result, &JsValue::from_str("parts")).map_err(js_error)?;
    let parts: &Array = parts.unchecked_ref();
    for (i, part) in report.parts.iter().enumerate() {
        let Some(text) = part.text().filter(|_| part.parsed) else { continue };
        let parsed = match js_sys::JSON::parse(text.strip_prefix('\u{feff}').unwrap_or(text)) {
            Ok(parsed) => parsed,
            Err(_) => to_js(&part.value())?,
        };
        js_sys::Reflect::set(&parts.get(i as u32), &JsValue::from_str("value"), &parsed).map_err(js_error)?;
    }
    Ok(result)
}

/// A thrown JavaScript value as an `Error`.
fn js_error(value: JsValue) -> JsError {
    JsError::new(&value.as_string().unwrap_or_else(|| format!("{value:?}")))
}

// ---- Input shapes --------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LintOptions {
    #[serde(default)]
    rules: BTreeMap<String, RuleLevel>,
    #[serde(default)]
    file_name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

impl LintOptions {
    /// The configuration, validated by the core: an unknown code throws, naming the nearest.
    fn config(&self) -> Result<Config, JsError> {
        Config::new(self.rules.iter().map(|(c, l)| (c, *l))).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The document kind the caller named, if any.
    fn kind(&self) -> Result<Option<DocumentKind>, JsError> {
        self.kind
            .as_deref()
            .map(|name| {
                DocumentKind::from_name(name).ok_or_else(|| {
                    JsError::new(&format!(
                        "unknown kind `{name}`: expected createRequest, updateRequest, definitionBody, definition, content or platform"
                    ))
                })
            })
            .transpose()
    }
}

enum Input {
    Document(Vec<u8>),
    Files(Vec<ItemFile>),
}

/// A string or a `Uint8Array` as bytes.
fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(text) = value.as_string() {
        Some(text.into_bytes())
    } else {
        value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
    }
}

fn files_of(value: &JsValue, what: &str) -> Result<Vec<ItemFile>, JsError> {
    let Some(object) = value.dyn_ref::<Object>().filter(|_| !Array::is_array(value)) else {
        return Err(JsError::new(&format!(
            "{what} must be an object mapping file paths to strings or Uint8Arrays"
        )));
    };
    Object::entries(object)
        .iter()
        .map(|entry| {
            let entry: Array = entry.unchecked_into();
            let path = entry.get(0).as_string().unwrap_or_default();
            match bytes_of(&entry.get(1)) {
                Some(bytes) => Ok(ItemFile::new(path, bytes)),
                None => Err(JsError::new(&format!("{what}[\"{path}\"] must be a string or a Uint8Array"))),
            }
        })
        .collect()
}

fn input_of(value: &JsValue, allow_files: bool) -> Result<Input, JsError> {
    if let Some(bytes) = bytes_of(value) {
        return Ok(Input::Document(bytes));
    }
    if !value.is_object() {
        let expected = if allow_files {
            "a JSON string, a Uint8Array, a parsed JSON object or { files }"
        } else {
            "a JSON string, a Uint8Array or a parsed JSON object"
        };
        return Err(JsError::new(&format!("expected {expected}")));
    }
    if allow_files && !Array::is_array(value) {
        let files = js_sys::Reflect::get(value, &JsValue::from_str("files")).unwrap_or(JsValue::UNDEFINED);
        if !files.is_undefined() {
            return Ok(Input::Files(files_of(&files, "files")?));
        }
    }
    let json: Value = serde_wasm_bindgen::from_value(value.clone())
        .map_err(|e| JsError::new(&format!("the input is not JSON data: {e}")))?;
    let text = serde_json::to_string_pretty(&json).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(Input::Document(text.into_bytes()))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FormatOptions {
    #[serde(default)]
    file_name: Option<String>,
}

/// Reads an options object; through serde_json, so unknown options are refused
/// (serde-wasm-bindgen ignores them).
fn options_of<T: serde::de::DeserializeOwned + Default>(
    options: Option<JsValue>,
    what: &str,
) -> Result<T, JsError> {
    match options {
        Some(options) if !options.is_undefined() && !options.is_null() => {
            serde_wasm_bindgen::from_value::<Value>(options)
                .map_err(|e| e.to_string())
                .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
                .map_err(|e| JsError::new(&format!("invalid {what} options: {e}")))
        }
        _ => Ok(T::default()),
    }
}

/// The core's source for an input (a file name, when given, says which part a document is).
fn source_of(input: Input, file_name: Option<&str>, kind: Option<DocumentKind>) -> Source {
    match input {
        Input::Files(files) => Source::Folder(files),
        Input::Document(bytes) => Source::Document { name: file_name.map(str::to_owned), kind, bytes },
    }
}

/// The core's rewrite of a source as `DocumentRewrite` or `FilesRewrite`.
fn rewritten_to_js(rewritten: Rewritten) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct DocumentRewrite {
        changed: bool,
        text: String,
        changes: Vec<String>,
    }
    #[derive(Serialize)]
    struct FilesRewrite {
        changed: bool,
        files: BTreeMap<String, String>,
        changes: Vec<String>,
    }
    match rewritten.source {
        Source::Document { bytes, .. } => to_js(&DocumentRewrite {
            changed: rewritten.changed,
            text: String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            changes: rewritten.changes,
        }),
        Source::Folder(files) => {
            let files = files
                .into_iter()
                .filter(|f| rewritten.changed_files.contains(&f.path))
                .map(|f| (f.path, String::from_utf8_lossy(&f.bytes).into_owned()))
                .collect();
            to_js(&FilesRewrite { changed: rewritten.changed, files, changes: rewritten.changes })
        }
    }
}

// ---- The API -------------------------------------------------------------------------------

/// Checks a Copy job definition in any shape: a getDefinition response, an updateDefinition or
/// create body, a bare `{parts}` envelope, a copyjob-content.json or .platform, or
/// `{ files: { "copyjob-content.json": text, ".platform": text } }` for an item folder.
/// Problems in the document are diagnostics; it throws only when the arguments are unusable.
#[wasm_bindgen(unchecked_return_type = "LintResult")]
pub fn lint(
    #[wasm_bindgen(unchecked_param_type = "LintInput")] input: JsValue,
    options: Option<JsLintOptions>,
) -> Result<JsValue, JsError> {
    let options: LintOptions = options_of(options.map(Into::into), "lint")?;
    let config = options.config()?;
    let source = source_of(input_of(&input, true)?, options.file_name.as_deref(), options.kind()?);
    with_checker(|checker| report_to_js(&checker.check_owned(source, &config)))
}

/// Applies the safe fixes of `lint`'s diagnostics (same inputs and options) until none is left.
/// Typed in the TypeScript section (overloads by input).
#[wasm_bindgen(skip_typescript)]
pub fn fix(input: JsValue, options: Option<JsLintOptions>) -> Result<JsValue, JsError> {
    let options: LintOptions = options_of(options.map(Into::into), "fix")?;
    let config = options.config()?;
    let source = source_of(input_of(&input, true)?, options.file_name.as_deref(), options.kind()?);
    with_checker(|checker| rewritten_to_js(checker.fix(&source, &config)))
}

/// Formats one JSON text as the service does: 2-space indentation, no trailing newline, keys,
/// strings and numbers kept exactly as written. Throws when the text is not JSON.
#[wasm_bindgen]
pub fn format(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Result<String, JsError> {
    let Some(text) = text.as_string() else {
        return Err(JsError::new("format: expected a string"));
    };
    copyjob::format_text(&text).map_err(|d| {
        let at = JsPosition::from(d.range.start);
        JsError::new(&format!("not valid JSON: {} (line {}, column {})", d.message, at.line, at.column))
    })
}

/// Formats the parts of a definition (any input `lint` reads). Typed in the TypeScript section.
#[wasm_bindgen(js_name = "formatDefinition", skip_typescript)]
pub fn format_definition(input: JsValue, options: Option<JsFormatOptions>) -> Result<JsValue, JsError> {
    let options: FormatOptions = options_of(options.map(Into::into), "format")?;
    let input = input_of(&input, true)?;
    let source = source_of(input, options.file_name.as_deref(), None);
    with_checker(|checker| rewritten_to_js(checker.format(&source)))
}

/// Every lint rule's metadata and documentation.
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct JsRule {
        code: String,
        name: &'static str,
        severity: copyjob::Severity,
        fixable: bool,
        summary: String,
        evidence: &'static str,
        docs: String,
        docs_url: String,
    }
    let list: Vec<JsRule> = copyjob::lint::all_rules()
        .map(|r| JsRule {
            code: r.code().to_owned(),
            name: r.name,
            severity: r.severity,
            fixable: r.fixable,
            summary: r.summary(),
            evidence: r.evidence,
            docs: r.markdown(),
            docs_url: r.docs_path(),
        })
        .collect();
    to_js(&list)
}

/// Every diagnostic code any input can produce, from the core's registry.
#[wasm_bindgen(unchecked_return_type = "CodeInfo[]")]
pub fn codes() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct JsCode {
        code: String,
        group: copyjob::Group,
        severity: copyjob::Severity,
        fixable: bool,
        service_rejects: bool,
        summary: String,
        evidence: &'static str,
        docs: String,
        docs_url: String,
    }
    let list: Vec<JsCode> = copyjob::all_codes()
        .map(|c| JsCode {
            code: c.code().to_owned(),
            group: c.group,
            severity: c.severity,
            fixable: c.fixable,
            service_rejects: c.service_rejects,
            summary: c.summary(),
            evidence: c.evidence,
            docs: c.markdown(),
            docs_url: c.docs_path(),
        })
        .collect();
    to_js(&list)
}

/// Decodes the parts of a definition (a getDefinition response, an updateDefinition or create
/// body, or a bare `{parts}` envelope): each part's bytes, text and parsed JSON, with the
/// diagnostics found on the way.
#[wasm_bindgen(unchecked_return_type = "UnpackResult")]
pub fn unpack(
    #[wasm_bindgen(unchecked_param_type = "DefinitionInput")] definition: JsValue,
) -> Result<JsValue, JsError> {
    let Input::Document(bytes) = input_of(&definition, false)? else {
        return Err(JsError::new("expected a definition"));
    };
    with_checker(|checker| report_to_js(&checker.check_document(&bytes)))
}

/// Encodes files into `{ definition: { parts } }`, byte for byte (strings as UTF-8), known parts
/// first in the service's order. It never changes the bytes: lint the files to know whether the
/// service will accept them.
#[wasm_bindgen(unchecked_return_type = "DefinitionBody")]
pub fn pack(#[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue) -> Result<JsValue, JsError> {
    let files = files_of(&files, "files")?;
    let definition = copyjob::pack(files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())));
    to_js(&copyjob::DefinitionBody { definition })
}

/// The JSON Schemas copyjob validates with, for editors' completion and validation.
#[wasm_bindgen(unchecked_return_type = "SchemaInfo[]")]
pub fn schemas() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct JsSchema<'a> {
        name: &'a str,
        uri: String,
        schema: &'a Value,
    }
    with_checker(|checker| {
        let list: Vec<JsSchema<'_>> = SchemaId::ALL
            .into_iter()
            .map(|id| JsSchema {
                name: id.file_name(),
                uri: id.uri(),
                schema: checker.schemas().document(id),
            })
            .collect();
        to_js(&list)
    })
}

/// The connector catalog: every connector a Copy job reads and writes, its capabilities and its
/// type strings, each with its evidence.
#[wasm_bindgen(unchecked_return_type = "ConnectorCatalog")]
pub fn connectors() -> Result<JsValue, JsError> {
    to_js(copyjob::connectors::catalog())
}

/// The version of copyjob.
#[wasm_bindgen]
pub fn version() -> String {
    copyjob::VERSION.to_owned()
}
