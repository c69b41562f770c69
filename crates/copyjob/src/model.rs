//! The definition envelope, exactly as the Fabric REST API reads and writes it.

use crate::codec::encode_base64;
use serde::{Deserialize, Serialize};

/// The path of the required content part.
pub const CONTENT_PART: &str = "copyjob-content.json";
/// The path of the optional platform (Git metadata) part.
pub const PLATFORM_PART: &str = ".platform";
/// The only payload type the service defines.
pub const INLINE_BASE64: &str = "InlineBase64";
/// The parts a Copy job definition may have, in the order the service writes them.
pub const KNOWN_PARTS: [&str; 2] = [CONTENT_PART, PLATFORM_PART];

/// A Copy job definition: `{format?, parts}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// The definition format; Copy jobs have a single, unnamed format, so this is normally absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The parts.
    pub parts: Vec<DefinitionPart>,
}

/// One part of a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefinitionPart {
    /// `copyjob-content.json` or `.platform`.
    pub path: String,
    /// The base64-encoded bytes of the part.
    pub payload: String,
    /// Always `InlineBase64`.
    pub payload_type: String,
}

impl DefinitionPart {
    /// Encodes a part from its bytes, exactly as they are.
    pub fn from_bytes(path: impl Into<String>, bytes: &[u8]) -> Self {
        DefinitionPart {
            path: path.into(),
            payload: encode_base64(bytes),
            payload_type: INLINE_BASE64.to_owned(),
        }
    }
}

/// `{"definition": {...}}`: the updateDefinition request body and the getDefinition response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionBody {
    /// The definition.
    pub definition: Definition,
}

/// The create request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRequest {
    /// The display name.
    pub display_name: String,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The folder to create the item in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// The definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Definition>,
}

/// A file of an item, as an item folder (`Name.CopyJob/`) holds it; the caller reads the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFile {
    /// The path relative to the item folder, with `/` separators: `copyjob-content.json`.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl ItemFile {
    /// A file from its path and bytes.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        ItemFile { path: path.into(), bytes: bytes.into() }
    }
}

/// Encodes files into a definition, byte for byte, known parts first in the service's order.
///
/// This never fails and never changes the bytes; check the files first (see
/// [`crate::Checker::check_item_folder`]) to know whether the service will accept them.
pub fn pack<'f>(files: impl IntoIterator<Item = (&'f str, &'f [u8])>) -> Definition {
    let mut parts: Vec<DefinitionPart> =
        files.into_iter().map(|(path, bytes)| DefinitionPart::from_bytes(path, bytes)).collect();
    parts.sort_by_key(|p| KNOWN_PARTS.iter().position(|k| *k == p.path).unwrap_or(KNOWN_PARTS.len()));
    Definition { format: None, parts }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known parts first, in the service's order; other files after them, in the order given.
    #[test]
    fn pack_puts_known_parts_first() {
        let packed = pack([
            ("b.txt", &b"b"[..]),
            (".platform", b"{}"),
            ("a.txt", b"a"),
            ("copyjob-content.json", b"{}"),
        ]);
        let paths: Vec<&str> = packed.parts.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["copyjob-content.json", ".platform", "b.txt", "a.txt"]);
    }
}
