//! fix: any bytes, as a part file or a document; idempotent, changes only what it says.
#![no_main]

mod common;

use common::{checker, invariants};
use copyjob::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in [Some("copyjob-content.json"), Some(".platform"), None] {
        let source = Source::Document { name: name.map(str::to_owned), kind: None, bytes: data.to_vec() };
        let report = checker().check(&source, &copyjob::Config::default());
        invariants::check_fix(checker(), &source, &report);
    }
});
