//! Load benchmark of the emulator (a benchmark, not a test: it reports figures and fails only on
//! errors): CLIENTS concurrent clients over real HTTP on loopback, spread over WORKSPACES
//! workspaces, each repeating create (with a definition of its own) → get → getDefinition →
//! updateDefinition → getDefinition → run → list → look from another workspace → delete → get
//! (404), re-reading everything it wrote. Reports requests/s, latency percentiles, 5xx, lost or
//! mixed-up items, items visible from another workspace, and the memory before, at the end of
//! the load and after the deletes: the live heap (every allocation counted by this program's
//! allocator, so it shows what is still held, not pages the allocator keeps for reuse) and RSS.
//!
//!     cargo run --release -p copyjob-emulator --example load -- [SECONDS] [CLIENTS] [WORKSPACES]
//!
//! Defaults: 30 s, 64 clients, 4 workspaces. Exits 1 if any error, loss or mix-up was seen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use copyjob_emulator::{Config, Emulator, WorkspaceConfig};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

const TOKEN: &str = "load-token";
const CONTENT: &str = include_str!("../../../examples/workspace/Sales.CopyJob/copyjob-content.json");

#[derive(Default)]
struct Stats {
    requests: AtomicU64,
    server_errors: AtomicU64,
    unexpected: AtomicU64,
    lost_or_mixed: AtomicU64,
    cross_workspace: AtomicU64,
    latencies_us: Mutex<Vec<u64>>,
}

struct Ctx {
    http: Client,
    base: String,
    stats: Stats,
}

impl Ctx {
    async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(TOKEN);
        if let Some(body) = body {
            req = req.json(body);
        }
        let t0 = Instant::now();
        let r = req.send().await;
        let elapsed = t0.elapsed();
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        self.stats.latencies_us.lock().unwrap().push(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
        match r {
            Ok(r) => {
                let status = r.status();
                if status.is_server_error() {
                    self.stats.server_errors.fetch_add(1, Ordering::Relaxed);
                }
                let body = r.json().await.unwrap_or(Value::Null);
                (status, body)
            }
            Err(_) => {
                self.stats.server_errors.fetch_add(1, Ordering::Relaxed);
                (StatusCode::INTERNAL_SERVER_ERROR, Value::Null)
            }
        }
    }

    fn expect(&self, ok: bool) {
        if !ok {
            self.stats.unexpected.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn payload_of(definition: &Value, path: &str) -> Option<String> {
    definition["definition"]["parts"].as_array()?.iter().find(|p| p["path"] == path)?["payload"]
        .as_str()
        .map(str::to_owned)
}

async fn client(ctx: Arc<Ctx>, me: usize, workspaces: Arc<Vec<Uuid>>, until: Instant) {
    let ws = workspaces[me % workspaces.len()];
    let other = workspaces[(me + 1) % workspaces.len()];
    let mut round = 0usize;
    // At least one round, then until the deadline.
    while round == 0 || Instant::now() < until {
        round += 1;
        let tag = format!("c{me}r{round}");
        let content = CONTENT.replacen("\"table\": \"", &format!("\"table\": \"{tag}_"), 1);
        let body = json!({"displayName": format!("load {tag}"), "definition": {"parts": [
            {"path": "copyjob-content.json", "payload": b64(&content), "payloadType": "InlineBase64"}]}});
        let (s, item) = ctx.call(Method::POST, &format!("/v1/workspaces/{ws}/copyJobs"), Some(&body)).await;
        ctx.expect(s == StatusCode::CREATED);
        let Some(id) = item["id"].as_str().map(str::to_owned) else { continue };
        let base = format!("/v1/workspaces/{ws}/copyJobs/{id}");

        let (s, got) = ctx.call(Method::GET, &base, None).await;
        ctx.expect(s == StatusCode::OK);
        if got["displayName"] != format!("load {tag}") || got["workspaceId"] != ws.to_string() {
            ctx.stats.lost_or_mixed.fetch_add(1, Ordering::Relaxed);
        }
        let (s, def) = ctx.call(Method::POST, &format!("{base}/getDefinition"), None).await;
        ctx.expect(s == StatusCode::OK);
        if payload_of(&def, "copyjob-content.json") != Some(b64(&content)) {
            ctx.stats.lost_or_mixed.fetch_add(1, Ordering::Relaxed);
        }

        let updated = content.replace("\"Overwrite\"", "\"Append\"");
        let update = json!({"definition": {"parts": [
            {"path": "copyjob-content.json", "payload": b64(&updated), "payloadType": "InlineBase64"}]}});
        let (s, _) = ctx.call(Method::POST, &format!("{base}/updateDefinition"), Some(&update)).await;
        ctx.expect(s == StatusCode::OK);
        let (_, def) = ctx.call(Method::POST, &format!("{base}/getDefinition"), None).await;
        if payload_of(&def, "copyjob-content.json") != Some(b64(&updated)) {
            ctx.stats.lost_or_mixed.fetch_add(1, Ordering::Relaxed);
        }

        let (s, _) = ctx
            .call(
                Method::POST,
                &format!("/v1/workspaces/{ws}/items/{id}/jobs/instances?jobType=CopyJob"),
                None,
            )
            .await;
        ctx.expect(s == StatusCode::ACCEPTED);

        let (s, list) = ctx.call(Method::GET, &format!("/v1/workspaces/{ws}/copyJobs"), None).await;
        ctx.expect(s == StatusCode::OK);
        if let Some(items) = list["value"].as_array() {
            if items.iter().any(|i| i["workspaceId"] != ws.to_string()) {
                ctx.stats.cross_workspace.fetch_add(1, Ordering::Relaxed);
            }
        }
        // Not visible from another workspace.
        if other != ws {
            let (s, _) = ctx.call(Method::GET, &format!("/v1/workspaces/{other}/copyJobs/{id}"), None).await;
            if s != StatusCode::NOT_FOUND {
                ctx.stats.cross_workspace.fetch_add(1, Ordering::Relaxed);
            }
        }

        let (s, _) = ctx.call(Method::DELETE, &base, None).await;
        ctx.expect(s == StatusCode::OK);
        let (s, _) = ctx.call(Method::GET, &base, None).await;
        ctx.expect(s == StatusCode::NOT_FOUND);
    }
}

/// The system allocator, counting the bytes allocated and freed.
#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Lets the server's connection tasks see their clients gone and free what they held.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(500)).await;
}

/// The bytes allocated and not yet freed, in KiB.
fn live_kib() -> i64 {
    let stats = ALLOCATOR.stats();
    let live = stats.bytes_allocated as i64 - stats.bytes_deallocated as i64;
    live / 1024
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let seconds = args.first().copied().unwrap_or(30);
    let clients = usize::try_from(args.get(1).copied().unwrap_or(64)).unwrap_or(64);
    let n_ws = usize::try_from(args.get(2).copied().unwrap_or(4)).unwrap_or(4).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let ok = runtime.block_on(async move {
        let workspaces: Vec<Uuid> = (0..n_ws).map(|_| Uuid::new_v4()).collect();
        let config = Config {
            tokens: vec![TOKEN.to_owned()],
            workspaces: workspaces
                .iter()
                .map(|&id| WorkspaceConfig { id, display_name: format!("ws {id}") })
                .collect(),
            ..Config::default()
        };
        let server = Emulator::new(config).bind(([127, 0, 0, 1], 0).into()).await.expect("bind").spawn();
        let connect =
            || Client::builder().no_proxy().pool_max_idle_per_host(clients).build().expect("client");
        let workspaces = Arc::new(workspaces);
        // Warm up with a client of its own: the first request of each kind allocates what stays
        // for the process's life (lazily compiled schemas, runtime threads). The baseline is
        // taken once that client and its connections are gone, as at the end.
        let warm = Arc::new(Ctx { http: connect(), base: server.url(), stats: Stats::default() });
        tokio::spawn(client(warm.clone(), 0, workspaces.clone(), Instant::now())).await.expect("warm-up");
        let warm_errors =
            warm.stats.server_errors.load(Ordering::Relaxed) + warm.stats.unexpected.load(Ordering::Relaxed);
        drop(warm);
        settle().await;
        let (before, live_before) = (rss_kib(), live_kib());
        let ctx = Arc::new(Ctx { http: connect(), base: server.url(), stats: Stats::default() });
        let t0 = Instant::now();
        let until = t0 + Duration::from_secs(seconds);
        let tasks: Vec<_> =
            (0..clients).map(|me| tokio::spawn(client(ctx.clone(), me, workspaces.clone(), until))).collect();
        for t in tasks {
            t.await.expect("client task");
        }
        let elapsed = t0.elapsed().as_secs_f64();
        // Less the latency samples (this program's, not the emulator's).
        let samples_kib = (ctx.stats.latencies_us.lock().unwrap().capacity() * 8 / 1024) as i64;
        let (at_end, live_at_end) = (rss_kib(), live_kib() - samples_kib);
        // Every item was deleted: the lists are empty.
        let mut left = 0;
        for ws in workspaces.iter() {
            let (_, list) = ctx.call(Method::GET, &format!("/v1/workspaces/{ws}/copyJobs"), None).await;
            left += list["value"].as_array().map_or(0, Vec::len);
        }
        // Every request has been answered: close the client's connections, so what the heap
        // still holds is the emulator's (and the runtime's), comparable with the baseline.
        let Ok(Ctx { http, stats: s, .. }) = Arc::try_unwrap(ctx) else {
            unreachable!("every client task has ended")
        };
        drop(http);
        // The latency samples are this program's, not the emulator's: read, then freed.
        let mut lat = std::mem::take(&mut *s.latencies_us.lock().unwrap());
        lat.sort_unstable();
        let pct = |p: f64| {
            lat.get(((lat.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0) as f64 / 1000.0
        };
        let [p50, p90, p99, max] = [0.5, 0.9, 0.99, 1.0].map(pct);
        drop(lat);
        settle().await;
        let (after, live_after) = (rss_kib(), live_kib());
        let requests = s.requests.load(Ordering::Relaxed);
        println!("emulator load: {clients} clients, {n_ws} workspaces, {elapsed:.1} s");
        println!("  requests        {requests} ({:.0} requests/s)", requests as f64 / elapsed);
        println!("  latency ms      p50 {p50:.2}  p90 {p90:.2}  p99 {p99:.2}  max {max:.2}");
        println!("  5xx or failed   {}", s.server_errors.load(Ordering::Relaxed) + warm_errors);
        println!("  unexpected      {}", s.unexpected.load(Ordering::Relaxed));
        println!("  lost or mixed   {}", s.lost_or_mixed.load(Ordering::Relaxed));
        println!("  cross-workspace {}", s.cross_workspace.load(Ordering::Relaxed));
        println!("  items left      {left}");
        println!(
            "  live heap KiB   before {live_before}, end of load {live_at_end}, after deletes {live_after}"
        );
        println!("  RSS KiB         before {before}, end of load {at_end}, after deletes {after}");
        server.shutdown().await.ok();
        warm_errors == 0
            && s.server_errors.load(Ordering::Relaxed) == 0
            && s.unexpected.load(Ordering::Relaxed) == 0
            && s.lost_or_mixed.load(Ordering::Relaxed) == 0
            && s.cross_workspace.load(Ordering::Relaxed) == 0
            && left == 0
    });
    std::process::exit(i32::from(!ok));
}
