//! Shared by the fuzz targets: one checker per process and the project's invariants.
#![allow(dead_code)]

#[path = "../../crates/copyjob/tests/support/invariants.rs"]
pub mod invariants;

use copyjob::Checker;
use std::sync::OnceLock;

/// The checker (it compiles the schemas once).
pub fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(Checker::new)
}
