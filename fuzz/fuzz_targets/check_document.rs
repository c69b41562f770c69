//! Any bytes as a document of any shape (the shape is recognised from its keys), or as a file
//! named like a part: ranges, UTF-16 figures and pack/unpack hold.
#![no_main]

mod common;

use common::{checker, invariants};
use copyjob::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in [None, Some("copyjob-content.json"), Some(".platform")] {
        let source = Source::Document { name: name.map(str::to_owned), kind: None, bytes: data.to_vec() };
        let report = checker().check(&source, &copyjob::Config::default());
        invariants::check_report_of(&report, &source);
        invariants::check_unpack_pack(checker(), &source, &report);
    }
});
