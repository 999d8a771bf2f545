//! Runs of this binary as a child process, read back through their Cucumber JSON report: the
//! way `faults` and `profiles` run the suite many times, each run with its own target, exactly
//! as a user's run would be.

use std::path::Path;
use std::process::{Command, Stdio};

pub mod cucumber_json;

use cucumber_json::{Element, Feature, Kind, Status};

/// This binary, to run again, and a fresh folder for the reports of `command`'s runs; on a
/// failure, the sentence to print (exit 2).
pub fn scratch(command: &str) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let exe = std::env::current_exe()
        .map_err(|e| format!("laml-conformance {command}: cannot find this binary to run it: {e}"))?;
    let dir = std::env::temp_dir().join(format!("laml-{command}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("laml-conformance {command}: cannot create {}: {e}", dir.display()))?;
    Ok((exe, dir))
}

/// Set in the environment of a run this binary starts, so that run does not start runs of its
/// own (a profile hint of a profile hint).
pub const CHILD: &str = "LAML_CONFORMANCE_CHILD_RUN";

/// Runs this binary with `args` plus `--json REPORT`, and reads the report. A run that refuses
/// its configuration (exit 2) or cannot reach its target (exit 3) is an error with what it said.
pub fn run_suite(exe: &Path, args: &[String], report: &Path) -> Result<Vec<Feature>, String> {
    run_suite_coded(exe, args, report).map_err(|(_, said)| said)
}

/// [`run_suite`], with the exit code of a run that refused its configuration (2), could not
/// reach its target (3) or could not restore a participant (4), for a caller to end with the
/// same code (a cause other than the run's own is 2).
pub fn run_suite_coded(exe: &Path, args: &[String], report: &Path) -> Result<Vec<Feature>, (u8, String)> {
    let output = Command::new(exe)
        .args(args)
        .arg("--json")
        .arg(report)
        .env_remove("CUCUMBER_FILTER_TAGS")
        // a CI's shard variables are for the run it starts, not for each of these
        .env_remove("CI_NODE_INDEX")
        .env_remove("CI_NODE_TOTAL")
        .env(CHILD, "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| (2, format!("cannot run {}: {e}", exe.display())))?;
    if let Some(code @ 2..=4) = output.status.code() {
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said
            .lines()
            .last()
            .unwrap_or("it refused its configuration")
            .to_string();
        return Err((code as u8, said));
    }
    let text = std::fs::read_to_string(report).map_err(|e| (2, format!("no report at {}: {e}", report.display())))?;
    serde_json::from_str(&text).map_err(|e| (2, format!("the report is not Cucumber JSON: {e}")))
}

/// How a scenario of a report ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every step passed.
    Passed,
    /// A step failed.
    Failed,
    /// A step was skipped (the target could not arrange it) and none failed.
    Skipped,
    /// A step failed, and the ledger of known divergences (`--known`) lists the scenario: it
    /// does not fail the run.
    Known,
    /// Every step passed, but the ledger of known divergences lists the scenario: it fails the
    /// run until its entry is removed, so that the ledger says only what is true.
    Fixed,
}

/// How a scenario ran, by its steps and hooks alone, before a ledger of known divergences is
/// read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran {
    /// Every step passed.
    Passed,
    /// A step was skipped on purpose and none failed.
    Skipped,
    /// A step failed (or matched no definition), and no hook did.
    StepFailed,
    /// A hook failed: a drift from a baseline, or a participant not restored.
    HookFailed,
}

impl Verdict {
    /// The verdict of a scenario that ran as `ran`, `listed` or not in the ledger of known
    /// divergences. The ledger speaks of what the target answers, so it covers a failed step;
    /// a failed hook (a drift from a baseline, a participant not restored) fails the scenario
    /// whatever it says, and a skipped scenario stays skipped.
    pub fn of(ran: Ran, listed: bool) -> Verdict {
        match (ran, listed) {
            (Ran::HookFailed, _) | (Ran::StepFailed, false) => Verdict::Failed,
            (Ran::StepFailed, true) => Verdict::Known,
            (Ran::Skipped, _) => Verdict::Skipped,
            (Ran::Passed, true) => Verdict::Fixed,
            (Ran::Passed, false) => Verdict::Passed,
        }
    }
}

/// The statuses of an element's steps, in order.
pub fn statuses(element: &Element) -> Vec<Status> {
    element.steps.iter().map(|s| s.result.status).collect()
}

/// Every scenario of a report with its feature's name and its verdict, in report order. A
/// Background that did not pass fails the scenario it ran for (cucumber reports that scenario
/// with no steps at all); a step that is undefined, ambiguous or pending fails it too. A
/// scenario the report marks as listed in a ledger of known divergences
/// ([`cucumber_json::KNOWN_TAG`]) is known when it failed and fixed when it passed, as the run
/// that wrote the report judged it.
pub fn verdicts(report: &[Feature]) -> Vec<(String, String, Verdict)> {
    let mut out = Vec::new();
    for feature in report {
        let mut background_failed = false;
        for element in &feature.elements {
            let statuses = statuses(element);
            if element.kind == Kind::Background {
                background_failed = statuses.iter().any(|s| !s.is_ok());
                continue;
            }
            // a hook that failed (a drift from a baseline, a restore) fails its scenario too
            let hook_failed = element
                .before
                .iter()
                .chain(&element.after)
                .any(|h| h.result.status != Status::Passed);
            let broken = std::mem::take(&mut background_failed) || statuses.is_empty();
            let ran = if hook_failed {
                Ran::HookFailed
            } else if broken || statuses.iter().any(|s| !s.is_ok()) {
                Ran::StepFailed
            } else if statuses.contains(&Status::Skipped) {
                Ran::Skipped
            } else {
                Ran::Passed
            };
            let listed = element.tags.iter().any(|t| t.name == cucumber_json::KNOWN_TAG);
            out.push((feature.name.clone(), element.name.clone(), Verdict::of(ran, listed)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_step_fails_a_scenario_and_a_skipped_one_skips_it() {
        let element = |kind: Kind, name: &str, steps: &[Status]| cucumber_json::tests::element(kind, name, steps);
        let mut f = element(Kind::Scenario, "f", &[Status::Passed]);
        f.after = vec![cucumber_json::HookResult {
            result: cucumber_json::tests::result(Status::Failed),
        }];
        let report = [Feature {
            uri: None,
            keyword: "Feature".into(),
            name: "F".into(),
            tags: Vec::new(),
            elements: vec![
                element(Kind::Background, "", &[Status::Passed]),
                element(Kind::Scenario, "a", &[Status::Passed, Status::Failed, Status::Skipped]),
                element(Kind::Scenario, "b", &[Status::Passed, Status::Skipped]),
                element(Kind::Scenario, "c", &[Status::Passed]),
                element(Kind::Background, "", &[Status::Failed]),
                element(Kind::Scenario, "d", &[]),
                element(Kind::Scenario, "e", &[Status::Passed, Status::Undefined]),
                f,
            ],
        }];
        let got: Vec<(String, Verdict)> = verdicts(&report).into_iter().map(|(_, n, v)| (n, v)).collect();
        assert_eq!(
            got,
            [
                ("a".to_string(), Verdict::Failed),
                ("b".to_string(), Verdict::Skipped),
                ("c".to_string(), Verdict::Passed),
                ("d".to_string(), Verdict::Failed),
                ("e".to_string(), Verdict::Failed),
                ("f".to_string(), Verdict::Failed),
            ]
        );
    }

    #[test]
    fn a_scenario_marked_known_is_known_when_it_fails_and_fixed_when_it_passes() {
        let known = |name: &str, steps: &[Status]| {
            let mut e = cucumber_json::tests::element(Kind::Scenario, name, steps);
            e.tags.push(cucumber_json::Tag {
                name: cucumber_json::KNOWN_TAG.into(),
                line: 1,
            });
            e
        };
        let mut drifted = known("d", &[Status::Failed]);
        drifted.after = vec![cucumber_json::HookResult {
            result: cucumber_json::tests::result(Status::Failed),
        }];
        let report = [Feature {
            uri: None,
            keyword: "Feature".into(),
            name: "F".into(),
            tags: Vec::new(),
            elements: vec![
                known("a", &[Status::Passed, Status::Failed]),
                known("b", &[Status::Passed]),
                known("c", &[Status::Skipped]),
                drifted,
            ],
        }];
        let got: Vec<Verdict> = verdicts(&report).into_iter().map(|(_, _, v)| v).collect();
        assert_eq!(got, [Verdict::Known, Verdict::Fixed, Verdict::Skipped, Verdict::Failed]);
    }
}
