//! `copyjob pull | push | run | cancel | status | runs`, run as a pipeline runs them: the binary,
//! signed in as a service principal through the emulator's token endpoint, against the emulator
//! over real HTTP on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use copyjob_emulator::{ClientConfig, ClientProof, Config, Emulator, LroMode, WorkspaceConfig};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const TENANT: &str = "contoso.onmicrosoft.com";
const CLIENT: &str = "6f1d4c8a-deploy-pipeline";
const SECRET: &str = "pipeline-Secret~Value.42";
/// A token the tests use to look at the emulator's state directly.
const ADMIN_TOKEN: &str = "admin-test-token";
const WS: &str = "00000000-0000-4000-8000-000000000001";
const WS_PROD: &str = "00000000-0000-4000-8000-000000000002";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn checker() -> Arc<copyjob::Checker> {
    static CHECKER: OnceLock<Arc<copyjob::Checker>> = OnceLock::new();
    CHECKER.get_or_init(|| Arc::new(copyjob::Checker::new())).clone()
}

/// An emulator serving on its own runtime for the test's lifetime.
struct Emu {
    url: String,
    _runtime: tokio::runtime::Runtime,
}

/// Test defaults: one registered service principal, an admin token, two workspaces, short
/// lifecycles (Retry-After 0: the client's shortest poll).
fn config() -> Config {
    Config {
        tokens: vec![ADMIN_TOKEN.to_owned()],
        clients: vec![ClientConfig { id: CLIENT.to_owned(), proof: ClientProof::Secret(SECRET.to_owned()) }],
        workspaces: vec![
            WorkspaceConfig { id: WS.parse().unwrap(), display_name: "Test".to_owned() },
            WorkspaceConfig { id: WS_PROD.parse().unwrap(), display_name: "Production".to_owned() },
        ],
        lro_queued: Duration::from_millis(100),
        lro_running: Duration::from_millis(200),
        job_queued: Duration::from_millis(200),
        job_running: Duration::from_millis(600),
        retry_after: 0,
        throttle_retry_after: 0,
        ..Config::default()
    }
}

fn start(config: Config) -> Emu {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime
        .block_on(Emulator::with_checker(config, checker()).bind(([127, 0, 0, 1], 0).into()))
        .expect("bind");
    let url = server.url();
    runtime.spawn(server.run_until(std::future::pending()));
    Emu { url, _runtime: runtime }
}

impl Emu {
    /// `copyjob ARGS` signed in as the service principal (client secret), in CI mode.
    fn copyjob(&self, args: &[&str]) -> Output {
        self.copyjob_env(args, &[("AZURE_CLIENT_SECRET", SECRET)])
    }

    fn copyjob_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_copyjob"));
        command.args(args).current_dir(root());
        for name in [
            "FABRIC_TOKEN",
            "FABRIC_WORKSPACE",
            "FABRIC_ENVIRONMENT",
            "AZURE_CLIENT_SECRET",
            "AZURE_FEDERATED_TOKEN_FILE",
            "AZURE_CLIENT_ID",
            "AZURE_TENANT_ID",
        ] {
            command.env_remove(name);
        }
        command
            .env("CI", "true")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("NO_COLOR", "1")
            .env("FABRIC_API_URL", &self.url)
            .env("AZURE_AUTHORITY_HOST", &self.url)
            .env("AZURE_TENANT_ID", TENANT)
            .env("AZURE_CLIENT_ID", CLIENT);
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().expect("copyjob runs")
    }

    /// GET on the API with the admin token.
    fn get(&self, path: &str) -> Value {
        http()
            .get(format!("{}/v1{path}", self.url))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .expect("GET")
            .json()
            .expect("JSON")
    }

    fn copy_jobs(&self, ws: &str) -> Vec<String> {
        let mut names: Vec<String> = self.get(&format!("/workspaces/{ws}/copyJobs"))["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["displayName"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    }

    /// The id of a copy job, by name.
    fn id_of(&self, ws: &str, name: &str) -> String {
        let list = self.get(&format!("/workspaces/{ws}/copyJobs"));
        list["value"].as_array().unwrap().iter().find(|v| v["displayName"] == name).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The decoded content of a copy job, by name.
    fn content(&self, ws: &str, name: &str) -> Value {
        let id = self.id_of(ws, name);
        let response = http()
            .post(format!("{}/v1/workspaces/{ws}/copyJobs/{id}/getDefinition", self.url))
            .bearer_auth(ADMIN_TOKEN)
            .header("content-length", "0")
            .send()
            .unwrap()
            .json::<Value>()
            .unwrap();
        let parts = response["definition"]["parts"].as_array().unwrap();
        let part = parts.iter().find(|p| p["path"] == "copyjob-content.json").unwrap();
        use base64::Engine as _;
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(part["payload"].as_str().unwrap()).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }
}

/// A client for the tests' own calls.
fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().no_proxy().build().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn all(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
}

/// A copy of a folder of the repository in a temporary folder.
fn copy_of(relative: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(relative), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn push_creates_then_updates_then_changes_nothing_then_deletes_orphans() {
    let emu = start(config());
    let repo = copy_of("examples/workspace");
    let dir = s(repo.path());
    // A fabric-cicd repository holds other item types too: they are skipped.
    copy_dir(&root().join("tests/deploy/other-types"), repo.path());

    let out = emu.copyjob(&["push", dir, "--workspace", WS]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("2 created"), "{}", stdout(&out));
    assert!(stderr(&out).contains("Hello.Notebook: a Notebook, not a CopyJob"), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("signing in with service principal {CLIENT} (client secret)")));
    assert_eq!(emu.copy_jobs(WS), ["Customers CDC", "Sales copy"]);

    // The second push changes nothing.
    let out = emu.copyjob(&["push", dir, "--workspace", "Test"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("2 unchanged"), "{}", stdout(&out));

    // A changed content: updateDefinition without metadata.
    let sales = repo.path().join("Sales.CopyJob");
    edit(&sales.join("copyjob-content.json"), "\"timeout\": \"0.12:00:00\"", "\"timeout\": \"0.02:00:00\"");
    let out = emu.copyjob(&["push", dir, "-w", WS, "--format", "json"]);
    assert_exit(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = report["items"].as_array().unwrap().iter().find(|i| i["displayName"] == "Sales copy").unwrap();
    assert_eq!(item["action"], "update");
    assert_eq!(item["changedParts"], serde_json::json!(["copyjob-content.json"]));
    assert_eq!(item["updateMetadata"], false);
    assert_eq!(emu.content(WS, "Sales copy")["properties"]["policy"]["timeout"], "0.02:00:00");

    // A renamed item (same logicalId): matched by logicalId, updated with updateMetadata=true.
    edit(&sales.join(".platform"), "\"displayName\": \"Sales copy\"", "\"displayName\": \"Sales (daily)\"");
    let out = emu.copyjob(&["push", dir, "-w", WS]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains(".platform (updateMetadata) (matched by logicalId)"), "{text}");
    assert_eq!(emu.copy_jobs(WS), ["Customers CDC", "Sales (daily)"]);
    let out = emu.copyjob(&["push", dir, "-w", WS]);
    assert!(stdout(&out).contains("2 unchanged"), "{}", stdout(&out));

    // A folder removed: its copy job is an orphan, kept unless --delete-orphans.
    std::fs::remove_dir_all(repo.path().join("Customers CDC.CopyJob")).unwrap();
    let out = emu.copyjob(&["push", dir, "-w", WS]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("1 unchanged, 1 orphan"), "{}", stdout(&out));
    assert_eq!(emu.copy_jobs(WS).len(), 2);
    let out = emu.copyjob(&["push", dir, "-w", WS, "--delete-orphans"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("1 unchanged, 1 deleted"), "{}", stdout(&out));
    assert_eq!(emu.copy_jobs(WS), ["Sales (daily)"]);
}

#[test]
fn push_of_examples_takes_only_item_folders() {
    // examples/ holds examples/broken, a lone definition without .platform (errors by design):
    // as in fabric-cicd, walking a folder takes only folders with a .platform (or named
    // Name.CopyJob) as items, and says which it skipped.
    let emu = start(config());
    let out = emu.copyjob(&["push", "examples", "-w", WS]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("2 created"), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("skipped examples/broken: no .platform and not named Name.CopyJob"), "{err}");
    assert!(!err.contains("error["), "{err}");
    assert_eq!(emu.copy_jobs(WS), ["Customers CDC", "Sales copy"]);
    let out = emu.copyjob(&["push", "examples", "-w", WS, "--format", "json"]);
    assert_exit(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let actions: Vec<&str> =
        report["items"].as_array().unwrap().iter().map(|i| i["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["unchanged", "unchanged"]);
    assert_eq!(report["skipped"][0]["folder"], "examples/broken");
    assert_eq!(report["skipped"].as_array().unwrap().len(), 1);

    // Named on the command line, the same folder is an item: linted, and refused.
    let out = emu.copyjob(&["push", "examples/broken", "-w", WS]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("nothing deployed"), "{}", stderr(&out));
    // A folder with no item folder at all is an error that names what it skipped.
    let empty = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/broken"), &empty.path().join("loose"));
    let out = emu.copyjob(&["push", s(empty.path()), "-w", WS]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("no item folder (a folder with a .platform, or named Name.CopyJob) under"), "{err}");
    assert!(err.contains("skipped ") && err.contains("loose: no .platform"), "{err}");
    assert_eq!(emu.copy_jobs(WS).len(), 2);
}

#[test]
fn dry_run_prints_the_plan_with_a_diff_per_part_and_changes_nothing() {
    let emu = start(config());
    let repo = copy_of("examples/workspace");
    let dir = s(repo.path());
    assert_exit(&emu.copyjob(&["push", dir, "-w", WS]), 0);
    let sales = repo.path().join("Sales.CopyJob");
    edit(&sales.join("copyjob-content.json"), "\"table\": \"dimension_city\"\n", "\"table\": \"dim_city\"\n");
    edit(&sales.join(".platform"), "Copies the sales tables", "Copies the sales tables every day");
    std::fs::remove_dir_all(repo.path().join("Customers CDC.CopyJob")).unwrap();
    let orders = copy_of("tests/deploy/params");
    copy_dir(&orders.path().join("Orders.CopyJob"), &repo.path().join("Orders.CopyJob"));
    // Orders' parameter values stay as in development: no parameter file is used here.
    let out = emu.copyjob(&["push", dir, "-w", WS, "--dry-run", "--delete-orphans"]);
    assert_exit(&out, 0);
    let plan = stdout(&out).replace(dir, "REPO");
    insta::with_settings!({filters => vec![
        (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
    ]}, {
        insta::assert_snapshot!(plan);
    });
    // Nothing changed.
    assert_eq!(emu.copy_jobs(WS), ["Customers CDC", "Sales copy"]);
    assert_eq!(
        emu.content(WS, "Sales copy")["activities"][0]["properties"]["destination"]["datasetSettings"]
            ["table"],
        "dimension_city"
    );
    // --format json carries the same plan, with the diffs.
    let out = emu.copyjob(&["push", dir, "-w", WS, "--dry-run", "--format", "json"]);
    assert_exit(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dryRun"], true);
    let actions: Vec<(&str, &str)> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["displayName"].as_str().unwrap(), i["action"].as_str().unwrap()))
        .collect();
    assert_eq!(actions, [("Orders", "create"), ("Sales copy", "update"), ("Customers CDC", "orphan")]);
    let sales = &report["items"][1];
    assert_eq!(sales["updateMetadata"], true);
    assert!(sales["diff"][".platform"]
        .as_str()
        .unwrap()
        .contains("+    \"description\": \"Copies the sales tables every day\""));
}

#[test]
fn parameters_for_two_environments() {
    let emu = start(config());
    // The parameters name the copy job "Sales copy" of the target workspace ($items).
    assert_exit(&emu.copyjob(&["push", "examples/workspace", "-w", WS]), 0);
    assert_exit(&emu.copyjob(&["push", "examples/workspace", "-w", WS_PROD]), 0);
    let dir = "tests/deploy/params";
    let out = emu.copyjob(&["push", dir, "-w", "Test", "--environment", "TEST"]);
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("sections for other item types ignored: spark_pool"), "{}", stderr(&out));
    let out = emu.copyjob(&["push", dir, "-w", WS_PROD, "-e", "PROD"]);
    assert_exit(&out, 0);

    let test = emu.content(WS, "Orders");
    let prod = emu.content(WS_PROD, "Orders");
    let source = "/properties/source/connectionSettings/typeProperties";
    let destination = "/properties/destination/connectionSettings/typeProperties";
    // find_replace, filtered by item type and name.
    assert_eq!(
        test.pointer(&format!("{source}/artifactId")).unwrap(),
        "22222222-2222-4222-8222-222222222222"
    );
    assert_eq!(
        prod.pointer(&format!("{source}/artifactId")).unwrap(),
        "33333333-3333-4333-8333-333333333333"
    );
    // The all-zero workspace id is the target workspace.
    assert_eq!(test.pointer(&format!("{source}/workspaceId")).unwrap(), WS);
    assert_eq!(prod.pointer(&format!("{source}/workspaceId")).unwrap(), WS_PROD);
    // key_value_replace with the dynamic $workspace.id, for _ALL_ environments.
    assert_eq!(test.pointer(&format!("{destination}/workspaceId")).unwrap(), WS);
    assert_eq!(prod.pointer(&format!("{destination}/workspaceId")).unwrap(), WS_PROD);
    // $items.CopyJob.Sales copy.id: the id of that copy job in each target workspace.
    let (sales_test, sales_prod) = (emu.id_of(WS, "Sales copy"), emu.id_of(WS_PROD, "Sales copy"));
    assert_ne!(sales_test, sales_prod);
    assert_eq!(test.pointer(&format!("{destination}/artifactId")).unwrap(), sales_test.as_str());
    assert_eq!(prod.pointer(&format!("{destination}/artifactId")).unwrap(), sales_prod.as_str());
    // A regex whose first capture group is replaced, filtered by file_path.
    let table = "/activities/0/properties/destination/datasetSettings/table";
    assert_eq!(test.pointer(table).unwrap(), "orders_test");
    assert_eq!(prod.pointer(table).unwrap(), "orders_prod");
    assert_eq!(test["properties"]["policy"]["timeout"], "0.01:00:00");
    assert_eq!(prod["properties"]["policy"]["timeout"], "0.12:00:00");

    // Pushing the same environment again changes nothing.
    let out = emu.copyjob(&["push", dir, "-w", WS_PROD, "-e", "PROD"]);
    assert!(stdout(&out).contains("1 unchanged"), "{}", stdout(&out));

    // An environment some values have no replacement for: those placeholders are errors.
    let out = emu.copyjob(&["push", dir, "-w", WS, "-e", "STAGING"]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("error[deploy/unreplaced-parameter]"), "{err}");
    assert!(err.contains("find_value \"11111111-1111-4111-8111-111111111111\""), "{err}");
    assert!(err.contains("find_key \"$.properties.policy.timeout\""), "{err}");
    assert!(err.contains("nothing deployed"), "{err}");
    // Without an environment, a parameter file is an error before anything is sent.
    let out = emu.copyjob(&["push", dir, "-w", WS]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("defines values for PROD, STAGING, TEST"), "{}", stderr(&out));

    // An attribute the item type does not have, or an item the workspace does not hold: errors
    // that say what there is.
    let other = tempfile::tempdir().unwrap();
    let file = other.path().join("parameter.yml");
    for (reference, expected) in [
        (
            "$items.CopyJob.Sales copy.$sqlendpoint",
            "the dynamic value $items.CopyJob.Sales copy.$sqlendpoint: a CopyJob has no `$sqlendpoint`; \
             a CopyJob has $id (`$sqlendpoint`: Lakehouse, MirroredDatabase, SQLDatabase, Warehouse)",
        ),
        ("$items.CopyJob.Nope.$id", "no CopyJob named \"Nope\" in workspace"),
    ] {
        let yaml = format!(
            "find_replace:\n  - find_value: \"d0e31750-29de-4992-b01d-ed022494141f\"\n    \
             replace_value: {{ TEST: \"{reference}\" }}\n"
        );
        std::fs::write(&file, yaml).unwrap();
        let out = emu.copyjob(&["push", dir, "-w", WS, "-e", "TEST", "--parameters", s(&file)]);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    }
}

#[test]
fn push_refuses_a_definition_with_errors_unless_forced() {
    let emu = start(config());
    let repo = copy_of("examples/workspace");
    edit(&repo.path().join("Sales.CopyJob/copyjob-content.json"), "\"Overwrite\"", "\"Upsert\"");
    let out = emu.copyjob(&["push", s(repo.path()), "-w", WS]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("error[lint/upsert-without-keys]"), "{}", stderr(&out));
    assert!(emu.copy_jobs(WS).is_empty());
    // --format json: one document on stdout, with the diagnostics that refused it.
    let out = emu.copyjob(&["push", s(repo.path()), "-w", WS, "--format", "json"]);
    assert_exit(&out, 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["items"], serde_json::json!([]));
    let refused = report["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{report:#}");
    assert_eq!(refused[0]["displayName"], "Sales copy");
    let diagnostic = refused[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "lint/upsert-without-keys")
        .unwrap();
    assert_eq!(diagnostic["severity"], "error");
    assert!(
        diagnostic["file"].as_str().unwrap().ends_with("Sales.CopyJob/copyjob-content.json"),
        "{diagnostic}"
    );
    assert!(diagnostic["message"].as_str().unwrap().len() > 10, "{diagnostic}");
    assert!(diagnostic["range"]["start"]["line"].as_u64().unwrap() > 1, "{diagnostic}");
    assert!(diagnostic["range"]["start"]["column"].as_u64().unwrap() > 1, "{diagnostic}");
    assert!(emu.copy_jobs(WS).is_empty());
    // The service accepts it (an upsert without keys fails at run time): --force deploys it.
    let out = emu.copyjob(&["push", s(repo.path()), "-w", WS, "--force"]);
    assert_exit(&out, 0);
    assert_eq!(emu.copy_jobs(WS).len(), 2);
}

#[test]
fn long_running_operations_throttling_and_paging() {
    let emu = start(Config { lro: LroMode::Async, throttle_every: 4, page_size: 1, ..config() });
    let out = emu.copyjob(&["push", "examples/workspace", "-w", WS, "--verbose"]);
    assert_exit(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("create \"Sales copy\": waiting for the operation"), "{err}");
    assert!(err.contains("throttled (429 RequestBlocked): retrying"), "{err}");
    assert!(err.contains("-> 202 (RequestId"), "{err}");
    // Paging: with one item per page, the second push still finds both.
    let out = emu.copyjob(&["push", "examples/workspace", "-w", WS, "--verbose"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("2 unchanged"), "{}", stdout(&out));
    assert!(stderr(&out).contains("continuationToken="), "{}", stderr(&out));
    // Pull follows getDefinition operations too.
    let dir = tempfile::tempdir().unwrap();
    let out = emu.copyjob(&["pull", "-w", WS, "-o", s(dir.path())]);
    assert_exit(&out, 0);
    assert_eq!(
        std::fs::read(dir.path().join("Sales copy.CopyJob/copyjob-content.json")).unwrap(),
        std::fs::read(root().join("examples/workspace/Sales.CopyJob/copyjob-content.json")).unwrap()
    );
}

#[test]
fn throttling_has_a_bounded_total_wait() {
    let emu = start(Config { throttle_every: 1, throttle_retry_after: 1, ..config() });
    let out = emu.copyjob(&["runs", "Sales copy", "-w", WS, "--max-throttle-wait", "0s"]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("still throttled after waiting 0s in total"), "{err}");
    assert!(
        err.contains("HTTP 429 RequestBlocked: Request is blocked by the upstream service until"),
        "{err}"
    );
    assert!(err.contains("(requestId "), "{err}");
}

#[test]
fn pull_writes_item_folders_byte_for_byte() {
    let emu = start(config());
    assert_exit(&emu.copyjob(&["push", "examples/workspace", "-w", WS]), 0);
    let dir = tempfile::tempdir().unwrap();
    let out = emu.copyjob(&["pull", "Customers CDC", "-w", WS, "-o", s(dir.path()), "--format", "json"]);
    assert_exit(&out, 0);
    let pulled: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(pulled.as_array().unwrap().len(), 1);
    let folder = dir.path().join("Customers CDC.CopyJob");
    assert_eq!(
        std::fs::read(folder.join("copyjob-content.json")).unwrap(),
        std::fs::read(root().join("examples/workspace/Customers CDC.CopyJob/copyjob-content.json")).unwrap()
    );
    assert!(folder.join(".platform").is_file());
    // What was pulled lints clean and pushes back unchanged.
    let lint = Command::new(env!("CARGO_BIN_EXE_copyjob")).args(["lint", s(&folder)]).output().unwrap();
    assert_exit(&lint, 0);
    let out = emu.copyjob(&["push", s(dir.path()), "-w", WS]);
    assert!(stdout(&out).contains("1 unchanged, 1 orphan"), "{}", stdout(&out));
    // An unknown item is an error.
    let out = emu.copyjob(&["pull", "Nope", "-w", WS, "-o", s(dir.path())]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("no copy job named or with id \"Nope\""), "{}", stderr(&out));
}

#[test]
fn run_wait_exits_with_the_outcome() {
    let emu = start(config());
    assert_exit(&emu.copyjob(&["push", "examples/workspace", "-w", WS]), 0);
    let out = emu.copyjob(&["run", "Sales copy", "-w", WS, "--wait"]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("Completed"), "{}", stdout(&out));
    assert!(stderr(&out).contains(": InProgress"), "{}", stderr(&out));

    let failing = start(Config { fail_runs: true, ..config() });
    assert_exit(&failing.copyjob(&["push", "examples/workspace", "-w", WS]), 0);
    let out = failing.copyjob(&["run", "Sales copy", "-w", WS, "--wait"]);
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(text.contains("Failed"), "{text}");
    assert!(
        text.contains("failureReason: JobInstanceStatusFailed: Job instance failed without detail error"),
        "{text}"
    );
    let out = failing.copyjob(&["run", "Sales copy", "-w", WS, "--wait", "--format", "json"]);
    assert_exit(&out, 1);
    let instance: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(instance["status"], "Failed");
    assert_eq!(instance["failureReason"]["errorCode"], "JobInstanceStatusFailed");
}

#[test]
fn run_wait_times_out_with_exit_3_and_cancel_stops_the_run() {
    let emu = start(Config { job_running: Duration::from_secs(600), ..config() });
    assert_exit(&emu.copyjob(&["push", "examples/workspace", "-w", WS]), 0);
    let out = emu.copyjob(&["run", "Customers CDC", "-w", WS, "--wait", "--timeout", "1s"]);
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("timed out after 1s"), "{}", stderr(&out));
    let instance = stdout(&out).split_whitespace().next().unwrap().to_owned();

    let out = emu.copyjob(&["status", "Customers CDC", "-w", WS, "--format", "json"]);
    assert_exit(&out, 0);
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["id"], instance.as_str());
    assert_eq!(status["status"], "InProgress");

    let out = emu.copyjob(&["cancel", "Customers CDC", &instance, "-w", WS]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("cancellation of job instance"), "{}", stdout(&out));
    let out = emu.copyjob(&["status", "Customers CDC", &instance, "-w", WS]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("Cancelled"), "{}", stdout(&out));
    // Cancelling again: the service's error, with its code and request id.
    let out = emu.copyjob(&["cancel", "Customers CDC", &instance, "-w", WS]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("HTTP 400 JobAlreadyCompleted") && err.contains("(requestId "), "{err}");

    // runs: newest first.
    let out = emu.copyjob(&["run", "Customers CDC", "-w", WS]);
    assert_exit(&out, 0);
    let newest = stdout(&out).trim().to_owned();
    let out = emu.copyjob(&["runs", "Customers CDC", "-w", WS, "--format", "json"]);
    assert_exit(&out, 0);
    let runs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = runs.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [newest.as_str(), instance.as_str()]);
}

#[test]
fn run_wait_waits_the_whole_timeout_when_retry_after_is_longer() {
    // The service asks to look again in 10 s; --timeout 1s still waits its second (and looks
    // once more) before giving up, and does not sleep the whole Retry-After.
    let emu = start(Config { retry_after: 10, job_running: Duration::from_secs(600), ..config() });
    assert_exit(&emu.copyjob(&["push", "examples/workspace", "-w", WS]), 0);
    let started = std::time::Instant::now();
    let out = emu.copyjob(&["run", "Sales copy", "-w", WS, "--wait", "--timeout", "1s"]);
    let took = started.elapsed();
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("timed out after 1s"), "{}", stderr(&out));
    assert!(took >= Duration::from_secs(1), "gave up after {took:?}, before the 1 s timeout");
    assert!(took < Duration::from_secs(8), "took {took:?}: slept the Retry-After past the timeout");
}

#[test]
fn an_expired_token_is_renewed() {
    // Tokens live 1 s but the token endpoint claims an hour (a clock skew): the API's 401
    // TokenExpired makes the client sign in again.
    let emu = start(Config {
        token_lifetime: Duration::from_secs(1),
        token_expires_in: Some(3600),
        job_running: Duration::from_millis(2500),
        ..config()
    });
    assert_exit(&emu.copyjob(&["push", "examples/workspace", "-w", WS]), 0);
    let out = emu.copyjob(&["run", "Sales copy", "-w", WS, "--wait"]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("the access token expired (401 TokenExpired): signing in again"),
        "{}",
        stderr(&out)
    );

    // Tokens that say they live 2 s are renewed before they expire: no 401 at all.
    let emu = start(Config {
        token_lifetime: Duration::from_secs(2),
        job_running: Duration::from_millis(2500),
        ..config()
    });
    assert_exit(&emu.copyjob(&["push", "examples/workspace", "-w", WS]), 0);
    let out = emu.copyjob(&["run", "Sales copy", "-w", WS, "--wait"]);
    assert_exit(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("the access token was renewed before it expired"), "{err}");
    assert!(!err.contains("TokenExpired"), "{err}");

    // A given token cannot be renewed: TokenExpired is an error.
    let token = issued_token(&emu);
    std::thread::sleep(Duration::from_millis(2100));
    let out = emu.copyjob_env(&["runs", "Sales copy", "-w", WS], &[("FABRIC_TOKEN", &token)]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("HTTP 401 TokenExpired"), "{}", stderr(&out));
    assert!(!all(&out).contains(&token));
}

#[test]
fn workload_identity_federation() {
    let assertion =
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIn0.sig";
    let mut config = config();
    config.clients.push(ClientConfig {
        id: "github-oidc".to_owned(),
        proof: ClientProof::Assertion(assertion.to_owned()),
    });
    let emu = start(config);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oidc-token");
    std::fs::write(&file, format!("{assertion}\n")).unwrap();
    let env = [("AZURE_CLIENT_ID", "github-oidc"), ("AZURE_FEDERATED_TOKEN_FILE", s(&file))];
    let out = emu.copyjob_env(&["push", "examples/workspace", "-w", WS], &env);
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("service principal github-oidc (workload identity federation)"));
    assert_eq!(emu.copy_jobs(WS).len(), 2);
    // Another assertion is refused, and not shown.
    std::fs::write(&file, "eyJ.another.assertion").unwrap();
    let out = emu.copyjob_env(&["push", "examples/workspace", "-w", WS], &env);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("No matching federated identity record"), "{}", stderr(&out));
    assert!(!all(&out).contains("eyJ"), "{}", all(&out));
}

/// A token the emulator's token endpoint issues to the test's service principal.
fn issued_token(emu: &Emu) -> String {
    http()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", emu.url))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("scope", "https://api.fabric.microsoft.com/.default"),
        ])
        .send()
        .unwrap()
        .json::<Value>()
        .unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[cfg(unix)]
#[test]
fn the_azure_cli_login_is_the_fallback() {
    use std::os::unix::fs::PermissionsExt as _;
    let emu = start(config());
    let token = issued_token(&emu);
    assert!(token.starts_with("eyJ"), "{token}");
    // A fake `az` on PATH: it records its arguments and answers as `az account get-access-token`.
    let bin = tempfile::tempdir().unwrap();
    let az = bin.path().join("az");
    let script = |body: &str| {
        std::fs::write(&az, format!("#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args\"\n{body}\n"))
            .unwrap();
        std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    let expires_on =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3600;
    std::fs::write(
        bin.path().join("token.json"),
        serde_json::json!({
            "accessToken": token,
            "expires_on": expires_on,
            "tokenType": "Bearer",
            "tenant": TENANT,
        })
        .to_string(),
    )
    .unwrap();
    script("cat \"$(dirname \"$0\")/token.json\"");
    let path = format!("{}:{}", s(bin.path()), std::env::var("PATH").unwrap_or_default());
    // No service principal in the environment (empty variables count as unset).
    let env = [("PATH", path.as_str()), ("AZURE_TENANT_ID", ""), ("AZURE_CLIENT_ID", "")];
    let out = emu.copyjob_env(&["push", "examples/workspace", "-w", WS, "--verbose"], &env);
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("signing in with the Azure CLI's login"), "{}", stderr(&out));
    assert_eq!(emu.copy_jobs(WS).len(), 2);
    let args = std::fs::read_to_string(bin.path().join("args")).unwrap();
    assert_eq!(
        args.trim(),
        "account get-access-token --scope https://api.fabric.microsoft.com/.default --output json"
    );
    let runs = emu.copyjob_env(&["runs", "Sales copy", "-w", WS, "--verbose", "--format", "json"], &env);
    assert_exit(&runs, 0);
    for out in [&out, &runs] {
        assert!(!all(out).contains(&token), "{}", all(out));
        assert!(!all(out).contains("eyJ"), "{}", all(out));
    }

    // Not signed in: the CLI's own first line, and what to do.
    script("echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1");
    let out = emu.copyjob_env(&["runs", "Sales copy", "-w", WS], &env);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains(
            "the Azure CLI gave no token (run `az login`, or use a service principal): \
             ERROR: Please run 'az login' to setup account."
        ),
        "{}",
        stderr(&out)
    );
    // No Azure CLI at all: every way to sign in is named.
    let empty = tempfile::tempdir().unwrap();
    let env = [("PATH", s(empty.path())), ("AZURE_TENANT_ID", ""), ("AZURE_CLIENT_ID", "")];
    let out = emu.copyjob_env(&["runs", "Sales copy", "-w", WS], &env);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("no credential: pass --token or set FABRIC_TOKEN"), "{err}");
    assert!(err.contains("the Azure CLI could not be run"), "{err}");
}

/// A token endpoint on loopback that answers the given HTTP responses in turn (the last one
/// again when they run out); the count of requests it received.
fn fake_token_endpoint(responses: Vec<String>) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let response = &responses[n.min(responses.len() - 1)];
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (url, count)
}

fn http_response(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn the_token_endpoint_is_retried_on_429_and_5xx_within_the_bound() {
    let emu = start(config());
    let token = issued_token(&emu);
    let busy = r#"{"error":"temporarily_unavailable","error_description":"AADSTS50196: Try again later.\r\nTrace ID: 1"}"#;
    let (url, count) = fake_token_endpoint(vec![
        http_response("503 Service Unavailable", "Retry-After: 0\r\n", ""),
        http_response("429 Too Many Requests", "Retry-After: 1\r\n", busy),
        http_response(
            "200 OK",
            "",
            &serde_json::json!({ "token_type": "Bearer", "expires_in": 3600, "access_token": token })
                .to_string(),
        ),
    ]);
    let env = [("AZURE_CLIENT_SECRET", SECRET), ("AZURE_AUTHORITY_HOST", url.as_str())];
    let started = std::time::Instant::now();
    let out = emu.copyjob_env(&["push", "examples/workspace", "-w", WS], &env);
    assert_exit(&out, 0);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 3);
    let err = stderr(&out);
    assert!(
        err.contains("the token endpoint answered 503 Service Unavailable: signing in again in 0s"),
        "{err}"
    );
    assert!(
        err.contains("the token endpoint answered 429 Too Many Requests: signing in again in 1s"),
        "{err}"
    );
    assert_eq!(emu.copy_jobs(WS).len(), 2);
    assert!(!all(&out).contains(&token) && !all(&out).contains(SECRET), "{}", all(&out));

    // Always throttled: the wait is bounded by --max-throttle-wait.
    let (url, count) =
        fake_token_endpoint(vec![http_response("429 Too Many Requests", "Retry-After: 1\r\n", busy)]);
    let env = [("AZURE_CLIENT_SECRET", SECRET), ("AZURE_AUTHORITY_HOST", url.as_str())];
    let out = emu.copyjob_env(&["runs", "Sales copy", "-w", WS, "--max-throttle-wait", "1s"], &env);
    assert_exit(&out, 2);
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 2);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "sign-in as service principal {CLIENT} (client secret) failed: the token endpoint still \
             answered 429 Too Many Requests after waiting 1s in total (--max-throttle-wait 1s): \
             temporarily_unavailable: AADSTS50196: Try again later."
        )),
        "{err}"
    );
    assert!(!all(&out).contains(SECRET), "{}", all(&out));
}

#[test]
fn a_secret_or_token_is_never_printed() {
    let emu = start(config());
    let runs = ["runs", "Sales copy", "-w", WS, "--verbose"];
    let mut outputs = vec![
        emu.copyjob(&["push", "examples/workspace", "-w", WS, "--verbose"]),
        emu.copyjob(&runs),
        emu.copyjob(&["run", "Sales copy", "-w", WS, "--wait", "--verbose"]),
        emu.copyjob(&["push", "examples/workspace", "-w", WS, "--dry-run", "--format", "json", "--verbose"]),
    ];
    for out in &outputs {
        assert_exit(out, 0);
    }
    // A wrong secret, a secret sent to a token endpoint that is not there, a refused token.
    let wrong = "wrong-Secret~Value.43";
    let out = emu.copyjob_env(&runs, &[("AZURE_CLIENT_SECRET", wrong)]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("invalid_client: AADSTS7000215: Invalid client secret provided"),
        "{}",
        stderr(&out)
    );
    assert!(!all(&out).contains(wrong));
    outputs.push(out);
    let out = emu.copyjob_env(
        &runs,
        &[("AZURE_CLIENT_SECRET", SECRET), ("AZURE_AUTHORITY_HOST", "http://127.0.0.1:9")],
    );
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("cannot reach the token endpoint http://127.0.0.1:9/"), "{}", stderr(&out));
    outputs.push(out);
    let refused = "not-a-valid-token-1234";
    let out = emu.copyjob_env(&runs, &[("FABRIC_TOKEN", refused)]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("HTTP 401 InvalidToken"), "{}", stderr(&out));
    assert!(!all(&out).contains(refused));
    outputs.push(out);
    let out = emu.copyjob_env(&["runs", "Sales copy", "-w", WS, "--token", refused], &[]);
    assert_exit(&out, 2);
    assert!(!all(&out).contains(refused));
    // clap's help does not show the environment's token either.
    let out = emu.copyjob_env(&["push", "--help"], &[("FABRIC_TOKEN", refused)]);
    assert_exit(&out, 0);
    assert!(!all(&out).contains(refused));
    for out in &outputs {
        let text = all(out);
        assert!(!text.contains(SECRET), "{text}");
        // Issued tokens are JWTs: base64url of `{"` is `eyJ`.
        assert!(!text.contains("eyJ"), "{text}");
    }
}
