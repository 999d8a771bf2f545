//! Confirming a printed scenario the way its reader will use it: the suite runs it, as a child
//! process, against the target (it must fail there) and against the embedded simulated space
//! under the same profile (it must pass there). A scenario that does not show its divergence
//! (some states cannot be shown by any step) is no reproduction, and `explore` looks further.

use crate::child::cucumber_json::{Feature, Status};
use crate::child::{Verdict, run_suite, scratch, verdicts};

/// What running a printed scenario showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// It fails against the target, at this step, and passes against the healthy space.
    Confirmed(String),
    /// It does not show the divergence, for this reason.
    Refuted(String),
    /// It could not be run, for this reason.
    Unavailable(String),
}

/// The first step of the report's scenario that did not pass, as the feature writes it.
fn failing_step(report: &[Feature]) -> Option<String> {
    report
        .iter()
        .flat_map(|f| &f.elements)
        .flat_map(|e| &e.steps)
        .find(|s| s.result.status != Status::Passed)
        .map(|s| format!("{}{}", s.keyword, s.name))
}

/// Runs `feature` with the suite against the target `target_args` name (the explore run's own
/// target options) and against the embedded space under `profile`.
pub fn confirm(feature: &str, target_args: &[String], profile: &str) -> Confirmation {
    let (exe, dir) = match scratch("explore") {
        Ok(found) => found,
        Err(e) => return Confirmation::Unavailable(e),
    };
    let file = dir.join("found.feature");
    if let Err(e) = std::fs::write(&file, feature) {
        return Confirmation::Unavailable(format!("cannot write {}: {e}", file.display()));
    }
    let features = ["--features".to_string(), file.display().to_string()];
    let run = |extra: &[String], report: &str| -> Result<(Option<Verdict>, Option<String>), String> {
        let args: Vec<String> = features.iter().chain(extra).cloned().collect();
        let report = run_suite(&exe, &args, &dir.join(report))?;
        let verdict = verdicts(&report).first().map(|(_, _, v)| *v);
        Ok((verdict, failing_step(&report)))
    };
    let healthy = ["--target", "embedded", "--profile", profile].map(String::from);
    let outcome = match (run(target_args, "target.json"), run(&healthy, "healthy.json")) {
        (Err(e), _) | (_, Err(e)) => Confirmation::Unavailable(e),
        (Ok((_, _)), Ok((Some(Verdict::Failed), step))) => Confirmation::Refuted(format!(
            "it fails against the embedded space under the {profile} profile too, at `{}`",
            step.unwrap_or_default()
        )),
        (Ok((Some(Verdict::Failed), Some(step))), Ok((Some(Verdict::Passed), _))) => Confirmation::Confirmed(step),
        (Ok((Some(Verdict::Skipped), step)), _) => {
            Confirmation::Refuted(format!("the target skips it: {}", step.unwrap_or_default()))
        }
        (Ok(_), _) => Confirmation::Refuted("it passes against the target: no step shows the divergence".into()),
    };
    std::fs::remove_dir_all(&dir).ok();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::cucumber_json::{Kind, tests::element};

    #[test]
    fn the_failing_step_is_the_first_that_did_not_pass() {
        let mut e = element(Kind::Scenario, "s", &[Status::Passed, Status::Failed, Status::Skipped]);
        e.steps[1].keyword = "Then ".into();
        e.steps[1].name = "the update succeeds".into();
        let report = [Feature {
            uri: None,
            keyword: "Feature".into(),
            name: "F".into(),
            tags: Vec::new(),
            elements: vec![e],
        }];
        assert_eq!(failing_step(&report).as_deref(), Some("Then the update succeeds"));
    }
}
