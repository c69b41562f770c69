//! Any bytes checked as each input kind, forced (envelope, request bodies, bare parts).
#![no_main]

mod common;

use common::{checker, invariants};
use copyjob::{DocumentKind, Source};
use libfuzzer_sys::fuzz_target;

const KINDS: [DocumentKind; 6] = [
    DocumentKind::CreateRequest,
    DocumentKind::UpdateRequest,
    DocumentKind::DefinitionBody,
    DocumentKind::Definition,
    DocumentKind::Content,
    DocumentKind::Platform,
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    let kind = KINDS[usize::from(which) % KINDS.len()];
    let report = checker().check_document_as(Some(kind), bytes);
    invariants::check_report_of(&report, &Source::Document { name: None, kind: None, bytes: bytes.to_vec() });
});
