//! What each scenario of the record ran, as a test case and its events: the test case (its
//! hooks and steps, each step with the definitions its text matches), then its start, each
//! step's start and end with its result, and its end.
//!
//! A step's result comes from the record's [`Outcome`]: a failure's message is the value the
//! step raised ([`Failure`]) rendered as the console shows it (its deviations, then the
//! exchange with its curl repro, already redacted); a skipped scenario's skipped step carries
//! the reason it was skipped (which is that step's text in this harness, see `steps::needs`);
//! the steps after a failed or skipped one are skipped, as Cucumber says them. A failed hook
//! (a drift from the baseline, or a participant that could not be restored, which reach the
//! record as the after hook's failure) carries that failure's text, the drift's diff in it.
//!
//! The record keeps when each scenario started and how long each step and hook took; a step's
//! start is its scenario's start plus the steps and hooks before it, since they run in turn.

use std::time::SystemTime;

use laml_conformance::failure::Failure;

use super::super::record::{Outcome, ScenarioRecord, StepError, StepRecord};
use super::definitions::Definitions;
use super::envelope::{
    Envelope, Status, TestCase, TestCaseFinished, TestCaseStarted, TestStep, TestStepFinished, TestStepResult,
    TestStepStarted, Timestamp,
};
use super::ids::Ids;
use super::pickles::Compiled;

/// The ids of the run's hooks, by when they run.
#[derive(Debug, Default, Clone)]
pub struct HookIds {
    /// Before each scenario.
    pub before: Option<String>,
    /// After each scenario.
    pub after: Option<String>,
}

/// What one test step stands for in the record.
enum Part<'a> {
    /// The pickle step at this index, and the record's step at its place, if any.
    Step(Option<&'a StepRecord>),
    /// A hook run, by its index among the scenario's hooks.
    Hook(usize),
}

/// One scenario of the record, matched to its pickle.
pub struct Case<'a> {
    /// Its pickle.
    pub compiled: &'a Compiled,
    /// Its record.
    pub scenario: &'a ScenarioRecord,
    /// When its feature started: the start of a scenario the record has no start for.
    pub feature_started: SystemTime,
}

/// The test case of `case`, and the events of its run.
pub fn render(
    case: &Case<'_>,
    definitions: &Definitions<'_>,
    hooks: &HookIds,
    run: &str,
    note: Option<&str>,
    ids: &mut Ids,
) -> (TestCase, Vec<Envelope>) {
    let (steps, parts) = plan(case, definitions, hooks, ids);
    let test_case = TestCase {
        id: ids.next(),
        pickle_id: case.compiled.pickle.id.clone(),
        test_steps: steps,
        test_run_started_id: run.to_string(),
    };
    let started_id = ids.next();
    let s = case.scenario;
    let start = s.ran.started.unwrap_or(case.feature_started);
    let mut events = vec![Envelope::TestCaseStarted(TestCaseStarted {
        attempt: 0,
        id: started_id.clone(),
        test_case_id: test_case.id.clone(),
        timestamp: start.into(),
    })];
    let mut at = start;
    for (step, part) in test_case.test_steps.iter().zip(&parts) {
        let result = match part {
            Part::Step(record) => step_result(*record, note),
            Part::Hook(i) => hook_result(s, *i, note),
        };
        let duration = std::time::Duration::new(result.duration.seconds, result.duration.nanos);
        let stamp = |timestamp: Timestamp| (started_id.clone(), step.id.clone(), timestamp);
        let (case_id, step_id, timestamp) = stamp(at.into());
        events.push(Envelope::TestStepStarted(TestStepStarted {
            test_case_started_id: case_id,
            test_step_id: step_id,
            timestamp,
        }));
        at += duration;
        let (case_id, step_id, timestamp) = stamp(at.into());
        events.push(Envelope::TestStepFinished(TestStepFinished {
            test_case_started_id: case_id,
            test_step_id: step_id,
            test_step_result: result,
            timestamp,
        }));
    }
    events.push(Envelope::TestCaseFinished(TestCaseFinished {
        test_case_started_id: started_id,
        timestamp: at.max(start + s.ran.duration).into(),
        will_be_retried: false,
    }));
    (test_case, events)
}

/// The test steps of a case (its before hooks, its pickle's steps, its after hooks, as the
/// record ran them), and what each stands for.
fn plan<'a>(
    case: &Case<'a>,
    definitions: &Definitions<'_>,
    hooks: &HookIds,
    ids: &mut Ids,
) -> (Vec<TestStep>, Vec<Part<'a>>) {
    let s = case.scenario;
    let mut steps = Vec::new();
    let mut parts = Vec::new();
    let hook = |before: bool, steps: &mut Vec<TestStep>, parts: &mut Vec<Part<'a>>, ids: &mut Ids| {
        let id = if before { &hooks.before } else { &hooks.after };
        for (i, _) in s.ran.hooks.iter().enumerate().filter(|(_, h)| h.before == before) {
            steps.push(TestStep {
                id: ids.next(),
                hook_id: id.clone(),
                pickle_step_id: None,
                step_definition_ids: None,
                step_match_arguments_lists: None,
            });
            parts.push(Part::Hook(i));
        }
    };
    hook(true, &mut steps, &mut parts, ids);
    for (pickle_step, (line, col, ty)) in case.compiled.pickle.steps.iter().zip(&case.compiled.steps) {
        let (definition_ids, arguments) = definitions.matching(*ty, &pickle_step.text);
        steps.push(TestStep {
            id: ids.next(),
            hook_id: None,
            pickle_step_id: Some(pickle_step.id.clone()),
            step_definition_ids: Some(definition_ids),
            step_match_arguments_lists: Some(arguments),
        });
        let record = s.steps.iter().find(|r| r.line == *line && r.col == *col);
        parts.push(Part::Step(record));
    }
    hook(false, &mut steps, &mut parts, ids);
    (steps, parts)
}

/// How a step ended, and how long it took.
fn step_result(record: Option<&StepRecord>, note: Option<&str>) -> TestStepResult {
    let Some(record) = record else {
        return result(Status::Unknown, None, std::time::Duration::ZERO);
    };
    let (status, message) = status_of(record, note);
    result(status, message, record.ran.duration)
}

/// A step's status and message, from its outcome in the record.
pub(super) fn status_of(record: &StepRecord, note: Option<&str>) -> (Status, Option<String>) {
    match (&record.outcome, record.ran.error) {
        (Outcome::Passed, _) => (Status::Passed, None),
        (Outcome::Skipped, _) => (Status::Skipped, Some(record.text.clone())),
        (Outcome::NotRun, _) => (Status::Skipped, None),
        (Outcome::Failed(f), Some(StepError::Undefined)) => (Status::Undefined, Some(f.to_string())),
        (Outcome::Failed(f), Some(StepError::Ambiguous)) => (Status::Ambiguous, Some(f.to_string())),
        (Outcome::Failed(f), None) => (Status::Failed, Some(failure_message(f, note))),
    }
}

/// How the scenario's hook `i` ended: a failed one carries the scenario's hook failure (the
/// value the record keeps for the last hook that failed), or its own text.
fn hook_result(s: &ScenarioRecord, i: usize, note: Option<&str>) -> TestStepResult {
    let h = &s.ran.hooks[i];
    let last_failed = s.ran.hooks.iter().rposition(|h| h.failed.is_some());
    let (status, message) = match (&h.failed, &s.hook_failure) {
        (None, _) => (Status::Passed, None),
        (Some(_), Some(failure)) if last_failed == Some(i) => (Status::Failed, Some(failure_message(failure, note))),
        (Some(text), _) => (Status::Failed, Some(text.clone())),
    };
    result(status, message, h.duration)
}

/// A failure as the console shows it, and, for a run on the embedded space, how to reproduce
/// it (its curl commands name a port gone with the run).
fn failure_message(failure: &Failure, note: Option<&str>) -> String {
    match note {
        Some(note) if failure.exchange.is_some() => format!("{failure}\n\n{note}"),
        _ => failure.to_string(),
    }
}

fn result(status: Status, message: Option<String>, duration: std::time::Duration) -> TestStepResult {
    TestStepResult {
        duration: duration.into(),
        status,
        message,
    }
}
