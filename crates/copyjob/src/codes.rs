//! The registry of every diagnostic code: its group, default severity, documentation, evidence,
//! and whether the Fabric service itself rejects a definition with the problem.
//!
//! The `envelope/`, `codec/`, `json/` and `schema/` codes are listed in [`CODES`]; the `lint/`
//! codes are the lint rules ([`crate::lint::RULES`]), each declaring its own [`CodeInfo`].
//! [`all_codes`] lists both; configuration, the docs in `docs/`, SARIF descriptors and the
//! emulator's notion of "what the service rejects" all come from here.

use crate::diagnostic::Severity;
use crate::suggest::{Prepared, NEAREST};
use serde::Serialize;

/// The group of a code: the first segment of `group/kebab-name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// The shape of the document and its definition envelope (parts, payload types).
    Envelope,
    /// Decoding a part: base64, UTF-8, byte-order marks.
    Codec,
    /// JSON syntax.
    Json,
    /// The JSON Schemas.
    Schema,
    /// The lint rules: what a schema cannot see.
    Lint,
    /// Deploying with `copyjob push`: what the parameterised definition still lacks.
    Deploy,
}

impl Group {
    /// Every group, in the order checks run.
    pub const ALL: [Group; 6] =
        [Group::Envelope, Group::Codec, Group::Json, Group::Schema, Group::Lint, Group::Deploy];

    /// The group's name, the prefix of its codes before the `/`.
    pub const fn name(self) -> &'static str {
        match self {
            Group::Envelope => "envelope",
            Group::Codec => "codec",
            Group::Json => "json",
            Group::Schema => "schema",
            Group::Lint => "lint",
            Group::Deploy => "deploy",
        }
    }

    /// What the group's codes are about, in one sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Group::Envelope => {
                "The shape of the document and its definition envelope: parts, paths, payload types."
            }
            Group::Codec => "Decoding a part: base64 payloads, UTF-8 text, byte-order marks.",
            Group::Json => "JSON syntax, checked strictly: what the service's JSON reader refuses.",
            Group::Schema => "The JSON Schemas in `schemas/`: unknown and missing properties, values, types.",
            Group::Lint => "The lint rules: the mistakes a JSON Schema cannot see.",
            Group::Deploy => {
                "Deploying with `copyjob push`: parameters left for an environment that does not set them."
            }
        }
    }

    /// The group of a code (`json/syntax` → [`Group::Json`]), when it names one.
    pub fn of(code: &str) -> Option<Group> {
        let (group, _) = code.split_once('/')?;
        Group::ALL.into_iter().find(|g| g.name() == group)
    }
}

/// What a diagnostic code is: for the registry, the docs, the configuration and SARIF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The group; the code is `<group>/<name>`.
    pub group: Group,
    /// The code's name within its group.
    pub name: &'static str,
    /// The code, `<group>/<name>` (one shared string for every diagnostic with it).
    pub(crate) code: &'static str,
    /// The severity it is reported with unless configured otherwise.
    pub severity: Severity,
    /// Whether it offers a safe fix.
    pub fixable: bool,
    /// Whether the Fabric service itself rejects a definition with this problem (HTTP 400);
    /// otherwise the service accepts it and the problem shows later, or never.
    pub service_rejects: bool,
    /// What the check rests on: Microsoft's docs and specs, real files, or inference.
    pub evidence: &'static str,
    /// The documentation in Markdown (one leading space per line allowed, as doc comments have):
    /// *What it does*, *Why*, *Examples*.
    pub docs: &'static str,
}

impl CodeInfo {
    /// The code, `<group>/<name>`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The first sentence of the *What it does* section.
    pub fn summary(&self) -> String {
        let docs = self.markdown();
        let after = docs.split("## What it does").nth(1).unwrap_or(&docs);
        let paragraph = after.trim_start().split("\n\n").next().unwrap_or_default();
        let sentence = paragraph.split(". ").next().unwrap_or(paragraph);
        let sentence = sentence.replace('\n', " ");
        sentence.trim_end_matches('.').to_owned() + "."
    }

    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn markdown(&self) -> String {
        let text: Vec<&str> = self.docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect();
        text.join("\n").trim().to_owned()
    }

    /// The code's page in the repository: `docs/rules/<name>.md` for lint rules,
    /// `docs/codes/<group>/<name>.md` for the others.
    pub fn docs_path(&self) -> String {
        match self.group {
            Group::Lint => format!("docs/rules/{}.md", self.name),
            group => format!("docs/codes/{}/{}.md", group.name(), self.name),
        }
    }

    /// The examples of the documentation: fenced `json` blocks tagged `invalid` (the code is
    /// reported) or `valid` (it is not), and optionally with what the text is: `.platform`,
    /// `body` (any document, recognised by its shape) or `folder` (an object mapping an item
    /// folder's file names to their JSON); by default a `copyjob-content.json`.
    pub fn examples(&self) -> Vec<Example> {
        let markdown = self.markdown();
        let mut out = Vec::new();
        let mut lines = markdown.lines();
        while let Some(line) = lines.next() {
            let Some(info) = line.trim().strip_prefix("```json") else { continue };
            let tags: Vec<&str> = info.split_whitespace().collect();
            let mut text = Vec::new();
            for line in lines.by_ref() {
                if line.trim() == "```" {
                    break;
                }
                text.push(line);
            }
            let expect = if tags.contains(&"invalid") {
                Some(true)
            } else if tags.contains(&"valid") {
                Some(false)
            } else {
                None
            };
            let Some(reported) = expect else { continue };
            let file = tags.iter().find(|t| !["invalid", "valid"].contains(t)).map_or("", |t| t);
            out.push(Example { reported, file: file.to_owned(), text: text.join("\n") });
        }
        out
    }
}

/// A documented example of a code, run as a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Whether the code is reported on it.
    pub reported: bool,
    /// What the text is: `""` (a `copyjob-content.json`), `.platform`, `body` or `folder`.
    pub file: String,
    /// The example's text.
    pub text: String,
}

/// Every code: the non-lint codes, then the lint rules in registry order.
pub fn all_codes() -> impl Iterator<Item = &'static CodeInfo> {
    CODES.iter().chain(crate::lint::all_rules())
}

/// The registered code with this exact spelling.
pub fn find_code(code: &str) -> Option<&'static CodeInfo> {
    let (group, name) = code.split_once('/')?;
    all_codes().find(|c| c.group.name() == group && c.name == name)
}

/// The registered code nearest to an unknown one (by edit distance, ignoring case): within its
/// group when the group exists, else among every code (a name without its group is matched
/// against the names).
pub fn nearest_code(code: &str) -> Option<String> {
    let lower = code.to_lowercase();
    if let (Some(group), Some((_, name))) = (Group::of(&lower), lower.split_once('/')) {
        let in_group: Vec<&CodeInfo> = all_codes().filter(|c| c.group == group).collect();
        let nearest = Prepared::new(in_group.iter().map(|c| c.name)).nearest(name, NEAREST, |_| false)?;
        return Some(in_group[nearest].code().to_owned());
    }
    // Each code is matched as `group/name` and as its name alone: candidates 2i and 2i + 1.
    let codes: Vec<&str> = all_codes().map(CodeInfo::code).collect();
    let both = codes.iter().zip(all_codes()).flat_map(|(code, info)| [*code, info.name]);
    let nearest = Prepared::new(both).nearest(&lower, NEAREST, |_| false)?;
    codes.get(nearest / 2).map(|c| (*c).to_owned())
}

const fn code(
    group: Group,
    code: &'static str,
    severity: Severity,
    service_rejects: bool,
    evidence: &'static str,
    docs: &'static str,
) -> CodeInfo {
    CodeInfo {
        group,
        name: name_in(group, code),
        code,
        severity,
        fixable: false,
        service_rejects,
        evidence,
        docs,
    }
}

/// The name of `code` within `group`: what follows `<group>/` (checked when compiled).
pub(crate) const fn name_in(group: Group, code: &'static str) -> &'static str {
    let prefix = group.name().as_bytes();
    let bytes = code.as_bytes();
    assert!(bytes.len() > prefix.len() + 1 && bytes[prefix.len()] == b'/', "a code is <group>/<name>");
    let mut i = 0;
    while i < prefix.len() {
        assert!(bytes[i] == prefix[i], "a code starts with its group's name");
        i += 1;
    }
    match std::str::from_utf8(bytes.split_at(prefix.len() + 1).1) {
        Ok(name) => name,
        Err(_) => panic!("a code is UTF-8"),
    }
}

use Group::{Codec, Deploy, Envelope, Json, Schema};
use Severity::{Error, Info, Warning};

const SERVICE_PARSES: &str = "Fabric REST API specification: the definition's parts are base64 \
    `InlineBase64` payloads of JSON files; the service answers HTTP 400 for a definition whose parts cannot \
    be decoded or parsed (CorruptedPayload, InvalidDefinitionParts).";

/// The `envelope/`, `codec/`, `json/`, `schema/` and `deploy/` codes.
pub static CODES: &[CodeInfo] = &[
    code(
        Envelope,
        "envelope/unknown-shape",
        Error,
        true,
        "Fabric REST API specification: the bodies of create, update (PATCH), getDefinition and updateDefinition.",
        r#"## What it does

Reports a JSON document that is none of the shapes copyjob reads: a getDefinition response or
updateDefinition body, a create or update (PATCH) body, a bare `{"parts": [...]}` envelope, a
`copyjob-content.json` or a `.platform`.

## Why

A file that is not a definition (a JSON Schema, a single activity, an unrelated document) cannot be
checked; saying so beats reporting every property as unknown.

## Examples

```json invalid body
{ "name": "not a copy job" }
```

```json valid body
{ "properties": { "jobMode": "Batch" }, "activities": [] }
```"#,
    ),
    code(
        Envelope,
        "envelope/ambiguous-shape",
        Info,
        false,
        "Fabric REST API specification: a create body is `{displayName, description?, folderId?, definition?}` and an update (PATCH) body `{displayName?, description?}`, so `{displayName, description}` is both.",
        r#"## What it does

Notes a request body that is a valid create body and a valid update (PATCH) body alike
(`{"displayName": ..., "description": ...}`), which copyjob checks as a create body.

## Why

The two bodies cannot be told apart by their content, and the checks differ (a create body
requires `displayName`). Name the kind instead of letting copyjob guess: `copyjob lint --kind
update`, a file named `*.update.json` (or `*.create.json`), or the npm option
`kind: "updateRequest"`.

## Examples

```json invalid body
{ "displayName": "Sales copy", "description": "Copies the sales tables" }
```

```json valid body
{ "displayName": "Sales copy", "definition": { "parts": [ { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" } ] } }
```"#,
    ),
    code(
        Envelope,
        "envelope/missing-content-part",
        Error,
        true,
        "Fabric REST API, Copy job definition: `copyjob-content.json` is the required part; `.platform` is optional.",
        r#"## What it does

Reports a definition (or an item folder) without a `copyjob-content.json` part.

## Why

`copyjob-content.json` holds the job itself; the service rejects a definition without it.

## Examples

```json invalid body
{ "parts": [ { "path": ".platform", "payload": "eyJtZXRhZGF0YSI6eyJ0eXBlIjoiQ29weUpvYiIsImRpc3BsYXlOYW1lIjoiU2FsZXMifX0=", "payloadType": "InlineBase64" } ] }
```

```json valid body
{ "parts": [ { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" } ] }
```"#,
    ),
    code(
        Envelope,
        "envelope/duplicate-part",
        Error,
        true,
        "Fabric REST API, item definitions: each part path appears once; the service rejects duplicate parts.",
        r#"## What it does

Reports a part path that appears twice in a definition's `parts`.

## Why

The service rejects a definition with duplicate parts; which one was meant is unclear.

## Examples

```json invalid body
{ "parts": [
  { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" },
  { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" }
] }
```"#,
    ),
    code(
        Envelope,
        "envelope/unknown-part",
        Warning,
        false,
        "Fabric REST API, Copy job definition: the parts are `copyjob-content.json` and `.platform`; what the service does with other parts is not documented.",
        r#"## What it does

Warns about a part (or a file of an item folder) other than `copyjob-content.json` and `.platform`,
with the known name it is closest to.

## Why

A misspelled part name (`copyjob-contents.json`) means the real part is missing; another file in an
item folder is not sent.

## Examples

```json invalid body
{ "parts": [
  { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" },
  { "path": "notes.txt", "payload": "e30=", "payloadType": "InlineBase64" }
] }
```"#,
    ),
    code(
        Envelope,
        "envelope/unknown-payload-type",
        Error,
        true,
        "Fabric REST API specification: `payloadType` is `InlineBase64`, the only value the service accepts.",
        r#"## What it does

Reports a part whose `payloadType` is not `InlineBase64`; the part is not decoded.

## Why

`InlineBase64` is the only payload type, and it is case-sensitive.

## Examples

```json invalid body
{ "parts": [ { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "inlineBase64" } ] }
```"#,
    ),
    code(
        Envelope,
        "envelope/unknown-format",
        Warning,
        false,
        "Fabric REST API, Copy job definition: a Copy job definition has a single format, sent without `format`.",
        r#"## What it does

Warns about a non-empty `format` in a definition.

## Why

Copy jobs have one, unnamed definition format: `format` is left out.

## Examples

```json invalid body
{ "format": "ipynb", "parts": [ { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" } ] }
```"#,
    ),
    code(
        Codec,
        "codec/invalid-base64",
        Error,
        true,
        SERVICE_PARSES,
        r#"## What it does

Reports a payload that is not valid standard base64, at the first bad character (URL-safe
characters, whitespace, misplaced padding, truncation).

## Why

The service cannot decode the part and rejects the definition.

## Examples

```json invalid body
{ "parts": [ { "path": "copyjob-content.json", "payload": "eyJwcm9w!ZXJ0aWVzIjp7fX0=", "payloadType": "InlineBase64" } ] }
```"#,
    ),
    code(
        Codec,
        "codec/missing-padding",
        Warning,
        false,
        "RFC 4648 section 3.2; every payload the service writes (Fabric REST API examples and recordings) is padded. Whether it accepts unpadded base64 is not documented.",
        r#"## What it does

Warns about a payload without its trailing `=` padding.

## Why

The service writes padded base64; an unpadded payload is decoded by lenient readers only.

## Examples

```json invalid body
{ "parts": [ { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0", "payloadType": "InlineBase64" } ] }
```"#,
    ),
    code(
        Codec,
        "codec/invalid-utf8",
        Error,
        true,
        SERVICE_PARSES,
        r#"## What it does

Reports a part (or a document) whose bytes are not UTF-8, at the first bad byte.

## Why

The service reads parts as UTF-8 JSON. A file saved as UTF-16 or Windows-1252 is garbled or
rejected.

## Examples

```json invalid body
{ "parts": [ { "path": "copyjob-content.json", "payload": "eyJhIjoi/yJ9", "payloadType": "InlineBase64" } ] }
```"#,
    ),
    code(
        Codec,
        "codec/bom",
        Error,
        true,
        "RFC 8259 section 8.1: JSON text must not begin with a byte-order mark; the service rejects a part starting with one.",
        r#"## What it does

Reports a text that starts with a UTF-8 byte-order mark (`EF BB BF`).

## Why

JSON must not start with a byte-order mark, and the service's reader refuses it. Editors on
Windows add one when saving "UTF-8 with BOM".

## Examples

```json invalid body
{ "parts": [ { "path": "copyjob-content.json", "payload": "77u/e30=", "payloadType": "InlineBase64" } ] }
```"#,
    ),
    code(
        Json,
        "json/syntax",
        Error,
        true,
        SERVICE_PARSES,
        r#"## What it does

Reports a JSON syntax error: trailing commas, comments, single quotes, missing commas, unclosed
objects and arrays, and every other deviation from strict JSON (RFC 8259).

## Why

The service parses parts as strict JSON and rejects anything else.

## Examples

```json invalid
{ "properties": { "jobMode": "Batch", }, "activities": [] }
```

```json valid
{ "properties": { "jobMode": "Batch" }, "activities": [] }
```"#,
    ),
    code(
        Json,
        "json/duplicate-key",
        Error,
        true,
        "RFC 8259 section 4: names within an object should be unique, and readers disagree on which duplicate wins.",
        r#"## What it does

Reports a key that appears twice in one object.

## Why

JSON readers disagree on which of the two values wins, so the service may not read what you see.

## Examples

```json invalid
{ "properties": { "jobMode": "Batch", "jobMode": "CDC" }, "activities": [] }
```"#,
    ),
    code(
        Json,
        "json/too-deep",
        Error,
        true,
        "A Copy job definition is a few levels deep; the limit protects every reader (and this one) from runaway nesting.",
        r#"## What it does

Reports arrays and objects nested more than 512 levels deep.

## Why

No Copy job definition is that deep: the document was generated wrongly.

## Examples

Arrays nested 520 levels deep:

```json invalid body
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
```"#,
    ),
    code(
        Json,
        "json/empty",
        Error,
        true,
        SERVICE_PARSES,
        r#"## What it does

Reports an empty document or part (nothing but whitespace).

## Why

A part is a JSON object; an empty one cannot be parsed.

## Examples

```json invalid
```"#,
    ),
    code(
        Json,
        "json/invalid-number",
        Error,
        true,
        "RFC 8259 section 6: numbers have no leading zeros, no `+`, no hexadecimal, no `NaN` or `Infinity`.",
        r#"## What it does

Reports a number outside strict JSON, such as a leading zero (`01`).

## Why

The service's JSON reader rejects it.

## Examples

```json invalid
{ "properties": { "jobMode": "Batch", "policy": { "timeout": 01 } }, "activities": [] }
```"#,
    ),
    code(
        Json,
        "json/control-character",
        Error,
        true,
        "RFC 8259 section 7: control characters (U+0000 to U+001F) must be escaped in strings.",
        r#"## What it does

Reports a raw control character (a tab, a line break) inside a string.

## Why

Strict JSON requires them escaped (`\t`, `\n`); the service's reader rejects raw ones.

## Examples

```json invalid
{ "properties": { "jobMode": "Batch", "description": "a	tab" }, "activities": [] }
```"#,
    ),
    code(
        Schema,
        "schema/unknown-property",
        Error,
        true,
        "The schemas in `schemas/` (evidence for each property in its description): Fabric rejects definitions with properties it does not know in the request bodies and `.platform`; in `copyjob-content.json` the schema is closed where the format is known.",
        r#"## What it does

Reports a property the schema does not know, at its key, with the known property it is closest to.

## Why

A misspelled property is ignored or rejected; either way, what you wrote does not happen.

## Examples

```json invalid body
{ "displayName": "Sales copy", "descripton": "Copies the sales tables" }
```

```json valid body
{ "displayName": "Sales copy", "description": "Copies the sales tables" }
```"#,
    ),
    code(
        Schema,
        "schema/missing-property",
        Error,
        true,
        "The schemas in `schemas/`: `required` lists what the service needs (Fabric REST API specification and real definitions).",
        r#"## What it does

Reports a required property that is missing, on the object's key or opening brace. Some are
required only in some cases: a destination's `datasetSettings` needs a `table` unless it names a
file `location`, and says so.

## Why

The service rejects a definition without it.

## Examples

```json invalid body
{ "definition": {} }
```

```json invalid
{ "properties": { "jobMode": "Batch" }, "activities": [ { "id": "orders", "properties": { "source": { "datasetSettings": { "table": "orders" } }, "destination": { "datasetSettings": { "schema": "dbo" } } } } ] }
```

```json valid
{ "properties": { "jobMode": "Batch" }, "activities": [ { "id": "orders", "properties": { "source": { "datasetSettings": { "table": "orders" } }, "destination": { "datasetSettings": { "schema": "dbo", "table": "orders" } } } } ] }
```"#,
    ),
    code(
        Schema,
        "schema/invalid-value",
        Error,
        true,
        "The schemas in `schemas/`: the `enum` and `const` values documented by Microsoft (for example `jobMode`: `Batch` or `CDC`).",
        r#"## What it does

Reports a value that is not one of the allowed values, listing them and the one it is closest to.

## Why

The service accepts only the documented values, and they are case-sensitive.

## Examples

```json invalid
{ "properties": { "jobMode": "Batchh" }, "activities": [] }
```

```json valid
{ "properties": { "jobMode": "Batch" }, "activities": [] }
```"#,
    ),
    code(
        Schema,
        "schema/wrong-type",
        Error,
        true,
        "The schemas in `schemas/`: the `type` of each property, from the Fabric REST API specification and real definitions.",
        r#"## What it does

Reports a value of the wrong type (a number where a string is expected, a string where an object
is); the help says so when only the quotes are missing or extra.

## Why

The service rejects a value of the wrong type.

## Examples

```json invalid .platform
{ "metadata": { "type": "CopyJob", "displayName": "Sales" }, "config": { "version": 2, "logicalId": "00000000-0000-0000-0000-000000000000" } }
```"#,
    ),
    code(
        Schema,
        "schema/pattern-mismatch",
        Error,
        true,
        "The schemas in `schemas/`: the `pattern` of identifiers and versions, from the Fabric REST API specification.",
        r#"## What it does

Reports a string that does not match the pattern its property requires.

## Why

The service rejects the value.

## Examples

```json invalid
{ "properties": { "jobMode": "Batch", "policy": { "timeout": "12 hours" } }, "activities": [] }
```

```json valid
{ "properties": { "jobMode": "Batch", "policy": { "timeout": "0.12:00:00" } }, "activities": [] }
```"#,
    ),
    code(
        Schema,
        "schema/invalid-format",
        Error,
        true,
        "The schemas in `schemas/`: `format` (for example `uuid`) of ids in the Fabric REST API specification.",
        r#"## What it does

Reports a string that is not in the format its property requires, such as a GUID.

## Why

The service rejects the value.

## Examples

```json invalid body
{ "displayName": "Sales", "folderId": "not-a-guid" }
```"#,
    ),
    code(
        Schema,
        "schema/too-long",
        Error,
        true,
        "The schemas in `schemas/`: `maxLength` from the Fabric REST API (display names 123 characters, descriptions 256).",
        r#"## What it does

Reports a string longer than its property allows, with its length.

## Why

The service rejects the value.

## Examples

A create body whose `displayName` is 124 characters long (the limit is 123):

```json invalid body
{ "displayName": "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS" }
```

```json valid body
{ "displayName": "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS" }
```"#,
    ),
    code(
        Schema,
        "schema/too-short",
        Error,
        true,
        "The schemas in `schemas/`: `minLength` from the Fabric REST API specification.",
        r#"## What it does

Reports a string shorter than its property allows, such as an empty display name.

## Why

The service rejects the value.

## Examples

```json invalid body
{ "displayName": "" }
```"#,
    ),
    code(
        Schema,
        "schema/out-of-range",
        Error,
        true,
        "The schemas in `schemas/`: `minimum` and `maximum` from the Fabric REST API specification.",
        r#"## What it does

Reports a number below its minimum or above its maximum.

## Why

The service rejects the value.

## Examples

```json invalid
{ "properties": { "jobMode": "Batch", "policy": { "timeout": "0.12:00:00", "retry": -1 } }, "activities": [] }
```

```json valid
{ "properties": { "jobMode": "Batch", "policy": { "timeout": "0.12:00:00", "retry": 3 } }, "activities": [] }
```"#,
    ),
    code(
        Schema,
        "schema/no-match",
        Error,
        true,
        "The schemas in `schemas/`: `anyOf` and `oneOf` alternatives.",
        r#"## What it does

Reports a value that matches none of the shapes its property allows (`anyOf`, `oneOf`), on the
value's opening, with the schema's `x-message` when it has one.

## Why

The service rejects the value.

## Examples

The schemas in `schemas/` have no such alternatives today: a choice between required properties
is written `if`/`else`, which names the missing property (`schema/missing-property`), where a
failed `anyOf` can only say that no shape matched — and costs the validator a copy of the value
for each alternative."#,
    ),
    code(
        Schema,
        "schema/invalid",
        Error,
        true,
        "The schemas in `schemas/`: any other keyword that fails.",
        r#"## What it does

Reports a schema keyword failing that no more specific code covers (for example `minItems`), with
the schema validator's message.

## Why

The service rejects the value.

## Examples

None of the keywords the schemas in `schemas/` use today fails with this code: it is the
fallback for a keyword added to them later."#,
    ),
    code(
        Deploy,
        "deploy/unreplaced-parameter",
        Error,
        false,
        "copyjob push parameter files (README, Deploying): a value marked for replacement that the chosen environment does not replace would be sent as is.",
        r#"## What it does

Reports, when `copyjob push` prepares a definition for an environment, a parameterised value that
the parameter file does not replace for that environment, at its place in the part.

## Why

The value meant for another environment (a development workspace id, a connection) would be
deployed as is; the job then reads from or writes to the wrong place.

## Examples

Only `copyjob push` reports it, for a definition and a parameter file together. With this
`parameter.yml`:

```yaml
find_replace:
  - find_value: "e96609ad-cc50-4c63-8829-c8499910e044"
    replace_value:
      test: "b6f3e0a1-51c4-4a0e-9c39-0f1d2a3b4c5d"
```

`copyjob push --environment prod` reports the development workspace id wherever the definition
uses it, since the file replaces it for `test` only."#,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_lookups() {
        assert_eq!(Group::of("json/syntax"), Some(Group::Json));
        assert_eq!(Group::of("nope/syntax"), None);
        assert!(find_code("lint/duplicate-activity-id").is_some());
        assert!(find_code("json/syntax").is_some());
        assert!(find_code("json/nope").is_none());
        assert_eq!(nearest_code("lint/duplicate-activity").as_deref(), Some("lint/duplicate-activity-id"));
        assert_eq!(nearest_code("json/sintax").as_deref(), Some("json/syntax"));
        assert_eq!(nearest_code("unknown-property").as_deref(), Some("schema/unknown-property"));
        assert!(nearest_code("lint/typo").is_some_and(|c| c.starts_with("lint/")));
    }

    #[test]
    fn examples_are_read_from_fences() {
        let info = find_code("schema/invalid-value").copied().unwrap_or(CODES[0]);
        let examples = info.examples();
        assert_eq!(examples.len(), 2);
        assert!(examples[0].reported && !examples[1].reported);
        assert!(examples[0].text.contains("Batchh"));
    }
}
