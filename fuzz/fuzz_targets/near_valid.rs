//! Structure-aware: near-valid definitions built from the fuzzer's bytes (real definitions with
//! a few mutations, in every input shape, see crates/copyjob/tests/support/generate.rs), so the
//! schemas and the lint rules are reached; every invariant.
#![no_main]

mod common;

#[path = "../../crates/copyjob/tests/support/generate.rs"]
mod generate;

use common::{checker, invariants};
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if let Ok(source) = generate::source(&mut u) {
        invariants::check_source(checker(), &source);
    }
});
