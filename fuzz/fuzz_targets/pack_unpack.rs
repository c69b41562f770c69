//! pack ∘ unpack: any files packed into a definition body unpack to the same bytes, and every
//! payload of that body decodes and re-encodes to itself.
#![no_main]

mod common;

use common::{checker, invariants};
use copyjob::{pack, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|files: Vec<(String, Vec<u8>)>| {
    let files: Vec<(String, Vec<u8>)> = files.into_iter().take(4).collect();
    let definition = pack(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    assert_eq!(definition.parts.len(), files.len());
    let body = serde_json::to_vec(&serde_json::json!({ "definition": definition })).expect("serialises");
    let source = Source::Document { name: None, kind: None, bytes: body };
    let report = checker().check(&source, &copyjob::Config::default());
    invariants::check_report_of(&report, &source);
    invariants::check_unpack_pack(checker(), &source, &report);
    for (path, bytes) in &files {
        if files.iter().filter(|(p, _)| p == path).count() == 1 {
            if let Some(part) = report.part(path) {
                assert_eq!(&part.bytes, bytes, "{path}");
            }
        }
    }
});
