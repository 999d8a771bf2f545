//! Regression baselines: `--record DIR` writes every scenario's exchanges, normalised, as insta
//! snapshots, the same server giving the same bytes; `--baseline DIR` passes against the same
//! server and fails against a changed one with the field that changed, leaving `.snap.new` files
//! for `cargo insta review`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{run, text};

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("baseline-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_recording_is_deterministic_and_a_baseline_catches_a_changed_field() {
    let work = dir("work");
    let (first, second) = (dir("first"), dir("second"));
    for into in [&first, &second] {
        let o = run(
            &["--tags", "@mute or @hold", "--record", into.to_str().unwrap()],
            &[],
            &work,
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let recorded = files(&first);
    assert!(recorded.len() >= 10, "{:?}", recorded.keys());
    assert_eq!(recorded, files(&second), "the same server recorded differently");
    let mute = recorded
        .iter()
        .find(|(name, _)| name.starts_with("mute__mute_a_participant_documented_example"))
        .map(|(_, text)| text)
        .expect("the documented mute scenario is recorded");
    assert!(
        mute.starts_with("---\nsource: laml-conformance --record\nexpression: "),
        "{mute}"
    );
    assert!(
        mute.contains(
            "POST /api/laml/2010-04-01/Accounts/[the sid of account]/Conferences/[the sid of conference]/Participants/[the sid of customer].json"
        ),
        "{mute}"
    );
    assert!(
        mute.contains("\"muted\": true") && mute.contains("[an RFC 2822 date]"),
        "{mute}"
    );

    let o = run(
        &["--tags", "@mute or @hold", "--baseline", first.to_str().unwrap()],
        &[],
        &work,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(files(&first).keys().all(|n| !n.ends_with(".new")));

    let o = run(
        &[
            "--tags",
            "@mute or @hold",
            "--baseline",
            first.to_str().unwrap(),
            "--fault",
            "ignore-muted",
        ],
        &[],
        &work,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = text(&o);
    assert!(
        err.contains("drifted from its baseline") && err.contains(": body.muted"),
        "{err}"
    );
    assert!(err.contains("cargo insta review"), "{err}");
    let new: Vec<String> = files(&first).into_keys().filter(|n| n.ends_with(".snap.new")).collect();
    assert!(!new.is_empty(), "no .snap.new left for review");
}

#[test]
fn a_missing_baseline_folder_is_one_sentence_and_exit_2() {
    let o = run(&["--baseline", "/no/such/baseline"], &[], &dir("missing"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("there is no baseline at /no/such/baseline") && err.contains("--record"),
        "{err}"
    );
}

#[test]
fn a_drift_is_a_failure_in_every_report_not_only_on_stderr() {
    let work = dir("drift-reports");
    let recorded = dir("drift-recorded");
    let tags = "@mute or @hold";
    let seed = common::Serve::start(&[]);
    let o = run(
        &[
            "--tags",
            tags,
            "--target",
            &seed.base,
            "--record",
            recorded.to_str().unwrap(),
        ],
        &[],
        &work,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    drop(seed);
    // SignalWire's generation answers otherwise: judged by its own profile the scenarios pass,
    // but every answer drifted from the seed's recording.
    let signalwire = common::Serve::start_with(&["--profile", "signalwire"], &[]);
    let (junit, md, html, json) = (
        work.join("r.xml"),
        work.join("r.md"),
        work.join("r.html"),
        work.join("r.json"),
    );
    // the run judged by its own profile against the seed's recording, with `more` arguments
    let judged = |more: &[&str]| {
        let base = [
            "--tags",
            tags,
            "--target",
            &signalwire.base,
            "--profile",
            "signalwire",
            "--baseline",
            recorded.to_str().unwrap(),
        ];
        run(&[&base[..], more].concat(), &[], &work)
    };
    let o = judged(&[
        "--junit",
        junit.to_str().unwrap(),
        "--summary-md",
        md.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--record-known",
        "known.toml",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // a drift fails a scenario whatever a ledger says: it is no known divergence to record
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("0 failed scenario(s) recorded into known.toml"), "{err}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        !out.contains(" 0 failed") && out.contains("failed"),
        "the console: {out}"
    );
    assert!(
        out.contains("drifted from its baseline"),
        "the drift is the failure text: {out}"
    );
    // said as cucumber says a failed hook, the drift laid out under it
    assert!(out.contains("\n   ✘  Scenario's After hook failed features/"), "{out}");
    let under = out.split("      Captured output: \n").nth(1).unwrap_or_default();
    assert!(
        under.starts_with("      ") && !under[6..].starts_with(' '),
        "the drift six spaces in: {out}"
    );
    // retried, a drift's hook is said in the retry's colour, then as a failure on the last attempt
    let retried = judged(&["--retry", "1", "--color", "always"]);
    let said = String::from_utf8_lossy(&retried.stdout);
    let hooks = |style: &str| {
        said.matches(&format!("{style}   ✘  Scenario's After hook failed"))
            .count()
    };
    let (retrying, failed) = (hooks("\u{1b}[38;5;13m"), hooks("\u{1b}[31m"));
    assert!(
        retrying > 0 && retrying == failed,
        "{retrying} retried, {failed} failed: {said}"
    );
    let first = said
        .split("   ✘  Scenario's After hook failed")
        .next()
        .unwrap_or_default();
    assert!(first.ends_with("\u{1b}[38;5;13m"), "the first attempt's hook: {said}");
    let junit = std::fs::read_to_string(&junit).unwrap();
    let failures: usize = junit
        .split("failures=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert!(failures > 0, "{junit}");
    assert!(junit.contains("drifted from its baseline"), "{junit}");
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("## ❌"), "{md}");
    assert!(
        md.contains("first failing step: the comparison with the baseline"),
        "the summary says where it failed: {md}"
    );
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("drifted from its baseline"), "the HTML shows the drift");
    // the drift reaches the page as a value: its fields' expected and actual lines marked up
    let drift = html.split("drifted from its baseline").nth(1).unwrap_or_default();
    let drift = drift.split("</pre>").next().unwrap_or_default();
    assert!(
        drift.contains("class=\"exp\"") && drift.contains("class=\"act\""),
        "the HTML shows the drift's field diff: {drift}"
    );
    assert!(
        html.contains("<p class=\"verdict failed\">") && html.contains("scenarios failed"),
        "the HTML headline"
    );
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let drifts: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["elements"].as_array().unwrap())
        .flat_map(|e| e["after"].as_array().into_iter().flatten())
        .filter(|h| h["result"]["status"] == "failed")
        .map(|h| h["result"]["error_message"].as_str().unwrap_or_default())
        .collect();
    assert!(
        !drifts.is_empty(),
        "the Cucumber JSON has the drift as a failed after hook"
    );
    assert!(
        drifts.iter().all(|m| m.contains("drifted from its baseline")),
        "{drifts:?}"
    );
}

#[test]
fn an_empty_baseline_folder_is_no_baseline_and_a_failing_recording_warns() {
    let empty = dir("empty");
    let o = run(&["--baseline", empty.to_str().unwrap()], &[], &dir("empty-work"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no baseline in") && err.contains("--record"), "{err}");

    let into = dir("failing-recording");
    let o = run(
        &[
            "--tags",
            "@mute",
            "--fault",
            "ignore-muted",
            "--record",
            into.to_str().unwrap(),
        ],
        &[],
        &dir("failing-work"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("this run failed, and its answers were recorded"), "{err}");
}

/// Two scenarios that would record to one file (features of the same name in two folders, the
/// same scenario on the same line) are not written over each other: the second fails, naming
/// the file and what to rename, and the run exits 1.
#[test]
fn two_scenarios_that_would_record_to_one_file_fail_the_second() {
    let features = dir("twins");
    let feature = "Feature: Twins\n  Scenario: Mute the customer\n    Given a conference with participants \"agent\", \"customer\"\n    When \"customer\" is updated with:\n      | Muted | true |\n    Then \"customer\" is muted\n";
    for twin in ["a", "b"] {
        std::fs::create_dir_all(features.join(twin)).unwrap();
        std::fs::write(features.join(twin).join("same.feature"), feature).unwrap();
    }
    let into = dir("twins-recorded");
    let o = run(
        &[
            "--features",
            features.to_str().unwrap(),
            "--record",
            into.to_str().unwrap(),
        ],
        &[],
        &dir("twins-work"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("would record to same__") && out.contains("as another scenario does"),
        "{out}"
    );
    assert_eq!(files(&into).len(), 1, "the first is recorded, once");
}
