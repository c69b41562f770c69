//! Throughput of lint, pack and unpack on the sample corpus and on the shared benchmark
//! documents (`scripts/gen-bench-docs.py`: small 1.5 KB, medium ~430 KB, large ~4.3 MB with
//! 1,000 activities, and large_invalid with 50 broken activities).
//!
//! Run with `cargo bench -p copyjob`; the documents are generated into `target/bench-docs/` on
//! first use (or taken from `COPYJOB_BENCH_DOCS`).

use copyjob::{codec, Checker};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bench_docs() -> PathBuf {
    if let Some(dir) = std::env::var_os("COPYJOB_BENCH_DOCS") {
        return PathBuf::from(dir);
    }
    let dir = repo().join("target/bench-docs");
    if !dir.join("large_invalid.json").exists() {
        std::fs::create_dir_all(&dir).expect("create target/bench-docs");
        let status = std::process::Command::new("python3")
            .arg(repo().join("scripts/gen-bench-docs.py"))
            .arg(repo().join("tests/corpus"))
            .current_dir(&dir)
            .status()
            .expect("python3 runs gen-bench-docs.py");
        assert!(status.success(), "gen-bench-docs.py failed");
    }
    dir
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn benches(c: &mut Criterion) {
    let checker = Checker::new();
    let docs = bench_docs();

    let mut lint = c.benchmark_group("lint");
    for name in ["small", "medium", "large", "large_invalid"] {
        let bytes = read(&docs.join(format!("{name}.json")));
        lint.throughput(Throughput::Bytes(bytes.len() as u64));
        lint.bench_function(name, |b| {
            b.iter(|| checker.check_file("copyjob-content.json", black_box(&bytes)))
        });
    }
    let samples: Vec<(String, Vec<u8>)> = std::fs::read_dir(repo().join("tests/corpus"))
        .expect("samples")
        .flatten()
        .filter(|e| e.file_name() != "SOURCES.md")
        .map(|e| (e.file_name().to_string_lossy().into_owned(), read(&e.path())))
        .collect();
    lint.throughput(Throughput::Bytes(samples.iter().map(|(_, b)| b.len() as u64).sum()));
    lint.bench_function("corpus", |b| {
        b.iter(|| {
            samples
                .iter()
                .map(|(name, bytes)| checker.check_file(name, black_box(bytes)).diagnostics.len())
                .sum::<usize>()
        })
    });
    // A getDefinition response carrying the large document: decode, parse, validate.
    let payload = String::from_utf8(read(&docs.join("large.b64"))).expect("base64 is ASCII");
    let body = format!(
        r#"{{"definition": {{"parts": [{{"path": "copyjob-content.json", "payload": "{payload}", "payloadType": "InlineBase64"}}]}}}}"#
    );
    lint.throughput(Throughput::Bytes(body.len() as u64));
    lint.bench_function("large_definition_body", |b| {
        b.iter(|| checker.check_document(black_box(body.as_bytes())))
    });
    lint.finish();

    let large = read(&docs.join("large.json"));
    let mut codec_group = c.benchmark_group("codec");
    codec_group.throughput(Throughput::Bytes(payload.len() as u64));
    codec_group.bench_function("unpack_large", |b| {
        b.iter(|| {
            let (bytes, _) = codec::decode_base64(black_box(&payload)).expect("valid base64");
            codec::decode_text(&bytes).map(str::len).unwrap_or_default()
        })
    });
    // The same decode without the SIMD fast path (the `base64` crate alone).
    codec_group.bench_function("unpack_large_scalar", |b| {
        b.iter(|| {
            let (bytes, _) = codec::decode_base64_scalar(black_box(&payload)).expect("valid base64");
            codec::decode_text(&bytes).map(str::len).unwrap_or_default()
        })
    });
    codec_group.throughput(Throughput::Bytes(large.len() as u64));
    codec_group.bench_function("pack_large", |b| {
        b.iter(|| copyjob::pack([("copyjob-content.json", black_box(large.as_slice()))]))
    });
    codec_group
        .bench_function("encode_large_scalar", |b| b.iter(|| codec::encode_base64_scalar(black_box(&large))));
    codec_group.finish();
}

criterion_group! {
    name = throughput;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(throughput);
