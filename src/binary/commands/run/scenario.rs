//! What a run does after each scenario: keep its record or compare it with the baseline, put
//! back what it changed on a shared target, and remember what to say at the end (the steps that
//! match no definition, the titles of the failed scenarios for the rerun hint, and how each
//! scenario ended under the ledger of known divergences).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use cucumber::World as _;
use cucumber::event::ScenarioFinished;
use cucumber::gherkin::{Feature, Rule, Scenario};
use futures::FutureExt as _;
use futures::future::LocalBoxFuture;

use laml_conformance::failure::Failure;

use crate::child::{Ran, Verdict};
use crate::commands::profiles;
use crate::features;
use crate::report::known::{Entry, Ledger, Place};
use crate::steps::ConformanceWorld;

/// What the run's after hook keeps for the sentences at the end: the titles of the scenarios
/// that failed, in the order they ended, for the rerun hint, and how every scenario ended
/// under the run's ledger of known divergences (`--known`), if it has one. Owned by the run,
/// shared with the hook that cucumber's runner holds while the run lasts.
#[derive(Clone, Default)]
pub struct Failed(Arc<Mutex<Kept>>);

#[derive(Default)]
struct Kept {
    titles: Vec<String>,
    ledger: Option<Arc<Ledger>>,
    /// By feature and line: a scenario retried is judged by its last attempt.
    judged: BTreeMap<(String, usize), Judged>,
}

/// How a scenario ended, as the run's verdict reads it.
#[derive(Debug, Clone)]
pub struct Judged {
    /// Where it is.
    pub place: Place,
    /// How it ran, by its steps and hooks.
    pub ran: Ran,
    /// Its verdict, under the ledger if the run has one.
    pub verdict: Verdict,
    /// The entry of the ledger that lists it.
    pub entry: Option<Entry>,
}

impl Failed {
    /// Kept for a run that judges by `ledger`, if it has one.
    pub fn new(ledger: Option<Arc<Ledger>>) -> Failed {
        Failed(Arc::new(Mutex::new(Kept {
            ledger,
            ..Kept::default()
        })))
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Judges a scenario that ended at `place` as `ran`, and keeps its title for the rerun hint
    /// when `rerun` and it failed.
    fn end(&self, place: Place, ran: Ran, rerun: bool) {
        let mut kept = self.kept();
        let (verdict, entry) = match &kept.ledger {
            Some(ledger) => {
                let (verdict, entry) = ledger.judge(&place, ran);
                (verdict, entry.cloned())
            }
            None => (Verdict::of(ran, false), None),
        };
        if rerun && verdict == Verdict::Failed {
            kept.titles.push(place.name.clone());
        }
        let key = (place.feature.clone(), place.line);
        let judged = Judged {
            place,
            ran,
            verdict,
            entry,
        };
        kept.judged.insert(key, judged);
    }

    /// Every scenario that ended, by feature and line.
    pub fn judged(&self) -> Vec<Judged> {
        self.kept().judged.values().cloned().collect()
    }

    /// One line per failed scenario (the first ten), with the `--name` that selects it alone:
    /// cucumber reads `--name` as a regex, so a title with parentheses, quotes or a `+` is
    /// escaped and anchored, then quoted for a POSIX shell.
    pub fn rerun_lines(&self) -> String {
        let kept = self.kept();
        let titles = &kept.titles;
        let mut seen = Vec::new();
        for t in titles.iter().filter(|t| !t.is_empty()) {
            if !seen.contains(t) {
                seen.push(t.clone());
            }
        }
        let mut lines: Vec<String> = seen
            .iter()
            .take(10)
            .map(|t| format!("  --name {}", name_arg(t)))
            .collect();
        if seen.len() > 10 {
            lines.push(format!("  (and {} more: see the report)", seen.len() - 10));
        }
        lines.join("\n")
    }
}

/// cucumber's after hook: counts the scenario for `profiles`, says the steps that match no
/// definition, keeps the titles of failed scenarios in `failed`, and records, compares and
/// restores the World's state.
pub fn after_scenario<'a>(
    failed: &Failed,
    feature: &'a Feature,
    rule: Option<&'a Rule>,
    scenario: &'a Scenario,
    finished: &'a ScenarioFinished,
    world: Option<&'a mut ConformanceWorld>,
) -> LocalBoxFuture<'a, ()> {
    profiles::count(finished);
    let place = Place::of(feature, rule, scenario);
    let step_failed = matches!(finished, ScenarioFinished::StepFailed(..));
    // cucumber skips a step that matches no definition (the writers' fail_on_skipped fails it
    // later), as it skips a scenario whose need cannot be arranged: only the first has a step
    // that `find`s nothing
    let skipped_on_purpose = scenario
        .tags
        .iter()
        .chain(&feature.tags)
        .chain(rule.iter().flat_map(|r| &r.tags))
        .any(|t| t == "allow.skipped");
    let undefined = matches!(finished, ScenarioFinished::StepSkipped) && !skipped_on_purpose;
    if undefined {
        undefined_steps(feature, scenario);
    }
    let ran = match finished {
        ScenarioFinished::BeforeHookFailed(_) => Ran::HookFailed,
        ScenarioFinished::StepFailed(..) => Ran::StepFailed,
        ScenarioFinished::StepSkipped if undefined => Ran::StepFailed,
        ScenarioFinished::StepSkipped => Ran::Skipped,
        ScenarioFinished::StepPassed => Ran::Passed,
    };
    let failed = failed.clone();
    async move {
        // a step that matches no definition has no request to rerun: said above instead
        let Some(w) = world else {
            return failed.end(place, ran, step_failed);
        };
        let drift = w.record(feature, scenario);
        let unrestored = w.restore().await.map(Failure::new);
        // A panic of the after hook fails the scenario in cucumber's own counts, so a drift or
        // a failed restore is a failure on the console and in every report alike; raised as a
        // value, a drift reaches the reports with its field diff.
        let Some(failure) = after_hook_failure(drift, unrestored) else {
            return failed.end(place, ran, step_failed);
        };
        // cucumber's console does not show a failed hook after a failed step: said on stderr
        // then, so it is not lost
        if step_failed {
            eprintln!("laml-conformance: {failure}");
        }
        failed.end(place, Ran::HookFailed, true);
        failure.raise();
    }
    .boxed_local()
}

/// What the after hook raises: a drift from the baseline, a participant not restored, or both
/// in one failure (the drift's diff, under both titles).
fn after_hook_failure(drift: Option<Failure>, unrestored: Option<Failure>) -> Option<Failure> {
    match (drift, unrestored) {
        (None, None) => None,
        (Some(one), None) | (None, Some(one)) => Some(one),
        (Some(drift), Some(unrestored)) => Some(Failure {
            title: format!("{}\n{}", drift.title, unrestored.title),
            ..drift
        }),
    }
}

/// Says each step of the scenario that matches no definition, with the step of the compiled-in
/// features its words are nearest to.
fn undefined_steps(feature: &Feature, scenario: &Scenario) {
    let steps = ConformanceWorld::collection();
    let file = feature
        .path
        .as_ref()
        .map_or_else(|| feature.name.clone(), |p| p.display().to_string());
    let background = feature.background.iter().flat_map(|b| &b.steps);
    for step in background.chain(&scenario.steps) {
        if !matches!(steps.find(step), Ok(None)) {
            continue;
        }
        let nearest = features::nearest_step(&step.value).map_or_else(
            || "; `laml-conformance features --export DIR` writes out the steps the suite's features use".to_string(),
            |(line, at)| format!("; did you mean `{line}` ({at})?"),
        );
        eprintln!(
            "laml-conformance: {file}:{}:{}: no step definition matches `{}{}`{nearest}",
            step.position.line, step.position.col, step.keyword, step.value
        );
    }
}

/// `--name`'s argument that selects the scenario titled `title` and no other, shell-quoted.
fn name_arg(title: &str) -> String {
    let regex = format!("^{}$", regex::escape(title));
    format!("'{}'", regex.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run that failed `n` scenarios, each titled by its number, the first twice.
    fn failed(n: usize) -> Failed {
        let failed = Failed::new(None);
        for i in (1..=n).chain([1]) {
            let name = format!("Scenario {i}");
            let place = Place {
                feature: "f.feature".into(),
                name,
                line: i,
                tags: Vec::new(),
            };
            failed.end(place, Ran::StepFailed, true);
        }
        failed
    }

    #[test]
    fn a_drift_and_a_participant_not_restored_are_said_together() {
        let drift = || Failure::new("drifted from the baseline");
        let unrestored = || Failure::new("\"agent\" could not be restored");
        let both = after_hook_failure(Some(drift()), Some(unrestored())).unwrap();
        assert_eq!(both.title, "drifted from the baseline\n\"agent\" could not be restored");
        let one = after_hook_failure(None, Some(unrestored())).unwrap();
        assert_eq!(one.title, "\"agent\" could not be restored");
        assert_eq!(
            after_hook_failure(Some(drift()), None).unwrap().title,
            "drifted from the baseline"
        );
        assert!(after_hook_failure(None, None).is_none());
    }

    #[test]
    fn the_rerun_hint_names_ten_failed_scenarios_once_each_and_counts_the_rest() {
        let ten = failed(10).rerun_lines();
        assert_eq!(ten.lines().count(), 10, "{ten}");
        assert!(ten.starts_with("  --name '^Scenario 1$'\n"), "{ten}");
        assert!(!ten.contains("more"), "{ten}");
        let twelve = failed(12).rerun_lines();
        assert_eq!(twelve.lines().count(), 11, "{twelve}");
        assert!(twelve.ends_with("\n  (and 2 more: see the report)"), "{twelve}");
    }
}
