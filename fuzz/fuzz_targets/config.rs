//! The configuration (`copyjob.json`, `--rule` levels): any bytes either parse or are refused
//! with an error; a parsed configuration applied to a check keeps the invariants and only drops
//! or re-levels diagnostics.
#![no_main]

mod common;

use common::{checker, invariants};
use copyjob::{Config, RuleLevel, Source};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn definition() -> &'static Source {
    static SOURCE: OnceLock<Source> = OnceLock::new();
    SOURCE.get_or_init(|| Source::Document {
        name: Some("copyjob-content.json".to_owned()),
        kind: None,
        bytes: include_bytes!(
            "../../tests/fixtures/lint/misspelled-property/invalid-write-behaviour.copyjob-content.json"
        )
        .to_vec(),
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = text.parse::<RuleLevel>();
    }
    let Ok(config) = serde_json::from_slice::<Config>(data) else { return };
    let round = serde_json::to_vec(&config).expect("serialises");
    assert_eq!(serde_json::from_slice::<Config>(&round).ok().as_ref(), Some(&config));
    let plain = checker().check(definition(), &copyjob::Config::default());
    let mut report = plain.clone();
    config.apply(&mut report.diagnostics);
    invariants::check_report_of(&report, definition());
    assert!(report.diagnostics.len() <= plain.diagnostics.len());
    for d in &report.diagnostics {
        match config.level(&d.code) {
            Some(level) => assert_eq!(Some(d.severity), level.severity()),
            None => assert!(plain.diagnostics.iter().any(|p| p.code == d.code && p.severity == d.severity)),
        }
    }
    for p in &plain.diagnostics {
        let kept = report.diagnostics.iter().any(|d| d.code == p.code && d.range == p.range);
        assert_eq!(kept, config.level(&p.code).is_none_or(|l| l.severity().is_some()), "{p:?}");
    }
});
