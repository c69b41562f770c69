//! The one diagnostic model used by the library, the CLI, the npm package and the emulator.

use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// Stable code, `group/kebab-name`, for example `schema/invalid-value`.
    pub code: String,
    /// How serious the problem is.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The definition part the problem is in (`copyjob-content.json`, `.platform`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
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
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<u32>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text` (`\n`, `\r\n` and lone `\r` end a line).
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0u32];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(to_u32(i + 1)),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(to_u32(i + 1)),
                _ => {}
            }
            i += 1;
        }
        LineIndex { text, line_starts }
    }

    /// The text this index was built for.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The position of a byte offset; offsets past the end or inside a character are clamped.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&to_u32(offset)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line] as usize;
        let in_line = &self.text[line_start..offset];
        let chars = in_line.chars().count();
        let utf16_in_line: usize = in_line.chars().map(char::len_utf16).sum();
        Position {
            line: to_u32(line + 1),
            column: to_u32(chars + 1),
            offset: to_u32(offset),
            utf16_column: to_u32(utf16_in_line + 1),
            utf16_offset: to_u32(self.utf16_offset_of_line(line) + utf16_in_line),
        }
    }

    /// The range between two byte offsets.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range { start: self.position(start), end: self.position(end.max(start)) }
    }

    fn utf16_offset_of_line(&self, line: usize) -> usize {
        let start = self.line_starts[line] as usize;
        let prefix = &self.text[..start];
        if prefix.is_ascii() {
            start
        } else {
            prefix.chars().map(char::len_utf16).sum()
        }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &'a str {
        let i = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(i) else { return "" };
        let end = self.line_starts.get(i + 1).map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn crlf_and_lone_cr_end_lines() {
        let index = LineIndex::new("a\r\nb\rc");
        assert_eq!(index.position(3).line, 2);
        assert_eq!(index.position(5).line, 3);
        assert_eq!(index.line_text(1), "a");
    }

    #[test]
    fn offsets_are_clamped() {
        let index = LineIndex::new("é");
        assert_eq!(index.position(1).offset, 0);
        assert_eq!(index.position(99).offset, 2);
    }
}
