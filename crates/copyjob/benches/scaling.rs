//! Scaling benchmark: every hostile shape of input at 1, 4, 16 and 64 MB (and a 99 MiB content),
//! its lint throughput relative to the regular document (the benchmark's `large` shape: full
//! activities with ten column mappings each) and its peak memory.
//!
//! `cargo bench -p copyjob --bench scaling` prints a Markdown table. Each case runs in a child
//! process of this binary, so its peak memory (VmHWM) is its own. Options (after `--`):
//! `--sizes 1,4` (MB), `--shapes many-keys,many-parts`, `--dump DIR` (write the documents and
//! stop), `--one SHAPE SIZE_MB` (run one case; what the children do).

use copyjob::Checker;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const MB: usize = 1_000_000;

/// The shapes, in table order.
const SHAPES: &[(&str, &str)] = &[
    ("regular", "activities of the benchmark's large document (10 mappings each)"),
    ("many-activities", "minimal activities (~250 bytes each)"),
    ("many-mappings", "one activity, every byte in its column mappings"),
    ("many-keys", "one object with many distinct keys"),
    ("duplicate-keys", "one object with one key repeated (a diagnostic each)"),
    ("many-parts", "a definition body with many parts (an unknown-part warning each)"),
    ("many-diagnostics", "every activity wrong (3 diagnostics each)"),
    ("minified-diagnostics", "every activity wrong, on one line"),
    ("long-strings", "256 KB non-ASCII strings, each followed by a diagnostic"),
    ("deep-nesting", "values inside 490 nested arrays (the limit is 512)"),
];

fn guid(i: usize) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        i,
        (i * 7) % 65536,
        i % 4096,
        i % 4096,
        i * 2654435761 % (1 << 48)
    )
}

const CONTENT_HEAD: &str = r#"{
  "properties": {
    "jobMode": "Batch",
    "source": {
      "type": "LakehouseTable",
      "connectionSettings": {
        "type": "Lakehouse",
        "typeProperties": {
          "workspaceId": "00000000-0000-0000-0000-000000000001",
          "artifactId": "aaaaaaaa-6666-7777-8888-bbbbbbbbbbbb",
          "rootFolder": "Tables"
        }
      }
    },
    "destination": {
      "type": "LakehouseTable",
      "connectionSettings": {
        "type": "Lakehouse",
        "typeProperties": {
          "workspaceId": "00000000-0000-0000-0000-000000000001",
          "artifactId": "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb",
          "rootFolder": "Tables"
        }
      }
    }
  },
  "activities": ["#;

const COLUMNS: [(&str, &str, &str, &str); 10] = [
    ("id", "Int64", "bigint", "long"),
    ("name", "String", "nvarchar", "string"),
    ("created_at", "DateTime", "datetime2", "timestamp"),
    ("amount", "Decimal", "decimal", "decimal"),
    ("is_active", "Boolean", "bit", "boolean"),
    ("country_code", "String", "char", "string"),
    ("quantity", "Int32", "int", "integer"),
    ("ratio", "Double", "float", "double"),
    ("updated_by", "String", "nvarchar", "string"),
    ("row_version", "Int64", "bigint", "long"),
];

fn mapping(i: usize) -> String {
    let (n, t, ps, pd) = COLUMNS[i % COLUMNS.len()];
    let name = if i < COLUMNS.len() { n.to_owned() } else { format!("{n}_{i}") };
    format!(
        r#"
            {{
              "source": {{ "name": "{name}", "type": "{t}", "physicalType": "{ps}" }},
              "destination": {{ "name": "{name}", "type": "{t}", "physicalType": "{pd}" }}
            }}"#
    )
}

fn full_activity(i: usize, mappings: usize) -> String {
    let wb = ["Append", "Overwrite", "Merge", "Upsert"][i % 4];
    let keys =
        if matches!(wb, "Merge" | "Upsert") { r#", "upsertSettings": { "keys": ["id"] }"# } else { "" };
    let maps: Vec<String> = (0..mappings).map(mapping).collect();
    format!(
        r#"
    {{
      "id": "{}",
      "properties": {{
        "source": {{ "datasetSettings": {{ "schema": "dbo", "table": "table_{i:05}" }} }},
        "destination": {{
          "writeBehavior": "{wb}",
          "datasetSettings": {{ "schema": "dbo", "table": "table_{i:05}" }},
          "applyVOrder": false{keys}
        }},
        "enableStaging": false,
        "translator": {{
          "type": "TabularTranslator",
          "mappings": [{}
          ]
        }},
        "typeConversionSettings": {{ "typeConversion": {{ "allowDataTruncation": true, "treatBooleanAsNumber": false }} }}
      }}
    }}"#,
        guid(i),
        maps.join(",")
    )
}

fn small_activity(i: usize, extra: &str) -> String {
    format!(
        r#"
    {{
      "id": "{}",
      "properties": {{
        "source": {{ "datasetSettings": {{ "table": "t{i}"{extra} }} }},
        "destination": {{ "writeBehavior": "Append", "datasetSettings": {{ "table": "t{i}" }} }}
      }}
    }}"#,
        guid(i)
    )
}

fn wrong_activity(i: usize) -> String {
    format!(
        r#"
    {{
      "id": "{}",
      "properties": {{
        "source": {{ "datasetSettings": {{ "table": "t{i}" }} }},
        "destination": {{ "writeBehavior": "Replace", "writeBehaviour": "Append", "datasetSettings": {{ "schema": "dbo" }} }}
      }}
    }}"#,
        guid(i)
    )
}

/// A content whose activities are produced by `activity` until the text reaches `size` bytes.
fn content(size: usize, mut activity: impl FnMut(usize) -> String) -> String {
    let mut out = String::with_capacity(size + 8192);
    out.push_str(CONTENT_HEAD);
    let mut i = 0;
    while out.len() < size {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&activity(i));
        i += 1;
    }
    out.push_str("\n  ]\n}");
    out
}

/// `text` without the whitespace between its tokens (strings kept as written).
fn minified(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if c.is_ascii_whitespace() {
            continue;
        } else {
            in_string = c == '"';
        }
        out.push(c);
    }
    out
}

/// One activity whose `source.datasetSettings` holds `members` produced by `member(i)`.
fn one_object(size: usize, member: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(size + 8192);
    out.push_str(CONTENT_HEAD);
    let _ = write!(
        out,
        r#"
    {{
      "id": "{}",
      "properties": {{
        "destination": {{ "writeBehavior": "Append", "datasetSettings": {{ "table": "t" }} }},
        "source": {{
          "datasetSettings": {{
            "table": "t""#,
        guid(0)
    );
    let mut i = 0;
    while out.len() < size {
        out.push_str(",\n            ");
        out.push_str(&member(i));
        i += 1;
    }
    out.push_str("\n          }\n        }\n      }\n    }\n  ]\n}");
    out
}

fn one_activity_mappings(size: usize) -> String {
    let mut out = String::with_capacity(size + 8192);
    out.push_str(CONTENT_HEAD);
    let _ = write!(
        out,
        r#"
    {{
      "id": "{}",
      "properties": {{
        "source": {{ "datasetSettings": {{ "table": "t" }} }},
        "destination": {{ "writeBehavior": "Append", "datasetSettings": {{ "table": "t" }} }},
        "translator": {{
          "type": "TabularTranslator",
          "mappings": ["#,
        guid(0)
    );
    let mut i = 0;
    while out.len() < size {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&mapping(i));
        i += 1;
    }
    out.push_str("\n          ]\n        }\n      }\n    }\n  ]\n}");
    out
}

fn base64(bytes: &[u8]) -> String {
    copyjob::codec::encode_base64(bytes)
}

fn many_parts(size: usize) -> String {
    let content = content(0, |i| small_activity(i, ""));
    let mut out = String::with_capacity(size + 8192);
    let _ = write!(
        out,
        r#"{{
  "definition": {{
    "parts": [
      {{ "path": "copyjob-content.json", "payload": "{}", "payloadType": "InlineBase64" }}"#,
        base64(content.as_bytes())
    );
    let mut i = 0;
    while out.len() < size {
        let part = format!(r#"{{"note": "extra part {i}"}}"#);
        let _ = write!(
            out,
            r#",
      {{ "path": "extra/part-{i}.json", "payload": "{}", "payloadType": "InlineBase64" }}"#,
            base64(part.as_bytes())
        );
        i += 1;
    }
    out.push_str("\n    ]\n  }\n}");
    out
}

/// Arrays nested `depth` deep around a number.
fn nested(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

/// The document of a shape at (about) `size` bytes, and the file name it is checked as.
pub fn generate(shape: &str, size: usize) -> (String, &'static str) {
    const CONTENT: &str = "copyjob-content.json";
    let text = match shape {
        "regular" => content(size, |i| full_activity(i, 10)),
        "many-activities" => content(size, |i| small_activity(i, "")),
        "many-mappings" => one_activity_mappings(size),
        "many-keys" => one_object(size, |i| format!("\"k{i:07}\": {i}")),
        "duplicate-keys" => one_object(size, |i| format!("\"table\": \"t{i}\"")),
        "many-parts" => return (many_parts(size), "definition.json"),
        "many-diagnostics" => content(size, wrong_activity),
        "minified-diagnostics" => {
            // The document `content(size, wrong_activity)` writes, written minified piece by
            // piece (no copy of it in the process before the check: its peak memory is measured).
            let mut out = String::with_capacity(size);
            out.push_str(&minified(CONTENT_HEAD));
            let (mut pretty, mut i) = (CONTENT_HEAD.len(), 0);
            while pretty < size {
                if i > 0 {
                    out.push(',');
                    pretty += 1;
                }
                let activity = wrong_activity(i);
                pretty += activity.len();
                out.push_str(&minified(&activity));
                i += 1;
            }
            out.push_str("]}");
            out
        }
        "long-strings" => {
            let long = "é".repeat(128 * 1024);
            content(size, |i| {
                // The id is not a GUID: a diagnostic after every long string.
                small_activity(i, &format!(r#", "note": "{long}""#)).replacen("\"id\": \"", "\"id\": \"x-", 1)
            })
        }
        "deep-nesting" => {
            // With the ~11 levels of the activity around it: just under the limit of 512.
            let deep = nested(490);
            content(size, |i| small_activity(i, &format!(r#", "nested": {deep}"#)))
        }
        other => panic!("unknown shape {other}"),
    };
    (text, CONTENT)
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// Runs one case in this process: prints `bytes seconds diagnostics peak_kb_before peak_kb`.
fn run_one(shape: &str, size: usize) {
    let (text, name) = generate(shape, size);
    let bytes = text.into_bytes();
    let checker = Checker::new();
    // Warm up on a small document of the same shape (the schemas), then on the document itself (a
    // heap grown to its size), for every case and the reference alike: the measured runs then all
    // reuse memory the process already has. With only the small warm-up, a document checked 5
    // times (up to 4 MB) reused the heap of its first run, but one checked once (64 MB) paid the
    // kernel for every fresh page (a third of its time): that measured the runs per size, not the
    // cost per byte. Blocks of any size come from that heap only with [`GLIBC_TUNABLES`].
    let (small, _) = generate(shape, 64 * 1024);
    drop(checker.check_file(name, small.as_bytes()));
    let before = peak_rss_kb();
    drop(checker.check_file(name, &bytes));
    let runs = if bytes.len() <= 4 * MB {
        5
    } else if bytes.len() <= 16 * MB {
        3
    } else {
        1
    };
    let mut times = Vec::new();
    let mut diagnostics = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let report = checker.check_file(name, &bytes);
        times.push(start.elapsed());
        diagnostics = report.diagnostics.len();
        drop(report);
    }
    times.sort();
    let median = times[times.len() / 2];
    println!("{} {} {} {} {}", bytes.len(), median.as_secs_f64(), diagnostics, before, peak_rss_kb());
}

struct Case {
    bytes: usize,
    time: Duration,
    diagnostics: usize,
    /// Peak memory of the check, above the process's memory before it (document included).
    extra_kb: u64,
}

/// glibc settings for the cases: every allocation from the heap, none returned to the kernel.
/// glibc serves a block over 32 MB (its largest mmap threshold) with a fresh `mmap` and unmaps it
/// when freed, so above ~16 MB of document the tree was new memory in every measured run and
/// the kernel's page faults were a third of the time (deep nesting at 4 MB: 0.088 s, 0.056 s
/// without them), while the reference reused its heap: the warm-up below then measured which
/// side of the threshold a case's blocks fell on, not its cost per byte.
const GLIBC_TUNABLES: &str = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736";

/// How many processes measure each case.
const PROCESSES: usize = 3;

/// A case measured in `PROCESSES` processes, each right after a process measuring the reference.
struct Paired {
    /// The case's fastest process.
    case: Case,
    /// The median of the ratios of each case process's throughput to its reference's.
    ratio: f64,
    /// The reference's fastest process.
    reference: Case,
}

fn throughput(case: &Case) -> f64 {
    case.bytes as f64 / case.time.as_secs_f64()
}

/// A case measured against the reference (the regular shape at the size of the benchmark's large
/// document) process by process: this machine's speed changes from one second to the next (the
/// reference measured 15 to 32 ms within one run, and a whole row of cases half as fast as the
/// reference a minute before), so a ratio is only meaningful between processes run together.
fn paired(shape: &str, size_mb: f64) -> Paired {
    let (mut references, mut cases): (Vec<Case>, Vec<Case>) =
        (0..PROCESSES).map(|_| (spawn("regular", 4.3), spawn(shape, size_mb))).unzip();
    let mut ratios: Vec<f64> =
        references.iter().zip(&cases).map(|(r, c)| throughput(c) / throughput(r)).collect();
    ratios.sort_by(f64::total_cmp);
    references.sort_by_key(|case| case.time);
    cases.sort_by_key(|case| case.time);
    Paired {
        ratio: ratios[ratios.len() / 2],
        case: cases.swap_remove(0),
        reference: references.swap_remove(0),
    }
}

fn spawn(shape: &str, size_mb: f64) -> Case {
    let exe = std::env::current_exe().expect("current exe");
    let tunables = match std::env::var("GLIBC_TUNABLES") {
        Ok(given) if !given.is_empty() => format!("{given}:{GLIBC_TUNABLES}"),
        _ => GLIBC_TUNABLES.to_owned(),
    };
    let out = std::process::Command::new(exe)
        .args(["--one", shape, &size_mb.to_string()])
        .env("GLIBC_TUNABLES", tunables)
        .output()
        .expect("run a case");
    assert!(out.status.success(), "{shape} {size_mb}: {}", String::from_utf8_lossy(&out.stderr));
    let line = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = line.split_whitespace().collect();
    let num = |i: usize| f[i].parse::<f64>().expect("number");
    Case {
        bytes: num(0) as usize,
        time: Duration::from_secs_f64(num(1)),
        diagnostics: num(2) as usize,
        extra_kb: (num(4) - num(3)).max(0.0) as u64,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    if let Some(i) = args.iter().position(|a| a == "--one") {
        let size: f64 = args[i + 2].parse().expect("size in MB");
        run_one(&args[i + 1], (size * MB as f64) as usize);
        return;
    }
    let sizes: Vec<f64> = opt("--sizes")
        .map(|s| s.split(',').map(|n| n.parse().expect("size in MB")).collect())
        .unwrap_or_else(|| vec![1.0, 4.0, 16.0, 64.0]);
    let shapes: Vec<&str> = match opt("--shapes") {
        Some(s) => SHAPES.iter().map(|(n, _)| *n).filter(|n| s.split(',').any(|x| x == *n)).collect(),
        None => SHAPES.iter().map(|(n, _)| *n).collect(),
    };
    if let Some(dir) = opt("--dump") {
        std::fs::create_dir_all(&dir).expect("create the dump folder");
        for shape in &shapes {
            for size in &sizes {
                let (text, name) = generate(shape, (size * MB as f64) as usize);
                let path = format!("{dir}/{shape}-{size}MB.{name}");
                std::fs::write(&path, text).expect("write");
                println!("{path}");
            }
        }
        return;
    }
    // Each case against the reference, process by process ([`paired`]), after one process left
    // out (the first processes of a run are slower).
    spawn("regular", 4.3);
    let rows: Vec<Vec<Paired>> =
        shapes.iter().map(|shape| sizes.iter().map(|size| paired(shape, *size)).collect()).collect();
    let wants_99 = opt("--sizes").is_none() && shapes.contains(&"many-activities");
    // The issue's case: a 99 MiB content of small activities.
    let case_99 = wants_99.then(|| paired("many-activities", 99.0 * 1.048576));
    let Some(reference) = rows.iter().flatten().chain(&case_99).map(|p| &p.reference).min_by_key(|r| r.time)
    else {
        return;
    };
    println!(
        "reference: regular, {:.1} MB in {:.1} ms = {:.1} MB/s at best; each ratio is the median of {PROCESSES} \
         processes' against a reference process run just before\n",
        reference.bytes as f64 / MB as f64,
        reference.time.as_secs_f64() * 1e3,
        throughput(reference) / MB as f64,
    );
    let mut header = String::from("| shape |");
    let mut rule = String::from("|---|");
    for size in &sizes {
        let _ = write!(header, " {size} MB |");
        rule.push_str("---|");
    }
    println!("Throughput (MB/s, the fastest process), ratio to the reference, diagnostics, peak memory above the document's as a multiple of its size:\n");
    println!("{header}\n{rule}");
    let mut worst: f64 = f64::INFINITY;
    for (shape, cases) in shapes.iter().zip(&rows) {
        let mut row = format!("| {shape} |");
        for Paired { case, ratio, .. } in cases {
            worst = worst.min(*ratio);
            let _ = write!(
                row,
                " {:.0} MB/s, {:.2}× ({} diag, mem {:.1}×) |",
                throughput(case) / MB as f64,
                ratio,
                case.diagnostics,
                case.extra_kb as f64 * 1024.0 / case.bytes as f64
            );
        }
        println!("{row}");
    }
    if let Some(Paired { case, ratio, .. }) = case_99 {
        worst = worst.min(ratio);
        println!(
            "\nmany-activities at 99 MiB: {:.1} s, {:.0} MB/s, {:.2}×, peak memory {:.0} MB above the document ({:.1}× its size)",
            case.time.as_secs_f64(),
            throughput(&case) / MB as f64,
            ratio,
            case.extra_kb as f64 / 1000.0,
            case.extra_kb as f64 * 1024.0 / case.bytes as f64
        );
    }
    println!("\nworst ratio: {worst:.3} (goal: ≥ 0.25)");
    for (name, about) in SHAPES {
        println!("- {name}: {about}");
    }
}
