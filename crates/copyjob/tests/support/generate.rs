//! Near-valid definitions built from unstructured bytes (`arbitrary::Unstructured`): real
//! definitions (the examples and lint fixtures) with a few mutations — keys misspelled, renamed
//! or removed, values swapped for neighbours, placeholders, odd characters and types — written
//! in several styles and wrapped in every input shape the tool reads. Used by the fuzz crate's
//! structure-aware targets and by the property tests (which feed it proptest's bytes), so the
//! lint rules are reached and not only the JSON parser.
#![allow(dead_code)]

use arbitrary::{Result, Unstructured};
use copyjob::codec::encode_base64;
use copyjob::{ItemFile, Source};
use serde_json::{json, Map, Value};

const CONTENTS: [&str; 6] = [
    include_str!("../../../../examples/workspace/Customers CDC.CopyJob/copyjob-content.json"),
    include_str!("../../../../examples/workspace/Sales.CopyJob/copyjob-content.json"),
    include_str!("../../../../tests/fixtures/lint/upsert-keys-not-mapped/invalid.copyjob-content.json"),
    include_str!("../../../../tests/fixtures/lint/mappings-without-tabular-translator/invalid-no-type.copyjob-content.json"),
    include_str!("../../../../tests/fixtures/lint/misspelled-property/invalid-write-behaviour.copyjob-content.json"),
    "{\n  \"properties\": {\n    \"jobMode\": \"Batch\"\n  },\n  \"activities\": []\n}",
];

const PLATFORMS: [&str; 3] = [
    include_str!("../../../../examples/workspace/Customers CDC.CopyJob/.platform"),
    include_str!("../../../../tests/fixtures/lint/platform-type/invalid-case.platform"),
    include_str!("../../../../tests/fixtures/lint/misspelled-property/invalid-platform.platform"),
];

/// Keys the schemas and rules know, and near misses of them.
const KEYS: &[&str] = &[
    "type",
    "destination",
    "source",
    "properties",
    "datasetSettings",
    "table",
    "schema",
    "connectionSettings",
    "typeProperties",
    "workspaceId",
    "artifactId",
    "rootFolder",
    "translator",
    "writeBehavior",
    "id",
    "jobMode",
    "enableStaging",
    "activities",
    "timeout",
    "policy",
    "name",
    "description",
    "displayName",
    "$schema",
    "version",
    "metadata",
    "logicalId",
    "config",
    "typeConversionSettings",
    "physicalType",
    "upsertSettings",
    "keys",
    "mappings",
    "externalReferences",
    "connection",
    "partitionOption",
    "changeDataSettings",
    "readMethod",
    "columns",
    "sensitivityLabelId",
    "retry",
    "fullLoadBehavior",
    "tableActionOption",
    "mergeSettings",
    "writeBehaviour",
    "jobmode",
    "JobMode",
    "upsertsettings",
    "Columns",
    "ReadMethod",
    "displayname",
    "Type",
    "keys ",
    "",
    "~/",
    "<img src=x onerror=alert(1)>",
];

/// Values the schemas and rules know, near misses, placeholders and odd text.
const STRINGS: &[&str] = &[
    "Batch",
    "CDC",
    "batch",
    "Batchh",
    "Upsert",
    "Append",
    "Overwrite",
    "Merge",
    "upsert",
    "TabularTranslator",
    "tabulartranslator",
    "CopyJob",
    "copyjob",
    "Notebook",
    "2.0",
    "1.0",
    "3",
    "0.12:00:00",
    "7.00:00:00",
    "99.00:00:00",
    "SnapshotPlusIncremental",
    "Tables",
    "dbo",
    "Customers",
    "LakehouseTable",
    "Lakehouse",
    "AzureSqlTable",
    "AzureSqlDatabase",
    "d247ae2f-a0c6-4c89-a8a6-82b81dcd9f25",
    "00000000-0000-0000-0000-000000000000",
    "not-a-guid",
    "{{workspace_id}}",
    "<workspace-guid>",
    "REPLACE-WITH-ID",
    "",
    " ",
    "é😀\u{200b}",
    "line\nbreak\r\nand\rcr",
    "tab\there",
    "\u{0}",
    "\u{7f}\u{80}",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\\",
    "\"",
    "~0~1/",
    "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
];

fn pick<'a, T>(u: &mut Unstructured, items: &'a [T]) -> Result<&'a T> {
    u.choose(items)
}

fn scalar(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=9)? {
        0..=4 => Value::String((*pick(u, STRINGS)?).to_owned()),
        5 => json!(u.int_in_range(-3i64..=1_000_000)?),
        6 => json!(*pick(u, &[0.5f64, -0.0, 1e300, 12.25])?),
        7 => json!(u.arbitrary::<bool>()?),
        8 => Value::Null,
        _ => Value::String(String::from(*pick(u, STRINGS)?).repeat(u.int_in_range(2..=300)?)),
    })
}

fn any_value(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=5)? {
        0 => json!([]),
        1 => json!({}),
        2 => json!([scalar(u)?, scalar(u)?]),
        3 => {
            let mut m = Map::new();
            m.insert((*pick(u, KEYS)?).to_owned(), scalar(u)?);
            Value::Object(m)
        }
        _ => scalar(u)?,
    })
}

/// A random node, reached by walking down from the root.
fn node<'v>(u: &mut Unstructured, mut v: &'v mut Value) -> Result<&'v mut Value> {
    loop {
        let len = match v {
            Value::Object(m) => m.len(),
            Value::Array(a) => a.len(),
            _ => 0,
        };
        if len == 0 || u.ratio(1, 5)? {
            return Ok(v);
        }
        let i = u.choose_index(len)?;
        v = match v {
            Value::Object(m) => m.values_mut().nth(i).unwrap_or_else(|| unreachable!()),
            Value::Array(a) => &mut a[i],
            _ => unreachable!(),
        };
    }
}

fn mutate(u: &mut Unstructured, root: &mut Value) -> Result<()> {
    let target = node(u, root)?;
    match (u.int_in_range(0..=7)?, target) {
        (0, Value::Object(m)) if !m.is_empty() => {
            // Rename a key (keeps its place).
            let i = u.choose_index(m.len())?;
            let new = (*pick(u, KEYS)?).to_owned();
            let entries: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
            for (j, (k, v)) in entries.into_iter().enumerate() {
                m.insert(if j == i { new.clone() } else { k }, v);
            }
        }
        (1, Value::Object(m)) if !m.is_empty() => {
            let i = u.choose_index(m.len())?;
            let key = m.keys().nth(i).cloned().unwrap_or_default();
            m.shift_remove(&key);
        }
        (2, Value::Object(m)) => {
            m.insert((*pick(u, KEYS)?).to_owned(), any_value(u)?);
        }
        (3, Value::Array(a)) if !a.is_empty() => {
            let i = u.choose_index(a.len())?;
            let copy = a[i].clone();
            a.push(copy);
        }
        (4, Value::Array(a)) if !a.is_empty() => {
            let i = u.choose_index(a.len())?;
            a.remove(i);
        }
        (5, Value::Array(a)) => a.push(any_value(u)?),
        (_, target) => *target = any_value(u)?,
    }
    Ok(())
}

fn document(u: &mut Unstructured, templates: &[&str]) -> Result<Value> {
    let text = *pick(u, templates)?;
    let mut value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    for _ in 0..u.int_in_range(0..=6)? {
        mutate(u, &mut value)?;
    }
    Ok(value)
}

/// Serialises a value in one of several styles, sometimes with a textual defect.
fn write(u: &mut Unstructured, value: &Value) -> Result<Vec<u8>> {
    let mut text = match u.int_in_range(0..=4)? {
        0 => serde_json::to_string(value).unwrap_or_default(),
        1 => {
            let mut out = Vec::new();
            let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
            let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
            serde::Serialize::serialize(value, &mut ser).ok();
            String::from_utf8(out).unwrap_or_default()
        }
        2 => serde_json::to_string_pretty(value).unwrap_or_default().replace('\n', "\r\n"),
        _ => serde_json::to_string_pretty(value).unwrap_or_default(),
    };
    if u.ratio(1, 6)? {
        // A textual defect at a character boundary.
        const DEFECTS: &[&str] = &[
            ",",
            "}",
            "]",
            "\"",
            "\\u00",
            "/* c */",
            "// c\n",
            "\u{1F600}",
            "\u{1}",
            "\t",
            "\r",
            "01",
            "-",
            "\"a\": 1,",
            "NaN",
            "\u{feff}",
            "\"dup\": 1, \"dup\": 2,",
        ];
        let defect = *pick(u, DEFECTS)?;
        let mut at = u.int_in_range(0..=text.len())?;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, defect);
    }
    let mut bytes = text.into_bytes();
    if u.ratio(1, 12)? {
        bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
    }
    if u.ratio(1, 20)? {
        let at = u.int_in_range(0..=bytes.len())?;
        bytes.insert(at, *pick(u, &[0xFFu8, 0xC3, 0x80, 0xED])?);
    }
    Ok(bytes)
}

/// A payload for bytes: the service's base64, sometimes damaged.
fn payload(u: &mut Unstructured, bytes: &[u8]) -> Result<String> {
    let mut p = encode_base64(bytes);
    match u.int_in_range(0..=15)? {
        0 => p = p.trim_end_matches('=').to_owned(),
        1 if !p.is_empty() => {
            let at = u.choose_index(p.len())?;
            p.insert(at, *pick(u, &['!', '-', '_', ' ', '\n', '=', 'é'])?);
        }
        2 => p.truncate(u.int_in_range(0..=p.len())?),
        3 => p.push('='),
        _ => {}
    }
    Ok(p)
}

fn parts(u: &mut Unstructured) -> Result<Value> {
    let mut parts = Vec::new();
    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    if !u.ratio(1, 10)? {
        let content = document(u, &CONTENTS)?;
        files.push(("copyjob-content.json", write(u, &content)?));
    }
    if u.ratio(2, 3)? {
        let platform = document(u, &PLATFORMS)?;
        files.push((".platform", write(u, &platform)?));
    }
    if u.ratio(1, 10)? {
        let i = u.choose_index(files.len().max(1))?;
        if let Some(dup) = files.get(i).cloned() {
            files.push(dup);
        }
    }
    if u.ratio(1, 10)? {
        files.push((
            *pick(u, &["other.json", "Copyjob-Content.json", "../copyjob-content.json", ""])?,
            b"{}".to_vec(),
        ));
    }
    for (path, bytes) in files {
        let payload_type = if u.ratio(1, 20)? { "Base64" } else { "InlineBase64" };
        parts.push(json!({ "path": path, "payload": payload(u, &bytes)?, "payloadType": payload_type }));
    }
    let mut definition = json!({ "parts": parts });
    if u.ratio(1, 8)? {
        definition["format"] = any_value(u)?;
    }
    Ok(definition)
}

/// A near-valid source of any shape.
pub fn source(u: &mut Unstructured) -> Result<Source> {
    let doc = |name: Option<&str>, bytes: Vec<u8>| Source::Document {
        name: name.map(str::to_owned),
        kind: None,
        bytes,
    };
    Ok(match u.int_in_range(0..=7)? {
        0 => {
            let content = document(u, &CONTENTS)?;
            let name = *pick(u, &[Some("copyjob-content.json"), None])?;
            doc(name, write(u, &content)?)
        }
        1 => {
            let platform = document(u, &PLATFORMS)?;
            let name = *pick(u, &[Some(".platform"), Some("x/.platform"), None])?;
            doc(name, write(u, &platform)?)
        }
        2 => {
            let definition = parts(u)?;
            doc(None, write(u, &definition)?)
        }
        3 => {
            let body = json!({ "definition": parts(u)? });
            doc(None, write(u, &body)?)
        }
        4 => {
            let mut body = json!({ "displayName": pick(u, STRINGS)?, "definition": parts(u)? });
            if u.ratio(1, 2)? {
                body["description"] = scalar(u)?;
            }
            if u.ratio(1, 4)? {
                mutate(u, &mut body)?;
            }
            doc(None, write(u, &body)?)
        }
        5 => {
            let mut body = json!({ "displayName": pick(u, STRINGS)?, "description": pick(u, STRINGS)? });
            mutate(u, &mut body)?;
            doc(None, write(u, &body)?)
        }
        _ => {
            let mut files = Vec::new();
            if !u.ratio(1, 10)? {
                let content = document(u, &CONTENTS)?;
                files.push(ItemFile::new("copyjob-content.json", write(u, &content)?));
            }
            if !u.ratio(1, 5)? {
                let platform = document(u, &PLATFORMS)?;
                files.push(ItemFile::new(".platform", write(u, &platform)?));
            }
            if u.ratio(1, 10)? {
                files.push(ItemFile::new(
                    *pick(u, &["README.md", "notes.json", "sub/copyjob-content.json"])?,
                    b"x".to_vec(),
                ));
            }
            Source::Folder(files)
        }
    })
}
