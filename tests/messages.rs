//! The run as Cucumber Messages (`--messages`): a run against the embedded space broken with a
//! fault, which has failed scenarios, scenarios skipped with a reason and rows of outlines,
//! written as NDJSON and checked against the `@cucumber/messages` JSON schema (with ajv), for the
//! consistency of its ids, against the verdicts of the Cucumber JSON report of the same run, and
//! as the page `@cucumber/html-formatter` renders from it, opened in headless Chromium.
//!
//! The npm packages are installed by `tests/messages/setup.sh` into the interop cache. Without
//! node and npm, or without Chromium, the tests that need them say so on stderr and pass.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

mod common;
#[path = "messages/ids.rs"]
mod ids;
#[path = "messages/page.rs"]
mod page;
#[path = "messages/verdicts.rs"]
mod verdicts;

use common::{run, text};
use verdicts::{Case, cases, expected};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-messages-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `node_modules` folder `tests/messages/setup.sh` installed the packages into, once per
/// test process; `None`, said loudly, where node or npm is missing.
fn node_modules() -> Option<&'static Path> {
    static MODULES: OnceLock<Option<PathBuf>> = OnceLock::new();
    MODULES
        .get_or_init(|| {
            let o = Command::new("bash")
                .arg(Path::new(ROOT).join("tests/messages/setup.sh"))
                .output()
                .expect("bash runs");
            if o.status.code() == Some(3) {
                eprintln!("{}", String::from_utf8_lossy(&o.stderr));
                return None;
            }
            assert!(o.status.success(), "tests/messages/setup.sh failed: {}", text(&o));
            let out = String::from_utf8_lossy(&o.stdout);
            Some(PathBuf::from(
                out.lines().last().expect("setup.sh names the folder").trim(),
            ))
        })
        .as_deref()
}

/// A run of the compiled-in features against the embedded space broken with `ignore-muted`:
/// its Cucumber Messages, parsed, its file, and its Cucumber JSON report.
struct Faulty {
    stream: Vec<Value>,
    file: PathBuf,
    json: Value,
}

fn parse(ndjson: &str) -> Vec<Value> {
    ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("a line that is not JSON ({e}): {l}")))
        .collect()
}

fn faulty() -> &'static Faulty {
    static RUN: OnceLock<Faulty> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = temp_dir("faulty");
        let (file, json) = (dir.join("run.ndjson"), dir.join("run.json"));
        let args = [
            "--fault",
            "ignore-muted",
            "--messages",
            file.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ];
        let o = run(&args, &[], &dir);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        Faulty {
            stream: parse(&std::fs::read_to_string(&file).unwrap()),
            file,
            json: serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap(),
        }
    })
}

#[test]
fn a_run_with_a_failure_a_skip_and_an_outline_is_valid_against_the_schema() {
    let run = faulty();
    let kinds: Vec<&str> = run
        .stream
        .iter()
        .filter_map(|e| e.as_object()?.keys().next().map(String::as_str))
        .collect();
    for kind in [
        "meta",
        "source",
        "gherkinDocument",
        "pickle",
        "stepDefinition",
        "hook",
        "testRunStarted",
        "testCase",
        "testCaseStarted",
        "testStepStarted",
        "testStepFinished",
        "testCaseFinished",
        "testRunFinished",
    ] {
        assert!(kinds.contains(&kind), "no {kind} envelope");
    }
    let verdicts: Vec<&str> = cases(&run.stream).iter().map(Case::verdict).collect();
    assert!(
        verdicts.contains(&"failed") && verdicts.contains(&"skipped"),
        "{verdicts:?}"
    );
    let rows = run
        .stream
        .iter()
        .filter_map(|e| e.get("pickle"))
        .filter(|p| p["astNodeIds"].as_array().unwrap().len() == 2);
    assert!(rows.count() > 0, "no row of an outline");
    let Some(modules) = node_modules() else { return };
    let o = Command::new("node")
        .arg(Path::new(ROOT).join("tests/messages/validate.mjs"))
        .arg(modules)
        .arg(&run.file)
        .output()
        .expect("node runs");
    assert!(o.status.success(), "not valid against the schema:\n{}", text(&o));
    // the stream says the schema's version, which is the package's it was validated against
    let package: Value =
        serde_json::from_str(&std::fs::read_to_string(modules.join("@cucumber/messages/package.json")).unwrap())
            .unwrap();
    assert_eq!(run.stream[0]["meta"]["protocolVersion"], package["version"]);
}

#[test]
fn every_id_a_message_names_is_a_message_of_the_stream() {
    let problems = ids::problems(&faulty().stream);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_scenario_has_the_verdict_and_the_reason_the_json_report_gives() {
    let run = faulty();
    let mut cases = cases(&run.stream);
    let expected = expected(&run.json);
    assert_eq!(cases.len(), expected.len());
    for (uri, line, name, verdict, reason) in expected {
        let at = cases
            .iter()
            .position(|c| c.uri == uri && c.line == line && c.name == name);
        let case = cases.remove(at.unwrap_or_else(|| panic!("{uri}:{line} {name} has no test case")));
        assert_eq!(case.verdict(), verdict, "{uri}:{line} {name}: {:?}", case.statuses);
        let messages = case.messages;
        match verdict {
            "skipped" => assert_eq!(messages, [reason.unwrap()], "{uri}:{line} {name}: the reason"),
            "failed" => assert!(
                messages.len() == 1 && messages[0].contains("expected: ") && messages[0].contains("curl -X "),
                "{uri}:{line} {name}: the failure, its deviations and its curl repro: {messages:?}"
            ),
            _ => assert!(messages.is_empty(), "{messages:?}"),
        }
    }
}

#[test]
fn with_a_dash_the_stream_is_stdout_and_the_console_goes_to_stderr() {
    let dir = temp_dir("stdout");
    let o = run(
        &["--tags", "@mute", "--fault", "ignore-muted", "--messages", "-"],
        &[],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stream = parse(&String::from_utf8_lossy(&o.stdout));
    assert!(ids::problems(&stream).is_empty());
    assert!(cases(&stream).iter().any(|c| c.verdict() == "failed"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Feature: Mute a participant") && err.contains("Step failed"),
        "{err}"
    );
}

#[test]
fn a_drift_is_a_failed_hook_that_carries_its_diff() {
    let dir = temp_dir("drift");
    let baseline = dir.join("baseline");
    let select = ["--tags", "@hold"];
    let o = run(
        &[&select[..], &["--record", baseline.to_str().unwrap()]].concat(),
        &[],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // SignalWire's generation answers otherwise: its scenarios pass, its answers drift
    let file = dir.join("drift.ndjson");
    let args = [
        "--profile",
        "signalwire",
        "--baseline",
        baseline.to_str().unwrap(),
        "--messages",
        file.to_str().unwrap(),
    ];
    let o = run(&[&select[..], &args].concat(), &[], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stream = parse(&std::fs::read_to_string(&file).unwrap());
    let hook = stream.iter().find_map(|e| e.get("hook")).expect("the after hook");
    assert_eq!(hook["type"], "AFTER_TEST_CASE");
    let hook_steps: Vec<&Value> = stream
        .iter()
        .filter_map(|e| e.get("testCase"))
        .flat_map(|c| c["testSteps"].as_array().unwrap())
        .filter(|s| s["hookId"] == hook["id"])
        .collect();
    let drifts: Vec<&str> = stream
        .iter()
        .filter_map(|e| e.get("testStepFinished"))
        .filter(|f| hook_steps.iter().any(|s| s["id"] == f["testStepId"]))
        .filter(|f| f["testStepResult"]["status"] == "FAILED")
        .filter_map(|f| f["testStepResult"]["message"].as_str())
        .collect();
    assert!(!drifts.is_empty(), "no failed hook");
    for d in drifts {
        assert!(
            d.contains("drifted from its baseline") && d.contains("expected: "),
            "the drift and its diff: {d}"
        );
    }
}

#[test]
fn the_html_formatter_renders_every_scenario_with_its_verdict() {
    let run = faulty();
    let Some(modules) = node_modules() else { return };
    let dir = run.file.parent().unwrap();
    let html = dir.join("page.html");
    let o = Command::new("node")
        .arg(Path::new(ROOT).join("tests/messages/render.mjs"))
        .args([modules, &run.file, &html])
        .output()
        .expect("node runs");
    assert!(o.status.success(), "the formatter: {}", text(&o));
    let Some(dom) = page::open(&html) else { return };
    let mut shown = page::scenarios(&dom);
    let features: Vec<(&str, &str)> = run
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["uri"].as_str().unwrap(), f["name"].as_str().unwrap()))
        .collect();
    let expected = expected(&run.json);
    assert_eq!(shown.len(), expected.len(), "{shown:#?}");
    for (uri, line, name, verdict, _) in expected {
        let feature = features.iter().find(|f| f.0 == uri).unwrap().1;
        let (scenario, row) = match page::outline_row(&uri, line) {
            Some((outline, label)) => (outline, Some(label)),
            None => (name.clone(), None),
        };
        let at = shown
            .iter()
            .position(|s| s.feature == feature && s.scenario == scenario && s.row == row);
        let s =
            shown.remove(at.unwrap_or_else(|| panic!("{uri}:{line} {name} ({scenario} {row:?}) is not on the page")));
        assert_eq!(
            s.verdict(),
            verdict,
            "{uri}:{line} {name} on the page: {:?}",
            s.statuses
        );
    }
}

#[test]
fn a_stream_that_cannot_be_written_is_refused_before_the_run() {
    let o = run(
        &["--messages", "/no/such/folder/run.ndjson"],
        &[],
        &temp_dir("unwritable"),
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot write the Cucumber Messages report to /no/such/folder/run.ndjson")
            && err.contains("choose a writable path")
            && !err.contains("Feature:"),
        "{err}"
    );
}

/// The CI workflow writes the stream and renders it with the scripts these tests run, and
/// uploads both.
#[test]
fn the_ci_workflow_renders_the_messages_and_uploads_the_page() {
    let workflow = std::fs::read_to_string(Path::new(ROOT).join(".github/workflows/conformance.yml")).unwrap();
    for needed in [
        "--messages reports/messages.ndjson",
        "node tests/messages/render.mjs \"$(tests/messages/setup.sh | tail -n 1)\"",
        "reports/messages.ndjson reports/cucumber.html",
        "            reports/messages.ndjson\n            reports/cucumber.html\n",
    ] {
        assert!(workflow.contains(needed), "the workflow lacks {needed:?}");
    }
}

/// A run whose failures are mostly about the answers' shape runs the suite again as each other
/// profile to say which one the target follows: those runs write no stream (the run's own is
/// not overwritten), and the hint goes to stderr when the stream takes stdout.
#[test]
fn the_profile_hint_leaves_the_stream_alone() {
    let serve = common::Serve::start_with(&["--profile", "signalwire"], &[]);
    let dir = temp_dir("hint");
    let (file, json) = (dir.join("run.ndjson"), dir.join("run.json"));
    let args = ["--target", &serve.base, "--json", json.to_str().unwrap(), "--messages"];
    for to in [file.to_str().unwrap(), "-"] {
        let o = run(&[&args[..], &[to]].concat(), &[], &dir);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        // the hint is said on stdout, or on stderr when the stream takes stdout
        let said = String::from_utf8_lossy(if to == "-" { &o.stderr } else { &o.stdout });
        assert!(
            said.contains("the same run as the signalwire profile passes"),
            "no hint ({to}): {said}"
        );
        let stream = match to {
            "-" => parse(&String::from_utf8_lossy(&o.stdout)),
            _ => parse(&std::fs::read_to_string(&file).unwrap()),
        };
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let verdicts: Vec<&str> = cases(&stream).iter().map(Case::verdict).collect();
        let expected: Vec<&str> = expected(&report).iter().map(|e| e.3).collect();
        assert_eq!(verdicts.len(), expected.len(), "the run's own stream ({to})");
        assert_eq!(
            verdicts.iter().filter(|v| **v == "failed").count(),
            expected.iter().filter(|v| **v == "failed").count()
        );
    }
}

/// A run of some scenarios (`--name`): its stream holds a pickle for each scenario that ran and no other,
/// every step that passed names the one definition it matched, and every step of the English
/// documents says its keyword's type.
#[test]
fn a_filtered_run_s_stream_has_its_own_pickles_each_passed_step_matched_and_typed() {
    let dir = temp_dir("filtered");
    let file = dir.join("run.ndjson");
    // one scenario of mute.feature and two of another, each beside others that do not run
    let o = run(
        &["--name", "^Mute a participant", "--messages", file.to_str().unwrap()],
        &[],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let ran = common::summary_count(&text(&o), "scenarios");
    let stream = parse(&std::fs::read_to_string(&file).unwrap());
    let of = |kind: &str| stream.iter().filter_map(move |e| e.get(kind)).collect::<Vec<_>>();
    assert!(ran > 0 && ran < 50, "{}", text(&o));
    assert_eq!(of("pickle").len(), ran, "a pickle per scenario that ran");
    assert_eq!(of("testCase").len(), ran);
    let definitions: std::collections::HashMap<&str, usize> = of("testCase")
        .iter()
        .flat_map(|c| c["testSteps"].as_array().unwrap())
        .filter(|s| s.get("pickleStepId").is_some())
        .map(|s| {
            (
                s["id"].as_str().unwrap(),
                s["stepDefinitionIds"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    let passed: Vec<&str> = of("testStepFinished")
        .iter()
        .filter(|f| f["testStepResult"]["status"] == "PASSED")
        .filter_map(|f| f["testStepId"].as_str())
        .filter(|id| definitions.contains_key(id))
        .collect();
    assert!(!passed.is_empty());
    assert!(passed.iter().all(|id| definitions[id] == 1), "{definitions:?}");
    let steps: Vec<&Value> = of("gherkinDocument")
        .iter()
        .flat_map(|d| d["feature"]["children"].as_array().unwrap())
        .flat_map(|c| ["background", "scenario"].map(|k| &c[k]["steps"]))
        .filter_map(Value::as_array)
        .flatten()
        .collect();
    assert!(!steps.is_empty());
    assert!(steps.iter().all(|s| s.get("keywordType").is_some()), "{steps:?}");
    // each pickle step says its type, and a step's table is its argument
    let pickle_steps: Vec<&Value> = of("pickle")
        .iter()
        .flat_map(|p| p["steps"].as_array().unwrap())
        .collect();
    let typed = |text: &str| {
        pickle_steps
            .iter()
            .find(|s| s["text"] == text)
            .map(|s| s["type"].clone())
    };
    assert_eq!(
        typed("\"customer\" is updated with:"),
        Some("Action".into()),
        "{pickle_steps:?}"
    );
    assert_eq!(
        typed("\"customer\" is muted"),
        Some("Outcome".into()),
        "{pickle_steps:?}"
    );
    let update = pickle_steps
        .iter()
        .find(|s| s["text"] == "\"customer\" is updated with:")
        .unwrap();
    assert_eq!(
        update["argument"]["dataTable"]["rows"][0]["cells"][1]["value"], "True",
        "{update}"
    );
    assert!(
        pickle_steps.iter().any(|s| s.get("argument").is_none()),
        "a step without a table has no argument"
    );
}

/// A failure with a request beside it, on the embedded space, says how to reproduce it: its
/// curl command names a port gone with the run.
#[test]
fn a_failure_with_its_curl_command_says_how_to_reproduce_it() {
    let messages: Vec<&str> = faulty()
        .stream
        .iter()
        .filter_map(|e| e.get("testStepFinished"))
        .filter(|f| f["testStepResult"]["status"] == "FAILED")
        .filter_map(|f| f["testStepResult"]["message"].as_str())
        .filter(|m| m.contains("curl "))
        .collect();
    assert!(!messages.is_empty());
    assert!(
        messages
            .iter()
            .all(|m| m.contains("which is gone with it") && m.contains("laml-conformance serve --fault ignore-muted")),
        "{messages:?}"
    );
}
