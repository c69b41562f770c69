//! The output formats of `copyjob lint`.

use crate::inputs::Input;
use crate::Format;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use copyjob::{Diagnostic, Range, Report, ReportIndex, Severity};
use serde::Serialize;
use serde_json::json;

/// Renders the diagnostics of every checked input.
pub fn render(format: Format, checked: &[(Input, Report)], color: bool) -> String {
    match format {
        Format::Text => text(checked, color),
        Format::Json => json_array(checked),
        Format::Sarif => sarif(checked),
        Format::Github => github(checked),
    }
}

/// A diagnostic as it is placed in the file the user has: a problem inside a part decoded from a
/// base64 payload goes on the payload string (the core says where, and names the position inside
/// the part in the message).
fn physical(input: &Input, index: &ReportIndex<'_>, d: &Diagnostic) -> (String, Diagnostic) {
    let file = input.file_of(d.part.as_deref());
    (file, index.on_payload(d).unwrap_or_else(|| d.clone()))
}

fn text(checked: &[(Input, Report)], color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for (input, report) in checked {
        let index = report.index();
        for d in &report.diagnostics {
            let level = match d.severity {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
                Severity::Info => Level::INFO,
            };
            let file = input.file_of(d.part.as_deref());
            let path = match (&d.part, &report.source) {
                (Some(part), Some(_)) => format!("{file} [{part}]"),
                _ => file,
            };
            let title = level.primary_title(&*d.message).id(&*d.code);
            let mut header_fix: Option<(String, String)> = None;
            let main = match index.text_of(d) {
                Some(source) if !source.is_empty() => {
                    let excerpt = excerpt(source, &d.range);
                    if excerpt.cropped {
                        // The renderer counts the header's column from the text it is given.
                        let shown = excerpt.text[..excerpt.span.start].chars().count() + 1;
                        header_fix = Some((
                            format!("{path}:{}:{shown}", excerpt.line),
                            format!("{path}:{}:{}", excerpt.line, d.range.start.column),
                        ));
                    }
                    title.element(
                        Snippet::source(excerpt.text)
                            .line_start(excerpt.line)
                            .path(path)
                            .annotation(AnnotationKind::Primary.span(excerpt.span)),
                    )
                }
                _ => title.element(Origin::path(path)),
            };
            let mut groups = vec![main];
            if !d.pointer.is_empty() {
                groups.push(Group::with_title(Level::NOTE.secondary_title(format!("at {}", d.pointer))));
            }
            if let Some(help) = &d.help {
                groups.push(Group::with_title(Level::HELP.secondary_title(&**help)));
            }
            let rendered = renderer.render(&groups);
            match header_fix {
                Some((shown, real)) => out.push_str(&rendered.replacen(&shown, &real, 1)),
                None => out.push_str(&rendered),
            }
            out.push_str("\n\n");
        }
    }
    let errors: usize = checked.iter().map(|(_, r)| r.count(Severity::Error)).sum();
    let warnings: usize = checked.iter().map(|(_, r)| r.count(Severity::Warning)).sum();
    let infos: usize = checked.iter().map(|(_, r)| r.count(Severity::Info)).sum();
    let mut inputs = plural(checked.len(), "input");
    let mut files: Vec<String> = checked
        .iter()
        .flat_map(|(i, _)| i.config.files.iter().map(|(f, _)| f.to_string_lossy().into_owned()))
        .collect();
    files.sort();
    files.dedup();
    let flags = checked.iter().any(|(i, _)| !i.config.from_flags.is_empty());
    if !files.is_empty() || flags {
        let mut by = files;
        if flags {
            by.push("--rule".to_owned());
        }
        inputs.push_str(&format!(" (rules configured by {})", by.join(", ")));
    }
    if errors + warnings + infos == 0 {
        out.push_str(&format!("copyjob: no problems in {inputs}\n"));
    } else {
        let mut counts = vec![plural(errors, "error"), plural(warnings, "warning")];
        if infos > 0 {
            counts.push(plural(infos, "info"));
        }
        out.push_str(&format!("copyjob: {} in {inputs}\n", counts.join(", ")));
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// What of the source a diagnostic shows.
struct Excerpt<'s> {
    /// The lines the range covers (at most a few), a long line cut to a window around the range.
    text: &'s str,
    /// The first line's number.
    line: usize,
    /// The range inside `text`.
    span: std::ops::Range<usize>,
    /// Whether `text` starts inside its line.
    cropped: bool,
}

/// Bytes of a long line kept on each side of the range. The renderer shows a window of the
/// terminal's width around the range anyway; handing it whole lines made every diagnostic cost
/// the length of its line, and a minified document's output quadratic (a 0.5 MB one: 19 s).
const CONTEXT: usize = 256;

/// Bytes of a range shown at most: a longer one (a whole minified document that is not JSON) is
/// shown from its start. The renderer's cost grows with the text it is handed (a 5.8 MB range
/// took 190 MB and 0.16 s to render).
const RANGE_SHOWN: usize = 16 * CONTEXT;

fn excerpt<'s>(source: &'s str, range: &Range) -> Excerpt<'s> {
    const MAX_LINES: usize = 6;
    let start = floor_boundary(source, (range.start.offset as usize).min(source.len()));
    let end = (range.end.offset as usize).min(start.saturating_add(RANGE_SHOWN));
    let end = floor_boundary(source, end.clamp(start, source.len()));
    let low = floor_boundary(source, start.saturating_sub(CONTEXT));
    let line_start = source[low..start].rfind('\n').map_or(low, |i| low + i + 1);
    let cropped = line_start > 0 && source.as_bytes()[line_start - 1] != b'\n';
    let high = floor_boundary(source, end.saturating_add(CONTEXT).min(source.len()));
    let mut line_end = source[end..high].find('\n').map_or(high, |i| end + i);
    let lines = source[line_start..line_end].matches('\n').count() + 1;
    if lines > MAX_LINES {
        line_end = source[line_start..]
            .match_indices('\n')
            .nth(MAX_LINES - 1)
            .map_or(source.len(), |(i, _)| line_start + i);
    }
    let text = &source[line_start..line_end];
    let span_start = start - line_start;
    let span_end = (end - line_start).min(text.len()).max(span_start);
    Excerpt { text, line: range.start.line as usize, span: span_start..span_end, cropped }
}

/// The closest character boundary at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use copyjob::Position;

    fn range(text: &str, from: &str, len: usize) -> Range {
        let offset = text.find(from).unwrap_or_default();
        let at = |o: usize| Position {
            line: 1 + text[..o].matches('\n').count() as u32,
            column: 1 + text[..o].rfind('\n').map_or(o, |n| o - n - 1) as u32,
            offset: o as u32,
            utf16_column: 0,
            utf16_offset: 0,
        };
        Range { start: at(offset), end: at(offset + len) }
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n}";
        let e = excerpt(text, &range(text, "\"b\"", 3));
        assert_eq!((e.text, e.line, e.span, e.cropped), ("  \"b\": 2", 3, 2..5, false));
    }

    #[test]
    fn a_long_line_is_cut_around_the_range() {
        let line = format!("{{\"pad\":\"{}\",\"key\":\"é{}\"}}", "é".repeat(1000), "x".repeat(1000));
        let e = excerpt(&line, &range(&line, "\"key\"", 5));
        assert!(e.cropped);
        assert!(e.text.len() <= 2 * CONTEXT + 5, "{}", e.text.len());
        assert_eq!(&e.text[e.span.clone()], "\"key\"");
        // Cut on character boundaries, whatever the offsets.
        for shift in 0..4 {
            let mut r = range(&line, "\"key\"", 5);
            r.start.offset += shift;
            r.end.offset += shift;
            let e = excerpt(&line, &r);
            assert!(e.span.end <= e.text.len());
        }
    }

    #[test]
    fn a_long_range_is_shown_from_its_start() {
        // One syntax error over a whole 1 MB line (base64 given as JSON), and one over many lines.
        let line = "é".repeat(500_000);
        let whole = Range { end: range(&line, "", line.len()).end, ..range(&line, "", 0) };
        let e = excerpt(&line, &whole);
        assert!(!e.cropped && e.span.start == 0);
        assert!(e.text.len() <= RANGE_SHOWN + CONTEXT, "{}", e.text.len());
        assert!(e.span.end <= e.text.len() && line.is_char_boundary(e.span.end));
        let lines = "x".repeat(RANGE_SHOWN) + "\n" + &"y".repeat(RANGE_SHOWN);
        let e = excerpt(&lines, &range(&lines, "x", lines.len()));
        assert!(e.text.len() <= RANGE_SHOWN + CONTEXT, "{}", e.text.len());
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
    /// Where the diagnostic's severity was configured: a `copyjob.json` or `--rule`.
    #[serde(skip_serializing_if = "Option::is_none")]
    configured: Option<String>,
}

fn json_array(checked: &[(Input, Report)]) -> String {
    let mut out =
        serde_json::to_string_pretty(&json_diagnostics(checked)).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

/// The diagnostics as `--format json` lists them: each with its `file`.
pub fn json_diagnostics(checked: &[(Input, Report)]) -> serde_json::Value {
    let all: Vec<JsonDiagnostic<'_>> = checked
        .iter()
        .flat_map(|(input, report)| {
            report.diagnostics.iter().map(|d| JsonDiagnostic {
                file: input.file_of(d.part.as_deref()),
                diagnostic: d,
                configured: input.config.source_of(&d.code),
            })
        })
        .collect();
    serde_json::to_value(&all).unwrap_or_default()
}

fn sarif(checked: &[(Input, Report)]) -> String {
    let mut rules: Vec<&str> =
        checked.iter().flat_map(|(_, r)| r.diagnostics.iter().map(|d| &*d.code)).collect();
    rules.sort_unstable();
    rules.dedup();
    let mut results = Vec::new();
    for (input, report) in checked {
        let index = report.index();
        for d in &report.diagnostics {
            let (file, p) = physical(input, &index, d);
            let mut message = p.message.clone().into_owned();
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            let mut properties = json!({ "pointer": d.pointer });
            if let Some(part) = &d.part {
                properties["part"] = json!(part);
            }
            results.push(json!({
                "ruleId": d.code,
                "ruleIndex": rules.iter().position(|r| *r == d.code),
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "note" },
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": sarif_uri(&file) },
                        "region": {
                            "startLine": p.range.start.line,
                            "startColumn": p.range.start.column,
                            "endLine": p.range.end.line,
                            "endColumn": p.range.end.column,
                        }
                    }
                }],
                "properties": properties,
            }));
        }
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "copyjob",
                    "version": copyjob::VERSION,
                    "informationUri": "https://copyjob.dev",
                    "rules": rules.iter().map(|r| sarif_rule(r)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    out.push('\n');
    out
}

/// A SARIF rule descriptor from the code registry: its summary, documentation (which code
/// scanning shows as help), default level and page.
fn sarif_rule(code: &str) -> serde_json::Value {
    let Some(info) = copyjob::find_code(code) else {
        return json!({ "id": code, "name": code });
    };
    let level = match info.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    json!({
        "id": code,
        "name": code,
        "shortDescription": { "text": info.summary() },
        "help": { "text": info.summary(), "markdown": info.markdown() },
        "helpUri": format!("https://github.com/copyjob/copyjob/blob/main/{}", info.docs_path()),
        "defaultConfiguration": { "level": level },
        "properties": {
            "group": info.group.name(),
            "evidence": info.evidence,
            "fixable": info.fixable,
            "serviceRejects": info.service_rejects,
        },
    })
}

/// A relative path with `/` separators, as SARIF artifact URIs are.
fn sarif_uri(file: &str) -> String {
    let file = file.replace('\\', "/");
    let file = file.strip_prefix("./").unwrap_or(&file);
    file.replace('%', "%25").replace(' ', "%20")
}

fn github(checked: &[(Input, Report)]) -> String {
    let mut out = String::new();
    for (input, report) in checked {
        let index = report.index();
        for d in &report.diagnostics {
            let (file, p) = physical(input, &index, d);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = p.message.clone().into_owned();
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&file),
                p.range.start.line,
                p.range.start.column,
                p.range.end.line,
                p.range.end.column,
                escape_property(&d.code),
                escape_data(&message),
            ));
        }
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
