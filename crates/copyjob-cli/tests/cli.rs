//! The `copyjob` binary, run as users run it: output formats, exit codes, pack and unpack.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `copyjob` from the repository root (so paths in outputs are relative).
fn copyjob(args: &[&str]) -> Output {
    copyjob_with_stdin(args, None)
}

fn copyjob_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copyjob"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("copyjob runs");
    if let Some(input) = stdin {
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(input).expect("stdin written");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("copyjob finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const TYPO: &str = "tests/fixtures/check/invalid/jobmode-typo.copyjob-content.json";
const ENVELOPE: &str = "tests/fixtures/check/invalid/part-syntax-error-and-other-part.json";

#[test]
fn lint_text_shows_a_code_frame_and_exits_1() {
    let out = copyjob(&["lint", TYPO]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn lint_text_for_parts_of_an_envelope() {
    let out = copyjob(&["lint", "--color", "never", ENVELOPE]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn lint_json_is_an_array_of_diagnostics_with_their_file() {
    let out = copyjob(&["lint", "--format", "json", TYPO, "tests/fixtures/check/valid/.platform"]);
    assert_eq!(out.status.code(), Some(1));
    let value: Value = serde_json::from_str(&stdout(&out)).expect("JSON output");
    let items = value.as_array().expect("an array");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["file"], TYPO);
    assert_eq!(items[0]["code"], "schema/invalid-value");
    assert_eq!(items[0]["range"]["start"]["line"], 3);
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn lint_sarif_is_sarif_2_1_0() {
    let out = copyjob(&["lint", "--format", "sarif", TYPO, ENVELOPE]);
    assert_eq!(out.status.code(), Some(1));
    let value: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
    assert_eq!(value["version"], "2.1.0");
    let run = &value["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "copyjob");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    for result in results {
        let rule = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(run["tool"]["driver"]["rules"][rule]["id"], result["ruleId"]);
    }
    let version = stdout(&out).replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!(version);
    // Lint rules carry their documentation for code scanning.
    let out = copyjob(&[
        "lint",
        "--format",
        "sarif",
        "tests/fixtures/lint/duplicate-activity-id/invalid.copyjob-content.json",
    ]);
    let value: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
    let rule = &value["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "lint/duplicate-activity-id");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    assert!(rule["help"]["markdown"].as_str().is_some_and(|m| m.contains("## What it does")));
}

#[test]
fn lint_github_prints_workflow_commands() {
    let out = copyjob(&["lint", "--format", "github", TYPO, ENVELOPE]);
    assert_eq!(out.status.code(), Some(1));
    // Diagnostics inside a base64 payload point at the payload in the file.
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn a_problem_far_into_a_long_line_is_shown_around_it_at_its_real_column() {
    // A minified document: one line. Its frames show a window around each problem (the whole
    // line for every problem made the output quadratic), and the header keeps the real column.
    let activity = r#"{"id":"2905df0f-1421-42e5-b769-0b0a32cb5321","properties":{"source":{"datasetSettings":{"table":"t"}},"destination":{"writeBehavior":"Append","datasetSettings":{"schema":"dbo","table":"t"}}}}"#;
    let mut text = String::from(r#"{"properties":{"jobMode":"Batch","note":""#);
    text.push_str(&"é".repeat(3000));
    text.push_str(r#""},"activities":["#);
    text.push_str(&activity.replace("\"Append\"", "\"Replace\""));
    text.push_str("]}");
    let value = text.find("\"Replace\"").expect("the bad value");
    let column = text[..value].chars().count() + 1;
    let out = copyjob_with_stdin(&["lint", "--color", "never", "-"], Some(text.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let shown = stdout(&out);
    let frame = shown
        .split("\n\n")
        .find(|d| d.contains("schema/invalid-value"))
        .unwrap_or_else(|| panic!("no invalid-value frame in {shown}"));
    assert!(frame.contains(&format!(" --> <stdin>:1:{column}\n")), "{frame}");
    assert!(frame.contains("\"writeBehavior\":\"Replace\""), "{frame}");
    assert!(frame.lines().all(|l| l.chars().count() < 400), "{frame}");
    // The JSON output agrees on the column.
    let out = copyjob_with_stdin(&["lint", "--format", "json", "-"], Some(text.as_bytes()));
    let value: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let found = value.as_array().and_then(|a| a.iter().find(|d| d["code"] == "schema/invalid-value"));
    assert_eq!(found.map(|d| d["range"]["start"]["column"].clone()), Some(Value::from(column)));
}

#[test]
fn lint_reads_stdin() {
    let text = std::fs::read(root().join(TYPO)).expect("fixture");
    let out = copyjob_with_stdin(&["lint", "--format", "json", "-"], Some(&text));
    assert_eq!(out.status.code(), Some(1));
    let value: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(value[0]["file"], "<stdin>");
    assert_eq!(value[0]["code"], "schema/invalid-value");
}

#[test]
fn lint_walks_a_folder_of_item_folders() {
    let out = copyjob(&["lint", "--format", "json", "tests/fixtures/folders"]);
    assert_eq!(out.status.code(), Some(1));
    let value: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let mut files: Vec<&str> =
        value.as_array().expect("array").iter().filter_map(|d| d["file"].as_str()).collect();
    files.dedup();
    assert_eq!(
        files,
        [
            "tests/fixtures/folders/BrokenParts.CopyJob/.platform",
            "tests/fixtures/folders/BrokenParts.CopyJob/copyjob-content.json",
            "tests/fixtures/folders/ContentOnly.CopyJob/copyjob-content.json",
            "tests/fixtures/folders/Misnamed.CopyJob",
            "tests/fixtures/folders/Misnamed.CopyJob/README.md",
            "tests/fixtures/folders/Misnamed.CopyJob/copyjob-content.JSON",
            "tests/fixtures/folders/MissingContent.CopyJob",
        ]
    );
}

#[test]
fn lint_of_clean_inputs_exits_0() {
    let out = copyjob(&["lint", "tests/fixtures/folders/Valid.CopyJob", "schemas"]);
    // A folder that holds no item folder is a usage error.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = copyjob(&[
        "lint",
        "tests/fixtures/folders/Valid.CopyJob",
        "tests/fixtures/check/valid/create-body.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "copyjob: no problems in 2 inputs\n");
}

#[test]
fn warnings_alone_exit_0() {
    let out = copyjob(&["lint", "tests/fixtures/check/invalid/unknown-part.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("0 errors, 2 warnings"));
}

#[test]
fn usage_and_io_failures_exit_2() {
    assert_eq!(copyjob(&["lint", "no/such/file.json"]).status.code(), Some(2));
    assert_eq!(copyjob(&["lint", "--format", "xml", TYPO]).status.code(), Some(2));
    assert_eq!(copyjob(&["lint"]).status.code(), Some(2));
    assert_eq!(copyjob(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn every_bad_input_gives_a_coded_error_and_exit_1() {
    let dir = root().join("tests/fixtures/check/invalid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let warnings_only = [
        "base64-missing-padding.json",
        "unknown-format.json",
        "unknown-part.json",
        "update-body-without-kind.json",
    ];
    for name in names {
        let path = format!("tests/fixtures/check/invalid/{name}");
        let out = copyjob(&["lint", "--format", "json", &path]);
        let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let diagnostics = value.as_array().expect("array");
        assert!(!diagnostics.is_empty(), "{name}");
        for d in diagnostics {
            let code = d["code"].as_str().expect("code");
            let (group, rule) = code.split_once('/').expect("group/name");
            assert!(["envelope", "codec", "json", "schema", "lint"].contains(&group), "{name}: {code}");
            assert!(
                rule.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name}: {code}"
            );
        }
        let expected = if warnings_only.contains(&name.as_str()) { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(expected), "{name}: {}", stdout(&out));
    }
}

/// A fresh folder that is its own repository root (it holds `.git`), so no `copyjob.json` above
/// it is read.
fn temp_dir(name: &str) -> PathBuf {
    let dir = bare_temp_dir(name);
    std::fs::create_dir_all(dir.join(".git")).expect("temp dir");
    dir
}

fn bare_temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("copyjob-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn unpack_then_pack_reproduces_the_service_payloads() {
    let example: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/recordings/copyJob_examples/GetCopyJobDefinition.json"))
            .expect("the API example"),
    )
    .expect("JSON");
    let body = &example["responses"]["200"]["body"];
    let dir = temp_dir("roundtrip");
    let response = dir.join("response.json");
    std::fs::write(&response, body.to_string()).expect("written");
    let parts = dir.join("parts");
    let out = copyjob(&["unpack", response.to_str().expect("utf-8"), "-o", parts.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The example's .platform is Microsoft's placeholder, so packing needs --force.
    let out = copyjob(&["pack", parts.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("dotPlatformBase64String"));
    let out = copyjob(&["pack", "--force", parts.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let packed: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(packed["definition"]["parts"], body["definition"]["parts"]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn pack_writes_update_definition_and_create_bodies() {
    let folder = "tests/fixtures/folders/Valid.CopyJob";
    let dir = temp_dir("pack");
    let file = dir.join("body.json");
    let out = copyjob(&["pack", folder, "-o", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("JSON");
    let parts = body["definition"]["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["path"], "copyjob-content.json");
    assert_eq!(parts[1]["path"], ".platform");
    assert_eq!(parts[0]["payloadType"], "InlineBase64");

    let out = copyjob(&["pack", "--create", folder]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let create: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(create["displayName"], "Sales copy");
    assert_eq!(create["description"], "Copies the sales tables");
    assert_eq!(create["definition"], body["definition"]);

    // The body lints clean, and unpacks to the original files byte for byte.
    let out = copyjob(&["lint", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let back = dir.join("back");
    let out = copyjob(&["unpack", file.to_str().expect("utf-8"), "-o", back.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for name in ["copyjob-content.json", ".platform"] {
        assert_eq!(
            std::fs::read(back.join(name)).expect("unpacked"),
            std::fs::read(root().join(folder).join(name)).expect("original"),
            "{name}"
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn pack_refuses_a_definition_with_errors_unless_forced() {
    let folder = "tests/fixtures/folders/BrokenParts.CopyJob";
    let out = copyjob(&["pack", folder]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("schema/invalid-value"), "{}", stderr(&out));
    let out = copyjob(&["pack", "--force", folder]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("\"definition\""));
}

#[test]
fn unpack_rejects_what_is_not_a_definition() {
    let dir = temp_dir("not-definition");
    let out = copyjob(&[
        "unpack",
        "tests/fixtures/check/valid/copyjob-content.json",
        "-o",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a definition"), "{}", stderr(&out));
    let out = copyjob(&[
        "unpack",
        "tests/fixtures/check/invalid/invalid-base64.json",
        "-o",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("codec/invalid-base64"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn unpack_never_writes_outside_the_output_folder() {
    let dir = temp_dir("traversal");
    let body = serde_json::json!({ "definition": { "parts": [
        { "path": "copyjob-content.json", "payload": "e30=", "payloadType": "InlineBase64" },
        { "path": "../escaped.json", "payload": "e30=", "payloadType": "InlineBase64" }
    ] } });
    let input = dir.join("in.json");
    std::fs::write(&input, body.to_string()).expect("written");
    let out_dir = dir.join("out");
    let out = copyjob(&["unpack", input.to_str().expect("utf-8"), "-o", out_dir.to_str().expect("utf-8")]);
    assert!(stderr(&out).contains("leaves the output folder"), "{}", stderr(&out));
    assert!(!dir.join("escaped.json").exists());
    assert!(out_dir.join("copyjob-content.json").exists());
    std::fs::remove_dir_all(dir).ok();
}

/// A definition with a misspelling, an upsert without keys, a duplicate activity id and a
/// template placeholder.
fn mistakes() -> String {
    let content =
        std::fs::read_to_string(root().join("tests/fixtures/folders/Valid.CopyJob/copyjob-content.json"))
            .expect("fixture");
    let mut value: Value = serde_json::from_str(&content).expect("JSON");
    let first = value["activities"][0].clone();
    let mut second = first.clone();
    second["properties"]["destination"]["datasetSettings"]["table"] = "other".into();
    second["properties"]["destination"]["writeBehavior"] = "Upsert".into();
    value["activities"] = serde_json::json!([first, second]);
    let destination = value["activities"][0]["properties"]["destination"].as_object_mut().expect("object");
    destination.shift_remove("writeBehavior");
    destination.insert("writeBehaviour".into(), "Overwrite".into());
    value["properties"]["source"]["connectionSettings"]["typeProperties"]["artifactId"] =
        "{{SOURCE_LAKEHOUSE_ID}}".into();
    serde_json::to_string_pretty(&value).expect("JSON")
}

fn codes_and_lines(out: &Output) -> Vec<(String, u64)> {
    let value: Value = serde_json::from_str(&stdout(out)).expect("JSON output");
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn lint_reports_each_mistake_and_fix_repairs_the_spelling_only() {
    let dir = temp_dir("fix");
    let file = dir.join("copyjob-content.json");
    std::fs::write(&file, mistakes()).expect("written");
    let path = file.to_str().expect("utf-8");
    let out = copyjob(&["lint", "--format", "json", path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        codes_and_lines(&out),
        [
            ("lint/template-placeholder".to_owned(), 10),
            ("lint/misspelled-property".to_owned(), 45),
            ("lint/duplicate-activity-id".to_owned(), 54),
            ("lint/upsert-without-keys".to_owned(), 63),
        ]
    );
    let out = copyjob(&["lint", "--fix", "--format", "json", path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("rename \"writeBehaviour\" to \"writeBehavior\""), "{}", stderr(&out));
    assert_eq!(
        codes_and_lines(&out),
        [
            ("lint/template-placeholder".to_owned(), 10),
            ("lint/duplicate-activity-id".to_owned(), 54),
            ("lint/upsert-without-keys".to_owned(), 63),
        ]
    );
    let fixed = std::fs::read_to_string(&file).expect("fixed file");
    assert!(fixed.contains("\"writeBehavior\": \"Overwrite\""));
    assert_eq!(fixed.len(), mistakes().len() - 1, "only the key changed");
    // Nothing left to fix: a second --fix changes nothing.
    let out = copyjob(&["lint", "--fix", path]);
    assert!(!stderr(&out).contains("fixed"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).expect("file"), fixed);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn fix_rewrites_payloads_inside_a_definition_body() {
    let dir = temp_dir("fix-body");
    let folder = dir.join("Job.CopyJob");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(folder.join("copyjob-content.json"), mistakes()).expect("written");
    std::fs::copy(root().join("tests/fixtures/folders/Valid.CopyJob/.platform"), folder.join(".platform"))
        .expect("copied");
    let body = dir.join("body.json");
    let out =
        copyjob(&["pack", "--force", folder.to_str().expect("utf-8"), "-o", body.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = copyjob(&["lint", "--fix", body.to_str().expect("utf-8")]);
    assert!(stderr(&out).contains("copyjob-content.json: rename"), "{}", stderr(&out));
    let back = dir.join("back");
    copyjob(&["unpack", body.to_str().expect("utf-8"), "-o", back.to_str().expect("utf-8")]);
    let fixed = std::fs::read_to_string(back.join("copyjob-content.json")).expect("unpacked");
    assert!(fixed.contains("\"writeBehavior\": \"Overwrite\"") && !fixed.contains("writeBehaviour"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn configuration_file_and_flags_change_levels_and_are_reported() {
    let dir = temp_dir("config");
    let items = dir.join("workspace");
    let folder = items.join("Job.CopyJob");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(folder.join("copyjob-content.json"), mistakes()).expect("written");
    std::fs::copy(root().join("tests/fixtures/folders/Valid.CopyJob/.platform"), folder.join(".platform"))
        .expect("copied");
    std::fs::write(
        items.join("copyjob.json"),
        r#"{ "rules": { "lint/template-placeholder": "warning", "lint/duplicate-activity-id": "off" } }"#,
    )
    .expect("config");
    let out = copyjob(&[
        "lint",
        "--format",
        "json",
        "--rule",
        "lint/misspelled-property=error",
        items.to_str().expect("utf-8"),
    ]);
    let value: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let summary: Vec<(String, String, String)> = value
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            let configured = d["configured"].as_str().unwrap_or("-");
            let configured = if configured.ends_with("copyjob.json") { "copyjob.json" } else { configured };
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["severity"].as_str().unwrap_or_default().to_owned(),
                configured.to_owned(),
            )
        })
        .collect();
    let expect = |c: &str, s: &str, by: &str| (c.to_owned(), s.to_owned(), by.to_owned());
    assert_eq!(
        summary,
        [
            expect("lint/template-placeholder", "warning", "copyjob.json"),
            expect("lint/misspelled-property", "error", "--rule"),
            expect("lint/upsert-without-keys", "error", "-"),
        ]
    );
    let out = copyjob(&["lint", items.to_str().expect("utf-8")]);
    assert!(stdout(&out).contains("(rules configured by "), "{}", stdout(&out));
    // A typo in a configured code is a usage error, with a suggestion.
    std::fs::write(items.join("copyjob.json"), r#"{ "rules": { "lint/duplicate-activity-ids": "off" } }"#)
        .expect("config");
    let out = copyjob(&["lint", items.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "unknown code `lint/duplicate-activity-ids`: did you mean `lint/duplicate-activity-id`?"
        ),
        "{}",
        stderr(&out)
    );
    // So is one in --rule, and a code of any group is checked.
    std::fs::remove_file(items.join("copyjob.json")).expect("removed");
    let out = copyjob(&["lint", "--rule", "json/sintax=off", items.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `json/syntax`?"), "{}", stderr(&out));
    let out = copyjob(&["lint", "--rule", "codec/missing-padding=off", items.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    std::fs::remove_dir_all(dir).ok();
}

/// The codes a `copyjob lint --format json` run reports, with their severities.
fn codes_of(path: &Path) -> Vec<(String, String)> {
    let out = copyjob(&["lint", "--format", "json", path.to_str().expect("utf-8")]);
    let value: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn configuration_discovery_stops_at_the_repository_root_or_a_root_config() {
    let outer = bare_temp_dir("discovery");
    // It turns off one rule no nearer configuration sets (`lint/template-placeholder`), so whether
    // it was read shows in every case below.
    let off = r#"{ "rules": { "lint/upsert-without-keys": "off", "lint/misspelled-property": "off",
        "lint/template-placeholder": "off" } }"#;
    // A stray copyjob.json in the parent of a repository is not read.
    std::fs::write(outer.join("copyjob.json"), off).expect("stray config");
    let repo = outer.join("repo");
    let folder = repo.join("Job.CopyJob");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::create_dir_all(repo.join(".git")).expect(".git");
    std::fs::write(folder.join("copyjob-content.json"), mistakes()).expect("written");
    let full = codes_of(&folder);
    assert!(full.iter().any(|(c, _)| c == "lint/upsert-without-keys"), "{full:?}");
    assert!(full.iter().any(|(c, _)| c == "lint/misspelled-property"), "{full:?}");
    assert!(full.iter().any(|(c, _)| c == "lint/template-placeholder"), "{full:?}");
    // Without the repository boundary the stray file applies: that is what it guards against.
    std::fs::remove_dir_all(repo.join(".git")).expect(".git removed");
    let configured = codes_of(&folder);
    assert!(!configured.iter().any(|(c, _)| c == "lint/upsert-without-keys"), "{configured:?}");
    assert!(!configured.iter().any(|(c, _)| c == "lint/template-placeholder"), "{configured:?}");
    // Files cascade up to one with "root": true; the nearer one wins.
    std::fs::write(
        repo.join("copyjob.json"),
        r#"{ "root": true, "rules": { "lint/misspelled-property": "error" } }"#,
    )
    .expect("root config");
    std::fs::write(folder.join("copyjob.json"), r#"{ "rules": { "lint/upsert-without-keys": "warning" } }"#)
        .expect("item config");
    let cascaded = codes_of(&folder);
    assert!(
        cascaded.contains(&("lint/upsert-without-keys".to_owned(), "warning".to_owned())),
        "{cascaded:?}"
    );
    assert!(cascaded.contains(&("lint/misspelled-property".to_owned(), "error".to_owned())), "{cascaded:?}");
    // The root config shields its folder from the stray one above it, which no .git stops now.
    assert!(cascaded.iter().any(|(c, _)| c == "lint/template-placeholder"), "{cascaded:?}");
    std::fs::remove_dir_all(outer).ok();
}

#[test]
fn an_update_body_is_named_by_kind_or_file_name() {
    let dir = temp_dir("kind");
    let body = r#"{ "displayName": "Sales", "description": "Copies the sales tables" }"#;
    let guessed = dir.join("rename.json");
    std::fs::write(&guessed, body).expect("written");
    let out = copyjob(&["lint", "--format", "json", guessed.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("envelope/ambiguous-shape"), "{}", stdout(&out));
    let out = copyjob(&["lint", "--format", "json", "--kind", "update", guessed.to_str().expect("utf-8")]);
    assert_eq!(stdout(&out), "[]\n");
    let named = dir.join("rename.update.json");
    std::fs::write(&named, body).expect("written");
    assert_eq!(stdout(&copyjob(&["lint", "--format", "json", named.to_str().expect("utf-8")])), "[]\n");
    let out = copyjob(&["lint", "--kind", "patch", named.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown kind `patch`"), "{}", stderr(&out));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn fmt_rewrites_in_the_service_formatting_and_check_exits_1() {
    let dir = temp_dir("fmt");
    let file = dir.join("copyjob-content.json");
    let value: Value = serde_json::from_str(&mistakes()).expect("JSON");
    let mut four = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut four, formatter);
    serde::Serialize::serialize(&value, &mut serializer).expect("serialized");
    std::fs::write(&file, &four).expect("written");
    let path = file.to_str().expect("utf-8");
    let out = copyjob(&["fmt", "--check", path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), format!("would reformat {path}\n"));
    assert_eq!(std::fs::read(&file).expect("unchanged"), four);
    let out = copyjob(&["fmt", path]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&file).expect("formatted"), mistakes());
    assert_eq!(copyjob(&["fmt", "--check", path]).status.code(), Some(0));
    // The examples are already in the service's formatting.
    assert_eq!(copyjob(&["fmt", "--check", "examples/workspace"]).status.code(), Some(0));
    std::fs::remove_dir_all(dir).ok();
}
