//! [`ValueRef`]: a value of a parsed text, read in place.

use super::{array_index, push_pointer_segment, segments, Node, Tree, NO_KEY, NO_PARENT};
use serde_json::{Map, Number, Value};
use std::fmt;

/// What a JSON value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Kind {
    /// `null` (also a number outside the range of a double, reported when parsed).
    Null,
    /// `false`.
    False,
    /// `true`.
    True,
    /// An integer in `0..=u64::MAX`.
    PosInt,
    /// A negative integer in the range of `i64`.
    NegInt,
    /// Any other number.
    Float,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// A value of a [`JsonText`](super::JsonText): a reference into its tree, as cheap to copy as a
/// `&serde_json::Value` and read the same way (`as_str`, `member`, `at`, `as_array`…). Strings
/// and keys are borrowed from the text.
#[derive(Clone, Copy)]
pub struct ValueRef<'a> {
    tree: &'a Tree<'a>,
    index: u32,
}

impl fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_value(), f)
    }
}

/// Compact JSON, as `serde_json::Value` writes it.
impl fmt::Display for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_value(), f)
    }
}

impl PartialEq for ValueRef<'_> {
    /// JSON equality (numbers by value, object members in any order).
    fn eq(&self, other: &Self) -> bool {
        self.to_value() == other.to_value()
    }
}

impl PartialEq<Value> for ValueRef<'_> {
    fn eq(&self, other: &Value) -> bool {
        match (self.kind(), other) {
            (Kind::String, Value::String(s)) => self.as_str() == Some(s.as_str()),
            (Kind::Null, Value::Null) => true,
            (Kind::True | Kind::False, Value::Bool(b)) => self.as_bool() == Some(*b),
            (Kind::String | Kind::Null | Kind::True | Kind::False, _) => false,
            _ => self.to_value() == *other,
        }
    }
}

impl PartialEq<str> for ValueRef<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for ValueRef<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl<'a> ValueRef<'a> {
    pub(crate) fn new(tree: &'a Tree<'a>, index: u32) -> Self {
        ValueRef { tree, index }
    }

    #[inline]
    pub(crate) fn node(self) -> &'a Node {
        &self.tree.nodes[self.index as usize]
    }

    pub(crate) fn tree(self) -> &'a Tree<'a> {
        self.tree
    }

    pub(crate) fn index(self) -> u32 {
        self.index
    }

    /// What the value is.
    #[inline]
    pub fn kind(self) -> Kind {
        self.node().kind
    }

    /// The member name this value is held under (empty for array elements and the root).
    pub fn key(self) -> &'a str {
        self.tree.key(self.index as usize)
    }

    /// Whether the value is held under a member name.
    pub fn has_key(self) -> bool {
        self.node().key_start != NO_KEY
    }

    /// The value's text, exactly as written.
    pub fn raw(self) -> &'a str {
        self.tree.raw(self.index as usize)
    }

    /// Whether the value is an object.
    pub fn is_object(self) -> bool {
        self.kind() == Kind::Object
    }

    /// Whether the value is an array.
    pub fn is_array(self) -> bool {
        self.kind() == Kind::Array
    }

    /// Whether the value is a string.
    pub fn is_string(self) -> bool {
        self.kind() == Kind::String
    }

    /// Whether the value is `null`.
    pub fn is_null(self) -> bool {
        self.kind() == Kind::Null
    }

    /// Whether the value is `true` or `false`.
    pub fn is_boolean(self) -> bool {
        matches!(self.kind(), Kind::True | Kind::False)
    }

    /// Whether the value is a number.
    pub fn is_number(self) -> bool {
        matches!(self.kind(), Kind::PosInt | Kind::NegInt | Kind::Float)
    }

    /// The string, if the value is one.
    #[inline]
    pub fn as_str(self) -> Option<&'a str> {
        (self.kind() == Kind::String).then(|| self.tree.string(self.index as usize))
    }

    /// The boolean, if the value is one.
    pub fn as_bool(self) -> Option<bool> {
        match self.kind() {
            Kind::True => Some(true),
            Kind::False => Some(false),
            _ => None,
        }
    }

    /// The number, as `serde_json` holds it.
    pub fn as_number(self) -> Option<Number> {
        let bits = self.node().bits();
        match self.kind() {
            Kind::PosInt => Some(Number::from(bits)),
            Kind::NegInt => Some(Number::from(bits.cast_signed())),
            Kind::Float => Number::from_f64(f64::from_bits(bits)),
            _ => None,
        }
    }

    /// The number, if it is an integer in the range of `u64`.
    pub fn as_u64(self) -> Option<u64> {
        (self.kind() == Kind::PosInt).then(|| self.node().bits())
    }

    /// The number, if it is an integer in the range of `i64`.
    pub fn as_i64(self) -> Option<i64> {
        let bits = self.node().bits();
        match self.kind() {
            Kind::PosInt => i64::try_from(bits).ok(),
            Kind::NegInt => Some(bits.cast_signed()),
            _ => None,
        }
    }

    /// The number as a double, if the value is a number.
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> Option<f64> {
        let bits = self.node().bits();
        match self.kind() {
            Kind::PosInt => Some(bits as f64),
            Kind::NegInt => Some(bits.cast_signed() as f64),
            Kind::Float => Some(f64::from_bits(bits)),
            _ => None,
        }
    }

    /// The object, if the value is one.
    pub fn as_object(self) -> Option<ObjectRef<'a>> {
        (self.kind() == Kind::Object).then(|| ObjectRef { children: self.children() })
    }

    /// The array, if the value is one.
    pub fn as_array(self) -> Option<ArrayRef<'a>> {
        (self.kind() == Kind::Array).then(|| ArrayRef { children: self.children() })
    }

    /// The members' values of an object or the elements of an array, in order (nothing for
    /// other values).
    pub fn children(self) -> Children<'a> {
        let node = self.node();
        let (first, len) = match node.kind {
            Kind::Object | Kind::Array => (node.a, node.b),
            _ => (0, 0),
        };
        Children { tree: self.tree, next: first, end: first + len }
    }

    /// The member `key` of an object.
    #[inline]
    pub fn member(self, key: &str) -> Option<ValueRef<'a>> {
        let node = self.node();
        if node.kind != Kind::Object {
            return None;
        }
        self.tree.find(node.a, node.b, key).map(|index| ValueRef { tree: self.tree, index })
    }

    /// The value at a JSON Pointer, as `serde_json::Value::pointer` finds it.
    pub fn at(self, pointer: &str) -> Option<ValueRef<'a>> {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return None;
        }
        segments(pointer).try_fold(self, |v, segment| v.step(&segment))
    }

    /// The member or item a pointer's (unescaped) segment names.
    fn step(self, segment: &str) -> Option<ValueRef<'a>> {
        match self.kind() {
            Kind::Object => self.member(segment),
            Kind::Array => array_index(segment).and_then(|i| self.as_array()?.get(i)),
            _ => None,
        }
    }

    /// The object or array holding this value (`None` for the root).
    pub fn parent(self) -> Option<ValueRef<'a>> {
        let parent = self.node().parent;
        (parent != NO_PARENT).then_some(ValueRef { tree: self.tree, index: parent })
    }

    /// The JSON Pointer of this value, from its parents (`None` for a value a later duplicate key
    /// replaced: it is not in the document's value).
    pub fn pointer(self) -> Option<String> {
        let mut steps = Vec::new();
        let mut at = self;
        while let Some(parent) = at.parent() {
            steps.push(at);
            at = parent;
        }
        if at.index as usize + 1 != self.tree.nodes.len() {
            return None;
        }
        let mut pointer = String::new();
        for step in steps.iter().rev() {
            if step.has_key() {
                push_pointer_segment(&mut pointer, step.key());
            } else {
                let first = step.parent().map_or(0, |p| p.node().a);
                pointer.push('/');
                pointer.push_str(&(step.index - first).to_string());
            }
        }
        Some(pointer)
    }

    /// The value as a `serde_json::Value` (for the rare reader that needs one: it copies).
    pub fn to_value(self) -> Value {
        match self.kind() {
            Kind::Null => Value::Null,
            Kind::False => Value::Bool(false),
            Kind::True => Value::Bool(true),
            Kind::PosInt | Kind::NegInt | Kind::Float => self.as_number().map_or(Value::Null, Value::Number),
            Kind::String => Value::String(self.tree.string(self.index as usize).to_owned()),
            Kind::Array => Value::Array(self.children().map(ValueRef::to_value).collect()),
            Kind::Object => {
                let mut map = Map::with_capacity(self.node().b as usize);
                map.extend(self.children().map(|v| (v.key().to_owned(), v.to_value())));
                Value::Object(map)
            }
        }
    }
}

/// The children of an object or array, in order.
#[derive(Debug, Clone)]
pub struct Children<'a> {
    tree: &'a Tree<'a>,
    next: u32,
    end: u32,
}

impl<'a> Iterator for Children<'a> {
    type Item = ValueRef<'a>;

    #[inline]
    fn next(&mut self) -> Option<ValueRef<'a>> {
        (self.next < self.end).then(|| {
            self.next += 1;
            ValueRef { tree: self.tree, index: self.next - 1 }
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = (self.end - self.next) as usize;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<ValueRef<'a>> {
        self.next = self.next.saturating_add(u32::try_from(n).unwrap_or(u32::MAX)).min(self.end);
        self.next()
    }
}

impl DoubleEndedIterator for Children<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        (self.next < self.end).then(|| {
            self.end -= 1;
            ValueRef { tree: self.tree, index: self.end }
        })
    }
}

impl ExactSizeIterator for Children<'_> {}

/// An object of a parsed text.
#[derive(Clone)]
pub struct ObjectRef<'a> {
    children: Children<'a>,
}

impl fmt::Debug for ObjectRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> ObjectRef<'a> {
    /// The number of members.
    pub fn len(&self) -> usize {
        self.children.len()
    }

    /// Whether the object has no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The member `key`.
    pub fn get(&self, key: &str) -> Option<ValueRef<'a>> {
        let Children { tree, next, end } = self.children;
        tree.find(next, end - next, key).map(|index| ValueRef { tree, index })
    }

    /// Whether the object has a member `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The members, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&'a str, ValueRef<'a>)> + ExactSizeIterator + 'a {
        self.children.clone().map(|v| (v.key(), v))
    }

    /// The member names, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &'a str> + ExactSizeIterator + 'a {
        self.children.clone().map(ValueRef::key)
    }

    /// The members' values, in order.
    pub fn values(&self) -> Children<'a> {
        self.children.clone()
    }
}

/// An array of a parsed text.
#[derive(Clone)]
pub struct ArrayRef<'a> {
    children: Children<'a>,
}

impl fmt::Debug for ArrayRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> ArrayRef<'a> {
    /// The number of elements.
    pub fn len(&self) -> usize {
        self.children.len()
    }

    /// Whether the array has no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The element at `index`.
    pub fn get(&self, index: usize) -> Option<ValueRef<'a>> {
        self.children.clone().nth(index)
    }

    /// The first element.
    pub fn first(&self) -> Option<ValueRef<'a>> {
        self.get(0)
    }

    /// The elements, in order.
    pub fn iter(&self) -> Children<'a> {
        self.children.clone()
    }
}

impl<'a> IntoIterator for ArrayRef<'a> {
    type Item = ValueRef<'a>;
    type IntoIter = Children<'a>;

    fn into_iter(self) -> Children<'a> {
        self.children
    }
}

impl<'a> IntoIterator for &ArrayRef<'a> {
    type Item = ValueRef<'a>;
    type IntoIter = Children<'a>;

    fn into_iter(self) -> Children<'a> {
        self.children.clone()
    }
}

/// Finds the values of JSON Pointers that come mostly in document order (a validator's errors):
/// each from the deepest value it shares with the previous pointer, not from the root (the
/// search from the root was a tenth of checking a document with an error in every activity).
/// The answers are [`ValueRef::at`]'s.
#[derive(Debug)]
pub(crate) struct PointerCursor<'a> {
    root: ValueRef<'a>,
    /// The previous pointer.
    last: String,
    /// The values the previous pointer went through, each with where its segment ends in it.
    path: Vec<(usize, ValueRef<'a>)>,
}

impl<'a> PointerCursor<'a> {
    pub(crate) fn new(root: ValueRef<'a>) -> Self {
        PointerCursor { root, last: String::new(), path: Vec::new() }
    }

    /// The root the pointers are read from.
    pub(crate) fn root(&self) -> ValueRef<'a> {
        self.root
    }

    /// The value `pointer` names under the root.
    pub(crate) fn at(&mut self, pointer: &str) -> Option<ValueRef<'a>> {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return None;
        }
        let common = common_prefix(self.last.as_bytes(), pointer.as_bytes());
        // A value on the previous way is on this one when its segment ends inside the shared
        // text, where a segment of this pointer ends too.
        while let Some(&(end, _)) = self.path.last() {
            if end <= common && matches!(pointer.as_bytes().get(end), None | Some(b'/')) {
                break;
            }
            self.path.pop();
        }
        self.last.clear();
        self.last.push_str(pointer);
        let (mut at, mut value) = self.path.last().copied().unwrap_or((0, self.root));
        while at < pointer.len() {
            let rest = &pointer[at + 1..];
            let end = at + 1 + memchr::memchr(b'/', rest.as_bytes()).unwrap_or(rest.len());
            let segment = segments(&pointer[at..end]).next().unwrap_or_default();
            value = value.step(&segment)?;
            self.path.push((end, value));
            at = end;
        }
        Some(value)
    }
}

/// The length of the longest common prefix of two byte strings, compared a word at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let word = |chunk: &[u8]| chunk.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w));
    let mut i = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let diff = word(x) ^ word(y);
        if diff != 0 {
            return i + (diff.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + a[i..].iter().zip(&b[i..]).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::JsonText;

    #[test]
    fn the_common_prefix_is_counted_across_words() {
        let a = b"/activities/12/properties/destination/writeBehavior";
        for len in 0..=a.len() {
            for at in 0..len {
                let mut b = a[..len].to_vec();
                b[at] = b'#';
                assert_eq!(common_prefix(a, &b), at, "{len} {at}");
                assert_eq!(common_prefix(&b, a), at, "{len} {at}");
            }
            assert_eq!(common_prefix(a, &a[..len]), len);
            assert_eq!(common_prefix(&a[..len], a), len);
        }
    }

    #[test]
    fn a_cursor_finds_what_at_finds_in_any_order() {
        let text = r#"{"a": {"b": [10, {"c": 1, "c/d": 2, "c~": 3}], "bc": 4, "": {"": 5}},
                      "a~b": 6, "list": [[0, 1], [2, [3]]]}"#;
        let json = JsonText::parse(text, None, &mut Vec::new());
        let root = json.root().expect("parsed");
        let pointers = [
            "",
            "/a",
            "/a/b",
            "/a/b/1/c",
            "/a/b/1/c~1d",
            "/a/b/1/c~0",
            "/a/bc",
            "/a/b/0",
            "/a/b/01",
            "/a/b/2",
            "/a/b/1/x",
            "/a//",
            "/a/",
            "/a~0b",
            "/a~1b",
            "/list/1/1/0",
            "/list/1/1",
            "/list/0/1",
            "/list/-",
            "a",
            "/a/b/1/c/d",
            "/a/b/1",
            "/nothing/a",
            "/a/bc/x",
            "/a/b/1/c",
        ];
        let mut cursor = PointerCursor::new(root);
        // In order, backwards, and in a scrambled order.
        let order = (0..pointers.len())
            .chain((0..pointers.len()).rev())
            .chain((0..60).map(|i| i * 7 % pointers.len()));
        for i in order {
            let pointer = pointers[i];
            let found = cursor.at(pointer).map(ValueRef::index);
            assert_eq!(found, root.at(pointer).map(ValueRef::index), "{pointer}");
        }
        assert_eq!(cursor.at("/a/b/1/c~1d").and_then(ValueRef::as_u64), Some(2));
        assert_eq!(cursor.at("/a//").and_then(ValueRef::as_u64), Some(5));
    }
}
