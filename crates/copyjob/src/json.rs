//! Strict JSON parsing that keeps the source text, so every value can be located.
//!
//! Parsing uses `jsonc-parser` with every JSONC extension switched off, then converts its
//! syntax tree to a [`serde_json::Value`] (for the JSON Schemas and the rules) while checking
//! what the grammar alone does not: duplicate keys, raw control characters in strings, and
//! numbers outside strict JSON.

use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use jsonc_parser::ast::{self, ObjectPropName};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use serde_json::{Map, Number, Value};

/// The deepest nesting of arrays and objects the parser accepts.
pub const MAX_DEPTH: usize = 512;

const STRICT: ParseOptions = ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// Where a diagnostic about a JSON value should point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The value itself.
    Value,
    /// The key of the member holding the value (the value when it has no key).
    Key,
    /// The key and the value of the member (`"key": value`).
    Member,
    /// The opening of an object or array: its key when it has one, else its first character.
    Opening,
}

/// A parsed JSON text: the value, the syntax tree with byte ranges, and a line index.
#[derive(Debug)]
pub struct JsonText<'a> {
    /// The full text, including a byte-order mark when there was one.
    pub index: LineIndex<'a>,
    /// The value, when the text parsed.
    pub value: Option<Value>,
    ast: Option<ast::Value<'a>>,
    base: usize,
    /// The part the text belongs to, copied into every diagnostic.
    pub part: Option<String>,
}

impl<'a> JsonText<'a> {
    /// Parses `text`, appending syntax problems to `out`. `part` names the definition part.
    /// A leading byte-order mark is skipped (the caller reports it).
    pub fn parse(text: &'a str, part: Option<&str>, out: &mut Vec<Diagnostic>) -> Self {
        let index = LineIndex::new(text);
        let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut json = JsonText { index, value: None, ast: None, base, part: part.map(str::to_owned) };
        let body = &text[base..];
        if body.trim().is_empty() {
            out.push(json.diagnostic_at(
                (text.len(), text.len()),
                "json/empty",
                Severity::Error,
                "the document is empty: expected a JSON object".to_owned(),
                Some("write the JSON object, starting with `{`".to_owned()),
                String::new(),
            ));
            return json;
        }
        let collect = CollectOptions { comments: CommentCollectionStrategy::Off, tokens: false };
        match jsonc_parser::parse_to_ast(body, &collect, &STRICT) {
            Ok(result) => {
                if let Some(ast) = result.value {
                    json.value = Some(json.convert(&ast, &mut Vec::new(), out));
                    json.ast = Some(ast);
                }
            }
            Err(err) => {
                let range = err.range();
                let (code, message, help) = if leading_zero(body, range.start) {
                    (
                        "json/invalid-number",
                        "numbers cannot have a leading zero".to_owned(),
                        Some("remove the leading zero, or quote the value if it is text".to_owned()),
                    )
                } else {
                    describe_syntax_error(err.kind(), &body[range.start..range.end.max(range.start)])
                };
                out.push(json.diagnostic_at(
                    (base + range.start, base + range.end),
                    code,
                    Severity::Error,
                    message,
                    help,
                    String::new(),
                ));
            }
        }
        json
    }

    /// The parsed value, if the text was valid JSON.
    pub fn value(&self) -> Option<&Value> {
        self.value.as_ref()
    }

    /// Converts the syntax tree to a value. `path` is the way to `node`; a JSON Pointer is only
    /// built for a diagnostic.
    fn convert<'n>(
        &self,
        node: &'n ast::Value<'a>,
        path: &mut Vec<Segment<'n>>,
        out: &mut Vec<Diagnostic>,
    ) -> Value {
        match node {
            ast::Value::NullKeyword(_) => Value::Null,
            ast::Value::BooleanLit(b) => Value::Bool(b.value),
            ast::Value::StringLit(s) => {
                self.check_string(s, path, out);
                Value::String(s.value.to_string())
            }
            ast::Value::NumberLit(n) => match n.value.parse::<Number>() {
                Ok(number) => Value::Number(number),
                Err(_) => {
                    out.push(self.diagnostic_at(
                        self.abs(n.range),
                        "json/invalid-number",
                        Severity::Error,
                        format!("`{}` is not a valid JSON number", n.value),
                        Some("write the number in plain decimal form, without leading zeros".to_owned()),
                        pointer_of(path),
                    ));
                    Value::Null
                }
            },
            ast::Value::Array(array) => {
                let mut values = Vec::with_capacity(array.elements.len());
                for (i, element) in array.elements.iter().enumerate() {
                    path.push(Segment::Index(i));
                    values.push(self.convert(element, path, out));
                    path.pop();
                }
                Value::Array(values)
            }
            ast::Value::Object(object) => {
                let mut map = Map::with_capacity(object.properties.len());
                for prop in &object.properties {
                    let (key, key_range) = prop_name(&prop.name);
                    path.push(Segment::Key(key));
                    if let ObjectPropName::String(s) = &prop.name {
                        self.check_string(s, path, out);
                    }
                    let value = self.convert(&prop.value, path, out);
                    if map.contains_key(key) {
                        let first = object
                            .properties
                            .iter()
                            .map(|p| prop_name(&p.name))
                            .find(|(k, _)| *k == key)
                            .map(|(_, r)| self.index.position(self.base + r.start).line)
                            .unwrap_or_default();
                        out.push(
                            self.diagnostic_at(
                                self.abs(key_range),
                                "json/duplicate-key",
                                Severity::Error,
                                format!("duplicate key \"{key}\": it is already set on line {first}"),
                                Some(
                                    "remove one of the two members; JSON readers disagree on which one wins"
                                        .to_owned(),
                                ),
                                pointer_of(path),
                            ),
                        );
                    }
                    map.insert(key.to_owned(), value);
                    path.pop();
                }
                Value::Object(map)
            }
        }
    }

    fn check_string(&self, s: &ast::StringLit<'a>, path: &[Segment<'_>], out: &mut Vec<Diagnostic>) {
        let (start, end) = self.abs(s.range);
        let raw = &self.index.text()[start..end];
        if let Some(i) = raw.bytes().position(|b| b < 0x20) {
            let at = start + i;
            out.push(self.diagnostic_at(
                (at, at + 1),
                "json/control-character",
                Severity::Error,
                format!("unescaped control character U+{:04X} in a string", raw.as_bytes()[i]),
                Some("escape it, for example `\\n` for a line break or `\\t` for a tab".to_owned()),
                pointer_of(path),
            ));
        }
    }

    fn abs(&self, range: jsonc_parser::common::Range) -> (usize, usize) {
        (self.base + range.start, self.base + range.end)
    }

    /// Builds a diagnostic for a byte range of this text.
    pub fn diagnostic_at(
        &self,
        (start, end): (usize, usize),
        code: &str,
        severity: Severity,
        message: String,
        help: Option<String>,
        pointer: String,
    ) -> Diagnostic {
        Diagnostic {
            code: code.to_owned(),
            severity,
            message,
            help,
            part: self.part.clone(),
            pointer,
            range: self.index.range(start, end),
            fix: None,
        }
    }

    /// Builds a diagnostic located at the value `pointer` names (or its nearest existing
    /// ancestor).
    pub fn diagnostic(
        &self,
        pointer: &str,
        target: Target,
        code: &str,
        severity: Severity,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        let span = self.span(pointer, target);
        self.diagnostic_at(span, code, severity, message, help, pointer.to_owned())
    }

    /// The byte range of the value `pointer` names, as `target` asks; falls back to the nearest
    /// existing ancestor.
    pub fn span(&self, pointer: &str, target: Target) -> (usize, usize) {
        let Some(root) = &self.ast else {
            let len = self.index.text().len();
            return (self.base.min(len), len.min(self.base + 1));
        };
        let mut node = root;
        let mut key: Option<jsonc_parser::common::Range> = None;
        for segment in split_pointer(pointer) {
            let next = match node {
                ast::Value::Object(object) => object
                    .properties
                    .iter()
                    .rev()
                    .find(|p| prop_name(&p.name).0 == segment)
                    .map(|p| (&p.value, Some(prop_name(&p.name).1))),
                ast::Value::Array(array) => {
                    segment.parse::<usize>().ok().and_then(|i| array.elements.get(i)).map(|v| (v, None))
                }
                _ => None,
            };
            match next {
                Some((value, k)) => {
                    node = value;
                    key = k;
                }
                None => break,
            }
        }
        let value = node_range(node);
        let range = match (target, key) {
            (Target::Value, _) => value,
            (Target::Key, Some(k)) => k,
            (Target::Key, None) => value,
            (Target::Member, Some(k)) => jsonc_parser::common::Range { start: k.start, end: value.end },
            (Target::Member, None) => value,
            (Target::Opening, Some(k)) => k,
            (Target::Opening, None) => match node {
                ast::Value::Object(_) | ast::Value::Array(_) => {
                    jsonc_parser::common::Range { start: value.start, end: value.start + 1 }
                }
                _ => value,
            },
        };
        self.abs(range)
    }
}

impl JsonText<'_> {
    /// The text in the service's own formatting: 2-space indentation, `\n` line ends, `"key": value`,
    /// `[]` and `{}` for empty containers, no trailing newline. Keys keep their order and strings
    /// and numbers their exact spelling (escapes included): only whitespace changes. `None` when
    /// the text is not valid JSON.
    pub fn formatted(&self) -> Option<String> {
        let ast = self.ast.as_ref()?;
        let mut out = String::with_capacity(self.index.text().len());
        self.write_formatted(ast, 0, &mut out);
        Some(out)
    }

    fn raw(&self, range: jsonc_parser::common::Range) -> &str {
        let (start, end) = self.abs(range);
        &self.index.text()[start..end]
    }

    fn write_formatted(&self, node: &ast::Value<'_>, depth: usize, out: &mut String) {
        const INDENT: &str = "  ";
        match node {
            ast::Value::Object(object) if object.properties.is_empty() => out.push_str("{}"),
            ast::Value::Array(array) if array.elements.is_empty() => out.push_str("[]"),
            ast::Value::Object(object) => {
                out.push('{');
                for (i, prop) in object.properties.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&INDENT.repeat(depth + 1));
                    out.push_str(self.raw(prop_name(&prop.name).1));
                    out.push_str(": ");
                    self.write_formatted(&prop.value, depth + 1, out);
                }
                out.push('\n');
                out.push_str(&INDENT.repeat(depth));
                out.push('}');
            }
            ast::Value::Array(array) => {
                out.push('[');
                for (i, element) in array.elements.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&INDENT.repeat(depth + 1));
                    self.write_formatted(element, depth + 1, out);
                }
                out.push('\n');
                out.push_str(&INDENT.repeat(depth));
                out.push(']');
            }
            other => out.push_str(self.raw(node_range(other))),
        }
    }
}

fn prop_name<'b>(name: &'b ObjectPropName<'_>) -> (&'b str, jsonc_parser::common::Range) {
    match name {
        ObjectPropName::String(s) => (&s.value, s.range),
        ObjectPropName::Word(w) => (w.value, w.range),
    }
}

fn node_range(node: &ast::Value<'_>) -> jsonc_parser::common::Range {
    match node {
        ast::Value::StringLit(v) => v.range,
        ast::Value::NumberLit(v) => v.range,
        ast::Value::BooleanLit(v) => v.range,
        ast::Value::Object(v) => v.range,
        ast::Value::Array(v) => v.range,
        ast::Value::NullKeyword(v) => v.range,
    }
}

/// One step of a path through a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// A member of an object.
    Key(&'a str),
    /// An element of an array.
    Index(usize),
}

/// The JSON Pointer of a path.
pub fn pointer_of(path: &[Segment<'_>]) -> String {
    let mut pointer = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => push_pointer_segment(&mut pointer, key),
            Segment::Index(i) => {
                pointer.push('/');
                pointer.push_str(&i.to_string());
            }
        }
    }
    pointer
}

/// Calls `visit` with the path to every value under `value` (itself included), depth first.
pub fn walk<'v>(
    value: &'v Value,
    path: &mut Vec<Segment<'v>>,
    visit: &mut dyn FnMut(&[Segment<'v>], &'v Value),
) {
    visit(path, value);
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                walk(item, path, visit);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                path.push(Segment::Key(key));
                walk(item, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Appends `/segment` to a JSON Pointer, escaping `~` and `/`.
pub fn push_pointer_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Joins a JSON Pointer and one more segment.
pub fn pointer_join(pointer: &str, segment: &str) -> String {
    let mut p = pointer.to_owned();
    push_pointer_segment(&mut p, segment);
    p
}

/// Splits a JSON Pointer into unescaped segments.
pub fn split_pointer(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~"))
}

fn describe_syntax_error(kind: &ParseErrorKind, found: &str) -> (&'static str, String, Option<String>) {
    use ParseErrorKind as K;
    let help = match kind {
        K::TrailingCommasNotAllowed => Some("remove the comma before the closing bracket".to_owned()),
        K::CommentsNotAllowed => Some("JSON has no comments; remove it".to_owned()),
        K::SingleQuotedStringsNotAllowed => Some("use double quotes".to_owned()),
        K::ExpectedComma => Some("separate members and array items with `,`".to_owned()),
        K::ExpectedStringObjectProperty => Some("object keys must be strings in double quotes".to_owned()),
        K::UnterminatedObject => Some("add the missing `}`".to_owned()),
        K::UnterminatedArray => Some("add the missing `]`".to_owned()),
        K::MultipleRootJsonValues => Some("a document holds exactly one JSON value".to_owned()),
        K::NestingDepthExceeded => None,
        _ => None,
    };
    if matches!(kind, K::NestingDepthExceeded) {
        return (
            "json/too-deep",
            format!("arrays and objects are nested more than {MAX_DEPTH} levels deep"),
            Some(
                "a copy job definition is only a few levels deep; check the document was generated correctly"
                    .to_owned(),
            ),
        );
    }
    let mut message = lowercase_first(&kind.to_string());
    let shown: String = found.chars().take(40).collect();
    if !shown.is_empty()
        && matches!(kind, K::UnexpectedToken | K::UnexpectedWord | K::UnexpectedTokenInObject)
    {
        message.push_str(&format!(" `{shown}`"));
    }
    ("json/syntax", message, help)
}

/// Whether the parser stopped at the digit following a leading `0` (`01`), which it reads as
/// two numbers.
fn leading_zero(text: &str, at: usize) -> bool {
    let before = text.as_bytes()[..at.min(text.len())].iter().rev();
    let mut digits = before.take_while(|b| b.is_ascii_digit() || **b == b'-');
    let starts_with_zero = text.as_bytes().get(at).is_some_and(u8::is_ascii_digit)
        && digits.next() == Some(&b'0')
        && digits.all(|b| *b == b'-');
    starts_with_zero
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
