//! Property tests: the invariants of `support/invariants.rs` over generated definitions —
//! near-valid ones built by `support/generate.rs` from proptest's bytes (so the lint rules are
//! reached), arbitrary bytes in every input kind, and arbitrary base64 payloads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/generate.rs"]
mod generate;
#[path = "support/invariants.rs"]
mod invariants;

use arbitrary::Unstructured;
use copyjob::codec::{decode_base64, encode_base64};
use copyjob::{Checker, DocumentKind, ItemFile, Source};
use proptest::prelude::*;
use std::sync::OnceLock;

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(Checker::new)
}

fn config() -> ProptestConfig {
    // Enough cases to reach every shape and most rules; the fuzz targets go further.
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

const KINDS: [Option<DocumentKind>; 7] = [
    None,
    Some(DocumentKind::CreateRequest),
    Some(DocumentKind::UpdateRequest),
    Some(DocumentKind::DefinitionBody),
    Some(DocumentKind::Definition),
    Some(DocumentKind::Content),
    Some(DocumentKind::Platform),
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn near_valid_definitions_hold_every_invariant(seed in proptest::collection::vec(any::<u8>(), 64..2048)) {
        let mut u = Unstructured::new(&seed);
        if let Ok(source) = generate::source(&mut u) {
            invariants::check_source(checker(), &source);
        }
    }

    #[test]
    fn any_text_in_every_kind(text in "\\PC{0,64}|[{}\\[\\]\":,0-9a-zA-Z \\n\\r\\t\\\\é😀]{0,200}", kind in 0..KINDS.len()) {
        let report = checker().check_document_as(KINDS[kind], text.as_bytes());
        invariants::check_report_of(&report, &Source::Document { name: None, kind: None, bytes: text.clone().into_bytes() });
        invariants::check_source(checker(), &Source::Document { name: None, kind: None, bytes: text.into_bytes() });
    }

    #[test]
    fn any_bytes_as_item_folders(content in proptest::collection::vec(any::<u8>(), 0..256),
                                 platform in proptest::collection::vec(any::<u8>(), 0..256)) {
        let files = vec![ItemFile::new("copyjob-content.json", content), ItemFile::new(".platform", platform)];
        invariants::check_source(checker(), &Source::Folder(files));
    }

    #[test]
    fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let payload = encode_base64(&bytes);
        prop_assert_eq!(decode_base64(&payload), Ok((bytes.clone(), true)));
        let unpadded = payload.trim_end_matches('=');
        prop_assert_eq!(decode_base64(unpadded), Ok((bytes, unpadded.len().is_multiple_of(4))));
    }

    #[test]
    fn a_payload_that_decodes_packs_back_to_itself(payload in "[A-Za-z0-9+/=]{0,40}") {
        match decode_base64(&payload) {
            Ok((bytes, true)) => prop_assert_eq!(encode_base64(&bytes), payload),
            Ok((bytes, false)) => {
                let packed = encode_base64(&bytes);
                prop_assert_eq!(packed.trim_end_matches('='), payload.trim_end_matches('='));
            }
            Err(problem) => {
                prop_assert!(problem.offset + problem.len <= payload.len());
                prop_assert!(payload.is_char_boundary(problem.offset));
            }
        }
    }
}

/// The generator reaches the lint rules (a property test over definitions that never reach them
/// would prove little).
#[test]
fn the_generator_reaches_the_rules() {
    let mut codes = std::collections::BTreeSet::new();
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..400 {
        let seed: Vec<u8> = (0..1024)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng as u8
            })
            .collect();
        let Ok(source) = generate::source(&mut Unstructured::new(&seed)) else { continue };
        codes.extend(
            checker().check(&source, &copyjob::Config::default()).diagnostics.into_iter().map(|d| d.code),
        );
    }
    let lint = codes.iter().filter(|c| c.starts_with("lint/")).count();
    assert!(lint >= 10, "only {lint} lint rules reached: {codes:?}");
    for group in ["envelope/", "codec/", "json/", "schema/"] {
        assert!(codes.iter().any(|c| c.starts_with(group)), "no {group} diagnostic: {codes:?}");
    }
}
