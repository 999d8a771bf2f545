//! `laml-conformance profiles [run options]`: runs the suite once per generation of the
//! documentation (`--profile seed`, `signalwire`, `twilio`) against the same target, and prints
//! a matrix profile × feature (each passed, failed or skipped), then the profiles the target
//! fully conforms to, or, if none, the one its answers match best. Exit 0 when it conforms to
//! at least one profile, 1 when to none, 2 on a usage or configuration error.

use std::collections::BTreeMap;
use std::process::ExitCode;

use laml_conformance::spec::profile::PROFILES;

use crate::child::{Verdict, run_suite, verdicts};

/// What one profile's run showed, feature by feature: (passed, failed, skipped).
type Tally = BTreeMap<String, (usize, usize, usize)>;

fn tally(report: &serde_json::Value) -> Tally {
    let mut t = Tally::new();
    for (feature, _, verdict) in verdicts(report) {
        let e = t.entry(feature).or_default();
        match verdict {
            Verdict::Passed => e.0 += 1,
            Verdict::Failed => e.1 += 1,
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

/// Runs the matrix; see the module docs for the exit code.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(2).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "laml-conformance profiles [run options]\n\nRuns the suite once per profile ({}) against the target the run options name\n(--target URL, --setup-url, --conference, …; the embedded space by default) and prints which\ngenerations of the documentation the target conforms to.",
            PROFILES.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
        );
        return ExitCode::SUCCESS;
    }
    if args
        .iter()
        .any(|a| a == "--profile" || a.starts_with("--profile=") || a == "--json")
    {
        eprintln!(
            "laml-conformance profiles: it runs every profile and reads each run's own JSON report; leave out --profile and --json"
        );
        return ExitCode::from(2);
    }
    let (exe, dir) = match crate::child::scratch("profiles") {
        Ok(found) => found,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // "profiles: 1/3 (signalwire), 12 s" on stderr while the runs go, when it is a terminal
    let ran = crate::progress::ticking("profiles", PROFILES.len(), |progress| {
        let mut results: Vec<(&str, Tally)> = Vec::new();
        for profile in PROFILES.iter() {
            progress.doing(&profile.name);
            let mut run_args = args.clone();
            run_args.extend(["--profile".to_string(), profile.name.clone()]);
            match run_suite(&exe, &run_args, &dir.join(format!("{}.json", profile.name))) {
                Ok(report) => results.push((profile.name.as_str(), tally(&report))),
                Err(e) => return Err(format!("the run as the {} profile did not run: {e}", profile.name)),
            }
            progress.one_done();
        }
        Ok(results)
    });
    std::fs::remove_dir_all(&dir).ok();
    let results = match ran {
        Ok(results) => results,
        Err(e) => {
            eprintln!("laml-conformance profiles: {e}");
            return ExitCode::from(2);
        }
    };
    let features: Vec<String> = results
        .iter()
        .flat_map(|(_, t)| t.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let width = features.iter().map(|f| f.chars().count()).max().unwrap_or(7).max(7);
    print!("{:width$}", "feature");
    for (name, _) in &results {
        print!("  {name:<22}");
    }
    println!();
    for feature in &features {
        print!("{feature:width$}");
        for (_, t) in &results {
            print!("  {:<22}", cell(t.get(feature).copied().unwrap_or_default()));
        }
        println!();
    }
    let failures = |t: &Tally| t.values().map(|(_, f, _)| f).sum::<usize>();
    let conforming: Vec<&str> = results
        .iter()
        .filter(|(_, t)| failures(t) == 0)
        .map(|(n, _)| *n)
        .collect();
    if !conforming.is_empty() {
        println!("\nThe target conforms to: {}", conforming.join(", "));
        return ExitCode::SUCCESS;
    }
    let (best, t) = results
        .iter()
        .min_by_key(|(_, t)| failures(t))
        .expect("there is at least one profile");
    let total: usize = t.values().map(|(p, f, s)| p + f + s).sum();
    println!(
        "\nThe target conforms to no profile; its answers match {best} best ({} of {total} scenarios fail there).",
        failures(t)
    );
    ExitCode::from(1)
}
