//! The run as the reports beside the console see it: every feature, scenario and step with how
//! it ended, and each failure as the value the step raised ([`Failure`]), never its text.
//!
//! The record holds what the console shows (steps, their results, each failure), never the
//! World, so nothing appears in a report that the console does not print (tokens are redacted
//! in the exchanges already).

use std::time::SystemTime;

use cucumber::event::{self, Cucumber};
use cucumber::{Event, gherkin, parser};
use laml_conformance::failure::{Failure, Kind};

use super::known::{Entry, Ledger, Place};
use crate::child::{Ran, Verdict};

pub use super::counts::Counts;
pub use super::place::shown_path;
pub use super::timing::{HookRun, ScenarioRun, StepError, StepRun};

/// What the reports say about the run as a whole, beside its scenarios.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The profile's name (`--profile`).
    pub profile: String,
    /// What document the profile is.
    pub profile_title: String,
    /// The target, as a reader names it: the embedded space, or its base URL (which never
    /// holds credentials: the configuration refuses a URL that does).
    pub target: String,
    /// How the scenarios get their state there: the embedded space's own, a setup endpoint's
    /// fresh conference, or a configured conference's shared participants.
    pub mode: String,
    /// The fault the embedded space was broken with (`--fault`), if any.
    pub fault: Option<String>,
    /// The ledger of known divergences (`--known`), if the run was given one.
    pub known: Option<std::sync::Arc<Ledger>>,
    /// For a run on the embedded space, how to reproduce a failure: the curl commands in the
    /// failure texts name that space's port and account, gone with the run, so every report
    /// that shows them says so beside them (not only stderr).
    pub reproduce: Option<String>,
    /// Set when `--fail-fast` stopped the run early (before the reports are written), so a
    /// report that shows four scenarios of fifty-nine says why.
    pub stopped: crate::fail_fast::StopNote,
}

/// How a step ended, as the console shows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It passed.
    Passed,
    /// It failed, with what it found.
    Failed(Failure),
    /// No step matched it; in this harness, a step that a scenario the target cannot arrange
    /// had replaced by the reason (see `steps::needs`), so its text is the reason.
    Skipped,
    /// It never ran: a step before it failed or was skipped.
    NotRun,
}

/// One step of a scenario and how it ended.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StepRecord {
    /// Whether it belongs to a Background.
    pub background: bool,
    /// `Given `, `When `, …, as written.
    pub keyword: String,
    /// The step's text, with an outline's values substituted.
    pub text: String,
    /// Its data table, if any.
    pub table: Option<Vec<Vec<String>>>,
    /// Its doc string, if any.
    pub docstring: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    pub(super) line: usize,
    pub(super) col: usize,
    /// How long it took, and how cucumber said it failed, for the Cucumber JSON report.
    pub(super) ran: StepRun,
}

impl StepRecord {
    fn new(step: &gherkin::Step, background: bool) -> Self {
        StepRecord {
            background,
            keyword: step.keyword.clone(),
            text: step.value.clone(),
            table: step.table.as_ref().map(|t| t.rows.clone()),
            docstring: step.docstring.clone(),
            outcome: Outcome::NotRun,
            line: step.position.line,
            col: step.position.col,
            ran: StepRun::default(),
        }
    }
}

/// One scenario (one row of an outline) and its steps.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ScenarioRecord {
    /// The rule it is under, if any.
    pub rule: Option<String>,
    /// `Scenario`, `Scenario Outline`, …, as written.
    pub keyword: String,
    /// Its name, with an outline's values substituted.
    pub name: String,
    /// Its line (an outline row's line for a row of an outline).
    pub line: usize,
    /// Its tags and those of its `Examples` block, without `@`.
    pub tags: Vec<String>,
    /// Background steps first, then its own, in order.
    pub steps: Vec<StepRecord>,
    /// A hook that failed around it, with what it found.
    pub hook_failure: Option<Failure>,
    /// The entry of the ledger of known divergences that lists it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<Entry>,
    /// When and how long it ran, and its hooks, for the JUnit and Cucumber JSON reports.
    pub(super) ran: ScenarioRun,
}

impl ScenarioRecord {
    fn new(
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        sc: &gherkin::Scenario,
        ledger: Option<&Ledger>,
    ) -> Self {
        let background = |b: Option<&gherkin::Background>| {
            b.into_iter()
                .flat_map(|b| b.steps.iter().map(|s| StepRecord::new(s, true)))
                .collect::<Vec<_>>()
        };
        let mut steps = background(feature.background.as_ref());
        steps.extend(background(rule.and_then(|r| r.background.as_ref())));
        steps.extend(sc.steps.iter().map(|s| StepRecord::new(s, false)));
        ScenarioRecord {
            rule: rule.map(|r| r.name.clone()),
            keyword: sc.keyword.clone(),
            name: sc.name.clone(),
            line: sc.position.line,
            tags: sc.tags.clone(),
            steps,
            hook_failure: None,
            known: ledger.and_then(|l| l.find(&Place::of(feature, rule, sc))).cloned(),
            ran: ScenarioRun {
                col: sc.position.col,
                ..ScenarioRun::default()
            },
        }
    }

    /// Failed if a step or a hook failed, skipped if a step was skipped, else passed; known
    /// or fixed instead of failed or passed when the ledger of known divergences lists it
    /// ([`Verdict::of`]).
    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.ran(), self.known.is_some())
    }

    /// Where it is in `f`, as a ledger entry selects it (its tags with its feature's and rule's,
    /// as [`Place::of`] reads them from the features).
    pub fn place(&self, f: &FeatureRecord) -> Place {
        let rule = f.source.rules.iter().find(|r| Some(&r.name) == self.rule.as_ref());
        let tags = self
            .tags
            .iter()
            .chain(&f.source.tags)
            .chain(rule.iter().flat_map(|r| &r.tags))
            .cloned()
            .collect();
        Place {
            feature: f.path.clone().unwrap_or_else(|| f.name.clone()),
            name: self.name.clone(),
            line: self.line,
            tags,
        }
    }

    /// How it ran, by its steps and hooks alone.
    fn ran(&self) -> Ran {
        if self.hook_failure.is_some() {
            Ran::HookFailed
        } else if self.failure().is_some() {
            Ran::StepFailed
        } else if self.skipped_because().is_some() {
            Ran::Skipped
        } else {
            Ran::Passed
        }
    }

    /// The first step that failed, or the failed hook as a step-like line, and its text.
    pub fn failure(&self) -> Option<(String, &Failure)> {
        self.steps
            .iter()
            .find_map(|s| match &s.outcome {
                Outcome::Failed(failure) => Some((format!("{}{}", s.keyword, s.text), failure)),
                _ => None,
            })
            .or_else(|| {
                let after = |f: &Failure| match f.kind {
                    Kind::Drift => "the comparison with the baseline",
                    Kind::Failed => "a hook",
                };
                self.hook_failure.as_ref().map(|f| (after(f).to_string(), f))
            })
    }

    /// The reason the scenario was skipped: the text of its skipped step.
    pub fn skipped_because(&self) -> Option<&str> {
        self.steps
            .iter()
            .find(|s| matches!(s.outcome, Outcome::Skipped))
            .map(|s| s.text.as_str())
    }
}

/// One feature file and its scenarios, in the order they ran.
#[derive(Debug, Clone)]
pub struct FeatureRecord {
    /// `Feature`, as written.
    pub keyword: String,
    /// Its name.
    pub name: String,
    /// Its file, relative to the project (or the working) directory where it is under it.
    pub path: Option<String>,
    /// Its scenarios.
    pub scenarios: Vec<ScenarioRecord>,
    pub(super) source: event::Source<gherkin::Feature>,
    /// When it started (a JUnit test suite's timestamp).
    pub(super) started: SystemTime,
}

impl FeatureRecord {
    /// How many of its scenarios passed, failed and were skipped.
    pub fn counts(&self) -> Counts {
        Counts::of(self.scenarios.iter().map(ScenarioRecord::verdict))
    }
}

/// The run as the HTML page and the Markdown summary show it.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The features, in the order they ran.
    pub features: Vec<FeatureRecord>,
    /// Feature files that could not be parsed, with cucumber's message.
    pub parse_errors: Vec<String>,
    /// When the run started.
    pub started: Option<SystemTime>,
    /// When the run finished.
    pub finished: Option<SystemTime>,
    pub(super) current: Option<ScenarioRecord>,
    /// The ledger of known divergences each scenario is looked up in, if the run has one.
    pub(super) ledger: Option<std::sync::Arc<Ledger>>,
    /// Those files' errors as cucumber gave them, which the JUnit and JSON reports name.
    pub(super) parse_failures: Vec<parser::Error>,
    /// When the step or hook under way started.
    pub(super) started_at: Option<SystemTime>,
    /// When the scenario under way started.
    pub(super) scenario_started: Option<SystemTime>,
}

impl Record {
    /// Scenarios by verdict, over every feature.
    pub fn counts(&self) -> Counts {
        Counts::of(
            self.features
                .iter()
                .flat_map(|f| &f.scenarios)
                .map(ScenarioRecord::verdict),
        )
    }

    /// A record whose scenarios are looked up in `ledger`, the run's ledger of known
    /// divergences.
    pub fn listing(ledger: Option<std::sync::Arc<Ledger>>) -> Record {
        Record {
            ledger,
            ..Record::default()
        }
    }

    /// One line that says how the run went, for the page's title and the summary's heading.
    pub fn headline(&self) -> String {
        if self.parse_errors.is_empty() {
            self.counts().headline()
        } else {
            format!("{} feature file(s) could not be parsed", self.parse_errors.len())
        }
    }

    /// Steps that passed, failed and were skipped, over every scenario.
    pub fn step_counts(&self) -> Counts {
        let mut c = Counts::default();
        for s in self.features.iter().flat_map(|f| &f.scenarios).flat_map(|s| &s.steps) {
            match s.outcome {
                Outcome::Passed => c.passed += 1,
                Outcome::Failed(_) => c.failed += 1,
                Outcome::Skipped => c.skipped += 1,
                Outcome::NotRun => {}
            }
        }
        c
    }

    /// Takes one (normalised) event into the record.
    pub(super) fn take<W>(&mut self, event: &parser::Result<Event<Cucumber<W>>>) {
        use event::{Feature, Rule};
        let ev = match event {
            Err(e) => {
                self.parse_failures.push(e.clone());
                return self.parse_errors.push(e.to_string());
            }
            Ok(ev) => ev,
        };
        match &ev.value {
            Cucumber::Started => self.started = Some(ev.at),
            Cucumber::Finished => self.finished = Some(ev.at),
            Cucumber::ParsingFinished { .. } => {}
            Cucumber::Feature(f, Feature::Started) => self.features.push(FeatureRecord {
                keyword: f.keyword.clone(),
                name: f.name.clone(),
                path: f.path.as_deref().map(shown_path),
                scenarios: Vec::new(),
                source: f.clone(),
                started: ev.at,
            }),
            Cucumber::Feature(_, Feature::Finished | Feature::Rule(_, Rule::Started | Rule::Finished)) => {}
            Cucumber::Feature(f, Feature::Scenario(sc, e)) => self.scenario(f, None, sc, &e.event, ev.at),
            Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, e))) => {
                self.scenario(f, Some(r), sc, &e.event, ev.at);
            }
        }
    }

    fn scenario<W>(
        &mut self,
        feature: &event::Source<gherkin::Feature>,
        rule: Option<&gherkin::Rule>,
        sc: &gherkin::Scenario,
        ev: &event::Scenario<W>,
        at: SystemTime,
    ) {
        use event::{Hook, Scenario, Step};
        if let Scenario::Started = ev {
            self.current = Some(ScenarioRecord::new(feature, rule, sc, self.ledger.as_deref()));
            self.scenario_started = Some(at);
            return;
        }
        let since = |started: Option<SystemTime>| started.and_then(|s| at.duration_since(s).ok()).unwrap_or_default();
        let Some(current) = self.current.as_mut() else { return };
        match ev {
            Scenario::Started | Scenario::Log(_) => {}
            Scenario::Hook(_, Hook::Started)
            | Scenario::Background(_, Step::Started)
            | Scenario::Step(_, Step::Started) => {
                self.started_at = Some(at);
            }
            Scenario::Hook(which, hook) => {
                let failure = match hook {
                    Hook::Failed(_, info) => Some(hook_failure(*which, info)),
                    _ => None,
                };
                let failed = failure.as_ref().map(ToString::to_string);
                if failure.is_some() {
                    current.hook_failure = failure;
                }
                let before = matches!(which, event::HookType::Before);
                let duration = since(self.started_at.take());
                current.ran.hooks.push(HookRun {
                    before,
                    duration,
                    failed,
                });
            }
            Scenario::Background(step, e) | Scenario::Step(step, e) => {
                let background = matches!(ev, Scenario::Background(..));
                let (outcome, error) = match e {
                    Step::Started => return,
                    Step::Passed(..) => (Outcome::Passed, None),
                    Step::Skipped => (Outcome::Skipped, None),
                    Step::Failed(_, _, _, err) => (Outcome::Failed(step_failure(err)), step_error(err)),
                };
                let duration = since(self.started_at.take());
                let (line, col) = (step.position.line, step.position.col);
                if let Some(s) = current
                    .steps
                    .iter_mut()
                    .find(|s| s.background == background && s.line == line && s.col == col)
                {
                    s.outcome = outcome;
                    s.ran = StepRun { duration, error };
                }
            }
            Scenario::Finished => {
                let mut done = self.current.take().expect("a scenario is being recorded");
                done.ran.started = self.scenario_started.take();
                done.ran.duration = since(done.ran.started);
                if let Some(f) = self.features.iter_mut().rev().find(|f| f.source == *feature) {
                    f.scenarios.push(done);
                }
            }
        }
    }
}

/// How a step failed without raising a failure, if it did.
fn step_error(err: &event::StepError) -> Option<StepError> {
    match err {
        event::StepError::NotFound => Some(StepError::Undefined),
        event::StepError::AmbiguousMatch(_) => Some(StepError::Ambiguous),
        event::StepError::Panic(_) => None,
    }
}

/// What a failed step found: the value it raised, or for a step that raised none (one that
/// matches no definition, or a bug of a step that panicked) the sentence cucumber says.
fn step_failure(err: &event::StepError) -> Failure {
    match err {
        event::StepError::Panic(info) => Failure::of_panic(&**info)
            .cloned()
            .unwrap_or_else(|| Failure::new(panic_text(info))),
        other => Failure::new(other.to_string()),
    }
}

/// What a failed hook found: the value it raised (the run's after hook raises a drift from the
/// baseline, or a participant it could not restore, as a [`Failure`]), or the sentence of a
/// hook that panicked with text.
pub(super) fn hook_failure(which: event::HookType, info: &event::Info) -> Failure {
    Failure::of_panic(&**info)
        .cloned()
        .unwrap_or_else(|| Failure::new(format!("the {which} hook failed: {}", panic_text(info))))
}

/// A panic's message, as cucumber shows it.
pub(super) fn panic_text(info: &event::Info) -> String {
    info.downcast_ref::<String>()
        .cloned()
        .or_else(|| info.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(a panic without a message)".into())
}
