//! The output formats of `copyjob lint`.

use crate::inputs::Input;
use crate::Format;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use copyjob::json::{JsonText, Target};
use copyjob::{Diagnostic, Range, Report, Severity};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// Renders the diagnostics of every checked input.
pub fn render(format: Format, checked: &[(Input, Report)], color: bool) -> String {
    match format {
        Format::Text => text(checked, color),
        Format::Json => json_array(checked),
        Format::Sarif => sarif(checked),
        Format::Github => github(checked),
    }
}

/// Where a diagnostic is in the file the user has: for a part decoded from a base64 payload,
/// the payload string in the document (the part's own position goes into the message).
struct Physical {
    file: String,
    range: Range,
    inside: Option<String>,
}

fn physical<'s>(
    input: &Input,
    report: &'s Report,
    d: &Diagnostic,
    payload_ranges: &mut PayloadRanges<'s>,
) -> Physical {
    let file = input.file_of(d.part.as_deref());
    if let (Some(part), Some(source)) = (&d.part, &report.source) {
        let pointer = report.part(part).and_then(|p| p.pointer.clone());
        if let Some(pointer) = pointer {
            let range = payload_ranges.get(source, &format!("{pointer}/payload"));
            let inside = format!("{part} line {}, column {}", d.range.start.line, d.range.start.column);
            return Physical { file, range, inside: Some(inside) };
        }
    }
    Physical { file, range: d.range, inside: None }
}

/// Locates payload strings in a document, parsing it once.
#[derive(Default)]
struct PayloadRanges<'s> {
    document: Option<JsonText<'s>>,
    cache: HashMap<String, Range>,
}

impl<'s> PayloadRanges<'s> {
    fn get(&mut self, source: &'s str, pointer: &str) -> Range {
        if let Some(r) = self.cache.get(pointer) {
            return *r;
        }
        let json = self.document.get_or_insert_with(|| JsonText::parse(source, None, &mut Vec::new()));
        let (start, end) = json.span(pointer, Target::Value);
        let range = json.index.range(start, end);
        self.cache.insert(pointer.to_owned(), range);
        range
    }
}

fn text(checked: &[(Input, Report)], color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for (input, report) in checked {
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
            let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
            let main = match report.text_of(d) {
                Some(source) if !source.is_empty() => {
                    let (snippet, start_line, span) = excerpt(source, &d.range);
                    title.element(
                        Snippet::source(snippet)
                            .line_start(start_line)
                            .path(path)
                            .annotation(AnnotationKind::Primary.span(span)),
                    )
                }
                _ => title.element(Origin::path(path)),
            };
            let mut groups = vec![main];
            if !d.pointer.is_empty() {
                groups.push(Group::with_title(Level::NOTE.secondary_title(format!("at {}", d.pointer))));
            }
            if let Some(help) = &d.help {
                groups.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
            }
            out.push_str(&renderer.render(&groups));
            out.push_str("\n\n");
        }
    }
    let errors: usize = checked.iter().map(|(_, r)| r.count(Severity::Error)).sum();
    let warnings: usize = checked.iter().map(|(_, r)| r.count(Severity::Warning)).sum();
    let infos: usize = checked.iter().map(|(_, r)| r.count(Severity::Info)).sum();
    let mut inputs = plural(checked.len(), "input");
    let mut files: Vec<String> = checked
        .iter()
        .filter_map(|(i, _)| i.config.file.as_ref().map(|f| f.to_string_lossy().into_owned()))
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

/// The lines a range covers (at most a few), the first line's number, and the range inside them.
fn excerpt<'s>(source: &'s str, range: &Range) -> (&'s str, usize, std::ops::Range<usize>) {
    const MAX_LINES: usize = 6;
    let start = (range.start.offset as usize).min(source.len());
    let end = (range.end.offset as usize).clamp(start, source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
    let lines = source[line_start..line_end].matches('\n').count() + 1;
    if lines > MAX_LINES {
        line_end = source[line_start..]
            .match_indices('\n')
            .nth(MAX_LINES - 1)
            .map_or(source.len(), |(i, _)| line_start + i);
    }
    let snippet = &source[line_start..line_end];
    let span_start = start - line_start;
    let span_end = (end - line_start).min(snippet.len()).max(span_start);
    (snippet, range.start.line as usize, span_start..span_end)
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
    let mut out = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

fn sarif(checked: &[(Input, Report)]) -> String {
    let mut rules: Vec<&str> =
        checked.iter().flat_map(|(_, r)| r.diagnostics.iter().map(|d| d.code.as_str())).collect();
    rules.sort_unstable();
    rules.dedup();
    let mut results = Vec::new();
    for (input, report) in checked {
        let mut payloads = PayloadRanges::default();
        for d in &report.diagnostics {
            let p = physical(input, report, d, &mut payloads);
            let mut message = match &p.inside {
                Some(inside) => format!("{} ({inside})", d.message),
                None => d.message.clone(),
            };
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
                        "artifactLocation": { "uri": sarif_uri(&p.file) },
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

/// A SARIF rule descriptor; lint rules carry their documentation, which code scanning shows.
fn sarif_rule(code: &str) -> serde_json::Value {
    let Some(rule) = copyjob::lint::find_rule(code) else {
        return json!({ "id": code, "name": code });
    };
    let level = match rule.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    json!({
        "id": code,
        "name": code,
        "shortDescription": { "text": rule.summary() },
        "help": { "text": rule.summary(), "markdown": rule.markdown() },
        "defaultConfiguration": { "level": level },
        "properties": { "evidence": rule.evidence, "fixable": rule.fixable },
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
        let mut payloads = PayloadRanges::default();
        for d in &report.diagnostics {
            let p = physical(input, report, d, &mut payloads);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = match &p.inside {
                Some(inside) => format!("{} ({inside})", d.message),
                None => d.message.clone(),
            };
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&p.file),
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
