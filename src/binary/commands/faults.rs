//! `laml-conformance faults`: runs the whole suite once against the healthy simulated space and
//! once per fault of the catalogue, and prints which scenarios catch which fault.
//!
//! Each run is this binary as a child process (`--fault NAME --json FILE`), so every run has its
//! own simulated space and the report is the one users get. Exit 0 when the healthy space passes
//! every scenario and every fault makes each scenario declared to catch it fail; 1 otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use laml_conformance::exit::Exit;

use laml_conformance::sim::faults::{CATALOGUE, FaultInfo};
use laml_conformance::spec::profile;
use serde_json::json;

use crate::child::cucumber_json::{Feature, Kind, Step};

use crate::child::run_suite;

/// Run the suite against every fault and print the matrix fault × catching scenarios.
#[derive(clap::Args, Debug)]
#[command(after_help = catalogue_help())]
pub struct FaultsOptions {
    /// Only these faults (repeat the flag); all of them by default.
    #[arg(long = "only", value_name = "NAME")]
    only: Vec<String>,
    /// Also write the results as JSON to this file.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    /// List every failing scenario of each fault, not just the declared ones.
    #[arg(short, long)]
    verbose: bool,
}

/// What one run of the suite showed.
#[derive(Debug, Default)]
struct Outcome {
    scenarios: usize,
    /// Every scenario name the run reported.
    names: BTreeSet<String>,
    /// Scenario name → the message of its failing `Then` step: the scenario caught something.
    failing: BTreeMap<String, String>,
    /// Scenario name → the message of a `Given`, `When` or Background step that failed: the
    /// scenario never reached its checks, which is no catch.
    broken: BTreeMap<String, String>,
    /// Scenario name → the text of its first failing step, a `Then` (or an `And`/`But` that
    /// continues one): which check spoke first, so a test can tell that each `Then` step
    /// definition is the one that catches some fault, not always shadowed by another.
    first_failing_step: BTreeMap<String, String>,
}

/// Runs the suite as a child process against the embedded space (whatever the environment or
/// a `.env` file says), with `fault` if given, and reads its JSON report.
fn run(exe: &Path, dir: &Path, fault: Option<&FaultInfo>) -> Result<Outcome, String> {
    let report = dir.join(format!("{}.json", fault.map_or("healthy", |f| f.name)));
    let profile = fault.map(|f| f.profile).unwrap_or(profile::DEFAULT);
    let mut args = ["--target", "embedded", "--profile", profile]
        .map(String::from)
        .to_vec();
    if let Some(f) = fault {
        args.extend(["--fault".to_string(), f.name.to_string()]);
    }
    let features = run_suite(exe, &args, &report).map_err(|e| format!("the run with {fault:?} did not run: {e}"))?;
    Ok(read_report(&features))
}

/// Scenarios and their failures from a Cucumber JSON report. Only a failing `Then` step (or an
/// `And`/`But` that continues one) counts: a scenario whose `Given`, `When` or Background
/// failed never reached its checks, so it cannot be said to catch anything.
fn read_report(features: &[Feature]) -> Outcome {
    let mut outcome = Outcome::default();
    for feature in features {
        let mut background_failure: Option<String> = None;
        for element in &feature.elements {
            if element.kind == Kind::Background {
                background_failure = element
                    .steps
                    .iter()
                    .find(|s| !s.result.status.is_ok())
                    .map(|s| format!("Background step failed: {}", error_message(s)));
                continue;
            }
            let name = element.name.clone();
            outcome.names.insert(name.clone());
            outcome.scenarios += 1;
            if let Some(why) = background_failure.take() {
                outcome.broken.entry(name).or_insert(why);
                continue;
            }
            if element.steps.is_empty() {
                outcome.broken.entry(name).or_insert_with(|| "no step ran".to_string());
                continue;
            }
            let mut primary = String::new();
            for step in &element.steps {
                let keyword = step.keyword.trim();
                if !matches!(keyword, "And" | "But" | "*") {
                    primary = keyword.to_string();
                }
                if step.result.status.is_ok() {
                    continue;
                }
                if primary == "Then" {
                    let message = step.result.error_message.as_deref().unwrap_or("(no message)");
                    outcome
                        .failing
                        .entry(name.clone())
                        .or_insert_with(|| message.to_string());
                    outcome
                        .first_failing_step
                        .entry(name.clone())
                        .or_insert_with(|| step.name.clone());
                } else {
                    outcome
                        .broken
                        .entry(name.clone())
                        .or_insert_with(|| format!("{primary} step failed: {}", error_message(step)));
                }
                break;
            }
        }
    }
    outcome
}

/// A failed step's message in a report, without the "Step failed: " before it, for a line that
/// says which kind of step failed itself ("When step failed: …").
fn error_message(step: &Step) -> &str {
    let message = step.result.error_message.as_deref().unwrap_or("(no message)");
    message.strip_prefix(crate::report::words::PLAIN).unwrap_or(message)
}

/// The faults themselves, for `--help`: what they break is what a reader chooses by.
fn catalogue_help() -> String {
    let width = CATALOGUE.iter().map(|f| f.name.len()).max().unwrap_or(0);
    let list: Vec<String> = CATALOGUE
        .iter()
        .map(|f| format!("  {:width$}  {}", f.name, f.what))
        .collect();
    format!(
        "The faults (each also breaks `laml-conformance serve --fault NAME` and a run's --fault NAME):\n{}",
        list.join("\n")
    )
}

/// What became of each scenario declared to catch a fault (`missed`: those that did not fail
/// at a `Then` step): caught, stopped before its checks (and why), or passed.
fn declared(caught_by: &[&str], outcome: &Outcome, missed: &[&str]) -> Vec<String> {
    caught_by
        .iter()
        .map(|s| match outcome.broken.get(*s) {
            _ if !missed.contains(s) => format!("    caught by {s}"),
            Some(why) => format!(
                "    ✘ did not reach its checks: {s}\n        {}",
                why.lines().next().unwrap_or_default()
            ),
            None => format!("    ✘ did not fail: {s}"),
        })
        .collect()
}

/// Runs the matrix; see the module docs for the exit code.
pub fn main(opts: FaultsOptions) -> ExitCode {
    let chosen: Vec<&FaultInfo> = CATALOGUE
        .iter()
        .filter(|f| opts.only.is_empty() || opts.only.iter().any(|n| n == f.name))
        .collect();
    if let Some(unknown) = opts
        .only
        .iter()
        .find(|n| !CATALOGUE.iter().any(|f| f.name == n.as_str()))
    {
        eprintln!(
            "laml-conformance faults: {}",
            laml_conformance::sim::faults::by_name(unknown).unwrap_err()
        );
        return ExitCode::from(Exit::Usage);
    }
    let (exe, dir) = match crate::child::scratch("faults") {
        Ok(found) => found,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(Exit::Usage);
        }
    };
    let names: Vec<Option<&FaultInfo>> = std::iter::once(None).chain(chosen.iter().copied().map(Some)).collect();
    // "faults (runs of the suite): 12/42, 5 s" on stderr (the healthy space and 41 faults), when it is a terminal
    let outcomes: Vec<Result<Outcome, String>> =
        crate::progress::ticking("faults (runs of the suite)", names.len(), |tally| {
            std::thread::scope(|scope| {
                let handles: Vec<_> = names
                    .chunks(names.len().div_ceil(4).max(1))
                    .map(|batch| {
                        scope.spawn(|| {
                            batch
                                .iter()
                                .map(|f| {
                                    let outcome = run(&exe, &dir, *f);
                                    tally.one_done();
                                    outcome
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                // A batch whose thread panicked still yields one result per fault, so the zip below
                // never pairs a fault with another's outcome.
                handles
                    .into_iter()
                    .zip(names.chunks(names.len().div_ceil(4).max(1)))
                    .flat_map(|(h, batch)| {
                        h.join()
                            .unwrap_or_else(|_| batch.iter().map(|_| Err("the run panicked".to_string())).collect())
                    })
                    .collect()
            })
        });
    std::fs::remove_dir_all(&dir).ok();
    let mut outcomes = outcomes.into_iter();
    let healthy = match outcomes.next() {
        Some(Ok(o)) => o,
        Some(Err(e)) => {
            eprintln!("laml-conformance faults: the run against the healthy space did not run: {e}");
            return ExitCode::from(Exit::Usage);
        }
        None => return ExitCode::from(Exit::Usage),
    };
    let mut unknown: Vec<(&str, &str)> = chosen
        .iter()
        .flat_map(|f| f.caught_by.iter().map(move |s| (f.name, *s)))
        .filter(|(_, s)| !healthy.names.contains(*s))
        .collect();
    unknown.sort();
    if !unknown.is_empty() {
        for (fault, scenario) in &unknown {
            eprintln!(
                "laml-conformance faults: the fault {fault} declares the scenario {scenario:?}, which no feature has; fix its name in src/library/sim/faults.rs"
            );
        }
        return ExitCode::from(Exit::Usage);
    }
    let mut unhealthy: BTreeMap<&String, &String> = healthy.failing.iter().collect();
    unhealthy.extend(healthy.broken.iter());
    say!(
        "The fault catalogue: {} faults against {} scenarios.\n",
        chosen.len(),
        healthy.scenarios
    );
    if unhealthy.is_empty() {
        say!("✔ the healthy space passes all {} scenarios", healthy.scenarios);
    } else {
        say!("✘ the healthy space fails {} scenario(s):", unhealthy.len());
        unhealthy.keys().for_each(|n| say!("    {n}"));
    }
    let mut summary = Vec::new();
    let mut judged: Vec<Judged> = Vec::new();
    for (info, outcome) in chosen.iter().zip(outcomes) {
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                say!("\n✘ {} — could not run: {e}", info.name);
                judged.push(None);
                continue;
            }
        };
        let missed: Vec<&str> = info
            .caught_by
            .iter()
            .copied()
            .filter(|s| !outcome.failing.contains_key(*s))
            .collect();
        judged.push(Some(missed.clone()));
        let mark = if missed.is_empty() { "✔" } else { "✘" };
        say!("\n{mark} {} — {}", info.name, info.what);
        for line in declared(info.caught_by, &outcome, &missed) {
            say!("{line}");
        }
        let others: Vec<&String> = outcome
            .failing
            .keys()
            .filter(|n| !info.caught_by.contains(&n.as_str()))
            .collect();
        if opts.verbose {
            others.iter().for_each(|n| say!("    also failing: {n}"));
        } else if !others.is_empty() {
            say!("    and {} other scenario(s) fail (-v lists them)", others.len());
        }
        let message = info
            .caught_by
            .iter()
            .find_map(|s| outcome.failing.get(*s))
            .cloned()
            .unwrap_or_default();
        summary.push(json!({
            "name": info.name,
            "what": info.what,
            "declared": info.caught_by,
            "missed": missed,
            "failing": outcome.failing.keys().collect::<Vec<_>>(),
            "first_declared_failure": message,
            "first_failing_step": outcome.first_failing_step,
        }));
    }
    if let Some(path) = &opts.summary {
        let doc = json!({
            "healthy": { "scenarios": healthy.scenarios, "failing": unhealthy.keys().collect::<Vec<_>>() },
            "faults": summary,
        });
        if let Err(e) = std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap_or_default()) {
            eprintln!("laml-conformance faults: cannot write {}: {e}", path.display());
            return ExitCode::from(Exit::Usage);
        }
    }
    let exit = verdict(unhealthy.len(), &judged);
    if exit == Exit::Passed {
        say!("\nEvery fault is caught by the scenarios declared to catch it.");
    } else {
        say!(
            "\nA fault that its scenarios do not catch is a gap in the suite: sharpen the scenario, never delete the fault."
        );
    }
    ExitCode::from(exit)
}

/// What one fault's run showed for the verdict: the scenarios declared to catch it that did
/// not fail, or `None` when the run could not be made (said where it happened).
type Judged<'a> = Option<Vec<&'a str>>;

/// The matrix's exit: passed only when the healthy space fails none of its scenarios and
/// every fault's run was made and failed each scenario declared to catch it. Apart from
/// `main` so that a test can show a missed fault failing the matrix, which no run of the
/// catalogue (each fault caught, as `tests/faults.rs` requires) can.
fn verdict(healthy_failing: usize, judged: &[Judged]) -> Exit {
    let caught = judged.iter().all(|j| j.as_ref().is_some_and(Vec::is_empty));
    if healthy_failing == 0 && caught {
        Exit::Passed
    } else {
        Exit::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::child::cucumber_json::{RunResult, Status, tests::element};

    #[test]
    fn a_missed_fault_an_unmade_run_or_an_unhealthy_space_fails_the_matrix() {
        let caught: Judged = Some(vec![]);
        assert_eq!(verdict(0, &[caught.clone(), caught.clone()]), Exit::Passed);
        assert_eq!(verdict(0, &[]), Exit::Passed);
        assert_eq!(verdict(0, &[Some(vec!["Mute one"]), caught.clone()]), Exit::Failed);
        assert_eq!(verdict(0, &[caught.clone(), Some(vec!["Mute one"])]), Exit::Failed);
        assert_eq!(verdict(0, &[None, caught.clone()]), Exit::Failed);
        assert_eq!(verdict(1, &[caught]), Exit::Failed);
    }

    fn step(keyword: &str, status: Status) -> Step {
        Step {
            keyword: keyword.into(),
            line: 1,
            name: "x".into(),
            result: RunResult {
                status,
                duration: 0,
                error_message: Some(format!("Step failed: {keyword}broke")),
            },
        }
    }

    #[test]
    fn each_declared_scenario_is_said_caught_stopped_before_its_checks_or_passed() {
        let mut outcome = Outcome::default();
        outcome.failing.insert("A".into(), "Step failed: muted".into());
        outcome
            .broken
            .insert("B".into(), "When step failed: refused\nmore".into());
        let lines = declared(&["A", "B", "C"], &outcome, &["B", "C"]);
        assert_eq!(
            lines,
            [
                "    caught by A",
                "    ✘ did not reach its checks: B\n        When step failed: refused",
                "    ✘ did not fail: C",
            ]
        );
    }

    #[test]
    fn only_a_failing_then_step_counts_as_a_catch() {
        use Status::{Failed, Passed, Skipped};
        let scenario = |name: &str, steps: Vec<Step>| {
            let mut e = element(Kind::Scenario, name, &[]);
            e.steps = steps;
            e
        };
        let mut background = element(Kind::Background, "", &[]);
        background.steps = vec![step("Given ", Failed)];
        let report = [Feature {
            uri: None,
            keyword: "Feature".into(),
            name: "F".into(),
            tags: Vec::new(),
            elements: vec![
                background,
                scenario("after a failed background", vec![]),
                scenario("given fails", vec![step("Given ", Failed), step("Then ", Skipped)]),
                scenario(
                    "when fails",
                    vec![step("Given ", Passed), step("And ", Passed), step("When ", Failed)],
                ),
                scenario(
                    "and after then fails",
                    vec![step("When ", Passed), step("Then ", Passed), step("And ", Failed)],
                ),
                scenario("passes", vec![step("Then ", Passed)]),
            ],
        }];
        let o = read_report(&report);
        assert_eq!(o.scenarios, 5);
        assert_eq!(o.failing.keys().collect::<Vec<_>>(), ["and after then fails"]);
        assert_eq!(
            o.broken.keys().collect::<Vec<_>>(),
            ["after a failed background", "given fails", "when fails"]
        );
        assert!(o.names.contains("passes"));
        assert_eq!(o.broken["when fails"], "When step failed: When broke", "said once");
        assert_eq!(o.failing["and after then fails"], "Step failed: And broke");
        assert_eq!(
            o.first_failing_step.into_iter().collect::<Vec<_>>(),
            [("and after then fails".to_string(), "x".to_string())],
            "the step that failed first, by its text, for the catching scenarios only"
        );
    }
}
