//! Every input a fuzz target crashed on (`fuzz/regressions/<target>/`), replayed through the
//! invariants of `support/invariants.rs` in the normal test run. Inputs are taken as the target
//! took them: bytes as a document (and as each part file), or, for `near_valid`, as the
//! generator's bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/generate.rs"]
mod generate;
#[path = "support/invariants.rs"]
mod invariants;

use copyjob::{Checker, Source};

use std::path::Path;

#[test]
fn fuzz_crashes_stay_fixed() {
    let checker = Checker::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&root).expect("fuzz/regressions").flatten() {
        if !target.path().is_dir() {
            continue;
        }
        let name = target.file_name().to_string_lossy().into_owned();
        for input in std::fs::read_dir(target.path()).unwrap().flatten() {
            let bytes = std::fs::read(input.path()).unwrap();
            if name == "check_kinds" {
                // The first byte picks the kind, as in the target.
                let Some((&which, rest)) = bytes.split_first() else { continue };
                let kind = invariants::KINDS[usize::from(which) % invariants::KINDS.len()];
                let report = checker.check_document_as(Some(kind), rest);
                invariants::check_report_of(
                    &report,
                    &Source::Document { name: None, kind: None, bytes: rest.to_vec() },
                );
            }
            let sources = if name == "near_valid" {
                generate::source(&mut arbitrary::Unstructured::new(&bytes)).into_iter().collect()
            } else {
                [None, Some("copyjob-content.json"), Some(".platform")]
                    .map(|n| Source::Document {
                        name: n.map(str::to_owned),
                        kind: None,
                        bytes: bytes.clone(),
                    })
                    .to_vec()
            };
            for source in &sources {
                invariants::check_source(&checker, source);
            }
            replayed += 1;
        }
    }
    println!("{replayed} fuzz regressions replayed");
}

/// Found by the `item_folder` smoke: an item folder given `.platform` twice (an empty file and one
/// that is not UTF-8). The diagnostic of the second must not be judged against the first's text.
#[test]
fn an_item_folder_with_a_file_given_twice() {
    let files = vec![
        copyjob::ItemFile::new(".platform", Vec::new()),
        copyjob::ItemFile::new(".platform", vec![0xAE, b'x']),
    ];
    invariants::check_source(&Checker::new(), &Source::Folder(files));
}
