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
///
/// A canonical payload (padded, or unpadded without any `=`) is decoded with SIMD
/// (`base64-simd`, several GB/s); anything it refuses — partial padding, a bad character, bad
/// trailing bits — goes to the `base64` crate, which decides and describes the problem. Both
/// accept exactly the same canonical payloads with the same bytes (a property test holds them to
/// it), so the fast path never accepts what the slow one refuses.
pub fn decode_base64(payload: &str) -> Result<(Vec<u8>, bool), Base64Problem> {
    let padded = payload.len().is_multiple_of(4);
    let simd = if padded { base64_simd::STANDARD } else { base64_simd::STANDARD_NO_PAD };
    if let Ok(bytes) = simd.decode_to_vec(payload) {
        return Ok((bytes, padded));
    }
    decode_base64_scalar(payload)
}

/// [`decode_base64`] without the SIMD fast path: the reference it is tested against.
#[doc(hidden)]
pub fn decode_base64_scalar(payload: &str) -> Result<(Vec<u8>, bool), Base64Problem> {
    match LENIENT.decode(payload) {
        Ok(bytes) => {
            let padded = payload.len().is_multiple_of(4);
            Ok((bytes, padded))
        }
        Err(err) => Err(describe(payload, err)),
    }
}

/// The start of the character holding byte `offset` (the decoder counts bytes, and may point
/// inside a multi-byte character).
fn char_start(payload: &str, offset: usize) -> usize {
    let mut offset = offset.min(payload.len());
    while !payload.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn describe(payload: &str, err: DecodeError) -> Base64Problem {
    let char_at = |offset: usize| payload[char_start(payload, offset)..].chars().next();
    match err {
        DecodeError::InvalidByte(offset, _) => {
            let offset = if offset > payload.len() { offset } else { char_start(payload, offset) };
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
            offset: if offset > payload.len() { offset } else { char_start(payload, offset) },
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

/// Encodes bytes as the service does: standard alphabet, padded (with SIMD, `base64-simd`).
pub fn encode_base64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// [`encode_base64`] with the `base64` crate: the reference it is tested against.
#[doc(hidden)]
pub fn encode_base64_scalar(bytes: &[u8]) -> String {
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

    /// The problem of a payload that must not decode, with the text its range covers.
    fn problem(payload: &str) -> (Base64Problem, &str) {
        match decode_base64(payload) {
            Ok(decoded) => panic!("{payload:?} decoded to {decoded:?}"),
            Err(p) => {
                let covered = &payload[p.offset..p.offset + p.len];
                (p, covered)
            }
        }
    }

    #[test]
    fn rejects_trailing_bits() {
        // "e30=" is `{}`; "e31=" has the same 16 bits followed by non-zero trailing bits.
        assert_eq!(decode_base64("e30="), Ok((b"{}".to_vec(), true)));
        assert_eq!(decode_base64("e30"), Ok((b"{}".to_vec(), false)));
        for bad in ["e31=", "e31", "e3/=", "QR==", "QR", "QUJDRA=x"] {
            assert!(decode_base64(bad).is_err(), "{bad:?} must not decode");
        }
        let (p, covered) = problem("e31=");
        assert_eq!((p.offset, p.len, covered), (2, 1, "1"));
        assert_eq!(p.message, "invalid last base64 symbol at byte 2 of the payload");
        assert_eq!(p.help, "the payload is corrupted or truncated; re-encode the part");
        let (p, covered) = problem("QR==");
        assert_eq!((p.offset, p.len, covered), (1, 1, "R"));
    }

    #[test]
    fn rejects_misplaced_padding() {
        let (p, covered) = problem("e3=0");
        assert_eq!((p.offset, p.len, covered), (2, 1, "="));
        assert_eq!(p.message, "misplaced padding `=` at byte 2 of the payload");
        assert_eq!(p.help, "`=` may only appear at the end of a base64 payload; re-encode the part");
        let (p, covered) = problem("=e30");
        assert_eq!((p.offset, covered), (0, "="));
        let (p, covered) = problem("e30=e30=");
        assert_eq!((p.offset, covered), (3, "="));
        assert!(p.message.starts_with("misplaced padding"));
    }

    #[test]
    fn rejects_bad_padding() {
        // Too much padding, or padding after a complete quantum: the first `=` too many is named.
        for (payload, offset) in [("e30==", 3), ("e30===", 3), ("QUJD=", 4), ("Q===", 1), ("QUJDRA===", 6)] {
            let (p, covered) = problem(payload);
            assert_eq!((p.offset, p.len, covered), (offset, 1, "="), "{payload:?}: {p:?}");
            assert_eq!(p.message, format!("misplaced padding `=` at byte {offset} of the payload"));
        }
        // Partial padding decodes, reported as unpadded (the `missing-padding` warning).
        assert_eq!(decode_base64("QQ="), Ok((b"A".to_vec(), false)));
        assert_eq!(decode_base64("QUJDRA="), Ok((b"ABCD".to_vec(), false)));
    }

    /// The decoder in `Indifferent` padding mode reports excess `=` as misplaced; an
    /// `InvalidPadding` (other padding modes) still names the padding at the end.
    #[test]
    fn describes_invalid_padding() {
        let p = describe("e30==", DecodeError::InvalidPadding);
        assert_eq!((p.offset, p.len), (3, 2));
        assert_eq!(p.message, "invalid base64 padding at the end of the payload");
        assert_eq!(p.help, "re-encode the part; the payload must end with at most two `=`");
        let p = describe("QUJD", DecodeError::InvalidPadding);
        assert_eq!((p.offset, p.len), (4, 0));
        // An offset past the end (never produced, but safe): `?`, no range.
        let p = describe("QQ", DecodeError::InvalidByte(7, b'?'));
        assert_eq!((p.offset, p.len), (7, 1));
        assert!(p.message.contains("`?`"));
    }

    #[test]
    fn rejects_truncated_payloads() {
        for (payload, len) in [("Q", 1), ("QUJDR", 5), ("e30=Q", 5)] {
            let Err(p) = decode_base64(payload) else { panic!("{payload:?} decoded") };
            if payload.contains('=') {
                assert!(p.message.starts_with("misplaced padding"), "{p:?}");
                continue;
            }
            assert_eq!((p.offset, p.len), (len, 0));
            assert_eq!(
                p.message,
                format!("the payload is truncated: {len} base64 characters cannot encode whole bytes")
            );
            assert_eq!(p.help, "the payload was probably cut off; re-encode the part");
        }
    }

    #[test]
    fn names_each_kind_of_bad_character() {
        let (p, covered) = problem("e3_0");
        assert_eq!((p.offset, p.len, covered), (2, 1, "_"));
        assert_eq!(p.message, "URL-safe base64 character `_` at byte 2 of the payload");
        assert!(p.help.contains("standard base64 alphabet"));
        let (p, covered) = problem("e30 ");
        assert_eq!((p.offset, covered), (3, " "));
        assert_eq!(p.message, "whitespace at byte 3 of the payload");
        assert!(p.help.contains("base64 -w0"));
        // A multi-byte character: the range covers all of it.
        let (p, covered) = problem("e3é0");
        assert_eq!((p.offset, p.len, covered), (2, 2, "é"));
        assert_eq!(p.message, "invalid base64 character `é` at byte 2 of the payload");
        assert_eq!(p.help, "the payload must be the base64 encoding of the part's bytes; re-encode the part");
        let (p, _) = problem("e3\"0");
        assert_eq!(p.message, "invalid base64 character `\\\"` at byte 2 of the payload");
    }

    /// Found by fuzzing (`check_kinds`): the decoder may point inside a multi-byte character;
    /// the problem is placed at its start, never a panic.
    #[test]
    fn problems_are_on_character_boundaries() {
        let mut checked = 0;
        for prefix in ["", "Q", "QQ", "QQQ", "QUJD", "QUJDR", "QUJDRA"] {
            for odd in ["м", "é", "😀", "ммм"] {
                for suffix in ["", "=", "==", "Q", "QQ", "QQ==", "QUJD"] {
                    let payload = format!("{prefix}{odd}{suffix}");
                    let Err(p) = decode_base64(&payload) else { panic!("{payload:?} decoded") };
                    assert!(payload.is_char_boundary(p.offset), "{payload:?}: {p:?}");
                    assert!(payload.is_char_boundary(p.offset + p.len), "{payload:?}: {p:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 7 * 4 * 7);
    }

    #[test]
    fn padded_means_a_multiple_of_four() {
        assert_eq!(decode_base64(""), Ok((Vec::new(), true)));
        assert_eq!(decode_base64("QQ=="), Ok((b"A".to_vec(), true)));
        assert_eq!(decode_base64("QQ"), Ok((b"A".to_vec(), false)));
        assert_eq!(decode_base64("QUI="), Ok((b"AB".to_vec(), true)));
        assert_eq!(decode_base64("QUI"), Ok((b"AB".to_vec(), false)));
    }

    #[test]
    fn text_and_bom() {
        assert_eq!(decode_text(b"{}"), Ok("{}"));
        assert_eq!(decode_text(b"{\xff}"), Err(TextProblem::InvalidUtf8 { valid_up_to: 1 }));
        assert!(has_bom(b"\xEF\xBB\xBF{}"));
        assert!(!has_bom(b"\xEF\xBB{}"));
        assert!(!has_bom(b""));
    }

    #[test]
    fn round_trips() {
        let s =
            "ewogICJwcm9wZXJ0aWVzIjogewogICAgImpvYk1vZGUiOiAiQmF0Y2giCiAgfSwKICAiYWN0aXZpdGllcyI6IFtdCn0=";
        let (bytes, padded) = decode_base64(s).unwrap_or_default();
        assert!(padded);
        assert_eq!(encode_base64(&bytes), s);
    }

    /// The SIMD fast path decides exactly as the `base64` crate: the same bytes for every payload
    /// it accepts, and the same problem for every payload it refuses (the cases where a lenient
    /// SIMD decoder would differ: trailing bits, partial or excess padding, whitespace, URL-safe
    /// characters, non-ASCII).
    #[test]
    fn simd_and_scalar_agree_on_edge_cases() {
        for payload in [
            "", "=", "==", "Q", "QQ", "QQ=", "QQ==", "QQ===", "QR==", "QR", "e31=", "e30=", "e30", "e3=",
            "QUI", "QUJ", "QUI=", "QUJ=", "QUJD", "QUJD=", "Q=Q=", "QU=I", " QUJD", "QUJD\n", "QU-D", "QU_D",
            "QU+/", "////", "++++", "é", "QUé=", "QUJDRA", "QUJDRA==", "QUJDRB==", "QUJDRA=", "QUJDREVG",
        ] {
            assert_eq!(decode_base64(payload), decode_base64_scalar(payload), "{payload:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn simd_and_scalar_agree_on_any_text(payload in "[A-Za-z0-9+/=_\\- \n\u{e9}]{0,80}") {
            proptest::prop_assert_eq!(decode_base64(&payload), decode_base64_scalar(&payload));
        }

        #[test]
        fn simd_and_scalar_agree_on_damaged_payloads(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            cut in 0usize..4,
            last in proptest::sample::select(b"AQgw/+=B".to_vec()),
        ) {
            let encoded = encode_base64(&bytes);
            proptest::prop_assert_eq!(&encoded, &encode_base64_scalar(&bytes));
            // The payload as encoded, cut short, and with its last symbol changed.
            let cut = &encoded[..encoded.len().saturating_sub(cut)];
            let mut changed = cut.to_owned();
            if changed.pop().is_some() {
                changed.push(char::from(last));
            }
            for payload in [encoded.as_str(), cut, changed.as_str(), encoded.trim_end_matches('=')] {
                proptest::prop_assert_eq!(decode_base64(payload), decode_base64_scalar(payload), "{:?}", payload);
            }
        }
    }
}
