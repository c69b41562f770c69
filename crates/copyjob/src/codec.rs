//! Base64 payloads and the bytes they carry.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::{DecodeError, Engine};

/// Decodes standard-alphabet base64 whether or not it is padded.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a payload could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Problem {
    /// Byte offset into the payload string of the first bad character (or of the end).
    pub offset: usize,
    /// The length of the bad input at `offset` (0 at the end of the payload).
    pub len: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// Decodes a base64 payload. `Ok((bytes, padded))`: `padded` is false when the payload lacks the
/// `=` padding the service writes.
pub fn decode_base64(payload: &str) -> Result<(Vec<u8>, bool), Base64Problem> {
    match LENIENT.decode(payload) {
        Ok(bytes) => {
            let padded = payload.len().is_multiple_of(4);
            Ok((bytes, padded))
        }
        Err(err) => Err(describe(payload, err)),
    }
}

fn describe(payload: &str, err: DecodeError) -> Base64Problem {
    let char_at = |offset: usize| payload[offset.min(payload.len())..].chars().next();
    match err {
        DecodeError::InvalidByte(offset, _) => {
            let c = char_at(offset).unwrap_or('?');
            let (message, help) = match c {
                '=' => (
                    format!("misplaced padding `=` at byte {offset} of the payload"),
                    "`=` may only appear at the end of a base64 payload; re-encode the part".to_owned(),
                ),
                '-' | '_' => (
                    format!("URL-safe base64 character `{c}` at byte {offset} of the payload"),
                    "encode with the standard base64 alphabet (`+` and `/`), not the URL-safe one".to_owned(),
                ),
                c if c.is_whitespace() => (
                    format!("whitespace at byte {offset} of the payload"),
                    "a payload is one line of base64: remove line breaks and spaces (for example `base64 -w0`)"
                        .to_owned(),
                ),
                c => (
                    format!("invalid base64 character `{}` at byte {offset} of the payload", c.escape_debug()),
                    "the payload must be the base64 encoding of the part's bytes; re-encode the part".to_owned(),
                ),
            };
            Base64Problem { offset, len: c.len_utf8(), message, help }
        }
        DecodeError::InvalidLength(len) => Base64Problem {
            offset: payload.len(),
            len: 0,
            message: format!("the payload is truncated: {len} base64 characters cannot encode whole bytes"),
            help: "the payload was probably cut off; re-encode the part".to_owned(),
        },
        DecodeError::InvalidLastSymbol { offset, .. } => Base64Problem {
            offset,
            len: char_at(offset).map_or(0, char::len_utf8),
            message: format!("invalid last base64 symbol at byte {offset} of the payload"),
            help: "the payload is corrupted or truncated; re-encode the part".to_owned(),
        },
        DecodeError::InvalidPadding => Base64Problem {
            offset: payload.trim_end_matches('=').len(),
            len: payload.len() - payload.trim_end_matches('=').len(),
            message: "invalid base64 padding at the end of the payload".to_owned(),
            help: "re-encode the part; the payload must end with at most two `=`".to_owned(),
        },
    }
}

/// Encodes bytes as the service does: standard alphabet, padded.
pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// How a part's bytes failed to be text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// Not UTF-8: the first `valid_up_to` bytes are.
    InvalidUtf8 {
        /// Length of the valid prefix, which is the offset of the first bad byte.
        valid_up_to: usize,
    },
}

/// Decodes UTF-8 text. A byte-order mark is kept in the text; see [`has_bom`].
pub fn decode_text(bytes: &[u8]) -> Result<&str, TextProblem> {
    std::str::from_utf8(bytes).map_err(|e| TextProblem::InvalidUtf8 { valid_up_to: e.valid_up_to() })
}

/// Whether the bytes start with a UTF-8 byte-order mark.
pub fn has_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xEF, 0xBB, 0xBF])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_padded_and_unpadded() {
        assert_eq!(decode_base64("QmFzZTY0U3RyaW5n"), Ok((b"Base64String".to_vec(), true)));
        assert_eq!(decode_base64("QW5vdGhlckJhc2U2NFN0cmluZw"), Ok((b"AnotherBase64String".to_vec(), false)));
    }

    #[test]
    fn reports_the_byte_offset_of_bad_input() {
        let err = decode_base64("ewog!ICJ").err();
        assert_eq!(err.as_ref().map(|e| e.offset), Some(4));
        let err = decode_base64("ewog\nICJ").err();
        assert!(err.is_some_and(|e| e.message.contains("whitespace at byte 4")));
        let err = decode_base64("ab-c").err();
        assert!(err.is_some_and(|e| e.message.contains("URL-safe")));
    }

    #[test]
    fn round_trips() {
        let s =
            "ewogICJwcm9wZXJ0aWVzIjogewogICAgImpvYk1vZGUiOiAiQmF0Y2giCiAgfSwKICAiYWN0aXZpdGllcyI6IFtdCn0=";
        let (bytes, padded) = decode_base64(s).unwrap_or_default();
        assert!(padded);
        assert_eq!(encode_base64(&bytes), s);
    }
}
