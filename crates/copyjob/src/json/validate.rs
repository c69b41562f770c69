//! The tree as an instance representation of the `jsonschema` crate: the schemas validate a
//! parsed text in place, with no `serde_json::Value` copy of it.

use super::value::{Children, Kind, ValueRef};
use super::Tree;
use jsonschema::json::{Array, Json, JsonNumber, Node, NodeIdentity, Object};
use jsonschema::JsonType;
use serde_json::{Number, Value};
use std::borrow::Cow;

/// The representation: instances are [`ValueRef`]s.
pub(crate) struct Arena;

impl Json for Arena {
    type Node<'a> = ValueRef<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();

    // Objects up to `SMALL_OBJECT` members are searched in order, so a pass over the members
    // costs about what a lookup does.
    const KEYS_PER_LOOKUP: usize = 4;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(ValueRef<'_>) -> T) -> T {
        let tree = Tree::single_string(string);
        f(tree.root())
    }
}

/// A number of the tree.
pub(crate) struct Num(Number);

impl JsonNumber for Num {
    fn as_u64(&self) -> Option<u64> {
        self.0.as_u64()
    }

    fn as_i64(&self) -> Option<i64> {
        self.0.as_i64()
    }

    fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Owned(self.0.to_string())
    }

    fn to_number(&self) -> Cow<'_, Number> {
        Cow::Borrowed(&self.0)
    }

    fn is_integer(&self) -> bool {
        self.0.is_u64() || self.0.is_i64() || self.0.as_f64().is_some_and(|f| f.fract() == 0.0)
    }

    fn is_written_as_integer(&self) -> bool {
        self.0.is_u64() || self.0.is_i64()
    }
}

/// The value a validation error reports, built from the text only if the error is read.
fn from_text(bytes: &[u8], _: u32) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

impl<'a> Node<'a, Arena> for ValueRef<'a> {
    type Object = ObjectNode<'a>;
    type Array = ArrayNode<'a>;
    type Number = Num;

    fn as_object(&self) -> Option<ObjectNode<'a>> {
        (self.kind() == Kind::Object).then_some(ObjectNode(*self))
    }

    fn as_array(&self) -> Option<ArrayNode<'a>> {
        (self.kind() == Kind::Array).then_some(ArrayNode(*self))
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        ValueRef::as_str(*self).map(Cow::Borrowed)
    }

    fn as_number(&self) -> Option<Num> {
        ValueRef::as_number(*self).map(Num)
    }

    fn as_boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    fn is_number(&self) -> bool {
        matches!(self.kind(), Kind::PosInt | Kind::NegInt | Kind::Float)
    }

    fn is_string(&self) -> bool {
        self.kind() == Kind::String
    }

    fn json_type(&self) -> JsonType {
        match self.kind() {
            Kind::Null => JsonType::Null,
            Kind::False | Kind::True => JsonType::Boolean,
            Kind::PosInt | Kind::NegInt | Kind::Float => JsonType::Number,
            Kind::String => JsonType::String,
            Kind::Array => JsonType::Array,
            Kind::Object => JsonType::Object,
        }
    }

    fn string_length(&self) -> Option<u64> {
        // Code points: every byte but UTF-8 continuation bytes.
        ValueRef::as_str(*self).map(|s| s.bytes().filter(|b| b & 0xC0 != 0x80).count() as u64)
    }

    fn string_length_within(&self, min: u64, max: u64) -> Option<bool> {
        let s = ValueRef::as_str(*self)?;
        // A code point takes one to four bytes, so the count lies in `ceil(bytes / 4)..=bytes`.
        let bytes = s.len() as u64;
        if bytes < min || bytes.div_ceil(4) > max {
            return Some(false);
        }
        if bytes <= max && bytes.div_ceil(4) >= min {
            return Some(true);
        }
        self.string_length().map(|n| (min..=max).contains(&n))
    }

    fn equals_value(&self, expected: &Value) -> bool {
        match (self.kind(), expected) {
            (Kind::String, Value::String(s)) => ValueRef::as_str(*self) == Some(s.as_str()),
            (Kind::Null | Kind::True | Kind::False, Value::String(_)) => false,
            (Kind::Object | Kind::Array, Value::String(_) | Value::Null | Value::Bool(_)) => false,
            _ => jsonschema::json::cmp::equal(&self.to_value(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(ValueRef::to_value(*self))
    }

    fn lazy_value(&self) -> jsonschema_value::LazyInstance<'a> {
        jsonschema_value::LazyInstance::Deferred {
            bytes: self.raw().as_bytes(),
            tag: 0,
            make: from_text,
            cell: std::sync::OnceLock::new(),
        }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::tagged(std::ptr::from_ref(self.tree()) as usize, self.index()))
    }
}

/// An object, for the validator.
#[derive(Clone, Copy)]
pub(crate) struct ObjectNode<'a>(ValueRef<'a>);

impl<'a> Object<'a, Arena> for ObjectNode<'a> {
    type Node = ValueRef<'a>;
    type MemberName = &'a str;
    type MembersIter = std::iter::Map<Children<'a>, fn(ValueRef<'a>) -> (&'a str, ValueRef<'a>)>;

    fn len(&self) -> usize {
        self.0.children().len()
    }

    fn get(&self, key: &Box<str>) -> Option<ValueRef<'a>> {
        self.0.member(key)
    }

    fn members(&self) -> Self::MembersIter {
        self.0.children().map(|v| (v.key(), v))
    }
}

/// An array, for the validator.
#[derive(Clone, Copy)]
pub(crate) struct ArrayNode<'a>(ValueRef<'a>);

impl<'a> Array<'a, Arena> for ArrayNode<'a> {
    type Node = ValueRef<'a>;
    type ElementsIter = Children<'a>;

    fn len(&self) -> usize {
        self.0.children().len()
    }

    fn elements(&self) -> Children<'a> {
        self.0.children()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::JsonText;

    #[test]
    fn the_tree_keeps_the_validators_contract() {
        let text = jsonschema_value::conformance::document().to_string();
        let json = JsonText::parse(&text, None, &mut Vec::new());
        let root = json.root().expect("parsed");
        jsonschema_value::conformance::assert_conformance::<Arena>(&root);
    }

    /// An error's value is built from the text only when read, and as `serde_json` reads it.
    #[test]
    fn an_errors_value_is_read_from_the_text() {
        let text = r#"{"a": [1, {"b": "x\u00e9"}], "c": 2.5}"#;
        let json = JsonText::parse(text, None, &mut Vec::new());
        let root = json.root().expect("parsed");
        let lazy = Node::lazy_value(&root);
        let expected: Value = serde_json::from_str(text).expect("valid");
        assert_eq!(lazy.get().as_ref(), &expected);
        assert_eq!(Node::to_value(&root).as_ref(), &expected);
    }
}
