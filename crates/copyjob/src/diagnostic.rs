//! The one diagnostic model used by the library, the CLI, the npm package and the emulator.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::sync::OnceLock;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The service would reject the definition, or the job would fail.
    Error,
    /// Probably a mistake, or something the service may not accept.
    Warning,
    /// Worth knowing; not a problem by itself.
    Info,
}

impl Severity {
    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A position in a text.
///
/// `line` and `column` are 1-based; `column` counts Unicode scalar values (characters) from the
/// start of the line, and `offset` is the 0-based UTF-8 byte offset into the text. The `utf16_*`
/// fields give the same position in UTF-16 code units, which is what JavaScript strings and
/// editors index by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 0-based byte offset.
    pub offset: u32,
    /// 1-based column, in UTF-16 code units.
    pub utf16_column: u32,
    /// 0-based offset, in UTF-16 code units.
    pub utf16_offset: u32,
}

/// A half-open range `[start, end)` in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Range {
    /// Where the range starts.
    pub start: Position,
    /// Where the range ends (exclusive).
    pub end: Position,
}

/// One problem found in a document.
///
/// Positions refer to the text of `part` when it is set (the decoded part, or the file of an item
/// folder), and otherwise to the document that was checked (a request or response body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable code, `group/kebab-name`, for example `schema/invalid-value`. Shared, not copied,
    /// by every diagnostic the library reports (a text read from elsewhere is owned).
    pub code: Cow<'static, str>,
    /// How serious the problem is.
    pub severity: Severity,
    /// What is wrong (shared when it is fixed text, such as a schema's `x-message`).
    pub message: Cow<'static, str>,
    /// How to fix it (shared when it is fixed text, such as a schema's or a rule's help).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Cow<'static, str>>,
    /// The definition part the problem is in (`copyjob-content.json`, `.platform`; the two known
    /// names are shared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Cow<'static, str>>,
    /// JSON Pointer (RFC 6901) to the value concerned, in the part or the document.
    pub pointer: String,
    /// Where the problem is.
    pub range: Range,
    /// A safe fix: edits of the same text as `range`, which never change the meaning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A safe fix for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    /// What the fix does, for example `rename "writeBehaviour" to "writeBehavior"`.
    pub message: String,
    /// The edits, in the text the diagnostic's range refers to; they never overlap.
    pub edits: Vec<TextEdit>,
}

/// Replace the text of `range` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextEdit {
    /// The text to replace.
    pub range: Range,
    /// The replacement.
    pub new_text: String,
}

/// A part's path as diagnostics name it: the two known parts' names shared, any other copied.
pub fn part_name(path: &str) -> Cow<'static, str> {
    match path {
        crate::CONTENT_PART => Cow::Borrowed(crate::CONTENT_PART),
        crate::PLATFORM_PART => Cow::Borrowed(crate::PLATFORM_PART),
        other => Cow::Owned(other.to_owned()),
    }
}

impl Diagnostic {
    /// Whether this diagnostic is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The group of its code.
    pub fn group(&self) -> Option<crate::codes::Group> {
        crate::codes::Group::of(&self.code)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.range.start.line, self.range.start.column, self.severity, self.code, self.message
        )
    }
}

/// Maps byte offsets of one text to [`Position`]s.
///
/// Built on the first position asked for (a valid document never pays for it): the line starts,
/// and for a text that is not ASCII, the count of characters and UTF-16 units before every
/// `CHECKPOINT` bytes, so a position costs a binary search and a scan of at most that many
/// bytes, however long the line.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    lines: OnceLock<Lines>,
    /// The line of the last position found: diagnostics come mostly in document order, so the
    /// next one is usually on it or the line after (no binary search of a large document's
    /// lines for each).
    hint: AtomicU32,
}

impl Clone for LineIndex<'_> {
    fn clone(&self) -> Self {
        LineIndex {
            text: self.text,
            lines: self.lines.clone(),
            hint: AtomicU32::new(self.hint.load(Relaxed)),
        }
    }
}

#[derive(Debug, Clone)]
struct Lines {
    starts: Vec<u32>,
    /// `(characters, UTF-16 units)` before byte `k * CHECKPOINT`; empty for ASCII text.
    checkpoints: Vec<(u32, u32)>,
}

/// The distance in bytes between two checkpoints of a non-ASCII text.
const CHECKPOINT: usize = 1024;

/// Characters and UTF-16 units in `bytes` (a slice of UTF-8 that may start or end inside a
/// character: a character is counted at its first byte).
fn count_units(bytes: &[u8]) -> (usize, usize) {
    let mut chars = 0;
    let mut astral = 0;
    for &b in bytes {
        chars += usize::from((b & 0xC0) != 0x80);
        astral += usize::from(b >= 0xF0);
    }
    (chars, chars + astral)
}

impl<'a> LineIndex<'a> {
    /// An index of the line starts of `text` (`\n`, `\r\n` and lone `\r` end a line), built when
    /// first used.
    pub fn new(text: &'a str) -> Self {
        LineIndex { text, lines: OnceLock::new(), hint: AtomicU32::new(0) }
    }

    fn lines(&self) -> &Lines {
        self.lines.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut starts = vec![0u32];
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                    starts.push(to_u32(i + 1));
                }
            }
            let mut checkpoints = Vec::new();
            if !self.text.is_ascii() {
                let (mut chars, mut utf16) = (0, 0);
                for block in bytes.chunks(CHECKPOINT) {
                    checkpoints.push((to_u32(chars), to_u32(utf16)));
                    let (c, u) = count_units(block);
                    chars += c;
                    utf16 += u;
                }
                checkpoints.push((to_u32(chars), to_u32(utf16)));
            }
            Lines { starts, checkpoints }
        })
    }

    /// The text this index was built for.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// `(characters, UTF-16 units)` before a byte offset (a character boundary).
    fn units_before(&self, lines: &Lines, offset: usize) -> (usize, usize) {
        if lines.checkpoints.is_empty() {
            return (offset, offset);
        }
        let k = offset / CHECKPOINT;
        let (chars, utf16) = lines.checkpoints[k];
        let (c, u) = count_units(&self.text.as_bytes()[k * CHECKPOINT..offset]);
        (chars as usize + c, utf16 as usize + u)
    }

    /// The position of a byte offset; offsets past the end or inside a character are clamped.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let lines = self.lines();
        let line = line_of(&lines.starts, offset, self.hint.load(Relaxed) as usize);
        self.hint.store(to_u32(line), Relaxed);
        let line_start = lines.starts[line] as usize;
        let (chars_at, utf16_at) = self.units_before(lines, offset);
        let (chars_line, utf16_line) = self.units_before(lines, line_start);
        Position {
            line: to_u32(line + 1),
            column: to_u32(chars_at - chars_line + 1),
            offset: to_u32(offset),
            utf16_column: to_u32(utf16_at - utf16_line + 1),
            utf16_offset: to_u32(utf16_at),
        }
    }

    /// The 1-based line of a byte offset (offsets past the end are clamped), found without moving
    /// the hint: for a far-away line (a duplicate key's first occurrence) between positions in
    /// order.
    pub fn line(&self, offset: usize) -> u32 {
        to_u32(search_line(&self.lines().starts, offset.min(self.text.len())) + 1)
    }

    /// The range between two byte offsets.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range { start: self.position(start), end: self.position(end.max(start)) }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &'a str {
        let starts = &self.lines().starts;
        let i = (line.max(1) - 1) as usize;
        let Some(&start) = starts.get(i) else { return "" };
        let end = starts.get(i + 1).map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }
}

/// The line (0-based) holding byte `offset`, given the line starts (the first is 0): searched
/// from `hint` outwards in steps that double, then by halves between the last two. Positions
/// asked in turn are near each other (a diagnostic's start and end, the findings of one
/// activity): a search of the whole list read ~20 lines from all over it for each.
fn line_of(starts: &[u32], offset: usize, hint: usize) -> usize {
    let offset = to_u32(offset);
    let hint = hint.min(starts.len().saturating_sub(1));
    // The last line of `starts[from..to]` starting at or before `offset` (`starts[from]` does).
    let within = |from: usize, to: usize| from + starts[from..to].partition_point(|&s| s <= offset) - 1;
    if starts.get(hint).is_none_or(|&s| s <= offset) {
        let (mut lo, mut step) = (hint, 1);
        loop {
            let hi = lo + step;
            match starts.get(hi) {
                Some(&s) if s <= offset => (lo, step) = (hi, step * 2),
                _ => return within(lo, hi.min(starts.len())),
            }
        }
    }
    let (mut hi, mut step) = (hint, 1);
    loop {
        let lo = hi.saturating_sub(step);
        if starts[lo] <= offset {
            return within(lo, hi);
        }
        (hi, step) = (lo, step * 2);
    }
}

/// The line (0-based) holding byte `offset`, by a binary search of the line starts.
fn search_line(starts: &[u32], offset: usize) -> usize {
    match starts.binary_search(&to_u32(offset)) {
        Ok(i) => i,
        Err(i) => i - 1,
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_searched_from_any_hint_is_the_line_the_whole_search_finds() {
        // Lines of random lengths (empty ones too), each offset from any hint, past the end too.
        let mut seed = 11u64;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32 % n
        };
        for lines in [1, 2, 3, 7, 64, 1000] {
            let mut starts = vec![0u32];
            for _ in 1..lines {
                let last = starts[starts.len() - 1];
                starts.push(last + 1 + next(4) + u32::from(next(3) == 0) * next(200));
            }
            let end = starts[starts.len() - 1] as usize + 5;
            for offset in 0..=end {
                let expected = search_line(&starts, offset);
                for hint in [0, expected, expected + 1, lines / 2, lines - 1, lines, lines + 9] {
                    assert_eq!(line_of(&starts, offset, hint), expected, "{offset} from {hint}");
                }
                let hint = next(lines as u32 + 2) as usize;
                assert_eq!(line_of(&starts, offset, hint), expected, "{offset} from {hint}");
            }
        }
    }

    #[test]
    fn positions_count_characters_and_utf16_units() {
        let text = "{\n  \"a\": \"é😀x\"\n}";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or_default();
        let p = index.position(x);
        // `  "a": "é😀` is 10 characters and 11 UTF-16 code units.
        assert_eq!((p.line, p.column), (2, 11));
        assert_eq!(p.utf16_column, 12);
        assert_eq!(p.offset as usize, x);
        assert_eq!(p.utf16_offset, 2 + 11);
        assert_eq!(index.line_text(2), "  \"a\": \"é😀x\"");
    }

    #[test]
    fn positions_in_any_order_are_those_of_a_fresh_index() {
        // The line hint must not change an answer, whatever order positions are asked in.
        let text: String = (0..600).map(|i| ["ab", "\n", "\r\n", "\r", "\n\n", "é"][i * 5 % 6]).collect();
        let index = LineIndex::new(&text);
        let offsets: Vec<usize> = text.char_indices().map(|(o, _)| o).collect();
        let mut order: Vec<usize> = offsets.iter().rev().copied().collect();
        order.extend(offsets.iter().step_by(7).copied());
        order.extend((0..offsets.len()).map(|i| offsets[i * 7919 % offsets.len()]));
        order.push(text.len());
        for offset in order {
            assert_eq!(index.position(offset), LineIndex::new(&text).position(offset), "at {offset}");
        }
    }

    #[test]
    fn a_line_is_a_positions_line() {
        let text = "a\r\nb\rc\n\né";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.line(offset), index.position(offset).line, "at {offset}");
        }
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let index = LineIndex::new("a\r\nb\rc");
        assert_eq!(index.position(3).line, 2);
        assert_eq!(index.position(5).line, 3);
        assert_eq!(index.line_text(1), "a");
    }

    #[test]
    fn positions_on_long_non_ascii_lines_match_a_plain_count() {
        let text: String = (0..5000).map(|i| ["a", "é", "😀", "\n", "\r\n", "\r"][i * 7 % 6]).collect();
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(37) {
            if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                continue; // inside a CRLF
            }
            let before = &text[..offset];
            let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let in_line = &text[line_start..offset];
            let p = index.position(offset);
            assert_eq!(p.column as usize, in_line.chars().count() + 1, "column at {offset}");
            assert_eq!(
                p.utf16_column as usize,
                in_line.encode_utf16().count() + 1,
                "utf16 column at {offset}"
            );
            assert_eq!(p.utf16_offset as usize, before.encode_utf16().count(), "utf16 offset at {offset}");
        }
    }

    #[test]
    fn offsets_are_clamped() {
        let index = LineIndex::new("é");
        assert_eq!(index.position(1).offset, 0);
        assert_eq!(index.position(99).offset, 2);
    }
}
