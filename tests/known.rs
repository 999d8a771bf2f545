//! The ledger of known divergences (`--known FILE`, `--record-known FILE`), end to end: a ledger
//! recorded from a run against `serve --fault ignore-muted` keeps that run green and says each
//! scenario as known in the console, JUnit and Markdown; against a healthy `serve` the same
//! ledger fails the run and names each entry as fixed; the embedded space with the same fault
//! reads it the same way; an entry that lists no scenario is said; a malformed ledger is
//! refused before anything is sent.

use std::path::{Path, PathBuf};

mod common;

use common::{Serve, run, text};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-known-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The scenario names a ledger lists, in its order.
fn listed_names(ledger: &str) -> Vec<String> {
    let doc: toml::Table = toml::from_str(ledger).expect("the recorded ledger is TOML");
    doc["known"]
        .as_array()
        .expect("[[known]] entries")
        .iter()
        .map(|e| e["scenario"].as_str().expect("a scenario").to_string())
        .collect()
}

/// The arguments that run the suite against `serve` through its setup endpoint.
fn against(serve: &Serve) -> Vec<String> {
    let setup = format!("{}/__laml/setup", serve.base);
    vec!["--target".into(), serve.base.clone(), "--setup-url".into(), setup]
}

fn args<'a>(base: &'a [String], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().map(String::as_str).chain(more.iter().copied()).collect()
}

#[test]
fn a_recorded_ledger_keeps_the_faulty_run_green_and_fails_the_healthy_one_as_fixed() {
    let dir = temp_dir("serve");
    let faulty = Serve::start_with(&["--fault", "ignore-muted"], &[]);
    let target = against(&faulty);

    // a first adoption: the run fails as before, and its failures become the ledger
    let o = run(&args(&target, &["--record-known", "known.toml"]), &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let ledger = read(&dir.join("known.toml"));
    let names = listed_names(&ledger);
    assert!(
        names.contains(&"Mute a participant (documented example \"Mute a Participant\")".to_string()),
        "{ledger}"
    );
    let failed = common::summary_count(&out, "failed");
    assert_eq!(names.len(), failed, "one entry per failed scenario:\n{ledger}\n{out}");
    assert!(
        out.contains(&format!("{failed} failed scenario(s) recorded into known.toml")),
        "{out}"
    );
    assert!(ledger.contains("from a run against http://127.0.0.1:"), "{ledger}");
    assert!(ledger.contains(": say why\""), "{ledger}");

    // the same target with the ledger: green, every failure said as known, with its reason
    let o = run(
        &args(
            &target,
            &[
                "--known",
                "known.toml",
                "--junit",
                "junit.xml",
                "--summary-md",
                "summary.md",
                "--html",
                "report.html",
            ],
        ),
        &[],
        &dir,
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "[Known divergences] {failed} failed scenario(s) are listed in known.toml, and do not fail the run:"
        )),
        "{out}"
    );
    assert_eq!(
        out.matches("   ⚠  known divergence (known.toml:").count(),
        failed,
        "{out}"
    );
    for name in &names {
        assert!(
            out.contains(&format!("\"{name}\": known divergence (known.toml:")),
            "{name}: {out}"
        );
    }
    assert!(!out.contains("--name '"), "no rerun hint for a known failure: {out}");
    let junit = read(&dir.join("junit.xml"));
    assert_eq!(
        junit
            .matches("<skipped type=\"known\" message=\"known divergence (known.toml:")
            .count(),
        failed,
        "{junit}"
    );
    assert!(!junit.contains("<failure"), "{junit}");
    let summary = read(&dir.join("summary.md"));
    assert!(summary.starts_with("## ✅ LaML conformance: "), "{summary}");
    assert!(summary.contains(&format!(", {failed} known")), "{summary}");
    assert!(summary.contains("\n### Known divergences\n"), "{summary}");
    assert!(!summary.contains("### Failed scenarios"), "{summary}");
    assert_eq!(
        summary.matches("): known divergence (known.toml:").count(),
        failed,
        "{summary}"
    );
    let html = read(&dir.join("report.html"));
    assert_eq!(html.matches(">known divergence (known.toml:").count(), failed, "{html}");

    // a healthy target with the same ledger: each listed scenario passes, and fails the run
    let healthy = Serve::start(&[]);
    let o = run(&args(&against(&healthy), &["--known", "known.toml"]), &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "{failed} scenario(s) listed in known.toml passed, and fail the run until their entries are gone:"
        )),
        "{out}"
    );
    for name in &names {
        assert!(
            out.contains(&format!("\"{name}\": fixed: remove it from the ledger (known.toml:")),
            "{name}: {out}"
        );
    }
}

#[test]
fn the_embedded_space_with_the_same_fault_reads_a_ledger_the_same_way() {
    let dir = temp_dir("embedded");
    let o = run(&["--fault", "ignore-muted", "--record-known", "known.toml"], &[], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let failed = common::summary_count(&text(&o), "failed");
    assert!(failed > 0, "{}", text(&o));
    let o = run(&["--fault", "ignore-muted", "--known", "known.toml"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(
        out.matches("   ⚠  known divergence (known.toml:").count(),
        failed,
        "{out}"
    );
    // another fault fails scenarios the ledger does not list: they fail the run as usual
    let o = run(
        &["--fault", "wrong-participant-updated", "--known", "known.toml"],
        &[],
        &dir,
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("to reproduce a failure by hand"), "{out}");
}

/// A folder of its own with the feature file `NAME.feature` and the ledger `known.toml`.
fn feature_and_ledger(name: &str, feature: &str, ledger: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join(format!("{name}.feature")), feature).unwrap();
    std::fs::write(dir.join("known.toml"), ledger).unwrap();
    dir
}

/// A folder with one feature of the suite (every scenario of it passes on the embedded space).
fn one_feature(dir: &Path) {
    let features = dir.join("features");
    std::fs::create_dir_all(&features).unwrap();
    let hold = Path::new(env!("CARGO_MANIFEST_DIR")).join("features/hold.feature");
    std::fs::copy(hold, features.join("hold.feature")).unwrap();
}

#[test]
fn an_entry_that_lists_no_scenario_fails_a_whole_run_and_is_a_warning_in_a_filtered_one() {
    let dir = temp_dir("unlisting");
    one_feature(&dir);
    let ledger = "[[known]]\nfeature = \"features/hold.feature\"\nscenario = \"Put a participant on hodl\"\nreason = \"a typo\"\n";
    std::fs::write(dir.join("known.toml"), ledger).unwrap();
    let o = run(&["--features", "features", "--known", "known.toml"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("known.toml:1: this entry lists no scenario, and the run ran every one: features/hold.feature: \"Put a participant on hodl\" has a typo, or was renamed or removed"),
        "{out}"
    );
    let o = run(
        &[
            "--features",
            "features",
            "--known",
            "known.toml",
            "--name",
            "hold music",
        ],
        &[],
        &dir,
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("warning: known.toml:1: this entry lists no scenario of this run"),
        "{out}"
    );
    // the same filtered run in shards: their merge judges the entry as the filtered run did
    let filtered = [
        "--features",
        "features",
        "--known",
        "known.toml",
        "--name",
        "hold music",
    ];
    shards(&dir, "out", &filtered, 0);
    let o = run(&["merge", "out"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("warning: known.toml:1: this entry lists no scenario of this run"),
        "{out}"
    );
}

#[test]
fn a_malformed_ledger_is_refused_before_anything_is_sent() {
    let dir = temp_dir("malformed");
    let cases = [
        ("[[known]]\ntag = \"x\"\nreason = \"y\n", "bad.toml:3: "),
        (
            "[[known]]\ntag = \"x\"\nreason = \"y\"\nreasons = \"z\"\n",
            "bad.toml:4: unknown field `reasons`",
        ),
        (
            "[[known]]\nreason = \"y\"\n",
            "bad.toml:1: this entry lists no scenario",
        ),
        (
            "# a ledger\n\n[[known]]\nfeature = \"features/mute.feature\"\nscenario = \"Mute\"\nreason = \"\"\n",
            "bad.toml:3: the entry for features/mute.feature: \"Mute\" gives no reason",
        ),
    ];
    for (ledger, said) in cases {
        std::fs::write(dir.join("bad.toml"), ledger).unwrap();
        let o = run(&["--known", "bad.toml"], &[], &dir);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{ledger}: {}", text(&o));
        assert!(err.starts_with(&format!("laml-conformance: {said}")), "{ledger}: {err}");
        assert_eq!(err.lines().count(), 1, "one sentence: {err}");
        assert!(o.stdout.is_empty(), "nothing ran: {}", text(&o));
    }
    let o = run(&["--known", "missing.toml"], &[], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("cannot read the ledger of known divergences missing.toml"),
        "{}",
        text(&o)
    );
}

/// Three shards of the embedded run with `extra` arguments, each into `out` (`--shard-out`),
/// each checked to exit with `code`; their outputs.
fn shards(dir: &Path, out: &str, extra: &[&str], code: i32) -> Vec<String> {
    (1..=3)
        .map(|i| {
            let shard = format!("{i}/3");
            let args: Vec<&str> = ["--shard", &shard, "--shard-out", out]
                .into_iter()
                .chain(extra.iter().copied())
                .collect();
            let o = run(&args, &[], dir);
            assert_eq!(o.status.code(), Some(code), "shard {shard}: {}", text(&o));
            text(&o)
        })
        .collect()
}

#[test]
fn shards_judge_by_the_ledger_and_merge_reports_known_and_fixed_over_the_whole_run() {
    let dir = temp_dir("shards");
    let o = run(&["--fault", "ignore-muted", "--record-known", "known.toml"], &[], &dir);
    let failed = common::summary_count(&text(&o), "failed");
    let faulty = ["--fault", "ignore-muted", "--known", "known.toml"];
    for out in shards(&dir, "out", &faulty, 0) {
        // an entry whose scenario is in another shard is no mistake of the ledger's
        assert!(!out.contains("lists no scenario"), "{out}");
    }
    let o = run(&["merge", "out", "--summary-md", "merged.md"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(common::summary_count(&out, "known"), failed, "{out}");
    // a run whose failures are all known has no failed or fixed scenario to say
    assert!(!out.contains("scenario(s) failed"), "{out}");
    assert!(
        !out.contains("listed in the ledger of known divergences passed"),
        "{out}"
    );
    let summary = read(&dir.join("merged.md"));
    assert!(summary.contains(&format!(", {failed} known, 0 fixed")), "{summary}");

    // the healthy space: each listed scenario is fixed, in its shard and in the merge
    shards(&dir, "healthy", &["--known", "known.toml"], 1);
    let o = run(&["merge", "healthy"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(common::summary_count(&out, "fixed"), failed, "{out}");
    assert!(
        out.contains(&format!(
            "laml-conformance: {failed} scenario(s) listed in the ledger of known divergences passed, and fail the run"
        )),
        "{out}"
    );
    assert!(!out.contains("scenario(s) failed"), "{out}");

    // an entry that lists no scenario of the whole run fails the merge, not a shard
    let typo = "\n[[known]]\ntag = \"mutte\"\nreason = \"a typo\"\n";
    std::fs::write(dir.join("typo.toml"), read(&dir.join("known.toml")) + typo).unwrap();
    shards(&dir, "typo", &["--fault", "ignore-muted", "--known", "typo.toml"], 0);
    let o = run(&["merge", "typo"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("this entry lists no scenario, and the run ran every one: @mutte"),
        "{out}"
    );

    // shards judged by different ledgers are not one run
    let mixed = [
        "out/shard-1-of-3.json",
        "out/shard-2-of-3.json",
        "typo/shard-3-of-3.json",
    ];
    let o = run(&[&["merge"][..], &mixed[..]].concat(), &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("shard 3/3 was run with --known 'typo.toml', the others with --known 'known.toml'"),
        "{out}"
    );
}

/// A ledger entry by a tag a `Rule` carries lists that rule's scenarios: the run keeps its
/// failure known, and `merge`, which judges the entries over the shards' records, finds the
/// entry listing it.
#[test]
fn a_tag_of_a_rule_lists_the_rule_s_scenarios() {
    let feature = "Feature: Ruled\n\n  @ruled\n  Rule: one\n\n    Scenario: Muted, said unmuted\n      Given a conference with participants \"agent\"\n      When \"agent\" is updated with:\n        | Muted | true |\n      Then \"agent\" is not muted\n";
    let ledger = "[[known]]\ntag = \"ruled\"\nreason = \"a rule's\"\n";
    let dir = feature_and_ledger("ruled", feature, ledger);
    let extra = ["--features", "ruled.feature", "--known", "known.toml"];
    let o = run(&extra, &[], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    shards(&dir, "out", &extra, 0);
    let o = run(&["merge", "out", "--summary-md", "summary.md"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("lists no scenario"), "{out}");
    let md = read(&dir.join("summary.md"));
    assert!(md.contains("**Scenarios:** 0 passed, 0 failed, 1 known"), "{md}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A step that matches no definition fails its scenario as a failed step does (`Ran`): the
/// ledger records it and, listed, keeps it known, as the console and the reports count it.
#[test]
fn a_step_that_matches_no_definition_is_a_failed_step_to_the_ledger() {
    let dir = temp_dir("undefined");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/undefined.feature");
    let fixture = fixture.to_str().unwrap();
    let o = run(&["--features", fixture, "--record-known", "known.toml"], &[], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        listed_names(&read(&dir.join("known.toml"))),
        ["A step that matches no definition"]
    );
    let o = run(&["--features", fixture, "--known", "known.toml"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("[Known divergences] 1 failed scenario(s) are listed in known.toml"),
        "{out}"
    );
}

/// A scenario the ledger lists that is skipped on purpose is neither known nor fixed: the
/// console says nothing of the ledger for it, and the run passes.
#[test]
fn a_listed_scenario_that_is_skipped_is_neither_known_nor_fixed() {
    let feature = "Feature: Skips\n\n  @allow.skipped\n  Scenario: Skipped on purpose\n    Given no step matches this sentence\n    Then \"agent\" is muted\n";
    let ledger = "[[known]]\nfeature = \"skips.feature\"\nscenario = \"Skipped on purpose\"\nreason = \"a skip\"\n";
    let dir = feature_and_ledger("skips", feature, ledger);
    let o = run(&["--features", "skips.feature", "--known", "known.toml"], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("1 scenario (1 skipped)"), "{out}");
    assert!(
        !out.contains("known divergence (known.toml") && !out.contains("fixed"),
        "{out}"
    );
}
