//! `laml-conformance profiles [run options]`: runs the suite once per generation of the
//! documentation (`--profile seed`, `signalwire`, `twilio`) against the same target, and prints
//! a matrix profile × feature (each passed, failed or skipped), then the profiles the target
//! fully conforms to, or, if none, the one its answers match best. Exit 0 when it conforms to
//! at least one profile, 1 when to none, 2 on a usage or configuration error.

use std::collections::BTreeMap;
use std::process::ExitCode;

use laml_conformance::exit::Exit;
use laml_conformance::failure::Failure;
use std::sync::atomic::{AtomicUsize, Ordering};

use laml_conformance::spec::profile::PROFILES;

use crate::child::{Verdict, run_suite, run_suite_coded, verdicts};

/// What one profile's run showed, feature by feature: (passed, failed, skipped).
type Tally = BTreeMap<String, (usize, usize, usize)>;

fn tally(report: &[crate::child::cucumber_json::Feature]) -> Tally {
    let mut t = Tally::new();
    for (feature, _, verdict) in verdicts(report) {
        let e = t.entry(feature).or_default();
        match verdict {
            // a ledger's verdicts by what the steps did (the runs here take no ledger)
            Verdict::Passed | Verdict::Fixed => e.0 += 1,
            Verdict::Failed | Verdict::Known => e.1 += 1,
            Verdict::Skipped => e.2 += 1,
        }
    }
    t
}

fn cell((passed, failed, skipped): (usize, usize, usize)) -> String {
    match (failed, skipped) {
        (0, 0) => format!("✔ {passed}"),
        (0, s) => format!("✔ {passed} ({s} skipped)"),
        (f, _) => format!("✘ {f} of {}", passed + failed + skipped),
    }
}

/// Failed scenarios of a run, and how many of them failed on the shape of an answer (a field
/// the profile does not document, or one it documents otherwise): counted by the run's after
/// hook, read at its end for [`hint`].
pub static FAILED: AtomicUsize = AtomicUsize::new(0);
/// See [`FAILED`].
pub static SHAPE_FAILED: AtomicUsize = AtomicUsize::new(0);

/// Counts a finished scenario for [`hint`].
pub fn count(finished: &cucumber::event::ScenarioFinished) {
    use cucumber::event::{ScenarioFinished, StepError};
    let ScenarioFinished::StepFailed(_, _, error) = finished else {
        return;
    };
    FAILED.fetch_add(1, Ordering::SeqCst);
    // a step raises its failure as a value (`Failure::raise`); a panic of a bug is about no shape
    let about_shape = match error {
        StepError::Panic(info) => Failure::of_panic(&**info).is_some_and(Failure::is_about_shape),
        _ => false,
    };
    if about_shape {
        SHAPE_FAILED.fetch_add(1, Ordering::SeqCst);
    }
}

/// The run's own arguments without those that a run per profile must not repeat: the reports
/// (each run writes its own JSON), the baselines, and the profile.
fn args_for_profiles(args: &[String]) -> Vec<String> {
    const WITH_VALUE: [&str; 8] = [
        "--junit",
        "--messages",
        "--json",
        "--html",
        "--summary-md",
        "--record",
        "--baseline",
        "--profile",
    ];
    let mut out = Vec::new();
    let mut skip_next = false;
    for a in args {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if WITH_VALUE.contains(&a.as_str()) {
            skip_next = true;
            continue;
        }
        if WITH_VALUE.iter().any(|f| a.starts_with(&format!("{f}="))) || a == "--fail-fast" {
            continue;
        }
        out.push(a.clone());
    }
    out
}

/// When most failures of a run against `target` are about the answers' shape, the profile the
/// target conforms to instead, found as `profiles` finds it (the suite run again as each other
/// profile), and the sentence that says what to do. Not on a live conference (more runs would
/// change live calls again), and nothing when no other profile fits.
pub fn hint(current: &str, target: &str, live: bool) -> Option<String> {
    let (failed, shape) = (FAILED.load(Ordering::SeqCst), SHAPE_FAILED.load(Ordering::SeqCst));
    if !mostly_about_shape(failed, shape) || std::env::var_os(crate::child::CHILD).is_some() {
        return None;
    }
    let confirm = format!("laml-conformance profiles --target {target}");
    if live {
        return Some(format!(
            "{shape} of the {failed} failures are about the answers' shape, as when the target follows another generation of the documentation than the {current} profile; `{confirm}` shows which it conforms to"
        ));
    }
    let args: Vec<String> = args_for_profiles(&std::env::args().skip(1).collect::<Vec<_>>());
    let (exe, dir) = crate::child::scratch("profile-hint").ok()?;
    let mut tried: Vec<(String, usize)> = Vec::new();
    for profile in PROFILES.iter().filter(|p| p.name != current) {
        let mut run_args = args.clone();
        run_args.extend(["--profile".to_string(), profile.name.clone()]);
        let Ok(report) = run_suite(&exe, &run_args, &dir.join(format!("{}.json", profile.name))) else {
            continue;
        };
        let failures: usize = tally(&report).values().map(|(_, f, _)| f).sum();
        tried.push((profile.name.clone(), failures));
    }
    std::fs::remove_dir_all(&dir).ok();
    let (fit, as_fit) = fitting(tried, failed)?;
    Some(format!(
        "{shape} of the {failed} failures are about the answers' shape, and the same run as the {fit} profile {as_fit}: the target follows {fit}'s documentation; rerun with --profile {fit} (`{confirm}` shows every profile)"
    ))
}

/// Whether a run's failures call for the hint: some, and at least half of them about the
/// answers' shape.
fn mostly_about_shape(failed: usize, shape: usize) -> bool {
    failed > 0 && shape * 2 >= failed
}

/// The profile that fits, of those `tried` (each with the failures of the same run as it), and
/// what that run did: the one that failed least, when that is at most a quarter of `failed` (a
/// timing flake of a busy machine must not hide the hint).
fn fitting(tried: Vec<(String, usize)>, failed: usize) -> Option<(String, String)> {
    let (fit, fails) = tried
        .into_iter()
        .min_by_key(|(_, f)| *f)
        .filter(|(_, f)| f * 4 <= failed)?;
    let as_fit = if fails == 0 {
        "passes".to_string()
    } else {
        format!("fails {fails} scenario(s) instead of {failed}")
    };
    Some((fit, as_fit))
}

/// Whether the runs have a target other than the embedded space: `--target` among `args`, or
/// LAML_TARGET in the environment or `.env`.
fn has_target(args: &[String]) -> bool {
    let flag = args
        .iter()
        .position(|a| a == "--target")
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--target=").map(str::to_string))
        });
    let target = flag.or_else(|| {
        laml_conformance::config::lookup()
            .ok()
            .and_then(|var| var("LAML_TARGET"))
    });
    target.is_some_and(|t| !t.trim().is_empty() && t != "embedded")
}

/// The options of the command (its description is on `commands::Command`).
#[derive(clap::Args, Debug)]
pub struct ProfilesOptions {
    /// The options of a run (`laml-conformance run --help`), given to each run as they are;
    /// without --profile and --json, which each run sets itself.
    #[arg(value_name = "RUN OPTIONS", trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Runs the matrix; see the module docs for the exit code.
pub fn main(opts: ProfilesOptions) -> ExitCode {
    let args = opts.args;
    // `--help` among the run options asks about this command, not about each run
    if args.iter().any(|a| a == "-h" || a == "--help") {
        return super::print_help("profiles");
    }
    if args
        .iter()
        .any(|a| a == "--profile" || a.starts_with("--profile=") || a == "--json")
    {
        eprintln!(
            "laml-conformance profiles: it runs every profile and reads each run's own JSON report; leave out --profile and --json"
        );
        return ExitCode::from(Exit::Usage);
    }
    let (exe, dir) = match crate::child::scratch("profiles") {
        Ok(found) => found,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(Exit::Usage);
        }
    };
    // "profiles: 1/3 (signalwire), 12 s" on stderr while the runs go, when it is a terminal
    let ran = crate::progress::ticking("profiles", PROFILES.len(), |progress| {
        let mut results: Vec<(&str, Tally)> = Vec::new();
        for profile in PROFILES.iter() {
            progress.doing(&profile.name);
            let mut run_args = args.clone();
            run_args.extend(["--profile".to_string(), profile.name.clone()]);
            match run_suite_coded(&exe, &run_args, &dir.join(format!("{}.json", profile.name))) {
                Ok(report) => results.push((profile.name.as_str(), tally(&report))),
                Err((code, e)) => {
                    return Err((
                        code,
                        format!("the run as the {} profile did not run: {e}", profile.name),
                    ));
                }
            }
            progress.one_done();
        }
        Ok(results)
    });
    std::fs::remove_dir_all(&dir).ok();
    // the same condition ends `profiles` with the same code as the suite: a target that is
    // down is 3, a setting refused is 2
    let results = match ran {
        Ok(results) => results,
        Err((code, e)) => {
            eprintln!("laml-conformance profiles: {e}");
            return Exit::from_code(code.into()).unwrap_or(Exit::Usage).into();
        }
    };
    let features: Vec<String> = results
        .iter()
        .flat_map(|(_, t)| t.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let width = features.iter().map(|f| f.chars().count()).max().unwrap_or(7).max(7);
    say_part!("{:width$}", "feature");
    for (name, _) in &results {
        say_part!("  {name:<22}");
    }
    say!();
    for feature in &features {
        say_part!("{feature:width$}");
        for (_, t) in &results {
            say_part!("  {:<22}", cell(t.get(feature).copied().unwrap_or_default()));
        }
        say!();
    }
    let failures = |t: &Tally| t.values().map(|(_, f, _)| f).sum::<usize>();
    let conforming: Vec<&str> = results
        .iter()
        .filter(|(_, t)| failures(t) == 0)
        .map(|(n, _)| *n)
        .collect();
    if !conforming.is_empty() && !has_target(&args) {
        // the embedded space answers as whichever profile judges it: that it passes them all
        // says the harness is sound, nothing about an implementation
        say!(
            "\nThe embedded simulated space passes its own profiles ({}): that checks the harness, not an implementation; give --target URL to check yours.",
            conforming.join(", ")
        );
        return ExitCode::from(Exit::Passed);
    }
    if !conforming.is_empty() {
        say!("\nThe target conforms to: {}", conforming.join(", "));
        return ExitCode::from(Exit::Passed);
    }
    let (best, t) = results
        .iter()
        .min_by_key(|(_, t)| failures(t))
        .expect("there is at least one profile");
    let total: usize = t.values().map(|(p, f, s)| p + f + s).sum();
    say!(
        "\nThe target conforms to no profile; its answers match {best} best ({} of {total} scenarios fail there).",
        failures(t)
    );
    ExitCode::from(Exit::Failed)
}

#[cfg(test)]
mod tests {
    use super::{args_for_profiles, cell, fitting, has_target, mostly_about_shape, tally};

    #[test]
    fn the_embedded_space_named_by_hand_is_no_target() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(!has_target(&args(&["--target", "embedded"])));
        assert!(!has_target(&args(&["--target=embedded", "--tags", "@mute"])));
        assert!(has_target(&args(&[
            "--tags",
            "@mute",
            "--target",
            "http://127.0.0.1:9"
        ])));
        assert!(has_target(&args(&["--target=http://127.0.0.1:9"])));
    }

    #[test]
    fn the_hint_is_for_runs_that_failed_mostly_on_the_answers_shape() {
        assert!(!mostly_about_shape(0, 0));
        assert!(mostly_about_shape(4, 2) && mostly_about_shape(5, 3) && mostly_about_shape(1, 1));
        assert!(!mostly_about_shape(4, 1) && !mostly_about_shape(5, 2) && !mostly_about_shape(2, 0));
    }

    #[test]
    fn the_profile_that_fits_fails_least_and_at_most_a_quarter_as_often() {
        let tried = |fails: &[(&str, usize)]| fails.iter().map(|(p, f)| (p.to_string(), *f)).collect::<Vec<_>>();
        let both = tried(&[("twilio", 3), ("signalwire", 0)]);
        assert_eq!(fitting(both, 8), Some(("signalwire".into(), "passes".into())));
        let one = tried(&[("twilio", 2), ("signalwire", 5)]);
        assert_eq!(
            fitting(one, 8),
            Some(("twilio".into(), "fails 2 scenario(s) instead of 8".into()))
        );
        assert_eq!(
            fitting(tried(&[("twilio", 2)]), 7),
            None,
            "2 is more than a quarter of 7"
        );
        assert_eq!(fitting(Vec::new(), 8), None);
    }

    #[test]
    fn a_run_per_profile_keeps_the_run_s_options_but_its_reports_baselines_profile_and_fail_fast() {
        let args: Vec<String> = [
            "--target",
            "http://127.0.0.1:9",
            "--json",
            "r.json",
            "--junit=j.xml",
            "--fail-fast",
            "--tags",
            "@mute",
            "--profile",
            "seed",
            "--baseline",
            "b",
            "-v",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            args_for_profiles(&args),
            ["--target", "http://127.0.0.1:9", "--tags", "@mute", "-v"]
        );
    }

    /// A report of one feature whose scenarios ended with these step statuses.
    fn report(statuses: &[&str]) -> Vec<crate::child::cucumber_json::Feature> {
        let elements: Vec<String> = statuses
            .iter()
            .enumerate()
            .map(|(i, status)| {
                format!(
                    r#"{{"keyword": "Scenario", "type": "scenario", "id": "f;s{i}", "line": {i}, "name": "s{i}", "tags": [],
                        "steps": [{{"keyword": "Then ", "line": {i}, "name": "x", "result": {{"status": "{status}", "duration": 1}}}}]}}"#
                )
            })
            .collect();
        let json = format!(
            r#"[{{"uri": "features/f.feature", "keyword": "Feature", "name": "F", "tags": [], "elements": [{}]}}]"#,
            elements.join(",")
        );
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn a_feature_s_cell_counts_its_passed_failed_and_skipped_scenarios() {
        let counted = tally(&report(&["passed", "failed", "failed", "skipped", "passed", "passed"]));
        assert_eq!(counted["F"], (3, 2, 1));
        assert_eq!(cell(counted["F"]), "✘ 2 of 6");
        assert_eq!(
            cell(tally(&report(&["passed", "skipped", "skipped"]))["F"]),
            "✔ 1 (2 skipped)"
        );
        assert_eq!(cell(tally(&report(&["passed"]))["F"]), "✔ 1");
    }
}
