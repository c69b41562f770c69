//! Any bytes checked as each input kind, forced (envelope, request bodies, bare parts).
#![no_main]

mod common;

use common::{checker, invariants};
use copyjob::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    let kind = invariants::KINDS[usize::from(which) % invariants::KINDS.len()];
    let report = checker().check_document_as(Some(kind), bytes);
    invariants::check_report_of(&report, &Source::Document { name: None, kind: None, bytes: bytes.to_vec() });
});
