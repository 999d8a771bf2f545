//! What a run does after each scenario: keep its record or compare it with the baseline, put
//! back what it changed on a shared target, and remember what to say at the end (the steps that
//! match no definition, the titles of the failed scenarios for the rerun hint).

use std::sync::{Arc, Mutex};

use cucumber::World as _;
use cucumber::event::ScenarioFinished;
use cucumber::gherkin::{Feature, Rule, Scenario};
use futures::FutureExt as _;
use futures::future::LocalBoxFuture;

use laml_conformance::failure::Failure;

use crate::commands::profiles;
use crate::features;
use crate::steps::ConformanceWorld;

/// What the run's after hook keeps for the sentences at the end: the titles of the scenarios
/// that failed, in the order they ended, for the rerun hint. Owned by the run, shared with the
/// hook that cucumber's runner holds while the run lasts.
#[derive(Clone, Default)]
pub struct Failed(Arc<Mutex<Vec<String>>>);

impl Failed {
    /// Keeps the title of a failed scenario for [`Failed::rerun_lines`].
    fn push(&self, title: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(title.to_string());
    }

    /// One line per failed scenario (the first ten), with the `--name` that selects it alone:
    /// cucumber reads `--name` as a regex, so a title with parentheses, quotes or a `+` is
    /// escaped and anchored, then quoted for a POSIX shell.
    pub fn rerun_lines(&self) -> String {
        let titles = self.0.lock().unwrap_or_else(|p| p.into_inner());
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
    if matches!(finished, ScenarioFinished::StepSkipped) && !skipped_on_purpose {
        undefined_steps(feature, scenario);
    } else if step_failed {
        failed.push(&scenario.name);
    }
    let failed = failed.clone();
    async move {
        let Some(w) = world else { return };
        let drift = w.record(feature, scenario);
        let unrestored = w.restore().await.map(Failure::new);
        // A panic of the after hook fails the scenario in cucumber's own counts, so a drift or
        // a failed restore is a failure on the console and in every report alike; raised as a
        // value, a drift reaches the reports with its field diff.
        let failure = match (drift, unrestored) {
            (None, None) => return,
            (Some(one), None) | (None, Some(one)) => one,
            (Some(drift), Some(unrestored)) => Failure {
                title: format!("{}\n{}", drift.title, unrestored.title),
                ..drift
            },
        };
        // cucumber's console does not show a failed hook after a failed step: said on stderr
        // then, so it is not lost
        if step_failed {
            eprintln!("laml-conformance: {failure}");
        } else {
            failed.push(&scenario.name);
        }
        failure.raise();
    }
    .boxed_local()
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
