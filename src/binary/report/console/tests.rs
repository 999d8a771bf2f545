use std::sync::Arc;

use cucumber::event::{Cucumber, RetryableScenario, Scenario, Source, Step, StepError};
use cucumber::writer::{Coloring, basic};
use cucumber::{Event, Writer as _, gherkin};
use laml_conformance::failure::Failure;
use laml_conformance::spec::deviation::Deviation;
use serde_json::json;

use super::Console;
use crate::report::known::Ledger;

/// A World of the tests' own: the report layer knows no steps.
#[derive(Debug, Default, cucumber::World)]
struct W;

fn step(keyword: &str, value: &str, line: usize) -> gherkin::Step {
    gherkin::Step {
        keyword: keyword.into(),
        ty: gherkin::StepType::Then,
        value: value.into(),
        docstring: None,
        table: None,
        span: Default::default(),
        position: gherkin::LineCol { line, col: 5 },
    }
}

/// The console's text for a scenario of one step that ends with `ev`, uncoloured.
fn printed(st: gherkin::Step, ev: Step<W>) -> String {
    printed_with(st, ev, None)
}

/// [`printed`], in a run with a ledger of known divergences.
fn printed_with(st: gherkin::Step, ev: Step<W>, ledger: Option<Ledger>) -> String {
    let feature = Source::new(gherkin::Feature {
        keyword: "Feature".into(),
        name: "Mute".into(),
        description: None,
        background: None,
        scenarios: Vec::new(),
        rules: Vec::new(),
        tags: Vec::new(),
        span: Default::default(),
        position: Default::default(),
        path: Some("features/mute.feature".into()),
    });
    let scenario = Source::new(gherkin::Scenario {
        keyword: "Scenario".into(),
        name: "Mute a participant".into(),
        description: None,
        steps: vec![st.clone()],
        examples: Vec::new(),
        tags: Vec::new(),
        span: Default::default(),
        position: Default::default(),
    });
    let st = Source::new(st);
    let of = |event: Scenario<W>| {
        let ev = RetryableScenario { event, retries: None };
        Ok(Event::new(Cucumber::scenario(
            feature.clone(),
            None::<Source<gherkin::Rule>>,
            scenario.clone(),
            ev,
        )))
    };
    let events = vec![
        Ok(Event::new(Cucumber::feature_started(feature.clone()))),
        of(Scenario::Started),
        of(Scenario::Step(st.clone(), Step::Started)),
        of(Scenario::Step(st, ev)),
        of(Scenario::Finished),
    ];
    let mut console = Console::new(Vec::new()).listing(ledger.map(Arc::new));
    let cli = basic::Cli {
        verbose: 0,
        color: Coloring::Never,
    };
    for ev in events {
        futures::executor::block_on(console.handle_event(ev, &cli));
    }
    String::from_utf8(console.out).unwrap()
}

fn failed(err: StepError) -> Step<W> {
    Step::Failed(None, None, None, err)
}

#[test]
fn a_failure_is_said_once_from_its_value_without_the_source_path() {
    let failure = Failure::deviating(
        "the response differs",
        vec![Deviation::values("muted", &json!(true), &json!(false))],
    );
    let location = cucumber::step::Location {
        path: "src/binary/steps/response.rs",
        line: 25,
        column: 1,
    };
    let ev = Step::Failed(None, Some(location), None, StepError::Panic(Arc::new(failure)));
    assert_eq!(
        printed(step("Then ", "the update succeeds", 8), ev),
        "Feature: Mute
  Scenario: Mute a participant
   ✘  Then the update succeeds
      Defined: features/mute.feature:8:5
      Step failed: the response differs: 1 field(s) differ
        muted
          expected: <true> (boolean)
          actual:   <false> (boolean)
"
    );
}

#[test]
fn a_panic_that_is_no_failure_is_said_as_its_message() {
    let text = printed(
        step("Then ", "x", 3),
        failed(StepError::Panic(Arc::new("a bug".to_string()))),
    );
    assert!(
        text.ends_with("      Defined: features/mute.feature:3:5\n      Step failed: a bug\n"),
        "{text}"
    );
}

#[test]
fn an_undefined_step_and_a_skipped_one_are_said_as_cucumber_says_them() {
    let text = printed(step("When ", "nobody defines this", 6), failed(StepError::NotFound));
    assert!(
        text.ends_with("   ✘  When nobody defines this\n      Defined: features/mute.feature:6:5\n      Step doesn't match any function\n"),
        "{text}"
    );
    let text = printed(
        step("Given ", "the seed profile documents otherwise", 65),
        Step::Skipped,
    );
    assert!(
        text.ends_with(
            "   ?  Given the seed profile documents otherwise\n      Step skipped: features/mute.feature:65:5\n"
        ),
        "{text}"
    );
}

#[test]
fn a_reader_that_went_away_ends_the_printing_not_the_run() {
    struct Gone;
    impl std::io::Write for Gone {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut console = Console::new(Gone);
    console.line("one");
    assert!(console.closed);
    console.line("two");
    assert!(console.closed);
}

#[test]
fn a_listed_scenario_ends_with_what_the_ledger_says_of_it() {
    let ledger = || {
        let text = "[[known]]\nfeature = \"features/mute.feature\"\nscenario = \"Mute a participant\"\nreason = \"ignores Muted\"\n";
        Some(Ledger::parse("known.toml", text).unwrap())
    };
    let failure = Failure::new("the response differs");
    let ev = failed(StepError::Panic(Arc::new(failure)));
    let text = printed_with(step("Then ", "the update succeeds", 8), ev, ledger());
    assert!(
        text.ends_with(
            "      Step failed: the response differs\n   ⚠  known divergence (known.toml:1): ignores Muted\n"
        ),
        "{text}"
    );
    let passed = Step::Passed(regex::Regex::new("x").unwrap().capture_locations(), None);
    let text = printed_with(step("Then ", "the update succeeds", 8), passed, ledger());
    assert!(
        text.ends_with("   ✔  Then the update succeeds\n   ✘  fixed: remove it from the ledger (known.toml:1 lists it as a known divergence: ignores Muted), since it passed\n"),
        "{text}"
    );
    // not listed: nothing more said
    let text = printed(
        step("Then ", "x", 3),
        failed(StepError::Panic(Arc::new("a bug".to_string()))),
    );
    assert!(text.ends_with("Step failed: a bug\n"), "{text}");
}
