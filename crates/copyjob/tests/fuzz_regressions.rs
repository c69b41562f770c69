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
            let sources = if name == "near_valid" {
                generate::source(&mut arbitrary::Unstructured::new(&bytes)).into_iter().collect()
            } else {
                [None, Some("copyjob-content.json"), Some(".platform")]
                    .map(|n| Source::Document { name: n.map(str::to_owned), bytes: bytes.clone() })
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
