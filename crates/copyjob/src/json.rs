//! Strict JSON parsing that keeps the source text, so every value can be located.
//!
//! One pass over the text builds the [`serde_json::Value`] the JSON Schemas and the rules read,
//! and a compact table of byte spans (one [`Node`] per value: its range and its key's) from which
//! any JSON Pointer is located in time proportional to its depth. The same pass checks what the
//! grammar alone does not: duplicate keys, raw control characters in strings, and numbers outside
//! the range of a double. A text that is not strict JSON is handed to `jsonc-parser` (every JSONC
//! extension off) only to describe the error.

use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The deepest nesting of arrays and objects the parser accepts.
pub const MAX_DEPTH: usize = 512;

/// Objects up to this many members look for a duplicate key by a linear search of their own.
const SMALL_OBJECT: usize = 16;

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

/// Where one value is in the text (byte offsets into the body, after a byte-order mark).
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    start: u32,
    end: u32,
    /// The key's range, quotes included (`NO_KEY` for array elements and the root).
    key_start: u32,
    key_end: u32,
    /// For objects and arrays: the index in the node table of the first child; the children
    /// follow it, in the order of the value's members (a duplicated key keeps its first place,
    /// with the span of its last occurrence, as the value does).
    first_child: u32,
}

const NO_KEY: u32 = u32::MAX;

/// A parsed JSON text: the value, the spans of its values, and a line index.
#[derive(Debug)]
pub struct JsonText<'a> {
    /// The full text, including a byte-order mark when there was one.
    pub index: LineIndex<'a>,
    /// The value, when the text parsed.
    pub value: Option<Value>,
    nodes: Vec<Node>,
    /// For large objects, built on the first lookup: each key's index (by the object's
    /// `first_child`).
    key_indexes: Mutex<HashMap<u32, HashMap<String, usize>>>,
    base: usize,
    /// The part the text belongs to, copied into every diagnostic.
    pub part: Option<String>,
}

/// A problem found while parsing, turned into a diagnostic once the text is indexed.
struct Problem {
    range: (usize, usize),
    code: &'static str,
    message: String,
    help: &'static str,
    pointer: String,
    /// For a duplicate key: where its first occurrence is (its line ends the message).
    first: Option<usize>,
}

impl<'a> JsonText<'a> {
    /// Parses `text`, appending syntax problems to `out`. `part` names the definition part.
    /// A leading byte-order mark is skipped (the caller reports it).
    pub fn parse(text: &'a str, part: Option<&str>, out: &mut Vec<Diagnostic>) -> Self {
        let index = LineIndex::new(text);
        let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut json = JsonText {
            index,
            value: None,
            nodes: Vec::new(),
            key_indexes: Mutex::default(),
            base,
            part: part.map(str::to_owned),
        };
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
        let mut parser = Parser::new(body);
        match parser.document() {
            Ok(value) => {
                json.value = Some(value);
                json.nodes = parser.nodes;
                for p in parser.problems {
                    let range = (base + p.range.0, base + p.range.1);
                    let help = (!p.help.is_empty()).then(|| p.help.to_owned());
                    let mut message = p.message;
                    if let Some(first) = p.first {
                        message.push_str(&json.index.position(base + first).line.to_string());
                    }
                    out.push(json.diagnostic_at(range, p.code, Severity::Error, message, help, p.pointer));
                }
            }
            Err(Syntax) => {
                let at = parser.pos;
                drop(parser);
                out.push(json.syntax_error(body, at));
            }
        }
        json
    }

    /// Describes why `body` is not strict JSON (`at`: where the strict parser stopped).
    fn syntax_error(&self, body: &str, at: usize) -> Diagnostic {
        let collect = CollectOptions { comments: CommentCollectionStrategy::Off, tokens: false };
        let (range, (code, message, help)) = match jsonc_parser::parse_to_ast(body, &collect, &STRICT) {
            Err(err) => {
                let range = err.range();
                let described = if leading_zero(body, range.start) {
                    (
                        "json/invalid-number",
                        "numbers cannot have a leading zero".to_owned(),
                        Some("remove the leading zero, or quote the value if it is text".to_owned()),
                    )
                } else {
                    describe_syntax_error(err.kind(), &body[range.start..range.end.max(range.start)])
                };
                ((range.start, range.end), described)
            }
            // What `jsonc-parser` tolerates and strict JSON does not (a lone surrogate escape,
            // whitespace other than space, tab and line ends).
            Ok(_) => {
                let found: String = body[at.min(body.len())..].chars().take(1).collect();
                let end = at + found.len();
                ((at, end), ("json/syntax", format!("unexpected character `{}`", found.escape_debug()), None))
            }
        };
        self.diagnostic_at(
            (self.base + range.0, self.base + range.1),
            code,
            Severity::Error,
            message,
            help,
            String::new(),
        )
    }

    /// The parsed value, if the text was valid JSON.
    pub fn value(&self) -> Option<&Value> {
        self.value.as_ref()
    }

    /// Builds a diagnostic for a byte range of this text.
    pub fn diagnostic_at(
        &self,
        (start, end): (usize, usize),
        code: impl Into<String>,
        severity: Severity,
        message: String,
        help: Option<String>,
        pointer: String,
    ) -> Diagnostic {
        Diagnostic {
            code: code.into(),
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
        pointer: impl Into<String>,
        target: Target,
        code: impl Into<String>,
        severity: Severity,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        let pointer = pointer.into();
        let span = self.span(&pointer, target);
        self.diagnostic_at(span, code, severity, message, help, pointer)
    }

    /// The byte range of the value `pointer` names, as `target` asks; falls back to the nearest
    /// existing ancestor.
    pub fn span(&self, pointer: &str, target: Target) -> (usize, usize) {
        let (Some(root), Some(last)) = (&self.value, self.nodes.last()) else {
            let len = self.index.text().len();
            return (self.base.min(len), len.min(self.base + 1));
        };
        let mut value = root;
        let mut node = *last;
        for segment in segments(pointer) {
            let child = match value {
                Value::Object(map) => member(map, &segment)
                    .map(|(i, v)| (v, i.unwrap_or_else(|| self.key_index(node.first_child, map, &segment)))),
                Value::Array(items) => {
                    segment.parse::<usize>().ok().and_then(|i| items.get(i).map(|v| (v, i)))
                }
                _ => None,
            };
            let Some((child, i)) = child else { break };
            value = child;
            node = self.nodes[node.first_child as usize + i];
        }
        let has_key = node.key_start != NO_KEY;
        let (start, end) = (node.start as usize, node.end as usize);
        let (key_start, key_end) = (node.key_start as usize, node.key_end as usize);
        let range = match target {
            Target::Value => (start, end),
            Target::Key | Target::Opening if has_key => (key_start, key_end),
            Target::Member if has_key => (key_start, end),
            Target::Key | Target::Member => (start, end),
            Target::Opening if value.is_object() || value.is_array() => (start, start + 1),
            Target::Opening => (start, end),
        };
        (self.base + range.0, self.base + range.1)
    }
}

impl JsonText<'_> {
    /// The index of `key`, a key of `map`, the object whose children start at `first_child`.
    fn key_index(&self, first_child: u32, map: &Map<String, Value>, key: &str) -> usize {
        let mut indexes = self.key_indexes.lock().unwrap_or_else(PoisonError::into_inner);
        let index = indexes
            .entry(first_child)
            .or_insert_with(|| map.keys().enumerate().map(|(i, k)| (k.clone(), i)).collect());
        index.get(key).copied().unwrap_or(0)
    }

    /// The text in the service's own formatting: 2-space indentation, `\n` line ends, `"key": value`,
    /// `[]` and `{}` for empty containers, no trailing newline. Keys keep their order and strings
    /// and numbers their exact spelling (escapes included): only whitespace changes. `None` when
    /// the text is not valid JSON.
    pub fn formatted(&self) -> Option<String> {
        self.value.as_ref()?;
        let body = &self.index.text()[self.base..];
        Some(format_tokens(body.as_bytes()))
    }
}

/// Re-indents a valid JSON text token by token.
fn format_tokens(bytes: &[u8]) -> String {
    const INDENT: &[u8] = b"  ";
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        for _ in 0..depth {
            out.extend_from_slice(INDENT);
        }
    };
    let next_token = |mut i: usize| {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                let j = next_token(i + 1);
                if bytes.get(j) == Some(&close) {
                    out.extend_from_slice(&[open, close]);
                    i = j + 1;
                } else {
                    out.push(open);
                    depth += 1;
                    newline(&mut out, depth);
                    i += 1;
                }
            }
            close @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(close);
                i += 1;
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
                i += 1;
            }
            b':' => {
                out.extend_from_slice(b": ");
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                out.extend_from_slice(&bytes[start..i]);
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b'}' | b']')
                {
                    i += 1;
                }
                out.extend_from_slice(&bytes[start..i]);
            }
        }
    }
    // Only whitespace was removed or added between complete UTF-8 tokens.
    String::from_utf8(out).unwrap_or_default()
}

/// The strict parser stopped: the text is not JSON.
struct Syntax;

/// One step of the path to the value being parsed: a key's raw range, or an index.
#[derive(Clone, Copy)]
enum Step {
    Key(usize, usize),
    Index(usize),
}

/// Bytes that end the fast scan of a string: `"`, `\` and control characters.
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// Finished nodes; the children of each container are contiguous.
    nodes: Vec<Node>,
    /// The nodes of the members of the containers being parsed.
    pending: Vec<Node>,
    /// The elements of the arrays being parsed: each array takes its own off the top when it
    /// closes, into a vector of exactly its length (a pushed-to vector would keep up to twice
    /// its length, and at least four elements).
    elements: Vec<Value>,
    /// The members of the small objects being parsed (key, value, where the key first
    /// appeared), moved into a map of exactly their number when the object closes.
    members: Vec<(String, Value, usize)>,
    path: Vec<Step>,
    problems: Vec<Problem>,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            nodes: Vec::with_capacity(text.len() / 24),
            pending: Vec::new(),
            elements: Vec::new(),
            members: Vec::new(),
            path: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn document(&mut self) -> Result<Value, Syntax> {
        let (value, node) = self.value(0)?;
        self.skip_whitespace();
        if self.pos != self.bytes.len() {
            return Err(Syntax);
        }
        self.nodes.push(node);
        Ok(value)
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn node(start: usize, end: usize) -> Node {
        Node { start: to_u32(start), end: to_u32(end), key_start: NO_KEY, key_end: NO_KEY, first_child: 0 }
    }

    /// `depth` counts, as `jsonc-parser` does, the arrays, objects and members around the value.
    fn value(&mut self, depth: usize) -> Result<(Value, Node), Syntax> {
        if depth > MAX_DEPTH {
            return Err(Syntax);
        }
        self.skip_whitespace();
        let start = self.pos;
        let value = match self.peek().ok_or(Syntax)? {
            b'{' => return self.object(depth),
            b'[' => return self.array(depth),
            b'"' => Value::String(self.string()?),
            b't' => self.literal("true", Value::Bool(true))?,
            b'f' => self.literal("false", Value::Bool(false))?,
            b'n' => self.literal("null", Value::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return Err(Syntax),
        };
        Ok((value, Self::node(start, self.pos)))
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, Syntax> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(Syntax)
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value, Syntax> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(Syntax),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            integer = false;
            if self.digits() == 0 {
                return Err(Syntax);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(Syntax);
            }
        }
        let raw = &self.text[start..self.pos];
        // `-0` is the float -0.0, as serde_json reads it.
        if integer && raw.len() <= 18 && raw != "-0" {
            let digits = &raw.as_bytes()[usize::from(negative)..];
            let n = digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
            return Ok(Value::Number(if negative { Number::from(-n) } else { Number::from(n) }));
        }
        match raw.parse::<Number>() {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => {
                self.problem(
                    (start, self.pos),
                    "json/invalid-number",
                    format!("`{raw}` is not a valid JSON number"),
                    "write the number in plain decimal form, without leading zeros",
                );
                Ok(Value::Null)
            }
        }
    }

    fn problem(&mut self, range: (usize, usize), code: &'static str, message: String, help: &'static str) {
        let pointer = self.pointer();
        self.problems.push(Problem { range, code, message, help, pointer, first: None });
    }

    /// The JSON Pointer of the value being parsed.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for step in &self.path {
            match *step {
                Step::Key(start, end) => {
                    // The key being read (a problem inside it) has no end yet: it ends where
                    // the parser stands.
                    let end = if end > start { end } else { self.pos };
                    let key = match self.text.get(start..end) {
                        Some(raw) if raw.len() >= 2 && raw.starts_with('"') => {
                            Parser::new(raw).string().unwrap_or_default()
                        }
                        _ => String::new(),
                    };
                    push_pointer_segment(&mut pointer, &key);
                }
                Step::Index(i) => {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                }
            }
        }
        pointer
    }

    /// Parses a string at `"`; reports a raw control character in it.
    fn string(&mut self) -> Result<String, Syntax> {
        self.pos += 1;
        let start = self.pos;
        let bytes = self.bytes;
        let mut i = start;
        while i < bytes.len() && !STRING_STOP[bytes[i] as usize] {
            i += 1;
        }
        if bytes.get(i) == Some(&b'"') {
            self.pos = i + 1;
            return Ok(self.text[start..i].to_owned());
        }
        // Escapes or control characters: the slow way.
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(&self.text[start..i]);
        let mut control: Option<usize> = None;
        let mut run = i;
        loop {
            let Some(&b) = bytes.get(i) else { return Err(Syntax) };
            match b {
                b'"' => {
                    out.push_str(&self.text[run..i]);
                    self.pos = i + 1;
                    break;
                }
                b'\\' => {
                    out.push_str(&self.text[run..i]);
                    let escape = *bytes.get(i + 1).ok_or(Syntax)?;
                    i += 2;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let high = self.hex4(i)?;
                            i += 4;
                            let c = if (0xD800..0xDC00).contains(&high) {
                                if bytes.get(i..i + 2) != Some(b"\\u") {
                                    return Err(Syntax);
                                }
                                let low = self.hex4(i + 2)?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(Syntax);
                                }
                                i += 6;
                                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                            } else {
                                char::from_u32(high)
                            };
                            out.push(c.ok_or(Syntax)?);
                        }
                        _ => return Err(Syntax),
                    }
                    run = i;
                }
                b if b < 0x20 => {
                    control.get_or_insert(i);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        if let Some(at) = control {
            self.problem(
                (at, at + 1),
                "json/control-character",
                format!("unescaped control character U+{:04X} in a string", bytes[at]),
                "escape it, for example `\\n` for a line break or `\\t` for a tab",
            );
        }
        Ok(out)
    }

    fn hex4(&self, at: usize) -> Result<u32, Syntax> {
        let digits = self.text.get(at..at + 4).ok_or(Syntax)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Syntax);
        }
        u32::from_str_radix(digits, 16).map_err(|_| Syntax)
    }

    fn enter(&mut self) -> (usize, usize) {
        let start = self.pos;
        self.pos += 1;
        (start, self.pending.len())
    }

    /// Moves the members' nodes into the table and returns the container's node.
    fn close(&mut self, start: usize, mark: usize) -> Node {
        let first_child = to_u32(self.nodes.len());
        self.nodes.extend(self.pending.drain(mark..));
        Node { first_child, ..Self::node(start, self.pos) }
    }

    fn array(&mut self, depth: usize) -> Result<(Value, Node), Syntax> {
        let (start, mark) = self.enter();
        let first = self.elements.len();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok((Value::Array(Vec::new()), self.close(start, mark)));
        }
        loop {
            self.path.push(Step::Index(self.elements.len() - first));
            let (value, node) = self.value(depth + 1)?;
            self.path.pop();
            self.elements.push(value);
            self.pending.push(node);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    let items: Vec<Value> = self.elements.drain(first..).collect();
                    return Ok((Value::Array(items), self.close(start, mark)));
                }
                _ => return Err(Syntax),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<(Value, Node), Syntax> {
        let (start, mark) = self.enter();
        let first = self.members.len();
        // Past `SMALL_OBJECT` members the object is built as a map as its members come (a linear
        // search for duplicates would be quadratic).
        let mut large: Option<Map<String, Value>> = None;
        // In a large object, built at the first duplicate key: each key's index and where it
        // first appeared.
        let mut seen: Option<HashMap<String, (usize, usize)>> = None;
        let mut had_duplicate = false;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok((Value::Object(Map::new()), self.close(start, mark)));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(Syntax);
            }
            let key_start = self.pos;
            self.path.push(Step::Key(key_start, key_start));
            let key = self.string()?;
            let key_end = self.pos;
            if let Some(Step::Key(_, end)) = self.path.last_mut() {
                *end = key_end;
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(Syntax);
            }
            self.pos += 1;
            let (value, mut node) = self.value(depth + 2)?;
            node.key_start = to_u32(key_start);
            node.key_end = to_u32(key_end);
            match &mut large {
                None => {
                    let own = &self.members[first..];
                    if let Some(i) = own.iter().position(|(k, _, _)| *k == key) {
                        let first_at = own[i].2;
                        self.members[first + i].1 = value;
                        self.pending[mark + i] = node;
                        self.duplicate(&key, (key_start, key_end), first_at);
                        had_duplicate = true;
                    } else {
                        self.members.push((key, value, key_start));
                        self.pending.push(node);
                        if self.members.len() - first > SMALL_OBJECT {
                            let mut map = Map::with_capacity(2 * SMALL_OBJECT);
                            let mut firsts = HashMap::new();
                            for (i, (k, v, at)) in self.members.drain(first..).enumerate() {
                                if had_duplicate {
                                    firsts.insert(k.clone(), (i, at));
                                }
                                map.insert(k, v);
                            }
                            if had_duplicate {
                                seen = Some(firsts);
                            }
                            large = Some(map);
                        }
                    }
                }
                Some(map) => {
                    if map.contains_key(&key) {
                        let seen = seen.get_or_insert_with(|| {
                            map.keys()
                                .enumerate()
                                .map(|(i, k)| (k.clone(), (i, self.pending[mark + i].key_start as usize)))
                                .collect()
                        });
                        let (i, first_at) = seen.get(&key).copied().unwrap_or((0, key_start));
                        self.pending[mark + i] = node;
                        self.duplicate(&key, (key_start, key_end), first_at);
                        map.insert(key, value);
                    } else {
                        if let Some(seen) = &mut seen {
                            seen.insert(key.clone(), (map.len(), key_start));
                        }
                        map.insert(key, value);
                        self.pending.push(node);
                    }
                }
            }
            self.path.pop();
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    let map = match large {
                        Some(map) => map,
                        None => {
                            let mut map = Map::with_capacity(self.members.len() - first);
                            map.extend(self.members.drain(first..).map(|(k, v, _)| (k, v)));
                            map
                        }
                    };
                    return Ok((Value::Object(map), self.close(start, mark)));
                }
                _ => return Err(Syntax),
            }
        }
    }

    fn duplicate(&mut self, key: &str, range: (usize, usize), first: usize) {
        self.problem(
            range,
            "json/duplicate-key",
            format!("duplicate key \"{key}\": it is already set on line "),
            "remove one of the two members; JSON readers disagree on which one wins",
        );
        if let Some(problem) = self.problems.last_mut() {
            problem.first = Some(first);
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
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
    use std::fmt::Write as _;
    // Sized once: growing it segment by segment reallocated it several times.
    let capacity = path
        .iter()
        .map(|s| match s {
            Segment::Key(key) => key.len() + 1,
            Segment::Index(_) => 8,
        })
        .sum();
    let mut pointer = String::with_capacity(capacity);
    for segment in path {
        match segment {
            Segment::Key(key) => push_pointer_segment(&mut pointer, key),
            Segment::Index(i) => {
                let _ = write!(pointer, "/{i}");
            }
        }
    }
    pointer
}

/// Calls `visit` with the path to every value under `value` (itself included), depth first.
pub fn walk<'v, F>(value: &'v Value, path: &mut Vec<Segment<'v>>, visit: &mut F)
where
    F: FnMut(&[Segment<'v>], &'v Value),
{
    walk_to_depth(value, usize::MAX, path, visit);
}

/// [`walk`], visiting only the values at most `depth` segments below `value`. Generic over the
/// visitor, so each rule's visit is compiled into its walk (a `dyn` call per value was a tenth
/// of the rules that see every value).
pub fn walk_to_depth<'v, F>(value: &'v Value, depth: usize, path: &mut Vec<Segment<'v>>, visit: &mut F)
where
    F: FnMut(&[Segment<'v>], &'v Value),
{
    visit(path, value);
    if depth == 0 {
        return;
    }
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                walk_to_depth(item, depth - 1, path, visit);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                path.push(Segment::Key(key));
                walk_to_depth(item, depth - 1, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The value under `value` at a path of object keys (`Value::pointer` without parsing and
/// unescaping a pointer string on every call).
pub fn get_path<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().try_fold(value, |v, key| v.member(key))
}

/// Objects up to this many members are searched in order: cheaper than hashing the key, and the
/// search reads only the members, not the hash table.
const SMALL_LOOKUP: usize = 16;

/// The member `key` of an object, with its index among the members when the search found it
/// (a small object's).
#[inline]
pub fn member<'v>(map: &'v Map<String, Value>, key: &str) -> Option<(Option<usize>, &'v Value)> {
    if map.len() <= SMALL_LOOKUP {
        map.iter().enumerate().find(|(_, (k, _))| k.as_str() == key).map(|(i, (_, v))| (Some(i), v))
    } else {
        map.get(key).map(|v| (None, v))
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
    segments(pointer).map(Cow::into_owned)
}

/// The unescaped segments of a JSON Pointer, borrowed from it when they hold no escape.
pub(crate) fn segments(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    // `pointer.split('/').skip(1)`, splitting on the byte (a `char` pattern searches char by char).
    let mut rest = memchr::memchr(b'/', pointer.as_bytes()).map(|i| &pointer[i + 1..]);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(b'/', r.as_bytes()) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
    .map(|s| {
        if s.as_bytes().contains(&b'~') {
            Cow::Owned(s.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(s)
        }
    })
}

/// `Value::pointer` without an allocation per segment (`serde_json` unescapes every segment into
/// two new strings, which dominated the lint of a small document in WebAssembly). Same answers:
/// a pointer is empty or starts with `/`; an array index is digits without a leading zero.
pub fn lookup<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return None;
    }
    segments(pointer).try_fold(value, |v, segment| match v {
        Value::Object(map) => member(map, &segment).map(|(_, v)| v),
        Value::Array(items) => array_index(&segment).and_then(|i| items.get(i)),
        _ => None,
    })
}

/// An array index segment as RFC 6901 spells it: `0`, or digits not starting with `0`.
fn array_index(segment: &str) -> Option<usize> {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    (digits && (segment == "0" || !segment.starts_with('0'))).then(|| segment.parse().ok()).flatten()
}

/// [`lookup`] as a method: `value.at("/properties/jobMode")`.
pub trait Lookup {
    /// The value at a JSON Pointer, as `Value::pointer` finds it.
    fn at(&self, pointer: &str) -> Option<&Value>;

    /// The member `key` of an object (`Value::get` with a key, without hashing the key for a
    /// small object).
    fn member(&self, key: &str) -> Option<&Value>;
}

impl Lookup for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        lookup(self, pointer)
    }

    fn member(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|map| member(map, key)).map(|(_, v)| v)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_as_str_split_does() {
        for pointer in ["", "/", "//", "/a", "/a/b", "/a//b/", "a/b", "abc", "/~0~1/x~1y", "/é/ü/"] {
            let split: Vec<String> =
                pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
            assert_eq!(split_pointer(pointer).collect::<Vec<_>>(), split, "{pointer:?}");
        }
    }

    fn parse(text: &str) -> (JsonText<'_>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let json = JsonText::parse(text, None, &mut out);
        (json, out)
    }

    fn covered<'t>(json: &JsonText<'t>, pointer: &str, target: Target) -> &'t str {
        let (start, end) = json.span(pointer, target);
        &json.index.text()[start..end]
    }

    #[test]
    fn spans_in_large_objects_use_the_key_index() {
        let members: Vec<String> = (0..40).map(|i| format!("\"k{i}\": [{i}, {{\"x\": \"v{i}\"}}]")).collect();
        let text = format!("{{{}}}", members.join(", "));
        let (json, out) = parse(&text);
        assert!(out.is_empty());
        assert_eq!(covered(&json, "/k33/1/x", Target::Value), "\"v33\"");
        assert_eq!(covered(&json, "/k7", Target::Key), "\"k7\"");
        assert_eq!(covered(&json, "/k7/1", Target::Opening), "{");
        assert_eq!(covered(&json, "/k7/0", Target::Member), "7");
        // A missing member: the nearest existing ancestor.
        assert_eq!(covered(&json, "/k2/9", Target::Value), "[2, {\"x\": \"v2\"}]");
    }

    #[test]
    fn a_key_set_three_times_points_at_its_first_line_and_its_last_value() {
        let text = "{\n\"a\": 1,\n\"b\": 2,\n\"a\": 3,\n\"a\": 4\n}";
        let (json, out) = parse(text);
        let messages: Vec<&str> = out.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "duplicate key \"a\": it is already set on line 2",
                "duplicate key \"a\": it is already set on line 2"
            ]
        );
        assert_eq!(out[1].range.start.line, 5);
        assert_eq!(json.value(), Some(&serde_json::json!({"a": 4, "b": 2})));
        assert_eq!(covered(&json, "/a", Target::Member), "\"a\": 4");
        assert_eq!(covered(&json, "/b", Target::Value), "2");
    }

    #[test]
    fn duplicates_across_the_small_and_large_object_paths_keep_first_line_and_last_value() {
        // "a" is repeated while the object is small (a linear search), then again after more
        // than `SMALL_OBJECT` members (a map), and "k3" only once the object is large.
        let mut text = String::from("{\n\"a\": 1,\n\"a\": 2,\n");
        for i in 0..SMALL_OBJECT + 4 {
            text.push_str(&format!("\"k{i}\": {i},\n"));
        }
        text.push_str("\"a\": 3,\n\"k3\": 30\n}");
        let (json, out) = parse(&text);
        let found: Vec<(&str, u32)> = out.iter().map(|d| (d.message.as_str(), d.range.start.line)).collect();
        let last = SMALL_OBJECT as u32 + 4 + 4;
        assert_eq!(
            found,
            [
                ("duplicate key \"a\": it is already set on line 2", 3),
                ("duplicate key \"a\": it is already set on line 2", last),
                ("duplicate key \"k3\": it is already set on line 7", last + 1),
            ]
        );
        let value = json.value().expect("parsed");
        assert_eq!(value["a"], 3);
        assert_eq!(value["k3"], 30);
        let keys: Vec<&String> = value.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), SMALL_OBJECT + 5);
        assert_eq!((keys[0].as_str(), keys[1].as_str()), ("a", "k0"));
        assert_eq!(covered(&json, "/a", Target::Member), "\"a\": 3");
        assert_eq!(covered(&json, "/k3", Target::Member), "\"k3\": 30");
        assert_eq!(covered(&json, "/k4", Target::Member), "\"k4\": 4");
    }

    #[test]
    fn arrays_and_small_objects_hold_exactly_their_members() {
        let (json, _) = parse(r#"{"a": [[1], [2, 3, 4, 5, 6]], "o": {"x": 1}}"#);
        let value = json.value().expect("parsed");
        assert_eq!(value["a"].as_array().map(Vec::capacity), Some(2));
        assert_eq!(value["a"][0].as_array().map(Vec::capacity), Some(1));
        assert_eq!(value["a"][1].as_array().map(Vec::capacity), Some(5));
        assert_eq!(value["o"]["x"], 1);
    }

    #[test]
    fn problems_inside_values_carry_their_pointer() {
        let (_, out) = parse("{\"a~b/c\": [0, \"x\ty\", 1e999]}");
        let found: Vec<(&str, &str)> = out.iter().map(|d| (d.code.as_str(), d.pointer.as_str())).collect();
        assert_eq!(found, [("json/control-character", "/a~0b~1c/1"), ("json/invalid-number", "/a~0b~1c/2")]);
    }

    /// Found by the property tests: a raw control character inside a key panicked while the
    /// parser named the key being read.
    #[test]
    fn a_control_character_in_a_key_points_at_that_key() {
        let (json, out) = parse("{\"ok\": {\"a\u{1}b\": 1}}");
        let found: Vec<(&str, &str)> = out.iter().map(|d| (d.code.as_str(), d.pointer.as_str())).collect();
        assert_eq!(found, [("json/control-character", "/ok/a\u{1}b")]);
        assert_eq!(json.value(), Some(&serde_json::json!({"ok": {"a\u{1}b": 1}})));
        let (_, out) = parse("{\"\u{1}\": 1}");
        assert_eq!(out.len(), 1, "{out:#?}");
    }

    #[test]
    fn the_strict_parser_accepts_exactly_what_strict_jsonc_parser_accepts() {
        let texts = [
            "{}",
            "[]",
            "0",
            "-0",
            "1.5e-3",
            "1E+2",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "tru",
            "true false",
            "nulll",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a: 1}",
            "'a'",
            "\"\\u00e9\\ud83d\\ude00\"",
            "\"\\x41\"",
            "\"\\ud800\"",
            "\"a",
            "[1 2]",
            "{\"a\":1}//",
            "/* c */ 1",
            "[\"\t\"]",
            "123456789012345678901234567890",
            "-9223372036854775809",
            "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
            "[[[]]]",
            "{\"a\":{\"b\":[null,true]}}",
        ];
        let collect = CollectOptions { comments: CommentCollectionStrategy::Off, tokens: false };
        for text in texts {
            let jsonc_accepts = jsonc_parser::parse_to_ast(text, &collect, &STRICT).is_ok();
            let mut parser = Parser::new(text);
            let accepts = parser.document().is_ok();
            if text == "\"\\ud800\"" {
                // A lone surrogate cannot be a Rust string: strict JSON readers reject it too.
                assert!(!accepts);
                continue;
            }
            assert_eq!(accepts, jsonc_accepts, "{text}");
            if accepts {
                let expected: Result<Value, _> = serde_json::from_str(text);
                if let Ok(expected) = expected {
                    let (json, _) = parse(text);
                    assert_eq!(json.value(), Some(&expected), "{text}");
                }
            }
        }
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_reported() {
        // As jsonc-parser counts: a value inside more than 512 arrays, objects and members.
        let nest = |n: usize, inner: &str| format!("{}{inner}{}", "[".repeat(n), "]".repeat(n));
        for (text, ok) in [
            (nest(MAX_DEPTH + 1, ""), true),
            (nest(MAX_DEPTH, "1"), true),
            (nest(MAX_DEPTH + 1, "1"), false),
            (nest(MAX_DEPTH + 2, ""), false),
            (format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH / 2), "}".repeat(MAX_DEPTH / 2)), true),
            (format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH / 2 + 1), "}".repeat(MAX_DEPTH / 2 + 1)), false),
        ] {
            let problems = parse(&text).1;
            assert_eq!(problems.is_empty(), ok, "{}", &text[..20]);
            if !ok {
                assert_eq!(problems[0].code, "json/too-deep");
            }
        }
    }

    #[test]
    fn formatting_keeps_tokens_and_duplicates() {
        let (json, _) = parse("{ \"a\" : [ ] , \"b\":{},\"c\" :[1,\"x\\\"]\"], \"a\": {\"d\": null}}");
        assert_eq!(
            json.formatted().as_deref(),
            Some("{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    \"x\\\"]\"\n  ],\n  \"a\": {\n    \"d\": null\n  }\n}")
        );
    }

    /// `Lookup::at` answers as `Value::pointer` does, escapes and odd indexes included.
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn lookup_agrees_with_serde_json_pointer() {
        let value: Value = serde_json::json!({
            "a": {"b/c": 1, "d~e": 2, "": 3, "f": [10, 11, {"g": 12}]},
            "0": "zero",
        });
        for pointer in [
            "",
            "/",
            "/a",
            "/a/b~1c",
            "/a/d~0e",
            "/a/",
            "/a/f/0",
            "/a/f/1",
            "/a/f/2/g",
            "/a/f/3",
            "/a/f/01",
            "/a/f/+1",
            "/a/f/-",
            "/a/f/",
            "/0",
            "a",
            "a/b",
            "/a/b~1c/x",
            "/missing",
            "/a/d~01e",
            "/a/b/c",
        ] {
            assert_eq!(value.at(pointer), value.pointer(pointer), "{pointer:?}");
        }
    }
}
