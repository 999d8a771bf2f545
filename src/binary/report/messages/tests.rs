//! The stream of a record made from a feature with a background, a rule, tags, a table, a doc
//! string and an outline of two `Examples` blocks: its ids, and each step's status.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use cucumber::event;
use cucumber::feature::Ext as _;
use cucumber::gherkin::{self, GherkinEnv};
use laml_conformance::failure::Failure;
use serde_json::Value;

use super::super::record::{FeatureRecord, Outcome, Record, RunInfo, ScenarioRecord, StepError, StepRecord};
use super::super::timing::{HookRun, ScenarioRun, StepRun};
use super::envelope::Status;
use super::execution::status_of;
use super::*;

const FEATURE: &str = r#"@feature
Feature: Mute
  Background:
    Given a conference

  @plain
  Scenario: Mute one
    When "agent" is updated with:
      | Muted | true |
    Then "agent" is muted
      """
      a doc string
      """

  Scenario Outline: Mute as <case>
    When "agent" is muted <case>
    Then the update succeeds

    Examples:
      | case  |
      | one   |

    @second
    Examples:
      | case  |
      # a comment between rows
      | two   |
      | three |

  Rule: Under a rule
    Background:
      Given a rule's background

    Scenario: Ruled
      Then it is ruled
"#;

fn step(s: &gherkin::Step, background: bool, outcome: Outcome) -> StepRecord {
    StepRecord {
        background,
        keyword: s.keyword.clone(),
        text: s.value.clone(),
        table: s.table.as_ref().map(|t| t.rows.clone()),
        docstring: s.docstring.clone(),
        outcome,
        line: s.position.line,
        col: s.position.col,
        ran: StepRun {
            duration: Duration::from_millis(2),
            error: None,
        },
    }
}

/// The record of a run of [`FEATURE`] in which every step passed, the steps of the scenario on
/// `failing` failed at its second step, and every scenario had an after hook.
fn record(failing: usize) -> Record {
    let parsed = gherkin::Feature::parse(FEATURE, GherkinEnv::default()).unwrap();
    let mut expanded = parsed.expand_examples().unwrap();
    expanded.path = Some("features/mute.feature".into());
    let background: Vec<&gherkin::Step> = expanded.background.iter().flat_map(|b| &b.steps).collect();
    let mut scenarios = Vec::new();
    let all = expanded.scenarios.iter().map(|s| (None, s));
    let ruled = expanded
        .rules
        .iter()
        .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s)));
    for (rule, sc) in all.chain(ruled) {
        let mut steps: Vec<StepRecord> = background.iter().map(|s| step(s, true, Outcome::Passed)).collect();
        let rule_bg = rule
            .and_then(|r| r.background.as_ref())
            .into_iter()
            .flat_map(|b| &b.steps);
        steps.extend(rule_bg.map(|s| step(s, true, Outcome::Passed)));
        steps.extend(sc.steps.iter().map(|s| step(s, false, Outcome::Passed)));
        if sc.position.line == failing {
            steps[1].outcome = Outcome::Failed(Failure::new("muted differs"));
            steps[2..].iter_mut().for_each(|s| s.outcome = Outcome::NotRun);
        }
        scenarios.push(ScenarioRecord {
            rule: rule.map(|r| r.name.clone()),
            keyword: sc.keyword.clone(),
            name: sc.name.clone(),
            line: sc.position.line,
            tags: sc.tags.clone(),
            steps,
            hook_failure: None,
            known: None,
            ran: ScenarioRun {
                col: sc.position.col,
                started: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(60)),
                duration: Duration::from_millis(10),
                hooks: vec![HookRun {
                    before: false,
                    duration: Duration::from_millis(1),
                    failed: None,
                }],
            },
        });
    }
    Record {
        features: vec![FeatureRecord {
            keyword: expanded.keyword.clone(),
            name: expanded.name.clone(),
            path: Some("features/mute.feature".into()),
            scenarios,
            source: event::Source::new(expanded),
            started: SystemTime::UNIX_EPOCH,
        }],
        started: Some(SystemTime::UNIX_EPOCH),
        finished: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(61)),
        ..Record::default()
    }
}

fn info() -> RunInfo {
    super::super::sample::sample().1
}

fn stream(record: &Record) -> Vec<Value> {
    let text = |_: &FeatureRecord| Ok(FEATURE.to_string());
    let definitions: Vec<Definition> = Vec::new();
    let envelopes = render(record, &info(), &text, &definitions, &|_| None).unwrap();
    envelopes.iter().map(|e| serde_json::to_value(e).unwrap()).collect()
}

fn all<'a>(stream: &'a [Value], kind: &str) -> Vec<&'a Value> {
    stream.iter().filter_map(|e| e.get(kind)).collect()
}

fn ids_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(id) = m.get("id").and_then(Value::as_str) {
                out.push(id.to_string());
            }
            m.values().for_each(|v| ids_in(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| ids_in(v, out)),
        _ => {}
    }
}

#[test]
fn every_id_is_given_once_and_every_reference_names_its_node() {
    let s = stream(&record(0));
    let mut ids = Vec::new();
    s.iter().for_each(|e| ids_in(e, &mut ids));
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    let doc = &all(&s, "gherkinDocument")[0]["feature"];
    let children = doc["children"].as_array().unwrap();
    let (background, plain, outline, rule) = (
        &children[0]["background"],
        &children[1]["scenario"],
        &children[2]["scenario"],
        &children[3]["rule"],
    );
    let pickles = all(&s, "pickle");
    assert_eq!(
        pickles.len(),
        5,
        "a scenario, three rows of an outline, a scenario under a rule"
    );
    // a scenario: its node; its background's step, then its own
    assert_eq!(pickles[0]["astNodeIds"], serde_json::json!([plain["id"]]));
    assert_eq!(
        pickles[0]["steps"][0]["astNodeIds"],
        serde_json::json!([background["steps"][0]["id"]])
    );
    assert_eq!(
        pickles[0]["steps"][1]["astNodeIds"],
        serde_json::json!([plain["steps"][0]["id"]])
    );
    let tags: Vec<&Value> = pickles[0]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["astNodeId"])
        .collect();
    assert_eq!(tags, [&doc["tags"][0]["id"], &plain["tags"][0]["id"]]);
    // the third row of the outline: in the second Examples block, past a comment
    let row = &outline["examples"][1]["tableBody"][1];
    assert_eq!(row["location"]["line"], 28);
    assert_eq!(pickles[3]["astNodeIds"], serde_json::json!([outline["id"], row["id"]]));
    assert_eq!(
        pickles[3]["steps"][1]["astNodeIds"],
        serde_json::json!([outline["steps"][0]["id"], row["id"]])
    );
    assert_eq!(pickles[3]["steps"][1]["text"], "\"agent\" is muted three");
    assert_eq!(pickles[3]["name"], "Mute as three");
    assert_eq!(pickles[3]["tags"][1]["name"], "@second");
    // under a rule: the feature's background, then the rule's
    let ruled = &rule["children"][1]["scenario"];
    assert_eq!(pickles[4]["astNodeIds"], serde_json::json!([ruled["id"]]));
    assert_eq!(
        pickles[4]["steps"][1]["astNodeIds"],
        serde_json::json!([rule["children"][0]["background"]["steps"][0]["id"]])
    );
}

#[test]
fn each_test_case_runs_its_pickles_steps_then_the_hook() {
    let s = stream(&record(0));
    let pickles = all(&s, "pickle");
    let hook = &all(&s, "hook")[0]["id"];
    for (case, pickle) in all(&s, "testCase").iter().zip(&pickles) {
        assert_eq!(case["pickleId"], pickle["id"]);
        let steps = case["testSteps"].as_array().unwrap();
        let (last, own) = steps.split_last().unwrap();
        assert_eq!(&last["hookId"], hook);
        let named: Vec<&Value> = own.iter().map(|t| &t["pickleStepId"]).collect();
        let pickle_steps: Vec<&Value> = pickle["steps"].as_array().unwrap().iter().map(|p| &p["id"]).collect();
        assert_eq!(named, pickle_steps);
    }
    let run = &all(&s, "testRunStarted")[0]["id"];
    assert_eq!(&all(&s, "testRunFinished")[0]["testRunStartedId"], run);
    assert_eq!(all(&s, "testCaseStarted").len(), 5);
    assert_eq!(all(&s, "testStepFinished").len(), all(&s, "testStepStarted").len());
}

#[test]
fn a_known_failure_keeps_its_failed_step_and_the_run_succeeds_unless_one_is_fixed() {
    use crate::report::known::{Entry, Lists};
    let listed = || {
        Some(Entry {
            at: "known.toml:1".into(),
            lists: Lists::Tag("x".into()),
            reason: "r".into(),
            link: None,
        })
    };
    let mut known = record(7);
    let scenarios = &mut known.features[0].scenarios;
    let failing = scenarios.iter_mut().find(|s| s.line == 7).unwrap();
    failing.known = listed();
    let s = stream(&known);
    let statuses: Vec<&str> = all(&s, "testStepFinished")
        .iter()
        .map(|f| f["testStepResult"]["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"FAILED"), "{statuses:?}");
    assert_eq!(all(&s, "testRunFinished")[0]["success"], true);
    let passing = known.features[0].scenarios.iter_mut().find(|s| s.line != 7).unwrap();
    passing.known = listed();
    assert_eq!(
        all(&stream(&known), "testRunFinished")[0]["success"],
        false,
        "a fixed one fails the run"
    );
}

#[test]
fn a_failed_step_says_its_failure_and_the_steps_after_it_are_skipped() {
    let s = stream(&record(7));
    let results: Vec<&Value> = all(&s, "testStepFinished")
        .into_iter()
        .map(|f| &f["testStepResult"])
        .take(5)
        .collect();
    let statuses: Vec<&str> = results.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["PASSED", "FAILED", "SKIPPED", "PASSED", "PASSED"],
        "the background, the failure, the rest, the hook, the next case"
    );
    assert_eq!(results[1]["message"], "muted differs");
    assert!(results[2].get("message").is_none());
    assert_eq!(all(&s, "testRunFinished")[0]["success"], false);
    // the steps run one after the other from the scenario's start
    let started: Vec<&Value> = all(&s, "testStepStarted")
        .into_iter()
        .map(|t| &t["timestamp"])
        .take(2)
        .collect();
    assert_eq!(started[0], &serde_json::json!({"seconds": 60, "nanos": 0}));
    assert_eq!(started[1], &serde_json::json!({"seconds": 60, "nanos": 2_000_000}));
}

#[test]
fn each_outcome_has_its_status_and_a_skip_its_reason() {
    let parsed = gherkin::Feature::parse(FEATURE, GherkinEnv::default()).unwrap();
    let given = &parsed.background.as_ref().unwrap().steps[0];
    let with = |outcome: Outcome, error: Option<StepError>| {
        let mut s = step(given, false, outcome);
        s.ran.error = error;
        s
    };
    let failure = || Outcome::Failed(Failure::new("the update failed").with_hint("send Muted"));
    let cases = [
        (with(Outcome::Passed, None), Status::Passed, None),
        (with(Outcome::NotRun, None), Status::Skipped, None),
        (
            with(failure(), None),
            Status::Failed,
            Some("the update failed\nsend Muted"),
        ),
        (
            with(failure(), Some(StepError::Undefined)),
            Status::Undefined,
            Some("the update failed\nsend Muted"),
        ),
        (
            with(failure(), Some(StepError::Ambiguous)),
            Status::Ambiguous,
            Some("the update failed\nsend Muted"),
        ),
    ];
    for (record, status, message) in cases {
        assert_eq!(
            status_of(&record, Some("a note")),
            (status, message.map(str::to_string))
        );
    }
    let mut skipped = with(Outcome::Skipped, None);
    skipped.text = "this scenario cannot be arranged on this target: it needs a second conference".into();
    assert_eq!(status_of(&skipped, None), (Status::Skipped, Some(skipped.text.clone())));
}

#[test]
fn a_skipped_scenario_keeps_its_step_and_says_its_reason() {
    let mut r = record(0);
    let s = &mut r.features[0].scenarios[0];
    s.steps[1].text = "the seed profile documents otherwise".into();
    s.steps[1].outcome = Outcome::Skipped;
    s.steps[2].outcome = Outcome::NotRun;
    let stream = stream(&r);
    assert_eq!(
        all(&stream, "pickle")[0]["steps"][1]["text"],
        "\"agent\" is updated with:"
    );
    let results: Vec<&Value> = all(&stream, "testStepFinished")
        .into_iter()
        .map(|f| &f["testStepResult"])
        .collect();
    assert_eq!(results[1]["status"], "SKIPPED");
    assert_eq!(results[1]["message"], "the seed profile documents otherwise");
    assert!(results[2].get("message").is_none());
    assert_eq!(all(&stream, "testRunFinished")[0]["success"], true);
}

#[test]
fn a_failed_hook_carries_the_drift_and_its_diff() {
    let mut r = record(0);
    let s = &mut r.features[0].scenarios[0];
    let drift = "features/mute.feature: Mute one drifted from its baseline: 1 field(s) differ\n  body.muted\n    expected: <true> (boolean)\n    actual:   <false> (boolean)";
    s.ran.hooks[0].failed = Some(drift.into());
    s.hook_failure = Some(Failure::new(format!("the after hook failed: {drift}")));
    let stream = stream(&r);
    let hook_step = &all(&stream, "testCase")[0]["testSteps"][3];
    let finished = all(&stream, "testStepFinished")
        .into_iter()
        .find(|f| f["testStepId"] == hook_step["id"])
        .unwrap();
    assert_eq!(finished["testStepResult"]["status"], "FAILED");
    assert_eq!(
        finished["testStepResult"]["message"],
        format!("the after hook failed: {drift}")
    );
}

#[test]
fn a_scenario_that_is_not_in_the_text_is_said() {
    let mut r = record(0);
    r.features[0].scenarios[0].line = 3;
    let text = |_: &FeatureRecord| Ok(FEATURE.to_string());
    let e = render(&r, &info(), &text, &[], &|_| None).unwrap_err();
    assert!(e.contains("features/mute.feature has no scenario at line 3"), "{e}");
}

#[test]
fn a_github_actions_run_names_its_build() {
    let var = |k: &str| {
        let v = match k {
            "GITHUB_ACTIONS" => "true",
            "GITHUB_REPOSITORY" => "o/r",
            "GITHUB_RUN_ID" => "7",
            "GITHUB_SHA" => "abc",
            _ => return None,
        };
        Some(v.to_string())
    };
    let m = serde_json::to_value(meta::meta(&var)).unwrap();
    assert_eq!(m["ci"]["url"], "https://github.com/o/r/actions/runs/7");
    assert_eq!(m["ci"]["git"]["revision"], "abc");
    assert!(serde_json::to_value(meta::meta(&|_| None)).unwrap().get("ci").is_none());
}

#[test]
fn a_case_ends_when_its_scenario_did_hooks_and_all() {
    let r = record(0);
    let stream = stream(&r);
    // started at 60 s and took 10 ms, more than its steps' 2 ms each and its hook's 1 ms
    let steps = r.features[0].scenarios[0].steps.len() as u32;
    assert!(steps * 2 + 1 < 10, "{steps} steps");
    let finished = &all(&stream, "testCaseFinished")[0]["timestamp"];
    assert_eq!(
        (finished["seconds"].as_u64(), finished["nanos"].as_u64()),
        (Some(60), Some(10_000_000))
    );
}

#[test]
fn of_two_failed_hooks_only_the_last_carries_the_scenario_s_hook_failure() {
    let mut r = record(0);
    let s = &mut r.features[0].scenarios[0];
    s.ran.hooks.insert(
        0,
        HookRun {
            before: true,
            duration: Duration::from_millis(1),
            failed: Some("the before hook broke".into()),
        },
    );
    s.ran.hooks[1].failed = Some("drifted".into());
    s.hook_failure = Some(Failure::new("the after hook failed: drifted"));
    let stream = stream(&r);
    let messages: Vec<&Value> = all(&stream, "testStepFinished")
        .into_iter()
        .map(|f| &f["testStepResult"])
        .filter(|r| r["status"] == "FAILED")
        .map(|r| &r["message"])
        .collect();
    assert_eq!(messages, ["the before hook broke", "the after hook failed: drifted"]);
}
