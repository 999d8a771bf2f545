//! Invariant 3, every check bites: the suite against each fault of the catalogue fails, and the
//! scenarios declared to catch the fault are among those that fail; the healthy space passes.
//!
//! The failure text a reader of each fault sees first is kept as a reviewed snapshot
//! (`snapshots/fault_<name>.snap`), with the volatile values (ids, ports, dates, timings)
//! replaced and nothing cut, so a change of wording or of what is caught shows up in review.

use std::process::Command;

use regex::Regex;
use serde_json::Value;

fn normalise(text: &str) -> String {
    let rules = [
        (r"(?m)^(Defined|Matched): .*\n", ""),
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "<uuid>",
        ),
        // Twilio's ids (the twilio profile's faults)
        (r"\b(AC|CF|CA)[0-9a-f]{32}\b", "$1<hex>"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:<port>"),
        // the throwaway token of the scenario's account, which a reproduction carries
        (r"(-u '(?:<uuid>|AC<hex>):)[0-9a-f]{32}'", "$1<token>'"),
        (
            r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}",
            "<rfc2822 date>",
        ),
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "<iso date>"),
        (r"after \d+ ms", "after <n> ms"),
    ];
    rules.iter().fold(text.to_string(), |t, (re, to)| {
        Regex::new(re).unwrap().replace_all(&t, *to).into_owned()
    })
}

#[test]
fn every_fault_is_caught_by_the_scenarios_declared_to_catch_it() {
    let summary = std::env::temp_dir().join(format!("laml-fault-summary-{}.json", std::process::id()));
    let o = Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .args(["faults", "--summary", summary.to_str().unwrap()])
        .output()
        .expect("the binary starts");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "the progress line is for a terminal, not a pipe: {:?}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    std::fs::remove_file(&summary).ok();
    assert_eq!(
        doc["healthy"]["failing"],
        Value::Array(vec![]),
        "the healthy space fails scenarios"
    );
    let faults = doc["faults"].as_array().unwrap();
    assert_eq!(faults.len(), laml_conformance::sim::faults::CATALOGUE.len());
    for fault in faults {
        let name = fault["name"].as_str().unwrap();
        assert_eq!(
            fault["missed"],
            Value::Array(vec![]),
            "{name} is not caught by all its declared scenarios"
        );
        let message = normalise(fault["first_declared_failure"].as_str().unwrap());
        assert!(!message.is_empty(), "{name}: no failure message");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(format!(
            "What the first scenario declared to catch the fault \"{name}\" ({}) reports, normalised.",
            fault["what"].as_str().unwrap()
        ));
        settings.bind(|| insta::assert_snapshot!(format!("fault_{}", name.replace('-', "_")), message));
    }
}
