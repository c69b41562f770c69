//! The binary: `--port 0` prints the bound URL on stdout, serves, and stops cleanly on SIGTERM.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn port_zero_prints_the_url_and_sigterm_stops_it() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copyjob-emulator"))
        .args(["--port", "0", "--token", "t", "--page-size", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_ne!(url, "http://127.0.0.1:0");

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let r = client.get(format!("{url}/v1/workspaces")).bearer_auth("t").send().await.unwrap();
    assert_eq!(r.status(), 200);

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the emulator did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "clean exit: {exit:?}");
}

#[test]
fn bad_flags_are_reported() {
    let out = Command::new(env!("CARGO_BIN_EXE_copyjob-emulator")).args(["--lro", "maybe"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sync or async"));
    let out = Command::new(env!("CARGO_BIN_EXE_copyjob-emulator"))
        .args(["--port", "0", "--page-size", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("page size"));
}
