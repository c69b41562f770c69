//! Safe fixes and the formatter: new texts for the parts, and for the document carrying them.

use crate::check::{Checker, DocumentKind, Report};
use crate::codec::encode_base64;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::TextEdit;
use crate::json::{JsonText, Target};
use crate::model::ItemFile;
use std::borrow::Cow;

/// A rewritten text: a part's (`part` set), or the document's, whose changed payloads were
/// re-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// The part the text is; `None` for the checked document itself.
    pub part: Option<String>,
    /// The new text.
    pub text: String,
    /// What changed, one line per change.
    pub changes: Vec<String>,
}

/// Applies non-overlapping edits to a text (byte offsets from the edits' ranges). Edits that
/// overlap an earlier one are skipped; returns the new text and the indexes of the edits applied.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> (String, Vec<usize>) {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| (edits[i].range.start.offset, edits[i].range.end.offset));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    let mut applied = Vec::new();
    for i in order {
        let (start, end) = (edits[i].range.start.offset as usize, edits[i].range.end.offset as usize);
        if start < at || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&edits[i].new_text);
        at = end;
        applied.push(i);
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// The texts after applying every safe fix of the report's diagnostics. For a document that
/// carries its parts as base64 payloads, the fixed parts are re-encoded into the document.
/// Returns nothing when there is nothing to fix. A fix is applied once; lint the result again to
/// see what remains.
pub fn apply_fixes(report: &Report) -> Vec<Rewrite> {
    let mut parts: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut paths: Vec<Option<&str>> =
        report.diagnostics.iter().filter(|d| d.fix.is_some()).map(|d| d.part.as_deref()).collect();
    paths.dedup();
    paths.sort();
    paths.dedup();
    for path in paths {
        let Some(path) = path else { continue };
        let Some(text) = report.part(path).and_then(|p| p.text()) else { continue };
        let fixes: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.part.as_deref() == Some(path))
            .filter_map(|d| d.fix.as_ref())
            .collect();
        let edits: Vec<TextEdit> = fixes.iter().flat_map(|f| f.edits.iter().cloned()).collect();
        let (fixed, applied) = apply_edits(text, &edits);
        if fixed == text {
            continue;
        }
        // Report each fix whose edits were all applied.
        let mut changes = Vec::new();
        let mut edit_index = 0;
        for fix in &fixes {
            let range = edit_index..edit_index + fix.edits.len();
            edit_index += fix.edits.len();
            if range.clone().all(|i| applied.contains(&i)) {
                changes.push(fix.message.clone());
            }
        }
        parts.push((path.to_owned(), fixed, changes));
    }
    into_rewrites(report, parts)
}

/// The parts in the service's own formatting (see [`JsonText::formatted`]); parts that are not
/// valid JSON, or already formatted, are left out. For a document carrying base64 payloads, the
/// formatted parts are re-encoded into the document.
pub fn format_parts(report: &Report) -> Vec<Rewrite> {
    let mut parts = Vec::new();
    for part in &report.parts {
        if !crate::KNOWN_PARTS.contains(&part.path.as_str()) {
            continue;
        }
        let Some(text) = part.text() else { continue };
        let json = JsonText::parse(text, Some(&part.path), &mut Vec::new());
        let Some(formatted) = json.formatted() else { continue };
        if formatted != text {
            parts.push((part.path.clone(), formatted, vec![format!("formatted {}", part.path)]));
        }
    }
    into_rewrites(report, parts)
}

/// Formats one JSON text in the service's formatting; when it is not valid JSON, the error that
/// says why.
pub fn format_text(text: &str) -> Result<String, Box<Diagnostic>> {
    let mut problems = Vec::new();
    let json = JsonText::parse(text, None, &mut problems);
    match (json.formatted(), problems.into_iter().find(Diagnostic::is_error)) {
        (Some(formatted), _) => Ok(formatted),
        (None, Some(problem)) => Err(Box::new(problem)),
        (None, None) => Err(Box::new(json.diagnostic(
            "",
            Target::Value,
            "json/syntax",
            crate::Severity::Error,
            "not valid JSON".to_owned(),
            None::<String>,
        ))),
    }
}

/// What to check or rewrite: one document, or the files of an item folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A JSON document of any supported shape.
    Document {
        /// The file name, if any: it can say what the document is (see
        /// [`DocumentKind::from_file_name`]).
        name: Option<String>,
        /// What the document is, when the user said so; it wins over the name and the content.
        kind: Option<DocumentKind>,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// The files of a Git item folder.
    Folder(Vec<ItemFile>),
}

/// A source after fixes or formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The new content (unchanged files of a folder included).
    pub source: Source,
    /// For a folder, the paths of the files that changed.
    pub changed_files: Vec<String>,
    /// Whether anything changed.
    pub changed: bool,
    /// What changed, one line per change (`copyjob-content.json: rename …`).
    pub changes: Vec<String>,
}

/// What a document is: as the user said, or as its file name says.
fn document_kind(name: &Option<String>, kind: Option<DocumentKind>) -> Option<DocumentKind> {
    kind.or_else(|| name.as_deref().and_then(DocumentKind::from_file_name))
}

/// How many passes `fix` makes at most: fixes that overlap wait for the next pass.
const FIX_PASSES: usize = 5;

impl Checker {
    /// Checks a [`Source`] with a configuration. The report keeps a copy of the checked bytes
    /// (its parts, and the text diagnostics point into): [`Checker::check_owned`] moves them
    /// instead.
    pub fn check(&self, source: &Source, config: &Config) -> Report {
        match source {
            Source::Document { name, kind, bytes } => {
                self.document(document_kind(name, *kind), Cow::Borrowed(bytes), config)
            }
            Source::Folder(files) => self.item_folder(files.clone(), config),
        }
    }

    /// Like [`Checker::check`], but takes the source: its bytes become the report's without a
    /// copy (the memory of a large document is held once).
    pub fn check_owned(&self, source: Source, config: &Config) -> Report {
        match source {
            Source::Document { name, kind, bytes } => {
                self.document(document_kind(&name, kind), Cow::Owned(bytes), config)
            }
            Source::Folder(files) => self.item_folder(files, config),
        }
    }

    /// Applies every safe fix (of the codes `config` leaves on), checking again after each pass,
    /// until none is left.
    pub fn fix(&self, source: &Source, config: &Config) -> Rewritten {
        self.rewrite(source, config, FIX_PASSES, apply_fixes)
    }

    /// Rewrites the parts in the service's own formatting (see [`format_parts`]).
    pub fn format(&self, source: &Source) -> Rewritten {
        self.rewrite(source, &Config::default(), 1, format_parts)
    }

    fn rewrite(
        &self,
        source: &Source,
        config: &Config,
        passes: usize,
        rewrites_of: fn(&Report) -> Vec<Rewrite>,
    ) -> Rewritten {
        let mut current = source.clone();
        let mut changes = Vec::new();
        let mut changed_files: Vec<String> = Vec::new();
        for _ in 0..passes {
            let rewrites = rewrites_of(&self.check(&current, config));
            if rewrites.is_empty() {
                break;
            }
            for rewrite in rewrites {
                match (&mut current, rewrite.part) {
                    (Source::Folder(files), Some(path)) => {
                        let Some(file) = files.iter_mut().find(|f| f.path == path) else { continue };
                        file.bytes = rewrite.text.into_bytes();
                        changes.extend(rewrite.changes.into_iter().map(|c| format!("{path}: {c}")));
                        if !changed_files.contains(&path) {
                            changed_files.push(path);
                        }
                    }
                    (Source::Document { bytes, .. }, _) => {
                        *bytes = rewrite.text.into_bytes();
                        changes.extend(rewrite.changes);
                    }
                    (Source::Folder(_), None) => {}
                }
            }
        }
        let changed = current != *source;
        Rewritten { source: current, changed_files, changed, changes }
    }
}

fn into_rewrites(report: &Report, parts: Vec<(String, String, Vec<String>)>) -> Vec<Rewrite> {
    if parts.is_empty() {
        return Vec::new();
    }
    let Some(source) =
        report.source.as_deref().filter(|_| report.parts.iter().any(|p| p.payload_range.is_some()))
    else {
        return parts
            .into_iter()
            .map(|(path, text, changes)| Rewrite { part: Some(path), text, changes })
            .collect();
    };
    // Replace each changed part's payload string in the document.
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    for (path, text, part_changes) in parts {
        let Some(range) = report.part(&path).and_then(|p| p.payload_range) else { continue };
        edits.push(TextEdit { range, new_text: format!("\"{}\"", encode_base64(text.as_bytes())) });
        changes.extend(part_changes.into_iter().map(|c| format!("{path}: {c}")));
    }
    let (text, _) = apply_edits(source, &edits);
    vec![Rewrite { part: None, text, changes }]
}
