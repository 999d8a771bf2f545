//! A sample record of a run, for the tests of the writers that render one, and the tests of
//! the record itself.

use super::record::shown_path;
use super::record::*;
use crate::child::Verdict;
use cucumber::{event, gherkin};
use laml_conformance::failure::Failure;
use laml_conformance::spec::deviation::Deviation;
use serde_json::json;
use std::path::Path;
use std::time::SystemTime;

/// A record of two features: one with a passed, a failed (with hostile text) and a
/// skipped scenario, one with a passed scenario.
pub fn sample() -> (Record, RunInfo) {
    let feature = |name: &str, path: &str| FeatureRecord {
        keyword: "Feature".into(),
        name: name.into(),
        path: Some(path.into()),
        scenarios: Vec::new(),
        source: event::Source::new(gherkin::Feature {
            keyword: "Feature".into(),
            name: name.into(),
            description: None,
            background: None,
            scenarios: Vec::new(),
            rules: Vec::new(),
            tags: Vec::new(),
            span: Default::default(),
            position: Default::default(),
            path: None,
        }),
        started: SystemTime::UNIX_EPOCH,
    };
    let step = |keyword: &str, text: &str, outcome: Outcome| StepRecord {
        background: false,
        keyword: keyword.into(),
        text: text.into(),
        table: None,
        docstring: None,
        outcome,
        line: 0,
        col: 0,
        ran: StepRun::default(),
    };
    let scenario = |name: &str, steps: Vec<StepRecord>| ScenarioRecord {
        rule: None,
        keyword: "Scenario".into(),
        name: name.into(),
        line: 7,
        tags: vec!["mute".into()],
        steps,
        hook_failure: None,
        known: None,
        ran: ScenarioRun::default(),
    };
    let mut mute = feature("Mute <b>a</b> participant", "features/mute.feature");
    let mut with_table = step("When ", "\"agent\" is updated with:", Outcome::Passed);
    with_table.table = Some(vec![vec!["Muted".into(), "<i>true</i>".into()]]);
    mute.scenarios = vec![
        scenario(
            "Mute",
            vec![step("Given ", "a conference", Outcome::Passed), with_table],
        ),
        scenario(
            "Hostile </pre><script>alert(1)</script> name | pipe",
            vec![
                step("Given ", "a conference", Outcome::Passed),
                step(
                    "Then ",
                    "the update succeeds as in the documented \"mute\" example",
                    Outcome::Failed(
                        Failure::deviating(
                            "the response differs",
                            vec![Deviation::values(
                                "muted",
                                &json!(true),
                                &json!("</pre><img src=x onerror=alert(1)>```"),
                            )],
                        )
                        .with_hint("send <b>Muted</b>=true"),
                    ),
                ),
                step("And ", "a retrieve shows the same participant", Outcome::NotRun),
            ],
        ),
        scenario(
            "Skipped one",
            vec![
                step(
                    "Given ",
                    "this scenario cannot be arranged on this target: it needs a second conference",
                    Outcome::Skipped,
                ),
                step("When ", "something", Outcome::NotRun),
            ],
        ),
    ];
    let mut hold = feature("Hold", "features/hold.feature");
    hold.scenarios = vec![scenario("Hold", vec![step("Given ", "a conference", Outcome::Passed)])];
    let record = Record {
        features: vec![mute, hold],
        parse_errors: Vec::new(),
        started: Some(SystemTime::UNIX_EPOCH),
        finished: Some(SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1500)),
        ..Record::default()
    };
    let info = RunInfo {
        profile: "seed".into(),
        profile_title: "The seed <page>".into(),
        target: "the embedded simulated space".into(),
        mode: "embedded".into(),
        fault: Some("ignore-muted".into()),
        known: None,
        reproduce: None,
        stopped: Default::default(),
    };
    (record, info)
}

/// The sample, run with a ledger of known divergences that lists its failed scenario (known)
/// and the passed one of the second feature (fixed).
pub fn sample_known() -> (Record, RunInfo) {
    use super::known::{Entry, Ledger, Lists};
    let (mut record, mut info) = sample();
    let entry = |line: usize, lists: Lists| Entry {
        at: format!("known.toml:{line}"),
        lists,
        reason: "ignores <Muted> | pipes".into(),
        link: Some("https://example.com/1".into()),
    };
    record.features[0].scenarios[1].known = Some(entry(2, Lists::Tag("mute".into())));
    record.features[1].scenarios[0].known = Some(entry(
        6,
        Lists::Scenario {
            feature: "features/hold.feature".into(),
            name: "Hold".into(),
        },
    ));
    info.known = Some(std::sync::Arc::new(Ledger::default()));
    (record, info)
}

#[test]
fn verdicts_and_counts_follow_the_steps() {
    let (record, _) = sample();
    let mute = &record.features[0];
    let verdicts: Vec<Verdict> = mute.scenarios.iter().map(ScenarioRecord::verdict).collect();
    assert_eq!(verdicts, [Verdict::Passed, Verdict::Failed, Verdict::Skipped]);
    assert_eq!(
        record.counts(),
        Counts {
            passed: 2,
            failed: 1,
            skipped: 1,
            ..Counts::default()
        }
    );
    assert_eq!(
        mute.scenarios[2].skipped_because(),
        Some("this scenario cannot be arranged on this target: it needs a second conference")
    );
    let (step, failure) = mute.scenarios[1].failure().unwrap();
    assert!(step.starts_with("Then the update succeeds"), "{step}");
    assert_eq!(failure.deviations[0].path, "muted");
}

#[test]
fn a_failed_hook_fails_its_scenario() {
    let (mut record, _) = sample();
    let s = &mut record.features[1].scenarios[0];
    s.hook_failure = Some(Failure::new("the After hook failed: restore"));
    assert_eq!(s.verdict(), Verdict::Failed);
    assert_eq!(s.failure().map(|(w, _)| w), Some("a hook".to_string()));
}

#[test]
fn a_path_is_shown_relative_to_the_project() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("features/mute.feature");
    assert_eq!(shown_path(&p), "features/mute.feature");
    assert_eq!(shown_path(Path::new("/elsewhere/x.feature")), "/elsewhere/x.feature");
}

#[test]
fn a_ledger_makes_a_listed_failure_known_and_a_listed_pass_fixed() {
    let (record, _) = sample_known();
    let verdicts: Vec<Verdict> = record
        .features
        .iter()
        .flat_map(|f| &f.scenarios)
        .map(ScenarioRecord::verdict)
        .collect();
    assert_eq!(
        verdicts,
        [Verdict::Passed, Verdict::Known, Verdict::Skipped, Verdict::Fixed]
    );
    let counts = record.counts();
    assert_eq!(
        counts,
        Counts {
            passed: 1,
            failed: 0,
            skipped: 1,
            known: 1,
            fixed: 1
        }
    );
    assert!(counts.failing(), "a fixed scenario fails the run");
    assert_eq!(
        record.headline(),
        "1 of 4 scenarios fixed: remove them from the ledger, 1 known, 1 skipped"
    );
}

#[test]
fn a_hook_s_failure_is_the_value_it_raised_or_the_text_of_its_panic() {
    let drift = Failure::new("agent drifted from its baseline");
    let raised: event::Info = std::sync::Arc::new(drift.clone());
    // a Failure raised by the after hook travels as cucumber's panic payload
    let said = hook_failure(event::HookType::After, &raised).to_string();
    assert_eq!(said, drift.to_string());
    let text: event::Info = std::sync::Arc::new(String::from("boom"));
    assert_eq!(
        hook_failure(event::HookType::Before, &text).to_string(),
        "the Before hook failed: boom"
    );
    let word: event::Info = std::sync::Arc::new("bang");
    assert_eq!(panic_text(&word), "bang");
    let other: event::Info = std::sync::Arc::new(7_u8);
    assert_eq!(panic_text(&other), "(a panic without a message)");
}
