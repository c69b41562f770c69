//! The real-world corpus: every sample definition lints clean (documented exceptions aside) and
//! every payload of the Fabric REST API material round-trips byte for byte.

use copyjob::{Checker, Severity};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The repository's `tests/` folder: `corpus/` (real-world definitions, see its SOURCES.md) and
/// `recordings/` (the Fabric REST API's examples and recorded exchanges).
fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

/// The corpus's definitions (its SOURCES.md aside).
fn corpus_files() -> Vec<PathBuf> {
    files(&tests_dir().join("corpus")).into_iter().filter(|p| !p.ends_with("SOURCES.md")).collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())).flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Sample files that are not complete definitions, and the only error codes each may give (it
/// must give at least one). Everything else in the corpus — real service output, Git exports,
/// Microsoft's complete examples, the complete definition written after a third-party export's
/// shape — must give no error.
const NOT_REAL: [(&str, &[&str]); 11] = [
    // Partial templates in the shape third-party tools deploy: a job's properties without
    // activities, ids as tokens.
    (
        "project-template-lakehouse-job.partial.copyjob-content.json",
        &["schema/missing-property", "lint/template-placeholder"],
    ),
    (
        "project-template-warehouse-job.partial.copyjob-content.json",
        &["schema/missing-property", "lint/template-placeholder"],
    ),
    // Fragments: one activity, to be spliced into `activities`.
    ("project-template-lakehouse-activity.activity-fragment.json", &["envelope/unknown-shape"]),
    ("project-template-warehouse-activity.activity-fragment.json", &["envelope/unknown-shape"]),
    // A template .platform (displayName REPLACE-WITH-JOB-NAME).
    ("project-template.copyjob.platform", &["lint/template-placeholder"]),
    // Microsoft's Terraform test template ({{.SOURCE_WORKSPACE_ID}} …).
    ("terraform-fixture-1.copyjob-content.json.tmpl", &["lint/template-placeholder"]),
    // Microsoft Learn examples with placeholders (<workspace-guid>, <activity-guid> …).
    ("fabric-docs-rest-api-capabilities-batch-mappings.copyjob-content.json", &["lint/template-placeholder"]),
    ("fabric-docs-rest-api-capabilities-cdc-mappings.copyjob-content.json", &["lint/template-placeholder"]),
    (
        "fabric-docs-rest-api-capabilities-decoded-example.copyjob-content.json",
        &["lint/template-placeholder"],
    ),
    // Microsoft's JSON Schemas for `.platform`, kept beside the samples.
    ("upstream-json-schemas-platformProperties-2.0.0.schema.json", &["envelope/unknown-shape"]),
    ("upstream-json-schemas-platformProperties-2.1.0.schema.json", &["envelope/unknown-shape"]),
];

#[test]
fn real_definitions_have_no_error() {
    let checker = Checker::new();
    let samples = corpus_files();
    assert!(samples.len() >= 20, "the samples are missing");
    let mut complete = 0;
    for path in samples {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(&path).unwrap_or_default();
        let report = checker.check_file(&name, &bytes);
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        match NOT_REAL.iter().find(|(n, _)| *n == name) {
            Some((_, codes)) => {
                assert!(!errors.is_empty(), "{name}: expected errors");
                for e in &errors {
                    assert!(codes.contains(&&*e.code), "{name}: unexpected {e:#?}");
                }
            }
            None => {
                complete += 1;
                assert!(errors.is_empty(), "{name}: {errors:#?}");
            }
        }
    }
    assert!(complete >= 11, "{complete} complete definitions");
}

/// The real getDefinition response recorded from the service lints clean, as a whole body.
#[test]
fn the_recorded_service_response_lints_clean() {
    let text =
        std::fs::read_to_string(tests_dir().join("recordings/observed_exchanges_fabric-cli_recordings.json"))
            .unwrap_or_default();
    let recordings: Value = serde_json::from_str(&text).unwrap_or_default();
    let checker = Checker::new();
    let mut checked = 0;
    for exchange in recordings["exchanges"].as_array().into_iter().flatten() {
        let Some(body) = exchange["response"]["body"].as_str() else { continue };
        if !body.contains("copyjob-content.json") {
            continue;
        }
        let report = checker.check_document(body.as_bytes());
        assert!(report.diagnostics.is_empty(), "{}: {:#?}", exchange["source"], report.diagnostics);
        assert_eq!(report.parts.len(), 2);
        checked += 1;
    }
    assert!(checked >= 1);
}

/// Every base64 payload in a JSON value, including inside JSON text held in strings (the
/// recorded exchanges keep bodies as strings).
fn payloads(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("payload", Value::String(s)) => out.push(s.clone()),
                    (_, Value::String(s)) if s.trim_start().starts_with('{') => {
                        if let Ok(inner) = serde_json::from_str::<Value>(s) {
                            payloads(&inner, out);
                        }
                    }
                    _ => payloads(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| payloads(v, out)),
        _ => {}
    }
}

/// Every base64 payload in the Fabric REST API material (`tests/recordings/`).
fn api_payloads() -> Vec<String> {
    let mut all = Vec::new();
    for path in files(&tests_dir().join("recordings")) {
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if let Ok(value) = serde_json::from_str::<Value>(&text) {
                payloads(&value, &mut all);
            }
        }
    }
    all
}

#[test]
fn every_api_payload_round_trips_byte_for_byte() {
    let all = api_payloads();
    assert!(all.len() >= 10, "expected the API material's payloads, found {}", all.len());
    let checker = Checker::new();
    let mut unpadded = 0;
    for payload in &all {
        // Through the whole pipeline: a definition body holding the payload, unpacked, packed.
        let body = serde_json::json!({ "definition": { "parts": [
            { "path": "copyjob-content.json", "payload": payload, "payloadType": "InlineBase64" }
        ] } });
        let report = checker.check_document(body.to_string().as_bytes());
        let part = report.part("copyjob-content.json").unwrap_or_else(|| panic!("{payload}: not decoded"));
        let packed = copyjob::pack([("copyjob-content.json", part.bytes.as_slice())]);
        if payload.len() % 4 == 0 {
            assert_eq!(&packed.parts[0].payload, payload);
        } else {
            // Microsoft's examples hold unpadded placeholders (`QW5vdGhlckJhc2U2NFN0cmluZw`); they
            // decode, with a warning, and pack to the padded form the service writes.
            unpadded += 1;
            assert!(report.diagnostics.iter().any(|d| d.code == "codec/missing-padding"));
            assert_eq!(packed.parts[0].payload.trim_end_matches('='), payload);
        }
    }
    assert!(unpadded < all.len());
}

#[test]
fn the_service_default_content_is_valid_and_canonical() {
    let payload =
        "ewogICJwcm9wZXJ0aWVzIjogewogICAgImpvYk1vZGUiOiAiQmF0Y2giCiAgfSwKICAiYWN0aXZpdGllcyI6IFtdCn0=";
    let (bytes, _) = copyjob::codec::decode_base64(payload).unwrap_or_default();
    let report = Checker::new().check_file("copyjob-content.json", &bytes);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert_eq!(
        std::str::from_utf8(&bytes).ok(),
        Some("{\n  \"properties\": {\n    \"jobMode\": \"Batch\"\n  },\n  \"activities\": []\n}")
    );
}

#[test]
fn formatting_a_service_payload_changes_nothing() {
    let all = api_payloads();
    let mut formatted = 0;
    for payload in all {
        let Ok((bytes, _)) = copyjob::codec::decode_base64(&payload) else { continue };
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        // Only the JSON parts (copyjob-content.json, .platform); placeholders are not JSON.
        let Ok(output) = copyjob::format_text(text) else { continue };
        assert_eq!(output, text, "formatting changed the service's payload {payload}");
        formatted += 1;
    }
    assert!(formatted >= 4, "{formatted} JSON payloads");
    // And the real Git exports, which Fabric writes in the same formatting.
    for name in [
        "fabric-cicd-Sample_CopyJob.copyjob-content.json",
        "fabric-cicd-Sample_CopyJob.platform",
        "fabric-cli-recording-getDefinition.platform",
    ] {
        let text = std::fs::read_to_string(tests_dir().join("corpus").join(name)).unwrap_or_default();
        assert_eq!(copyjob::format_text(&text).ok().as_deref(), Some(text.as_str()), "{name}");
    }
}

/// Every connector `type` string in the corpus — real definitions, Microsoft's examples and the
/// templates alike — is in the connector catalog (placeholders aside), and the corpus uses the
/// catalog's names for at least the connectors it shows.
#[test]
fn every_connector_type_in_the_corpus_is_in_the_catalog() {
    use copyjob::connectors::{catalog, type_fields};
    let catalog = catalog();
    let mut seen = std::collections::BTreeSet::new();
    for path in corpus_files() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let json = copyjob::json::JsonText::parse(&text, None, &mut Vec::new());
        let Some(value) = json.root() else { continue };
        for field in type_fields(value) {
            if copyjob::lint::placeholder(field.value).is_some() {
                continue;
            }
            assert!(
                catalog.knows(field.kind, field.value),
                "{name}: {} \"{}\" at {} is not in the catalog",
                field.kind.label(),
                field.value,
                field.pointer
            );
            seen.insert(field.value.to_owned());
        }
    }
    for expected in [
        "LakehouseTable",
        "Lakehouse",
        "AzureSqlDatabase",
        "DataWarehouseTable",
        "DataWarehouse",
        "Db2Table",
        "Db2",
        "Parquet",
        "AzureBlobStorage",
        "AzureBlobStorageLocation",
    ] {
        assert!(seen.contains(expected), "the corpus no longer shows {expected}: {seen:?}");
    }
}
