//! Snapshots of the diagnostics for every fixture under `tests/fixtures/`.
//!
//! Each snapshot holds the document kind, the decoded parts' paths, and every diagnostic with
//! its code, severity, message, help, part, pointer and range. A snapshot also shows the text
//! each diagnostic's range covers, so a wrong position is visible when reviewing.

use copyjob::{Checker, ItemFile, Report};
use serde_json::{json, Value};
use std::path::Path;

fn summary(report: &Report) -> Value {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let covered = report.text_of(d).map(|text| {
                let (start, end) = (d.range.start.offset as usize, d.range.end.offset as usize);
                text.get(start..end.min(text.len())).unwrap_or("<not on a character boundary>").to_owned()
            });
            let mut value = serde_json::to_value(d).unwrap_or_default();
            value["covers"] = json!(covered);
            value
        })
        .collect();
    json!({
        "kind": report.kind,
        "parts": report.parts.iter().map(|p| json!({ "path": p.path, "bytes": p.bytes.len(), "json": p.parsed })).collect::<Vec<_>>(),
        "diagnostics": diagnostics,
    })
}

#[test]
fn documents() {
    let checker = Checker::new();
    insta::glob!("../../../tests/fixtures/check", "**/*.*", |path| {
        let bytes = std::fs::read(path).unwrap_or_default();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let report = checker.check_file(&name, &bytes);
        let is_valid = path.components().any(|c| c.as_os_str() == "valid");
        assert_eq!(
            is_valid,
            report.diagnostics.is_empty(),
            "{}: fixtures under valid/ have no diagnostic, fixtures under invalid/ have some: {:#?}",
            path.display(),
            report.diagnostics
        );
        insta::assert_json_snapshot!(summary(&report));
    });
}

#[test]
fn item_folders() {
    let checker = Checker::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/folders");
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    folders.sort();
    assert!(folders.len() >= 5, "the item folder fixtures are missing");
    for folder in folders {
        let mut files: Vec<ItemFile> = std::fs::read_dir(&folder)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| {
                        ItemFile::new(
                            e.file_name().to_string_lossy(),
                            std::fs::read(e.path()).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let report = checker.check_item_folder(&files);
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        insta::assert_json_snapshot!(format!("folder-{name}"), summary(&report));
    }
}
