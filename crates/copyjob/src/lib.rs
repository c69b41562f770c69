//! Pack, unpack, validate and lint Microsoft Fabric **Copy job** definitions.
//!
//! A Copy job definition travels through the Fabric REST API as parts — `copyjob-content.json`
//! and `.platform` — each a base64 `InlineBase64` payload. This crate reads a definition in every
//! shape users have it (a getDefinition response, an updateDefinition or create request body, a
//! bare `{parts}` envelope, a Git item folder, or a single part), decodes the parts, validates
//! them against JSON Schemas, and reports every problem as a positioned [`Diagnostic`]. Problems
//! in a document are never errors or panics.
//!
//! The crate does no I/O and builds for `wasm32-unknown-unknown`.
//!
//! ```
//! let checker = copyjob::Checker::new();
//! let report = checker.check_file(
//!     "copyjob-content.json",
//!     br#"{
//!   "properties": {
//!     "jobMode": "Batchh"
//!   },
//!   "activities": []
//! }"#,
//! );
//! let d = &report.diagnostics[0];
//! assert_eq!(d.code, "schema/invalid-value");
//! assert_eq!((d.range.start.line, d.range.start.column), (3, 16));
//! assert_eq!(d.pointer, "/properties/jobMode");
//! ```

mod check;
pub mod codec;
pub mod codes;
mod config;
pub mod connectors;
mod diagnostic;
pub mod json;
pub mod lint;
mod model;
mod rewrite;
pub mod schema;
pub mod suggest;

pub use check::{Checker, DocumentKind, Part, Report, ReportIndex};
pub use codes::{all_codes, find_code, CodeInfo, Group};
pub use config::{Config, RuleLevel, UnknownCode};
pub use diagnostic::{part_name, Diagnostic, Fix, LineIndex, Position, Range, Severity, TextEdit};
pub use model::{
    pack, CreateRequest, Definition, DefinitionBody, DefinitionPart, ItemFile, CONTENT_PART, INLINE_BASE64,
    KNOWN_PARTS, PLATFORM_PART,
};
pub use rewrite::{apply_edits, apply_fixes, format_parts, format_text, Rewrite, Rewritten, Source};
pub use schema::{SchemaId, Schemas};

/// The version of this crate.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
