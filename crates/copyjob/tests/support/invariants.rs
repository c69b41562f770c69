//! Invariants every input must satisfy, asserted by the property tests
//! (`crates/copyjob/tests/properties.rs`) and inside the fuzz targets (`fuzz/`):
//!
//! - checking never panics;
//! - every diagnostic's range (and every fix edit's) lies inside the text it refers to, on
//!   character boundaries, and its line, column and UTF-16 figures agree with the byte offset;
//! - `pack(unpack(x)) == x` for every payload that decodes (padded payloads byte for byte), and
//!   unpacking a packed folder gives back its files;
//! - `format` is idempotent and keeps every part's JSON value;
//! - `fix` is idempotent, reports a change exactly when it changes something, and changes a
//!   part's JSON value only at the places its fixes name.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use copyjob::codec::{decode_base64, encode_base64};
use copyjob::{apply_fixes, pack, Checker, Diagnostic, DocumentKind, Part, Position, Range, Report, Source};
use serde_json::Value;

/// The kinds a document can be checked as when forced (`check_document_as`): the `check_kinds`
/// fuzz target picks one with its first byte, in this order, and its regressions replay so.
pub const KINDS: [DocumentKind; 6] = [
    DocumentKind::CreateRequest,
    DocumentKind::UpdateRequest,
    DocumentKind::DefinitionBody,
    DocumentKind::Definition,
    DocumentKind::Content,
    DocumentKind::Platform,
];

/// Every invariant, on one source.
pub fn check_source(checker: &Checker, source: &Source) {
    let report = checker.check(source, &copyjob::Config::default());
    check_report_of(&report, source);
    check_unpack_pack(checker, source, &report);
    check_format(checker, source, &report);
    check_fix(checker, source, &report);
}

/// The ranges of a report's diagnostics and of their fixes.
pub fn check_report(report: &Report) {
    check_ranges(report, None);
}

/// [`check_report`], knowing the source (the bytes of a document that is not text).
pub fn check_report_of(report: &Report, source: &Source) {
    let len = match source {
        Source::Document { bytes, .. } => Some(bytes.len()),
        Source::Folder(_) => None,
    };
    check_ranges(report, len);
}

fn check_ranges(report: &Report, document_len: Option<usize>) {
    for d in &report.diagnostics {
        check_code(d);
        if let Some(path) = d.part.as_deref() {
            let same: Vec<&copyjob::Part> = report.parts.iter().filter(|p| p.path == path).collect();
            if same.len() > 1 {
                // Several parts share the path (an item folder given the same file twice): the
                // diagnostic is in one of them.
                assert!(same.iter().any(|p| fits(p, d)), "range in none of the parts named {path}: {d:?}");
                continue;
            }
        }
        match text_of(report, d) {
            Some(text) => {
                check_range(text, &d.range, d);
                for edit in d.fix.iter().flat_map(|f| &f.edits) {
                    check_range(text, &edit.range, d);
                }
            }
            None => {
                // A part that is not text: the range is in its bytes (or empty).
                let len = match d.part.as_deref() {
                    Some(p) => report.part(p).map_or(0, |p| p.bytes.len()),
                    None => document_len.unwrap_or(0),
                };
                assert!(d.range.start.offset <= d.range.end.offset, "{d:?}");
                assert!(d.range.end.offset as usize <= len, "range past the bytes: {d:?}");
                assert!(d.fix.is_none(), "a fix on a part that is not text: {d:?}");
            }
        }
    }
}

/// Whether a diagnostic's range (and fix) lies inside one part: its text, or its bytes.
fn fits(part: &copyjob::Part, d: &Diagnostic) -> bool {
    let (start, end) = (d.range.start.offset as usize, d.range.end.offset as usize);
    match part.text() {
        Some(text) => {
            start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
        }
        None => start <= end && end <= part.bytes.len() && d.fix.is_none(),
    }
}

fn text_of<'r>(report: &'r Report, d: &Diagnostic) -> Option<&'r str> {
    match &d.part {
        Some(_) => report.text_of(d),
        None => report.source.as_deref(),
    }
}

fn check_code(d: &Diagnostic) {
    let (group, name) = d.code.split_once('/').unwrap_or_else(|| panic!("code without a group: {d:?}"));
    assert!(["envelope", "codec", "json", "schema", "lint"].contains(&group), "{d:?}");
    assert!(
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "code not kebab-case: {d:?}"
    );
    assert!(!d.message.is_empty(), "{d:?}");
    assert!(d.pointer.is_empty() || d.pointer.starts_with('/'), "pointer: {d:?}");
}

fn check_range(text: &str, range: &Range, d: &Diagnostic) {
    let (start, end) = (range.start.offset as usize, range.end.offset as usize);
    assert!(
        start <= end && end <= text.len(),
        "range {start}..{end} outside the text ({}): {d:?}",
        text.len()
    );
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "range not on characters: {d:?}");
    assert_eq!(range.start, position(text, start), "start position of {d:?}");
    assert_eq!(range.end, position(text, end), "end position of {d:?}");
}

/// The position of a byte offset, computed the slow, obvious way (`\n`, `\r\n` and a lone `\r`
/// end a line).
pub fn position(text: &str, offset: usize) -> Position {
    let bytes = text.as_bytes();
    let (mut line, mut line_start) = (1usize, 0usize);
    for (i, &b) in bytes[..offset].iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let in_line = &text[line_start..offset];
    let n = |x: usize| u32::try_from(x).unwrap();
    Position {
        line: n(line),
        column: n(in_line.chars().count() + 1),
        offset: n(offset),
        utf16_column: n(in_line.encode_utf16().count() + 1),
        utf16_offset: n(text[..offset].encode_utf16().count()),
    }
}

/// Unpacking then packing gives the payloads back; packing a folder then unpacking gives its files.
pub fn check_unpack_pack(checker: &Checker, source: &Source, report: &Report) {
    for part in &report.parts {
        let Some(payload) = &part.payload else { continue };
        let Ok((bytes, padded)) = decode_base64(payload) else { continue };
        assert_eq!(bytes, part.bytes, "the part's bytes are its payload's");
        let packed = pack([(part.path.as_str(), part.bytes.as_slice())]);
        assert_eq!(packed.parts.len(), 1);
        assert_eq!(packed.parts[0].path, part.path);
        assert_eq!(packed.parts[0].payload_type, "InlineBase64");
        let repacked = &packed.parts[0].payload;
        if padded {
            assert_eq!(repacked, payload, "pack(unpack(payload)) differs");
        } else {
            // Unpadded, or partly padded (`Ig=`): the same quanta, padded in full.
            assert_eq!(repacked.trim_end_matches('='), payload.trim_end_matches('='), "unpadded payload");
        }
        assert_eq!(encode_base64(&bytes), *repacked);
    }
    if let Source::Folder(files) = source {
        let definition = pack(files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())));
        let body = serde_json::to_vec(&serde_json::json!({ "definition": definition })).unwrap();
        let unpacked = checker.check_document(&body);
        for file in files {
            if files.iter().filter(|f| f.path == file.path).count() > 1 {
                continue;
            }
            let part = unpacked.part(&file.path).unwrap_or_else(|| panic!("{} lost by pack", file.path));
            assert_eq!(part.bytes, file.bytes, "unpack(pack(files)) differs for {}", file.path);
        }
    }
}

/// Formatting twice changes nothing more, and keeps every part's JSON value.
pub fn check_format(checker: &Checker, source: &Source, report: &Report) {
    let once = checker.format(source);
    assert_eq!(once.changed, once.source != *source, "format: `changed` is wrong");
    assert_eq!(once.changed, !once.changes.is_empty(), "format: a change without its description: {once:?}");
    let twice = checker.format(&once.source);
    assert!(!twice.changed, "format is not idempotent: {:?}", twice.changes);
    if once.changed {
        let after = checker.check(&once.source, &copyjob::Config::default());
        for part in &report.parts {
            let Some(value) = part.value() else { continue };
            let formatted = after.part(&part.path).and_then(Part::value);
            assert_eq!(formatted, Some(value), "format changed the value of {}", part.path);
        }
    }
}

/// Fixing twice changes nothing more; a fix changes a part's value only where it says.
pub fn check_fix(checker: &Checker, source: &Source, report: &Report) {
    let fixed = checker.fix(source, &copyjob::Config::default());
    assert_eq!(fixed.changed, fixed.source != *source, "fix: `changed` is wrong");
    if !fixed.changed {
        assert!(fixed.changes.is_empty(), "fix reports changes it did not make: {:?}", fixed.changes);
        return;
    }
    assert!(!fixed.changes.is_empty(), "fix changed the source without saying so");
    let again = checker.fix(&fixed.source, &copyjob::Config::default());
    assert!(!again.changed, "fix is not idempotent: {:?}", again.changes);

    // Where the fixes said they would change something, pass by pass.
    let mut fixed_at: Vec<(Option<String>, String)> = Vec::new();
    let mut current = source.clone();
    let mut pass_report = report.clone();
    for _ in 0..16 {
        let rewrites = apply_fixes(&pass_report);
        if rewrites.is_empty() {
            break;
        }
        fixed_at.extend(
            pass_report
                .diagnostics
                .iter()
                .filter(|d| d.fix.is_some())
                .map(|d| (d.part.as_deref().map(str::to_owned), d.pointer.clone())),
        );
        for rewrite in rewrites {
            match (&mut current, rewrite.part) {
                (Source::Folder(files), Some(path)) => {
                    if let Some(file) = files.iter_mut().find(|f| f.path == path) {
                        file.bytes = rewrite.text.into_bytes();
                    }
                }
                (Source::Document { bytes, .. }, _) => *bytes = rewrite.text.into_bytes(),
                (Source::Folder(_), None) => {}
            }
        }
        pass_report = checker.check(&current, &copyjob::Config::default());
    }
    assert_eq!(current, fixed.source, "fix differs from its passes replayed");

    let after = checker.check(&fixed.source, &copyjob::Config::default());
    let document_part = report.parts.is_empty();
    let compare: Vec<(Option<String>, Option<Value>, Option<Value>)> = if document_part {
        vec![(None, report.document(), after.document())]
    } else {
        report
            .parts
            .iter()
            .map(|p| (Some(p.path.clone()), p.value(), after.part(&p.path).and_then(Part::value)))
            .collect()
    };
    for (part, before, now) in compare {
        let (Some(before), Some(now)) = (before, now) else { continue };
        let mut changed = Vec::new();
        diff(&before, &now, String::new(), &mut changed);
        for pointer in changed {
            let said = fixed_at.iter().any(|(p, q)| {
                (document_part || *p == part) && (*q == pointer || q.starts_with(&format!("{pointer}/")))
            });
            assert!(said, "fix changed {part:?} at {pointer:?}, where no fix applied ({fixed_at:?})");
        }
    }
}

/// The JSON Pointers where two values differ (an object whose keys differ counts as one place).
pub fn diff(a: &Value, b: &Value, pointer: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() && x.keys().all(|k| y.contains_key(k)) => {
            for (k, v) in x {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                diff(v, &y[k], format!("{pointer}/{escaped}"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff(v, w, format!("{pointer}/{i}"), out);
            }
        }
        _ if a == b => {}
        _ => out.push(pointer),
    }
}
