//! format: any bytes, as a part file or a document; idempotent, keeps the JSON value.
#![no_main]

mod common;

use common::{checker, invariants};
use copyjob::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in [Some("copyjob-content.json"), None] {
        let source = Source::Document { name: name.map(str::to_owned), kind: None, bytes: data.to_vec() };
        let report = checker().check(&source, &copyjob::Config::default());
        invariants::check_format(checker(), &source, &report);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(formatted) = copyjob::format_text(text) {
            assert_eq!(copyjob::format_text(&formatted).ok().as_deref(), Some(formatted.as_str()));
            let before: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            let after: serde_json::Value = serde_json::from_str(&formatted).unwrap_or_default();
            if serde_json::from_str::<serde_json::Value>(text).is_ok() {
                assert_eq!(before, after);
            }
        }
    }
});
