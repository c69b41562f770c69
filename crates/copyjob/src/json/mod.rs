//! Strict JSON parsing that keeps the source text, so every value can be located.
//!
//! One pass over the text builds a compact tree: one `Node` per value in a single table (its
//! kind, its range and its key's, its children's place or its number, its parent), strings and
//! keys borrowed from the text unless they hold an escape. The JSON Schemas (`validate.rs`) and
//! the rules read the tree through [`ValueRef`]; any JSON Pointer is located in time proportional
//! to its depth. The same pass checks what the grammar alone does not: duplicate keys, raw
//! control characters in strings, and numbers outside the range of a double. A text that is not
//! strict JSON is handed to `jsonc-parser` (every JSONC extension off) only to describe the
//! error.

use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher as _;
use std::sync::OnceLock;

pub(crate) mod validate;
mod value;

pub(crate) use value::PointerCursor;
pub use value::{ArrayRef, Children, Kind, ObjectRef, ValueRef};

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

/// One value of the tree: where it is in the text (byte offsets into the body, after a
/// byte-order mark), what it is, and its children or its number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    start: u32,
    end: u32,
    /// The key's range, quotes included (`NO_KEY` for array elements and the root).
    key_start: u32,
    key_end: u32,
    /// Objects and arrays: the index in the node table of the first child; the children follow
    /// it, in the order of the value's members (a duplicated key keeps its first place, with the
    /// value and the span of its last occurrence). Numbers: the low half of their bits.
    a: u32,
    /// Objects and arrays: the number of children. Numbers: the high half of their bits.
    b: u32,
    /// The index of the object or array holding the value (`NO_PARENT` for the root, and for a
    /// value a later duplicate key replaced).
    parent: u32,
    kind: Kind,
    /// `ESCAPED_KEY`, `ESCAPED_VALUE`: the key or the string holds an escape, and its text is in
    /// the tree's `escaped` list.
    flags: u8,
}

const NO_KEY: u32 = u32::MAX;
const NO_PARENT: u32 = u32::MAX;
const ESCAPED_KEY: u8 = 1;
const ESCAPED_VALUE: u8 = 2;

impl Node {
    fn new(kind: Kind, start: usize, end: usize) -> Node {
        Node {
            start: to_u32(start),
            end: to_u32(end),
            key_start: NO_KEY,
            key_end: NO_KEY,
            a: 0,
            b: 0,
            parent: NO_PARENT,
            kind,
            flags: 0,
        }
    }

    fn bits(&self) -> u64 {
        u64::from(self.a) | (u64::from(self.b) << 32)
    }
}

/// Members of a large object by key: its children's indexes, relative to its first child. An
/// entry is a member and its key's hash (16 bytes): growing the table hashes no key again
/// (re-reading every key's text to re-hash it was an eighth of parsing an object of a million
/// keys), and the key itself is read from the member's node only to confirm a match.
#[derive(Debug, Default)]
struct KeyIndex {
    hasher: foldhash::fast::RandomState,
    members: hashbrown::HashTable<(u64, u32)>,
}

impl KeyIndex {
    fn with_capacity(capacity: usize) -> Self {
        KeyIndex { hasher: Default::default(), members: hashbrown::HashTable::with_capacity(capacity) }
    }

    /// The member under `key`; `is(member)` says whether a member's key is `key`.
    fn get(&self, key: &str, is: impl Fn(u32) -> bool) -> Option<u32> {
        let hash = self.hasher.hash_one(key);
        self.members.find(hash, |&(h, member)| h == hash && is(member)).map(|&(_, member)| member)
    }

    /// Adds a key that is not in the index yet.
    fn insert(&mut self, key: &str, member: u32) {
        let hash = self.hasher.hash_one(key);
        self.members.insert_unique(hash, (hash, member), |&(h, _)| h);
    }
}

/// The unescaped text of the key or string quoted at `at`, in a list by quote position.
fn escaped_at(escaped: &[(u32, Box<str>)], at: u32) -> &str {
    match escaped.binary_search_by_key(&at, |(p, _)| *p) {
        Ok(i) => &escaped[i].1,
        Err(_) => "",
    }
}

/// Whether a node's key is `key`: the lengths first, from the node, so the text is read only for
/// a key of the same length (`escaped`: the unescaped keys and strings by their quote). Always
/// inlined: called from three places, it was a call per member tried (−4.4 % instructions with
/// an error in every activity, +3 % on a regular document).
#[inline(always)]
fn node_key_is(text: &str, escaped: &[(u32, Box<str>)], node: &Node, key: &str) -> bool {
    if node.flags & ESCAPED_KEY != 0 {
        return escaped_at(escaped, node.key_start) == key;
    }
    let (start, end) = (node.key_start as usize + 1, (node.key_end as usize).wrapping_sub(1));
    if end.wrapping_sub(start) != key.len() {
        return false;
    }
    text.as_bytes().get(start..end).is_some_and(|written| same_bytes(written, key.as_bytes()))
}

/// Whether two byte strings of the same length are equal; one of at most 32 bytes is compared
/// as two overlapping words, its first and its last, without a call. Most lookups find their
/// key (a key is looked up by the schemas and by several rules), so nearly every comparison
/// that passes the length check reads the whole key: as a call to `memcmp`, that was a tenth of
/// checking a document with an error in every activity.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn ends<const N: usize>(a: &[u8], b: &[u8]) -> bool {
        a.first_chunk::<N>() == b.first_chunk::<N>() && a.last_chunk::<N>() == b.last_chunk::<N>()
    }
    match a.len() {
        16..=32 => ends::<16>(a, b),
        8..=15 => ends::<8>(a, b),
        4..=7 => ends::<4>(a, b),
        _ => a == b,
    }
}

/// The values of a parsed text.
#[derive(Debug)]
pub(crate) struct Tree<'t> {
    /// The body: the text after a byte-order mark.
    text: &'t str,
    /// Every value; the root is the last.
    nodes: Vec<Node>,
    /// The unescaped text of the keys and strings holding an escape, by the position of their
    /// opening quote (in text order, so searched by bisection).
    escaped: Vec<(u32, Box<str>)>,
    /// For objects of more than `SMALL_OBJECT` members, by their first child: each key's member.
    /// Built while parsing, to find duplicate keys.
    large: HashMap<u32, KeyIndex, foldhash::fast::RandomState>,
    /// The objects and the strings, listed on first use.
    by_kind: OnceLock<ByKind>,
}

/// The indexes of a tree's objects and strings, in table order. Two rules look at every object
/// or every string on its own; each reading the kind of every node read the whole table (32
/// bytes a node), and one pass now serves both: a document of arrays nested 490 deep read a
/// table 13 times its size twice.
#[derive(Debug, Default)]
struct ByKind {
    objects: Vec<u32>,
    strings: Vec<u32>,
}

impl<'t> Tree<'t> {
    /// A tree of one string, for a name the validator checks as a value.
    pub(crate) fn single_string(string: &str) -> Tree<'static> {
        let mut node = Node::new(Kind::String, 0, 0);
        node.flags = ESCAPED_VALUE;
        Tree {
            text: "",
            nodes: vec![node],
            escaped: vec![(0, string.into())],
            large: HashMap::default(),
            by_kind: OnceLock::new(),
        }
    }

    pub(crate) fn root(&self) -> ValueRef<'_> {
        ValueRef::new(self, to_u32(self.nodes.len().saturating_sub(1)))
    }

    fn escaped(&self, at: u32) -> &str {
        escaped_at(&self.escaped, at)
    }

    /// The text of the string or key quoted at `start..end`: between its quotes, or its
    /// unescaped text when it holds an escape.
    #[inline]
    fn quoted(&self, start: u32, end: u32, escaped: bool) -> &str {
        if escaped {
            self.escaped(start)
        } else {
            self.text.get(start as usize + 1..(end as usize).saturating_sub(1)).unwrap_or_default()
        }
    }

    /// The key of node `i` (empty when it has none).
    #[inline]
    fn key(&self, i: usize) -> &str {
        let node = &self.nodes[i];
        if node.key_start == NO_KEY {
            return "";
        }
        self.quoted(node.key_start, node.key_end, node.flags & ESCAPED_KEY != 0)
    }

    /// The text of string node `i`.
    #[inline]
    fn string(&self, i: usize) -> &str {
        let node = &self.nodes[i];
        self.quoted(node.start, node.end, node.flags & ESCAPED_VALUE != 0)
    }

    /// The raw text of node `i`.
    fn raw(&self, i: usize) -> &str {
        let node = &self.nodes[i];
        self.text.get(node.start as usize..node.end as usize).unwrap_or_default()
    }

    /// The index of the member `key` of the object whose children are `first..first + len`.
    fn find(&self, first: u32, len: u32, key: &str) -> Option<u32> {
        if len as usize > SMALL_OBJECT {
            let index = self.large.get(&first)?;
            return index.get(key, |i| self.key_is((first + i) as usize, key)).map(|i| first + i);
        }
        (first..first + len).find(|&i| self.key_is(i as usize, key))
    }

    /// Whether node `i`'s key is `key`.
    #[inline]
    fn key_is(&self, i: usize, key: &str) -> bool {
        node_key_is(self.text, &self.escaped, &self.nodes[i], key)
    }
}

/// A parsed JSON text: its tree of values, and a line index.
#[derive(Debug)]
pub struct JsonText<'a> {
    /// The full text, including a byte-order mark when there was one.
    pub index: LineIndex<'a>,
    tree: Option<Tree<'a>>,
    base: usize,
    /// The part the text belongs to, named by every diagnostic (the known names shared).
    pub part: Option<Cow<'static, str>>,
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
        let mut json = JsonText { index, tree: None, base, part: part.map(crate::diagnostic::part_name) };
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
            Ok(()) => {
                let problems = std::mem::take(&mut parser.problems);
                json.tree = Some(Tree {
                    text: body,
                    nodes: parser.nodes,
                    escaped: parser.escaped,
                    large: parser.large,
                    by_kind: OnceLock::new(),
                });
                out.reserve(problems.len());
                for p in problems {
                    let range = (base + p.range.0, base + p.range.1);
                    let help = (!p.help.is_empty()).then_some(p.help);
                    let mut message = p.message;
                    if let Some(first) = p.first {
                        message.push_str(&json.index.line(base + first).to_string());
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

    /// The root value, if the text was valid JSON.
    pub fn root(&self) -> Option<ValueRef<'_>> {
        self.tree.as_ref().map(Tree::root)
    }

    /// Every value of the text, in table order (each container after its members), with the
    /// values a later duplicate key replaced: what the tests hold [`JsonText::all_objects`] and
    /// [`JsonText::all_strings`] to.
    #[cfg(test)]
    pub(crate) fn all_values(&self) -> impl Iterator<Item = ValueRef<'_>> {
        self.tree.iter().flat_map(|tree| (0..to_u32(tree.nodes.len())).map(move |i| ValueRef::new(tree, i)))
    }

    /// Every object of the text, in table order (each after its members), with those a later
    /// duplicate key replaced: for the rules that look at each object on its own, without a
    /// walk. [`ValueRef::pointer`] says where one is, or that it was replaced.
    pub(crate) fn all_objects(&self) -> impl Iterator<Item = ValueRef<'_>> {
        self.of_kind(|by_kind| by_kind.objects.as_slice())
    }

    /// Every string of the text, as [`JsonText::all_objects`] lists the objects.
    pub(crate) fn all_strings(&self) -> impl Iterator<Item = ValueRef<'_>> {
        self.of_kind(|by_kind| by_kind.strings.as_slice())
    }

    fn of_kind(&self, list: fn(&ByKind) -> &[u32]) -> impl Iterator<Item = ValueRef<'_>> {
        self.tree.iter().flat_map(move |tree| {
            let by_kind = tree.by_kind.get_or_init(|| {
                let mut by_kind = ByKind::default();
                for (i, node) in tree.nodes.iter().enumerate() {
                    match node.kind {
                        Kind::Object => by_kind.objects.push(to_u32(i)),
                        Kind::String => by_kind.strings.push(to_u32(i)),
                        _ => {}
                    }
                }
                by_kind
            });
            list(by_kind).iter().map(move |&i| ValueRef::new(tree, i))
        })
    }

    /// Whether the text was valid JSON.
    pub fn is_parsed(&self) -> bool {
        self.tree.is_some()
    }

    /// The value as a `serde_json::Value` (built on each call), if the text was valid JSON.
    pub fn to_value(&self) -> Option<Value> {
        self.root().map(ValueRef::to_value)
    }

    /// Builds a diagnostic for a byte range of this text.
    pub fn diagnostic_at(
        &self,
        (start, end): (usize, usize),
        code: impl Into<Cow<'static, str>>,
        severity: Severity,
        message: impl Into<Cow<'static, str>>,
        help: Option<impl Into<Cow<'static, str>>>,
        pointer: String,
    ) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            help: help.map(Into::into),
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
        code: impl Into<Cow<'static, str>>,
        severity: Severity,
        message: impl Into<Cow<'static, str>>,
        help: Option<impl Into<Cow<'static, str>>>,
    ) -> Diagnostic {
        let pointer = pointer.into();
        let span = self.span(&pointer, target);
        self.diagnostic_at(span, code, severity, message, help, pointer)
    }

    /// The byte range of the value `pointer` names, as `target` asks; falls back to the nearest
    /// existing ancestor.
    pub fn span(&self, pointer: &str, target: Target) -> (usize, usize) {
        let Some(tree) = &self.tree else {
            let len = self.index.text().len();
            return (self.base.min(len), len.min(self.base + 1));
        };
        let mut value = tree.root();
        for segment in segments(pointer) {
            let child = match value.kind() {
                Kind::Object => value.member(&segment),
                Kind::Array => segment.parse::<usize>().ok().and_then(|i| value.as_array()?.get(i)),
                _ => None,
            };
            let Some(child) = child else { break };
            value = child;
        }
        self.span_of(value, target)
    }

    /// The byte range of a value of this text, as `target` asks.
    pub fn span_of(&self, value: ValueRef<'_>, target: Target) -> (usize, usize) {
        let node = value.node();
        let has_key = node.key_start != NO_KEY;
        let (start, end) = (node.start as usize, node.end as usize);
        let (key_start, key_end) = (node.key_start as usize, node.key_end as usize);
        let range = match target {
            Target::Value => (start, end),
            Target::Key | Target::Opening if has_key => (key_start, key_end),
            Target::Member if has_key => (key_start, end),
            Target::Key | Target::Member => (start, end),
            Target::Opening if matches!(node.kind, Kind::Object | Kind::Array) => (start, start + 1),
            Target::Opening => (start, end),
        };
        (self.base + range.0, self.base + range.1)
    }
}

impl JsonText<'_> {
    /// The text in the service's own formatting: 2-space indentation, `\n` line ends, `"key": value`,
    /// `[]` and `{}` for empty containers, no trailing newline. Keys keep their order and strings
    /// and numbers their exact spelling (escapes included): only whitespace changes. `None` when
    /// the text is not valid JSON.
    pub fn formatted(&self) -> Option<String> {
        self.tree.as_ref()?;
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
#[derive(Clone, Copy, PartialEq, Eq)]
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

/// The bytes of eight (little-endian) that end the fast scan of a string (`"`, `\\`, a control
/// character), as the high bit of each: the lowest bit set is exact (a borrow only carries past
/// a byte that is itself a stop), so `trailing_zeros() / 8` is the first stop's offset.
#[inline]
fn string_stops(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let quote = zero(word ^ (ONES * u64::from(b'"')));
    let backslash = zero(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    quote | backslash | control
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// Finished nodes; the children of each container are contiguous.
    nodes: Vec<Node>,
    /// The nodes of the members of the containers being parsed.
    pending: Vec<Node>,
    /// The keys of the members of the small objects being parsed, and where each first appeared.
    keys: Vec<(Cow<'t, str>, usize)>,
    escaped: Vec<(u32, Box<str>)>,
    large: HashMap<u32, KeyIndex, foldhash::fast::RandomState>,
    path: Vec<Step>,
    /// The pointer of the last problem's parent, and the steps it was written from: the
    /// problems of one object (a key repeated 100,000 times) share it.
    parent_pointer: (Vec<Step>, String),
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
            keys: Vec::new(),
            escaped: Vec::new(),
            large: HashMap::default(),
            path: Vec::new(),
            parent_pointer: (Vec::new(), String::new()),
            problems: Vec::new(),
        }
    }

    fn document(&mut self) -> Result<(), Syntax> {
        self.value(0)?;
        self.skip_whitespace();
        if self.pos != self.bytes.len() {
            return Err(Syntax);
        }
        self.nodes.extend(self.pending.pop());
        self.adopt(self.nodes.len() - 1);
        Ok(())
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        let bytes = self.bytes;
        let mut i = self.pos;
        loop {
            match bytes.get(i) {
                Some(b' ' | b'\t' | b'\r') => i += 1,
                Some(b'\n') => {
                    i += 1;
                    // The indentation after a line end (half of a pretty-printed document's
                    // bytes), eight spaces at a time.
                    while let Some(chunk) = bytes.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
                        let other = u64::from_le_bytes(chunk) ^ 0x2020_2020_2020_2020;
                        if other != 0 {
                            i += (other.trailing_zeros() / 8) as usize;
                            break;
                        }
                        i += 8;
                    }
                }
                _ => break,
            }
        }
        self.pos = i;
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Parses a value and pushes its node onto `pending`. `depth` counts, as `jsonc-parser`
    /// does, the arrays, objects and members around the value.
    ///
    /// Each node is written once, where it stays until its container closes. Returned by value,
    /// a node was copied through the stack frame of each call on its way, and the caller's
    /// 16-byte reads of what the callee had just written field by field stalled (perf: a third
    /// of parsing nested arrays); written in place, deep nesting parses 20 % faster and a
    /// regular document 10 %.
    fn value(&mut self, depth: usize) -> Result<(), Syntax> {
        if depth > MAX_DEPTH {
            return Err(Syntax);
        }
        self.skip_whitespace();
        let start = self.pos;
        let node = match self.peek().ok_or(Syntax)? {
            b'{' => return self.object(depth),
            b'[' => return self.array(depth),
            b'"' => {
                let escaped = matches!(self.string()?, Cow::Owned(_));
                let mut node = Node::new(Kind::String, start, self.pos);
                if escaped {
                    node.flags = ESCAPED_VALUE;
                }
                node
            }
            b't' => self.literal("true", Kind::True, start)?,
            b'f' => self.literal("false", Kind::False, start)?,
            b'n' => self.literal("null", Kind::Null, start)?,
            b'-' | b'0'..=b'9' => return self.number(),
            _ => return Err(Syntax),
        };
        self.pending.push(node);
        Ok(())
    }

    fn literal(&mut self, word: &str, kind: Kind, start: usize) -> Result<Node, Syntax> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::new(kind, start, self.pos))
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

    /// Pushes a number's node, its value in `a` and `b` (`Kind::Null` for one out of a double's
    /// range).
    #[inline(never)]
    fn number(&mut self) -> Result<(), Syntax> {
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
        let end = self.pos;
        let with = |kind: Kind, bits: u64| {
            // Split in two halves: the truncations are the point.
            #[allow(clippy::cast_possible_truncation)]
            let (a, b) = (bits as u32, (bits >> 32) as u32);
            Node { a, b, ..Node::new(kind, start, end) }
        };
        // `-0` is the float -0.0, as serde_json reads it.
        let node = if integer && raw.len() <= 18 && raw != "-0" {
            let digits = &raw.as_bytes()[usize::from(negative)..];
            let n = digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
            if negative {
                with(Kind::NegInt, (-n).cast_unsigned())
            } else {
                with(Kind::PosInt, n.cast_unsigned())
            }
        } else {
            match raw.parse::<Number>() {
                Ok(n) => {
                    if let Some(u) = n.as_u64() {
                        with(Kind::PosInt, u)
                    } else if let Some(i) = n.as_i64() {
                        with(Kind::NegInt, i.cast_unsigned())
                    } else {
                        with(Kind::Float, n.as_f64().unwrap_or_default().to_bits())
                    }
                }
                Err(_) => {
                    self.problem(
                        (start, end),
                        "json/invalid-number",
                        format!("`{raw}` is not a valid JSON number"),
                        "write the number in plain decimal form, without leading zeros",
                    );
                    Node::new(Kind::Null, start, end)
                }
            }
        };
        self.pending.push(node);
        Ok(())
    }

    fn problem(&mut self, range: (usize, usize), code: &'static str, message: String, help: &'static str) {
        let pointer = self.pointer();
        self.problems.push(Problem { range, code, message, help, pointer, first: None });
    }

    /// The JSON Pointer of the value being parsed: its parent's, written again only when the
    /// parent changed, and its own step.
    fn pointer(&mut self) -> String {
        let parent = self.path.len().saturating_sub(1);
        if self.parent_pointer.0 != self.path[..parent] {
            let mut pointer = String::new();
            for &step in &self.path[..parent] {
                self.push_step(&mut pointer, step);
            }
            self.parent_pointer = (self.path[..parent].to_vec(), pointer);
        }
        let mut pointer = self.parent_pointer.1.clone();
        if let Some(&last) = self.path.last() {
            self.push_step(&mut pointer, last);
        }
        pointer
    }

    /// Writes a step of the path to a pointer.
    fn push_step(&self, pointer: &mut String, step: Step) {
        match step {
            Step::Key(start, end) => {
                // The key being read (a problem inside it) has no end yet: it ends where the
                // parser stands.
                let end = if end > start { end } else { self.pos };
                let key = match self.text.get(start..end) {
                    Some(raw) if raw.len() >= 2 && raw.starts_with('"') => {
                        match raw[1..].strip_suffix('"') {
                            // Without an escape (nearly every key), the text between the quotes.
                            Some(inner) if !inner.contains('\\') => Cow::Borrowed(inner),
                            _ => {
                                Cow::Owned(Parser::new(raw).string().map(Cow::into_owned).unwrap_or_default())
                            }
                        }
                    }
                    _ => Cow::Borrowed(""),
                };
                push_pointer_segment(pointer, &key);
            }
            Step::Index(i) => push_index_segment(pointer, i),
        }
    }

    /// Parses a string at `"`; reports a raw control character in it. The text is borrowed
    /// unless the string holds an escape; then it is also kept in `escaped`.
    fn string(&mut self) -> Result<Cow<'t, str>, Syntax> {
        let quote = self.pos;
        self.pos += 1;
        let start = self.pos;
        let bytes = self.bytes;
        let mut i = start;
        while let Some(chunk) = bytes.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
            let stop = string_stops(u64::from_le_bytes(chunk));
            if stop != 0 {
                i += (stop.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        while i < bytes.len() && !STRING_STOP[bytes[i] as usize] {
            i += 1;
        }
        if bytes.get(i) == Some(&b'"') {
            self.pos = i + 1;
            return Ok(Cow::Borrowed(&self.text[start..i]));
        }
        // Escapes or control characters: the slow way.
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(&self.text[start..i]);
        let mut control: Option<usize> = None;
        let mut run = i;
        let mut escapes = false;
        loop {
            let Some(&b) = bytes.get(i) else { return Err(Syntax) };
            match b {
                b'"' => {
                    out.push_str(&self.text[run..i]);
                    self.pos = i + 1;
                    break;
                }
                b'\\' => {
                    escapes = true;
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
        if !escapes {
            // Only raw control characters: the text is as written.
            return Ok(Cow::Borrowed(&self.text[start..self.pos - 1]));
        }
        self.escaped.push((to_u32(quote), out.as_str().into()));
        Ok(Cow::Owned(out))
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

    /// Moves the members' nodes into the table and pushes the container's node in their place;
    /// returns the index of its first member. Each member now has its place, so its own members
    /// learn their parent.
    fn close(&mut self, kind: Kind, start: usize, mark: usize) -> u32 {
        let first_child = to_u32(self.nodes.len());
        let len = to_u32(self.pending.len() - mark);
        if self.nodes.capacity() - self.nodes.len() < len as usize {
            self.grow_nodes(len as usize);
        }
        self.nodes.extend(self.pending.drain(mark..));
        for i in first_child as usize..self.nodes.len() {
            self.adopt(i);
        }
        self.pending.push(Node { a: first_child, b: len, ..Node::new(kind, start, self.pos) });
        first_child
    }

    /// Grows the table for `add` more nodes: to what the text read so far projects for the whole
    /// text, when that is more than doubling. A document denser than the first guess (deep
    /// nesting: a node per 2 bytes, twelve times the guess) then grows it once or twice instead
    /// of doubling it a dozen times, each a copy of the table where the allocator cannot move it.
    #[cold]
    fn grow_nodes(&mut self, add: usize) {
        let len = self.nodes.len();
        let projected = (len as u128 * self.text.len() as u128 / self.pos.max(1) as u128) as usize;
        let target = (projected + projected / 8).max(2 * len) + add;
        self.nodes.reserve_exact(target - len);
    }

    /// Sets the parent of the members of node `i`, a finished node in the table.
    #[inline]
    fn adopt(&mut self, i: usize) {
        let node = self.nodes[i];
        if matches!(node.kind, Kind::Object | Kind::Array) {
            for child in &mut self.nodes[node.a as usize..(node.a + node.b) as usize] {
                child.parent = to_u32(i);
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Syntax> {
        let (start, mark) = self.enter();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.close(Kind::Array, start, mark);
            return Ok(());
        }
        loop {
            self.path.push(Step::Index(self.pending.len() - mark));
            self.value(depth + 1)?;
            self.path.pop();
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.close(Kind::Array, start, mark);
                    return Ok(());
                }
                _ => return Err(Syntax),
            }
        }
    }

    // Not inlined into `value`, nor `number`: their locals made `value`'s frame 664 bytes, and a
    // document nested 512 deep touched a third of a megabyte of stack on the way down and back
    // (deep nesting 10 % faster with a frame of 88 bytes; a regular document within 1 %).
    #[inline(never)]
    fn object(&mut self, depth: usize) -> Result<(), Syntax> {
        let (start, mark) = self.enter();
        let first = self.keys.len();
        // Past `SMALL_OBJECT` members the keys go into a map as they come (a linear search for
        // duplicates would be quadratic), with where each first appeared.
        let mut large: Option<(KeyIndex, Vec<usize>)> = None;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.close(Kind::Object, start, mark);
            return Ok(());
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
            // The member's node is the last in `pending`; a duplicate's replaces the first's.
            self.value(depth + 2)?;
            if let Some(node) = self.pending.last_mut() {
                node.key_start = to_u32(key_start);
                node.key_end = to_u32(key_end);
                if matches!(key, Cow::Owned(_)) {
                    node.flags |= ESCAPED_KEY;
                }
            }
            match &mut large {
                None => {
                    let own = &self.keys[first..];
                    if let Some(i) = own.iter().position(|(k, _)| *k == key) {
                        let first_at = own[i].1;
                        self.pending.swap_remove(mark + i);
                        self.duplicate(&key, (key_start, key_end), first_at);
                    } else {
                        self.keys.push((key, key_start));
                        if self.keys.len() - first > SMALL_OBJECT {
                            let mut index = KeyIndex::with_capacity(2 * SMALL_OBJECT);
                            let mut firsts = Vec::with_capacity(2 * SMALL_OBJECT);
                            for (i, (k, at)) in self.keys.drain(first..).enumerate() {
                                index.insert(&k, to_u32(i));
                                firsts.push(at);
                            }
                            large = Some((index, firsts));
                        }
                    }
                }
                Some((index, firsts)) => {
                    let (text, escaped, members) = (self.text, &self.escaped, &self.pending[mark..]);
                    let is = |i: u32| node_key_is(text, escaped, &members[i as usize], &key);
                    if let Some(i) = index.get(&key, is) {
                        self.pending.swap_remove(mark + i as usize);
                        let first_at = firsts[i as usize];
                        self.duplicate(&key, (key_start, key_end), first_at);
                    } else {
                        index.insert(&key, to_u32(firsts.len()));
                        firsts.push(key_start);
                    }
                }
            }
            self.path.pop();
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.keys.truncate(first);
                    let first_child = self.close(Kind::Object, start, mark);
                    if let Some((index, _)) = large {
                        self.large.insert(first_child, index);
                    }
                    return Ok(());
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
    pointer_with(path, None)
}

/// [`pointer_of`] `path`, then `key` when there is one.
pub(crate) fn pointer_with(path: &[Segment<'_>], key: Option<&str>) -> String {
    // Sized once: growing it segment by segment reallocated it several times.
    let capacity = path
        .iter()
        .map(|s| match s {
            Segment::Key(key) => key.len() + 1,
            Segment::Index(_) => 8,
        })
        .sum::<usize>()
        + key.map_or(0, |k| k.len() + 1);
    let mut pointer = String::with_capacity(capacity);
    for segment in path {
        match segment {
            Segment::Key(key) => push_pointer_segment(&mut pointer, key),
            Segment::Index(i) => push_index_segment(&mut pointer, *i),
        }
    }
    if let Some(key) = key {
        push_pointer_segment(&mut pointer, key);
    }
    pointer
}

/// Calls `visit` with the path to every value under `value` (itself included), depth first.
pub fn walk<'v, F>(value: ValueRef<'v>, path: &mut Vec<Segment<'v>>, visit: &mut F)
where
    F: FnMut(&[Segment<'v>], ValueRef<'v>),
{
    walk_to_depth(value, usize::MAX, path, visit);
}

/// [`walk`], visiting only the values at most `depth` segments below `value`. Generic over the
/// visitor, so each rule's visit is compiled into its walk (a `dyn` call per value was a tenth
/// of the rules that see every value).
pub fn walk_to_depth<'v, F>(value: ValueRef<'v>, depth: usize, path: &mut Vec<Segment<'v>>, visit: &mut F)
where
    F: FnMut(&[Segment<'v>], ValueRef<'v>),
{
    visit(path, value);
    if depth == 0 {
        return;
    }
    match value.kind() {
        Kind::Array => {
            for (i, item) in value.children().enumerate() {
                path.push(Segment::Index(i));
                walk_to_depth(item, depth - 1, path, visit);
                path.pop();
            }
        }
        Kind::Object => {
            for item in value.children() {
                path.push(Segment::Key(item.key()));
                walk_to_depth(item, depth - 1, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The value under `value` at a path of object keys (a JSON Pointer without parsing and
/// unescaping it on every call).
pub fn get_path<'v>(value: ValueRef<'v>, keys: &[&str]) -> Option<ValueRef<'v>> {
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

/// Appends an array index segment to a JSON Pointer (not with `write!`: the formatting machinery
/// cost more than the rest of the pointer).
fn push_index_segment(pointer: &mut String, index: usize) {
    pointer.push('/');
    pointer.push_str(itoa::Buffer::new().format(index));
}

/// Appends `/segment` to a JSON Pointer, escaping `~` and `/`.
pub fn push_pointer_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if !segment.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(segment);
        return;
    }
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
        let messages: Vec<&str> = out.iter().map(|d| &*d.message).collect();
        assert_eq!(
            messages,
            [
                "duplicate key \"a\": it is already set on line 2",
                "duplicate key \"a\": it is already set on line 2"
            ]
        );
        assert_eq!(out[1].range.start.line, 5);
        assert_eq!(json.to_value(), Some(serde_json::json!({"a": 4, "b": 2})));
        assert_eq!(covered(&json, "/a", Target::Member), "\"a\": 4");
        assert_eq!(covered(&json, "/b", Target::Value), "2");
    }

    #[test]
    fn keys_compare_equal_only_when_every_byte_is() {
        // Every length the word comparisons cover and past them, with one byte changed at each
        // place in turn (the first and last words overlap in the middle for most lengths).
        for len in 0..=40 {
            let key: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same_bytes(&key, &key.clone()), "{len}");
            for at in 0..len {
                let mut other = key.clone();
                other[at] = b'Z';
                assert!(!same_bytes(&key, &other), "length {len}, byte {at}");
            }
        }
        // Through a lookup: keys of one length that differ in one middle byte.
        let text = r#"{"connectionXSettings": 1, "connectionYSettings": 2}"#;
        let json = JsonText::parse(text, None, &mut Vec::new());
        let root = json.root().expect("parsed");
        assert_eq!(root.member("connectionYSettings").and_then(|v| v.as_u64()), Some(2));
        assert!(root.member("connectionZSettings").is_none());
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
        let found: Vec<(&str, u32)> = out.iter().map(|d| (&*d.message, d.range.start.line)).collect();
        let last = SMALL_OBJECT as u32 + 4 + 4;
        assert_eq!(
            found,
            [
                ("duplicate key \"a\": it is already set on line 2", 3),
                ("duplicate key \"a\": it is already set on line 2", last),
                ("duplicate key \"k3\": it is already set on line 7", last + 1),
            ]
        );
        let value = json.root().expect("parsed");
        assert_eq!(value.member("a").and_then(ValueRef::as_u64), Some(3));
        assert_eq!(value.member("k3").and_then(ValueRef::as_u64), Some(30));
        let keys: Vec<&str> = value.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), SMALL_OBJECT + 5);
        assert_eq!((keys[0], keys[1]), ("a", "k0"));
        assert_eq!(json.to_value().map(|v| v.as_object().map(|o| o.len())), Some(Some(SMALL_OBJECT + 5)));
        assert_eq!(covered(&json, "/a", Target::Member), "\"a\": 3");
        assert_eq!(covered(&json, "/k3", Target::Member), "\"k3\": 30");
        assert_eq!(covered(&json, "/k4", Target::Member), "\"k4\": 4");
    }

    /// The scans that read eight bytes at a time (indentation, strings) stop where the byte
    /// loops would, whatever the alignment.
    #[test]
    fn word_scans_stop_where_byte_scans_do() {
        for word in [0u64, u64::MAX, 0x2020_2020_2020_2020, 0x8081_1f20_225c_7f41] {
            let bytes = word.to_le_bytes();
            let first = bytes.iter().position(|b| STRING_STOP[usize::from(*b)]);
            let stops = string_stops(word);
            assert_eq!((stops != 0).then(|| (stops.trailing_zeros() / 8) as usize), first, "{word:#x}");
        }
        for pad in 0..20 {
            let spaces = " ".repeat(pad);
            let text = format!(
                "{{\n{spaces}\"k{spaces}\\\"\u{1}\":\r\n{spaces}\t[\n{spaces} \"é{spaces}x\"\n{spaces}]\n}}"
            );
            let (json, out) = parse(&text);
            let key = format!("k{spaces}\"\u{1}");
            assert_eq!(out.len(), 1, "{text:?}: {out:#?}");
            assert_eq!(out[0].code, "json/control-character");
            let value =
                json.root().and_then(|r| r.member(&key)).and_then(|a| a.as_array()).and_then(|a| a.first());
            assert_eq!(value.and_then(ValueRef::as_str), Some(format!("é{spaces}x").as_str()), "{text:?}");
            let expected = serde_json::json!({ key.clone(): [format!("é{spaces}x")] });
            assert_eq!(json.to_value(), Some(expected));
        }
    }

    /// Every value's pointer, from its parents, is the one a walk from the root writes; a value
    /// a later duplicate key replaced has none.
    #[test]
    fn every_value_knows_its_pointer() {
        let members: String =
            (0..SMALL_OBJECT + 2).map(|i| format!(", \"m{i}\": [{i}, {{\"x\": [[]]}}]")).collect();
        let text = format!(
            r#"{{"a/b~c": [1, [2, {{"d": "e"}}], {{}}], "dup": {{"old": [1, 2]}}, "dup": {{"new": 3}}, "\u0041": null{members}}}"#
        );
        let (json, _) = parse(&text);
        let root = json.root().expect("parsed");
        let mut walked = Vec::new();
        walk(root, &mut Vec::new(), &mut |path, value| walked.push((value.index(), pointer_of(path))));
        for (index, pointer) in &walked {
            let value = ValueRef::new(json.tree.as_ref().expect("parsed"), *index);
            assert_eq!(value.pointer().as_deref(), Some(pointer.as_str()));
            assert_eq!(root.at(pointer).map(ValueRef::index), Some(*index), "{pointer}");
        }
        assert!(walked.iter().any(|(_, p)| p == "/a~1b~0c/1/1/d"));
        assert!(walked.iter().any(|(_, p)| p == "/A"));
        // The replaced `{"old": [1, 2]}`: its members are in the table, in no pointer.
        let replaced: Vec<ValueRef<'_>> = json.all_values().filter(|v| v.pointer().is_none()).collect();
        assert_eq!(replaced.len(), 3, "{replaced:?}");
        assert_eq!(json.all_values().count(), walked.len() + replaced.len());
        // The objects and the strings, listed once for the rules, are those among every value,
        // in the same order (the replaced object included); asked again, the same lists.
        let of_kind = |kind: Kind| -> Vec<u32> {
            json.all_values().filter(|v| v.kind() == kind).map(ValueRef::index).collect()
        };
        let objects: Vec<u32> = json.all_objects().map(ValueRef::index).collect();
        let strings: Vec<u32> = json.all_strings().map(ValueRef::index).collect();
        assert_eq!(objects, of_kind(Kind::Object));
        assert_eq!(strings, of_kind(Kind::String));
        // The root, {"d": "e"}, {}, the last "dup" (the first one's node was replaced) and one in
        // each "m…" member.
        assert_eq!((objects.len(), strings.len()), (4 + SMALL_OBJECT + 2, 1));
        assert_eq!(json.all_objects().map(ValueRef::index).collect::<Vec<_>>(), objects);
    }

    proptest::proptest! {
        /// A member is found by its key whatever the keys' lengths, escapes and order, in small
        /// objects (searched in order) and large ones (a key index).
        #[test]
        fn a_member_is_found_by_its_key(
            keys in proptest::collection::btree_set("[ab\\\\\"é]{0,18}", 0..20),
            queries in proptest::collection::vec("[ab\\\\\"é]{0,18}", 0..8),
        ) {
            let keys: Vec<String> = keys.into_iter().collect();
            let members: Vec<String> =
                keys.iter().enumerate().map(|(i, k)| format!("{}: {i}", Value::String(k.clone()))).collect();
            let text = format!("{{{}}}", members.join(", "));
            let json = JsonText::parse(&text, None, &mut Vec::new());
            let object = json.root().expect("parsed");
            for query in keys.iter().chain(&queries) {
                let expected = keys.iter().position(|k| k == query).map(|i| i as u64);
                proptest::prop_assert_eq!(object.member(query).and_then(ValueRef::as_u64), expected, "{:?}", query);
            }
        }
    }

    #[test]
    fn a_dense_document_grows_the_table_to_its_projected_size() {
        // Deep nesting is a node per 2 bytes, twelve times the first guess: the table grows to
        // what the text read projects, not by doubling (which could leave it twice too large).
        let item = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let text = format!("[{}]", vec![item; 300].join(","));
        let (json, out) = parse(&text);
        assert!(out.is_empty());
        let nodes = json.tree.as_ref().map(|t| (t.nodes.len(), t.nodes.capacity())).unwrap_or_default();
        assert_eq!(nodes.0, 300 * 201 + 1);
        assert!(nodes.1 <= nodes.0 * 5 / 4, "{nodes:?}");
    }

    #[test]
    fn problems_of_one_object_and_of_others_carry_their_own_pointer() {
        // The parent's pointer is written once for the problems of one object, again when the
        // parent changes, including to a sibling of the same depth or a shorter path.
        let text = r#"{"a": {"x": 1, "x": 2, "x": 3}, "b": [{"y": 1, "y": 2}, {"y": 1, "y": 2}],
                      "a~/": {"x": 1, "x": 2}, "x": 0, "x": 1}"#;
        let (_, out) = parse(text);
        let pointers: Vec<&str> = out.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/a/x", "/a/x", "/b/0/y", "/b/1/y", "/a~0~1/x", "/x"]);
    }

    #[test]
    fn an_escaped_key_of_a_large_object_is_found_and_its_duplicate_reported() {
        // Past `SMALL_OBJECT` members the index confirms a match on the member's node: the
        // unescaped text of an escaped key, the text of a plain one.
        let pad: String = (0..SMALL_OBJECT + 2).map(|i| format!(r#""p{i}": {i}, "#)).collect();
        let text =
            format!(r#"{{{pad}"t\u0061ble": 1, "plain": 2, "table": 3, "pl\u0061in": 4, "\u0000": 5}}"#);
        let (json, out) = parse(&text);
        let duplicates: Vec<&str> = out.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(duplicates, ["/table", "/plain"]);
        let root = json.root().expect("parsed");
        let member = |key: &str| root.member(key).and_then(ValueRef::as_u64);
        assert_eq!(
            (member("table"), member("plain"), member("\u{0}"), member("p3")),
            (Some(3), Some(4), Some(5), Some(3))
        );
        assert_eq!(member("tablex"), None);
    }

    #[test]
    fn the_tree_holds_one_node_per_value() {
        let (json, _) = parse(r#"{"a": [[1], [2, 3, 4, 5, 6]], "o": {"x": 1}}"#);
        assert_eq!(json.tree.as_ref().map(|t| t.nodes.len()), Some(12));
        let value = json.root().expect("parsed");
        let a = value.member("a").and_then(ValueRef::as_array).expect("array");
        assert_eq!(a.len(), 2);
        assert_eq!(a.get(1).and_then(ValueRef::as_array).map(|x| x.len()), Some(5));
        assert_eq!(a.get(1).and_then(|x| x.at("/4")).and_then(ValueRef::as_u64), Some(6));
        assert_eq!(a.get(2), None);
        assert_eq!(value.at("/o/x").and_then(ValueRef::as_i64), Some(1));
    }

    #[test]
    fn strings_and_keys_are_read_unescaped_and_numbers_as_serde_json_reads_them() {
        let members: String = (0..SMALL_OBJECT).map(|i| format!(", \"pad{i}\": {i}")).collect();
        let text = format!(
            r#"{{"a\"b": "x\ny", "plain": "é", "\u00e9": -0, "n": [-12, 1.5, 18446744073709551615, 1e2, 123456789012345678901]{members}}}"#
        );
        let (json, out) = parse(&text);
        assert!(out.is_empty(), "{out:#?}");
        let value = json.root().expect("parsed");
        assert_eq!(value.member("a\"b").and_then(ValueRef::as_str), Some("x\ny"));
        assert_eq!(value.member("plain").and_then(ValueRef::as_str), Some("é"));
        // A large object: found through its key index, escaped key included.
        assert_eq!(value.member("é").map(ValueRef::kind), Some(Kind::Float));
        assert_eq!(value.member("pad3").and_then(ValueRef::as_u64), Some(3));
        assert_eq!(covered(&json, "/a\"b", Target::Key), r#""a\"b""#);
        let expected: Value = serde_json::from_str(&text).expect("serde_json reads it");
        assert_eq!(json.to_value(), Some(expected.clone()));
        let numbers = value.member("n").and_then(ValueRef::as_array).expect("array");
        let kinds: Vec<Kind> = numbers.iter().map(ValueRef::kind).collect();
        assert_eq!(kinds, [Kind::NegInt, Kind::Float, Kind::PosInt, Kind::Float, Kind::Float]);
        assert_eq!(numbers.get(0).and_then(ValueRef::as_i64), Some(-12));
        assert_eq!(numbers.get(2).and_then(ValueRef::as_u64), Some(u64::MAX));
        assert_eq!(numbers.get(3).and_then(ValueRef::as_f64), Some(100.0));
        for (i, n) in numbers.iter().enumerate() {
            assert_eq!(n.to_value(), expected["n"][i], "{i}");
        }
    }

    #[test]
    fn problems_inside_values_carry_their_pointer() {
        let (_, out) = parse("{\"a~b/c\": [0, \"x\ty\", 1e999]}");
        let found: Vec<(&str, &str)> = out.iter().map(|d| (&*d.code, d.pointer.as_str())).collect();
        assert_eq!(found, [("json/control-character", "/a~0b~1c/1"), ("json/invalid-number", "/a~0b~1c/2")]);
    }

    /// Found by the property tests: a raw control character inside a key panicked while the
    /// parser named the key being read.
    #[test]
    fn a_control_character_in_a_key_points_at_that_key() {
        let (json, out) = parse("{\"ok\": {\"a\u{1}b\": 1}}");
        let found: Vec<(&str, &str)> = out.iter().map(|d| (&*d.code, d.pointer.as_str())).collect();
        assert_eq!(found, [("json/control-character", "/ok/a\u{1}b")]);
        assert_eq!(json.to_value(), Some(serde_json::json!({"ok": {"a\u{1}b": 1}})));
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
                    assert_eq!(json.to_value(), Some(expected), "{text}");
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
