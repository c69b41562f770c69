//! The code registry and the lint rules: registry completeness, every code's documented examples
//! (run as tests), per-rule fixtures (snapshots of the rule's diagnostics and, for fixable rules,
//! of the fixed text, fixed twice to show it is idempotent), and the generated docs in
//! `docs/rules/` (lint rules) and `docs/codes/` (every code).
//!
//! Regenerate the docs with `COPYJOB_UPDATE_DOCS=1 cargo test -p copyjob --test rules`.

use copyjob::codes::{all_codes, CodeInfo, Example, Group, CODES};
use copyjob::lint::rules::RETIRED_CODES;
use copyjob::lint::{all_rules, RuleMeta};
use copyjob::{apply_fixes, Checker, ItemFile, Report};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_registry_is_complete_and_codes_are_unique() {
    let rules: Vec<&RuleMeta> = all_rules().collect();
    assert!(rules.len() >= 25, "{} rules", rules.len());
    let mut names = BTreeSet::new();
    for rule in &rules {
        assert!(names.insert(rule.name), "two rules are named {}", rule.name);
        assert!(!RETIRED_CODES.contains(&rule.code()), "{} reuses a retired code", rule.name);
        let docs = rule.markdown();
        for section in ["## What it does", "## Why", "## Examples"] {
            assert!(docs.contains(section), "{}: the docs lack {section:?}", rule.name);
        }
        assert!(rule.evidence.len() > 40, "{}: no evidence", rule.name);
        assert!(
            rule.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            rule.name
        );
        let dir = root().join("tests/fixtures/lint").join(rule.name);
        let entries: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{}: no fixtures in {}", rule.name, dir.display()))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(entries.iter().any(|e| e.starts_with("invalid")), "{}: no invalid fixture", rule.name);
        assert!(entries.iter().any(|e| e.starts_with("valid")), "{}: no valid fixture", rule.name);
    }
    // Every rule file declares a registered rule, and every fixture folder belongs to one.
    let sources = std::fs::read_dir(root().join("crates/copyjob/src/lint/rules")).expect("rules folder");
    for entry in sources.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let Some(declared) = text.split("name: \"").nth(1).and_then(|s| s.split('"').next()) else {
            continue;
        };
        assert!(
            names.contains(declared),
            "{} declares {declared}, which is not in RULES",
            entry.path().display()
        );
    }
    for entry in std::fs::read_dir(root().join("tests/fixtures/lint")).expect("fixtures").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(names.contains(name.as_str()), "tests/fixtures/lint/{name} belongs to no rule");
    }
}

fn check(checker: &Checker, path: &Path) -> Report {
    if path.is_dir() {
        let mut files: Vec<ItemFile> = std::fs::read_dir(path)
            .expect("item folder")
            .flatten()
            .map(|e| {
                ItemFile::new(e.file_name().to_string_lossy(), std::fs::read(e.path()).unwrap_or_default())
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        checker.check_item_folder(&files)
    } else {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        checker.check_file(&name, &std::fs::read(path).unwrap_or_default())
    }
}

/// Keeps only the diagnostics of one rule.
fn only(mut report: Report, code: &str) -> Report {
    report.diagnostics.retain(|d| d.code == code);
    report
}

fn covered(report: &Report, d: &copyjob::Diagnostic) -> Option<String> {
    let text = report.text_of(d)?;
    text.get(d.range.start.offset as usize..d.range.end.offset as usize).map(str::to_owned)
}

#[test]
fn fixtures() {
    let checker = Checker::new();
    for rule in all_rules() {
        let code = rule.code();
        let dir = root().join("tests/fixtures/lint").join(rule.name);
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(&dir).expect("fixtures").flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let report = only(check(&checker, &path), code);
            if file.starts_with("valid") {
                assert!(report.diagnostics.is_empty(), "{}/{file}: {:#?}", rule.name, report.diagnostics);
                continue;
            }
            assert!(!report.diagnostics.is_empty(), "{}/{file}: the rule reports nothing", rule.name);
            for d in &report.diagnostics {
                assert_eq!(d.severity, rule.severity, "{}/{file}", rule.name);
                assert!(
                    d.fix.is_none() || rule.fixable,
                    "{}: a fix from a rule not declared fixable",
                    rule.name
                );
            }
            let diagnostics: Vec<Value> = report
                .diagnostics
                .iter()
                .map(|d| {
                    let mut v = serde_json::to_value(d).unwrap_or_default();
                    v["covers"] = json!(covered(&report, d));
                    v
                })
                .collect();
            let mut snapshot = json!({ "diagnostics": diagnostics });
            if rule.fixable && report.diagnostics.iter().any(|d| d.fix.is_some()) {
                let fixed = apply_fixes(&report);
                assert_eq!(fixed.len(), 1, "{}/{file}: one rewritten text", rule.name);
                let text = fixed[0].text.clone();
                // Fixed again: the rule has nothing left to fix, the text stays the same.
                let again = only(checker.check_file(&file, text.as_bytes()), code);
                assert!(
                    again.diagnostics.iter().all(|d| d.fix.is_none()),
                    "{}/{file}: fixes remain",
                    rule.name
                );
                assert!(apply_fixes(&again).is_empty(), "{}/{file}: not idempotent", rule.name);
                // A fix never changes meaning: the fixed text still parses, and nothing new is reported.
                let before = checker.check_file(&file, &std::fs::read(&path).unwrap_or_default());
                let after = checker.check_file(&file, text.as_bytes());
                let codes =
                    |r: &Report| r.diagnostics.iter().map(|d| d.code.clone()).collect::<BTreeSet<_>>();
                assert!(
                    codes(&after).is_subset(&codes(&before)),
                    "{}/{file}: the fix introduced {:?}",
                    rule.name,
                    codes(&after)
                );
                snapshot["fixes"] = json!(fixed[0].changes);
                snapshot["fixed"] = json!(text);
            }
            insta::assert_json_snapshot!(format!("{}__{file}", rule.name), snapshot);
        }
    }
}

/// The registry of every code: unique codes, documentation sections, evidence.
#[test]
fn every_code_is_registered_and_documented() {
    let mut codes = BTreeSet::new();
    for info in all_codes() {
        let code = info.code();
        assert!(codes.insert(code), "{code} is registered twice");
        let docs = info.markdown();
        for section in ["## What it does", "## Why", "## Examples"] {
            assert!(docs.contains(section), "{code}: the docs lack {section:?}");
        }
        assert!(info.evidence.len() > 40, "{code}: no evidence");
        assert!(info.summary().len() > 20, "{code}: no summary");
    }
    // Every code any crate can emit is registered: the code-shaped string literals outside test
    // modules in every `crates/*/src/**/*.rs` are all in the registry.
    let mut emitted = BTreeSet::new();
    for file in rust_sources(&root().join("crates")) {
        let text = std::fs::read_to_string(&file).expect("source");
        for literal in without_test_modules(&text).split('"').skip(1).step_by(2) {
            if Group::of(literal).is_some()
                && !literal.ends_with('/')
                && literal.chars().all(|c| c.is_ascii_lowercase() || c == '/' || c == '-')
            {
                emitted.insert(literal.to_owned());
            }
        }
    }
    let missing: Vec<&String> = emitted
        .iter()
        .filter(|c| !codes.contains(c.as_str()) && !RETIRED_CODES.contains(&c.as_str()))
        .collect();
    assert!(missing.is_empty(), "codes emitted but not registered: {missing:?}");
    assert!(CODES.len() >= 27);
}

/// Every `.rs` file under a `src` folder of each crate in `crates`.
fn rust_sources(crates: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> =
        std::fs::read_dir(crates).expect("crates").flatten().map(|e| e.path().join("src")).collect();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(out.len() > 20, "found only {out:?}");
    out
}

/// A source without its `#[cfg(test)]` items (whose codes may be misspelled on purpose).
fn without_test_modules(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find('{') else { return out };
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn run_example(checker: &Checker, example: &Example) -> Report {
    match example.file.as_str() {
        "body" => checker.check_document(example.text.as_bytes()),
        "folder" => {
            let files: serde_json::Map<String, Value> =
                serde_json::from_str(&example.text).expect("a folder example is an object of files");
            let files: Vec<ItemFile> = files
                .into_iter()
                .map(|(name, value)| {
                    ItemFile::new(name, serde_json::to_string_pretty(&value).unwrap_or_default().into_bytes())
                })
                .collect();
            checker.check_item_folder(&files)
        }
        "" => checker.check_file("copyjob-content.json", example.text.as_bytes()),
        file => checker.check_file(file, example.text.as_bytes()),
    }
}

/// The codes no document checked on its own can produce, so their docs have no runnable example
/// that reports them. Every other code must have one.
const NO_STANDALONE_EXAMPLE: &[&str] = &[
    // The fallback for a schema keyword without a more specific code: none of the keywords the
    // schemas in `schemas/` use today reaches it (if/else report their branch's own keyword).
    "schema/invalid",
    // `anyOf`/`oneOf`: the schemas use none today (a choice between required properties is an
    // `if`/`else`, reported as `schema/missing-property`).
    "schema/no-match",
    // Reported by `copyjob push` only, from a definition together with a parameter file and an
    // environment; the checker never sees those.
    "deploy/unreplaced-parameter",
];

/// The examples in every code's documentation do what they say (as biome's rule docs do), and
/// every code but those in [`NO_STANDALONE_EXAMPLE`] has one that reports it.
#[test]
fn documented_examples() {
    let checker = Checker::new();
    let mut failures = Vec::new();
    for info in all_codes() {
        let code = info.code();
        let examples = info.examples();
        let runnable = examples.iter().any(|e| e.reported);
        if runnable == NO_STANDALONE_EXAMPLE.contains(&code) {
            failures.push(if runnable {
                format!("{code}: has a runnable example; take it off NO_STANDALONE_EXAMPLE")
            } else {
                format!("{code}: no runnable example that reports it (```json invalid)")
            });
        }
        for example in examples {
            let report = run_example(&checker, &example);
            let reported = report.diagnostics.iter().any(|d| d.code == code);
            if reported != example.reported {
                let seen: Vec<&str> = report.diagnostics.iter().map(|d| &*d.code).collect();
                failures.push(format!(
                    "{code}: the example {} it, but reports {seen:?}:\n{}",
                    if example.reported { "should report" } else { "should not report" },
                    example.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn rule_page(rule: &RuleMeta) -> String {
    let docs = rule.markdown();
    format!(
        "# lint/{name}\n\n{summary}\n\n| | |\n|---|---|\n| Code | `lint/{name}` |\n| Default severity | {severity} |\n\
         | Safe fix | {fix} |\n| Rejected by the service | {service} |\n| Evidence | {evidence} |\n\n{docs}\n\n## Configuration\n\n\
         Turn the rule off or change its severity in `copyjob.json`:\n\n```json\n{{ \"rules\": {{ \"lint/{name}\": \"off\" }} }}\n```\n\n\
         or with `copyjob lint --rule lint/{name}=off`.\n\n## Fixtures\n\n\
         [`tests/fixtures/lint/{name}/`](../../tests/fixtures/lint/{name}/)\n\n\
         *Generated from `crates/copyjob/src/lint/rules/{file}.rs`.*\n",
        name = rule.name,
        summary = rule.summary(),
        severity = rule.severity,
        fix = yes_no(rule.fixable),
        service = yes_no(rule.service_rejects),
        evidence = rule.evidence.replace('|', "\\|"),
        docs = docs.trim(),
        file = rule.name.replace('-', "_"),
    )
}

fn code_page(info: &CodeInfo) -> String {
    let code = info.code();
    format!(
        "# {code}\n\n{summary}\n\n| | |\n|---|---|\n| Code | `{code}` |\n| Group | [`{group}/`](../README.md#{group}) |\n\
         | Default severity | {severity} |\n| Rejected by the service | {service} |\n| Evidence | {evidence} |\n\n{docs}\n\n\
         ## Configuration\n\nChange its severity, or turn it off, in `copyjob.json`:\n\n```json\n\
         {{ \"rules\": {{ \"{code}\": \"warning\" }} }}\n```\n\nor with `copyjob lint --rule {code}=warning`.\n\n\
         *Generated from `crates/copyjob/src/codes.rs`.*\n",
        summary = info.summary(),
        group = info.group.name(),
        severity = info.severity,
        service = yes_no(info.service_rejects),
        evidence = info.evidence.replace('|', "\\|"),
        docs = info.markdown(),
    )
}

fn codes_index() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\nEvery code copyjob reports, `group/kebab-name`, by group. \"Service\" says whether the \
         Fabric service itself rejects a definition with the problem (the emulator rejects exactly those).\n",
    );
    for group in Group::ALL {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n| Code | Severity | Service | What it does |\n|---|---|---|---|\n",
            group.name(),
            group.describe()
        ));
        for info in all_codes().filter(|c| c.group == group) {
            let link = match group {
                Group::Lint => format!("../rules/{}.md", info.name),
                _ => format!("{}/{}.md", group.name(), info.name),
            };
            out.push_str(&format!(
                "| [`{}`]({link}) | {} | {} | {} |\n",
                info.code(),
                info.severity,
                if info.service_rejects { "rejects" } else { "" },
                info.summary().replace('|', "\\|"),
            ));
        }
    }
    out.push_str("\n*Generated from the registry (`crates/copyjob/src/codes.rs` and the lint rules) by `crates/copyjob/tests/rules.rs`.*\n");
    out
}

fn index_page() -> String {
    let mut out = String::from(
        "# Lint rules\n\nThe `lint/` rules of copyjob: the mistakes in a Copy job definition that a JSON Schema \
         cannot see. Each rule states the evidence it rests on; where the evidence is weak the rule is a \
         warning or an info, not an error. The other codes are in [docs/codes/](../codes/README.md).\n\n\
         | Rule | Severity | Fix | What it does |\n|---|---|---|---|\n",
    );
    for rule in all_rules() {
        out.push_str(&format!(
            "| [`lint/{name}`]({name}.md) | {severity} | {fix} | {summary} |\n",
            name = rule.name,
            severity = rule.severity,
            fix = if rule.fixable { "yes" } else { "" },
            summary = rule.summary().replace('|', "\\|"),
        ));
    }
    out.push_str("\n*Generated from the rules' metadata by `crates/copyjob/tests/rules.rs`.*\n");
    out
}

/// Writes (with `COPYJOB_UPDATE_DOCS`) or compares the generated files of one folder.
fn generated(dir: &Path, expected: &[(String, String)]) -> Vec<String> {
    if std::env::var_os("COPYJOB_UPDATE_DOCS").is_some() {
        let _ = std::fs::remove_dir_all(dir);
        for (name, text) in expected {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(dir)).expect("docs folder");
            std::fs::write(path, text).expect("write docs");
        }
    }
    let mut stale: Vec<String> = expected
        .iter()
        .filter(|(name, text)| std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()))
        .map(|(name, _)| name.clone())
        .collect();
    let mut present = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else if let Ok(rel) = entry.path().strip_prefix(dir) {
                present.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    stale.extend(
        present.into_iter().filter(|p| !expected.iter().any(|(n, _)| n == p)).map(|p| format!("extra {p}")),
    );
    stale
}

#[test]
fn docs_are_up_to_date() {
    let mut rules: Vec<(String, String)> =
        all_rules().map(|r| (format!("{}.md", r.name), rule_page(r))).collect();
    rules.push(("README.md".to_owned(), index_page()));
    let mut codes: Vec<(String, String)> =
        CODES.iter().map(|c| (format!("{}/{}.md", c.group.name(), c.name), code_page(c))).collect();
    codes.push(("README.md".to_owned(), codes_index()));
    let mut stale = generated(&root().join("docs/rules"), &rules);
    stale.extend(generated(&root().join("docs/codes"), &codes).into_iter().map(|s| format!("codes: {s}")));
    assert!(
        stale.is_empty(),
        "docs/ is stale ({stale:?}); regenerate with COPYJOB_UPDATE_DOCS=1 cargo test -p copyjob --test rules"
    );
}

fn names(list: &[copyjob::connectors::Name]) -> String {
    list.iter().map(|n| format!("`{}`", n.name)).collect::<Vec<_>>().join(", ")
}

fn evidence_of(list: &[copyjob::connectors::Name], label: &str, out: &mut String) {
    for n in list {
        let keys: Vec<String> = n.evidence.iter().map(|k| format!("[{k}](#{k})")).collect();
        out.push_str(&format!("- {label} `{}`: {}\n", n.name, keys.join(", ")));
    }
}

/// `docs/connectors.md`: the connector catalog with the evidence of every name.
fn connectors_page() -> String {
    use copyjob::connectors::catalog;
    let catalog = catalog();
    let mut out = String::from(
        "# The connector catalog\n\n\
         The connectors a Copy job reads and writes, what each can do, and the `type` strings \
         `copyjob-content.json` uses for them: the dataset `type` of `properties.source` / \
         `properties.destination`, `connectionSettings.type`, and an activity's \
         `datasetSettings.location.type`, `storeSettings.type` and `formatSettings.type`. The \
         catalog is [`crates/copyjob/data/connectors.json`](../crates/copyjob/data/connectors.json); \
         the lint rules `unknown-connector-type`, `uncatalogued-connector-type`, \
         `dataset-type-mismatch`, `location-type-mismatch`, `connector-role-unsupported`, \
         `incremental-unsupported` and `write-behavior-unsupported` rest on it, the editor's \
         completion and hover show it, and the npm package exports it (`connectors()`).\n\n\
         Every name says which evidence it rests on (the [sources](#sources) below). A name \
         missing from the catalog is unknown, not wrong.\n\n\
         ## Capabilities\n\n\
         From Microsoft's Copy job connector tables unless the connector's evidence says otherwise: \
         Source, Destination, Full, Watermark, Append, Overwrite and Upsert from the sources and \
         destinations table, CDC and Merge from the CDC replication table (a connector it does not \
         list: no); `unknown` where neither table says, `n/a` where it does not apply (merging rows \
         into files). writeBehavior `Overwrite`, `Upsert` and `Merge` are the tables' *Override*, \
         *Upsert* and *Merge*.\n\n\
         | Connector | Connection type | Dataset types | Source | Destination | Full | Watermark | CDC | Append | Overwrite | Upsert | Merge |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for c in &catalog.connectors {
        let k = &c.capabilities;
        let datasets = if c.files && c.dataset_types.is_empty() {
            "file formats".to_owned()
        } else if c.dataset_types.is_empty() {
            "unknown".to_owned()
        } else if c.files {
            format!("{}, file formats", names(&c.dataset_types))
        } else {
            names(&c.dataset_types)
        };
        out.push_str(&format!(
            "| [{name}](#{anchor}) | {conn} | {datasets} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            k.source.as_str(),
            k.destination.as_str(),
            k.full_load.as_str(),
            k.watermark.as_str(),
            k.cdc.as_str(),
            k.append.as_str(),
            k.overwrite.as_str(),
            k.upsert.as_str(),
            k.merge.as_str(),
            name = c.name,
            anchor = anchor(&c.name),
            conn =
                if c.connection_types.is_empty() { "unknown".to_owned() } else { names(&c.connection_types) },
        ));
    }
    out.push_str("\n## File formats\n\nThe dataset types of the file connectors.\n\n| Dataset type | Read | Write | Format settings types | Evidence |\n|---|---|---|---|---|\n");
    for f in &catalog.formats {
        let keys: Vec<String> = f.evidence.iter().map(|k| format!("[{k}](#{k})")).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            f.name,
            if f.reads { "yes" } else { "no" },
            if f.writes { "yes" } else { "no" },
            names(&f.format_settings_types),
            keys.join(", ")
        ));
    }
    out.push_str("\n## Connectors and their evidence\n");
    for c in &catalog.connectors {
        out.push_str(&format!("\n### {}\n\n", c.name));
        if let Some(t) = &c.table_name {
            out.push_str(&format!("Microsoft's table: *{t}*. {}.\n\n", capitalized(&c.capability_summary())));
        } else {
            out.push_str(&format!("Not in Microsoft's table. {}.\n\n", capitalized(&c.capability_summary())));
        }
        evidence_of(&c.connection_types, "connection type", &mut out);
        evidence_of(&c.dataset_types, "dataset type", &mut out);
        if c.files {
            out.push_str("- dataset types: the [file formats](#file-formats)\n");
        }
        evidence_of(&c.location_types, "location type", &mut out);
        evidence_of(&c.store_settings_types, "store settings type", &mut out);
        let keys: Vec<String> = c.capability_evidence.iter().map(|k| format!("[{k}](#{k})")).collect();
        out.push_str(&format!("- capabilities: {}\n", keys.join(", ")));
        if let Some(note) = &c.note {
            out.push_str(&format!("\n{note}\n"));
        }
    }
    out.push_str("\n## Sources\n");
    for (key, s) in &catalog.sources {
        out.push_str(&format!("\n### {key}\n\n{} ({}).", s.title, s.kind));
        if let Some(v) = &s.version {
            out.push_str(&format!(" Version read: {v}."));
        }
        if let Some(u) = &s.url {
            out.push_str(&format!(" <{u}>"));
        }
        out.push('\n');
    }
    out.push_str(
        "\n*Generated from `crates/copyjob/data/connectors.json` by `crates/copyjob/tests/rules.rs`.*\n",
    );
    out
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// GitHub's heading anchor.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn connector_docs_are_up_to_date() {
    let path = root().join("docs/connectors.md");
    let expected = connectors_page();
    if std::env::var_os("COPYJOB_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/connectors.md");
    }
    assert!(
        std::fs::read_to_string(&path).ok().as_deref() == Some(expected.as_str()),
        "docs/connectors.md is stale; regenerate with COPYJOB_UPDATE_DOCS=1 cargo test -p copyjob --test rules"
    );
    // Every catalog entry's evidence is on the page.
    for c in &copyjob::connectors::catalog().connectors {
        assert!(expected.contains(&format!("### {}\n", c.name)), "{}", c.name);
    }
}
