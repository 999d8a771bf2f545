//! `laml-conformance faults`: runs the whole suite once against the healthy simulated space and
//! once per fault of the catalogue, and prints which scenarios catch which fault.
//!
//! Each run is this binary as a child process (`--fault NAME --json FILE`), so every run has its
//! own simulated space and the report is the one users get. Exit 0 when the healthy space passes
//! every scenario and every fault makes each scenario declared to catch it fail; 1 otherwise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use clap::Parser;
use laml_conformance::sim::faults::{CATALOGUE, FaultInfo};
use serde_json::{Value, json};

/// Run the suite against every fault and print the matrix fault × catching scenarios.
#[derive(Parser, Debug)]
#[command(name = "laml-conformance faults")]
struct FaultsOptions {
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
    /// Failing scenario name → the first failure message.
    failing: BTreeMap<String, String>,
}

/// Runs the suite as a child process, with `fault` if given, and reads its JSON report.
fn run(exe: &Path, dir: &Path, fault: Option<&str>) -> Result<Outcome, String> {
    let report = dir.join(format!("{}.json", fault.unwrap_or("healthy")));
    let mut cmd = Command::new(exe);
    // The embedded target, whatever the environment or a .env file says.
    cmd.args(["--target", "embedded", "--json"])
        .arg(&report)
        .env_remove("CUCUMBER_FILTER_TAGS");
    if let Some(f) = fault {
        cmd.args(["--fault", f]);
    }
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if status.code() == Some(2) {
        return Err(format!("the run with {fault:?} refused its configuration"));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| format!("no report at {}: {e}", report.display()))?;
    let features: Value = serde_json::from_str(&text).map_err(|e| format!("the report is not JSON: {e}"))?;
    Ok(read_report(&features))
}

/// Scenarios and their failures from a Cucumber JSON report; a failing Background step counts
/// against the scenario that follows it.
fn read_report(features: &Value) -> Outcome {
    let mut outcome = Outcome::default();
    for feature in features.as_array().into_iter().flatten() {
        let mut background_failure: Option<String> = None;
        for element in feature["elements"].as_array().into_iter().flatten() {
            let failure = element["steps"].as_array().into_iter().flatten().find_map(|s| {
                (s["result"]["status"] == "failed").then(|| {
                    s["result"]["error_message"]
                        .as_str()
                        .unwrap_or("(no message)")
                        .to_string()
                })
            });
            if element["type"] == "background" {
                background_failure = failure;
                continue;
            }
            outcome.scenarios += 1;
            if let Some(message) = background_failure.take().or(failure) {
                let name = element["name"].as_str().unwrap_or_default().to_string();
                outcome.failing.entry(name).or_insert(message);
            }
        }
    }
    outcome
}

/// Runs the matrix; see the module docs for the exit code.
pub fn main() -> ExitCode {
    let opts = FaultsOptions::parse_from(std::env::args().skip(1));
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
        return ExitCode::from(2);
    }
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("laml-conformance faults: cannot find this binary to run it: {e}");
            return ExitCode::from(2);
        }
    };
    let dir = std::env::temp_dir().join(format!("laml-faults-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("laml-conformance faults: cannot create {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let names: Vec<Option<&str>> = std::iter::once(None)
        .chain(chosen.iter().map(|f| Some(f.name)))
        .collect();
    let outcomes: Vec<Result<Outcome, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .chunks(names.len().div_ceil(4).max(1))
            .map(|batch| scope.spawn(|| batch.iter().map(|f| run(&exe, &dir, *f)).collect::<Vec<_>>()))
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
    });
    std::fs::remove_dir_all(&dir).ok();
    let mut outcomes = outcomes.into_iter();
    let healthy = match outcomes.next() {
        Some(Ok(o)) => o,
        Some(Err(e)) => {
            eprintln!("laml-conformance faults: the run against the healthy space did not run: {e}");
            return ExitCode::from(2);
        }
        None => return ExitCode::from(2),
    };
    let mut ok = healthy.failing.is_empty();
    println!(
        "The fault catalogue: {} faults against {} scenarios.\n",
        chosen.len(),
        healthy.scenarios
    );
    if ok {
        println!("✔ the healthy space passes all {} scenarios", healthy.scenarios);
    } else {
        println!("✘ the healthy space fails {} scenario(s):", healthy.failing.len());
        healthy.failing.keys().for_each(|n| println!("    {n}"));
    }
    let mut summary = Vec::new();
    for (info, outcome) in chosen.iter().zip(outcomes) {
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                ok = false;
                println!("\n✘ {} — could not run: {e}", info.name);
                continue;
            }
        };
        let missed: Vec<&str> = info
            .caught_by
            .iter()
            .copied()
            .filter(|s| !outcome.failing.contains_key(*s))
            .collect();
        ok &= missed.is_empty();
        let mark = if missed.is_empty() { "✔" } else { "✘" };
        println!("\n{mark} {} — {}", info.name, info.what);
        for s in info.caught_by {
            let seen = if missed.contains(s) {
                "✘ did not fail:"
            } else {
                "caught by"
            };
            println!("    {seen} {s}");
        }
        let others: Vec<&String> = outcome
            .failing
            .keys()
            .filter(|n| !info.caught_by.contains(&n.as_str()))
            .collect();
        if opts.verbose {
            others.iter().for_each(|n| println!("    also failing: {n}"));
        } else if !others.is_empty() {
            println!("    and {} other scenario(s) fail (-v lists them)", others.len());
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
        }));
    }
    if let Some(path) = &opts.summary {
        let doc = json!({
            "healthy": { "scenarios": healthy.scenarios, "failing": healthy.failing.keys().collect::<Vec<_>>() },
            "faults": summary,
        });
        if let Err(e) = std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap_or_default()) {
            eprintln!("laml-conformance faults: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if ok {
        println!("\nEvery fault is caught by the scenarios declared to catch it.");
        ExitCode::SUCCESS
    } else {
        println!(
            "\nA fault that its scenarios do not catch is a gap in the suite: sharpen the scenario, never delete the fault."
        );
        ExitCode::from(1)
    }
}
