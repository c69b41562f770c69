//! Any string as a base64 payload: a problem's range is inside the payload, on characters;
//! a payload that decodes encodes back to itself (padded) or to itself plus padding.
#![no_main]

use copyjob::codec::{decode_base64, decode_text, encode_base64};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|payload: &str| {
    match decode_base64(payload) {
        Ok((bytes, padded)) => {
            let encoded = encode_base64(&bytes);
            if padded {
                assert_eq!(encoded, payload);
            } else {
                assert_eq!(encoded.trim_end_matches('='), payload.trim_end_matches('='));
                assert!(encoded.len() > payload.len() || payload.ends_with('='));
            }
            if let Err(copyjob::codec::TextProblem::InvalidUtf8 { valid_up_to }) = decode_text(&bytes) {
                assert!(valid_up_to < bytes.len());
                assert!(std::str::from_utf8(&bytes[..valid_up_to]).is_ok());
            }
        }
        Err(problem) => {
            assert!(problem.offset + problem.len <= payload.len(), "{problem:?}");
            assert!(payload.is_char_boundary(problem.offset), "{problem:?}");
            assert!(payload.is_char_boundary(problem.offset + problem.len), "{problem:?}");
            assert!(!problem.message.is_empty() && !problem.help.is_empty());
        }
    }
});
