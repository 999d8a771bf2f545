//! `laml-conformance [run]`: runs every feature against a target (the embedded simulated space
//! by default) and prints cucumber's report, with the reports asked for beside it.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use cucumber::writer::{Coloring, Stats as _};
use cucumber::{World as _, WriterExt as _, cli, writer};
use futures::FutureExt as _;
use laml_conformance::config::{self, TargetFlags};
use laml_conformance::exit::Exit;
use laml_conformance::sim::faults;
use laml_conformance::target::Target;

use super::{profiles, usage_error as config_error};
use crate::steps::ConformanceWorld;
use crate::{fail_fast, features, progress, report, steps};

/// Options of a run, beside cucumber's own (`--tags`, `--name`, `--concurrency`, `-v`, …).
#[derive(clap::Args, Debug, Clone)]
pub struct RunOptions {
    /// Folder (or single file) of `.feature` files to run instead of the features compiled
    /// into the binary (`laml-conformance features --export DIR` writes those out).
    #[arg(long, value_name = "PATH")]
    features: Option<PathBuf>,
    /// Also write a JUnit XML report to this file.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Also write a Cucumber JSON report to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write a self-contained HTML report to this file (every scenario, its steps and
    /// each failure's text; it loads nothing from the network).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Also write a Markdown summary to this file (totals, a table by feature, the failed
    /// scenarios), and append it to $GITHUB_STEP_SUMMARY when that is set.
    #[arg(long, value_name = "FILE")]
    summary_md: Option<PathBuf>,
    #[command(flatten)]
    target: TargetFlags,
    /// Break the embedded simulated space with this fault (`laml-conformance faults` lists them).
    #[arg(long, value_name = "NAME")]
    fault: Option<String>,
    /// Record every scenario's exchanges, normalised, into this folder as insta snapshots: the
    /// baseline of a known-good release.
    #[arg(long, value_name = "DIR", conflicts_with = "baseline")]
    record: Option<PathBuf>,
    /// Compare every scenario's exchanges with the recording in this folder: any drift (a field
    /// added or gone, a value or status changed) fails the run, and is left as `.snap.new` for
    /// `cargo insta review`.
    #[arg(long, value_name = "DIR")]
    baseline: Option<PathBuf>,
}

/// For a run on the embedded space, the note every report puts beside its curl commands.
fn embedded_note(target: &Target, fault: Option<&str>) -> Option<String> {
    let Target::Embedded(_) = target else { return None };
    let fault = fault.map_or(String::new(), |f| format!(" --fault {f}"));
    Some(format!(
        "The curl commands name the embedded simulated space of this run ({}), which is gone with it. To reproduce a failure, start `laml-conformance serve{fault}` and rerun the scenario with `--target <its URL> --name '^<its title>$'`: its failure then shows a curl command that works when pasted.",
        target.base_url()
    ))
}

/// The titles of the scenarios that failed, in the order they ended, for the rerun hint.
static FAILED_TITLES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// How many steps matched no step definition, said each with the nearest step of the features.
static UNDEFINED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Says each step of the scenario that matches no definition, with the step of the compiled-in
/// features its words are nearest to.
fn undefined_steps(feature: &cucumber::gherkin::Feature, scenario: &cucumber::gherkin::Scenario) {
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
        UNDEFINED.fetch_add(1, Ordering::SeqCst);
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

/// Keeps the title of a failed scenario for [`rerun_lines`].
fn failed_title(title: &str) {
    FAILED_TITLES
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(title.to_string());
}

/// One line per failed scenario (the first ten), with the `--name` that selects it alone:
/// cucumber reads `--name` as a regex, so a title with parentheses, quotes or a `+` is escaped
/// and anchored, then quoted for a POSIX shell.
fn rerun_lines() -> String {
    let titles = FAILED_TITLES.lock().unwrap_or_else(|p| p.into_inner());
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

/// `--name`'s argument that selects the scenario titled `title` and no other, shell-quoted.
fn name_arg(title: &str) -> String {
    let regex = format!("^{}$", regex::escape(title));
    format!("'{}'", regex.replace('\'', r"'\''"))
}

/// Whether a folder holds at least one recording (`*.snap`) of `--record`.
fn holds_recordings(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "snap"))
    })
}

/// The writers' options of the suite's run (the console's `-v`, the JUnit writer's `--junit-v`).
type Writers = cli::Compose<writer::basic::Cli, writer::junit::Cli>;

/// cucumber's options and ours: everything a run reads from its command line.
pub type Opts = cli::Opts<cli::Empty, cucumber::runner::basic::Cli, Writers, RunOptions>;

/// Runs the suite; the exit code says how it went ([`Exit`]).
pub async fn main(mut opts: Opts) -> ExitCode {
    let custom = opts.custom.clone();
    // cucumber starts no scenario at a concurrency of 0 and waits for one forever.
    if opts.runner.concurrency == Some(0) {
        return config_error("--concurrency 0 would run no scenario and wait forever; give 1 or more, or leave it out");
    }
    if let Some(path) = custom.features.as_ref().filter(|p| !p.exists()) {
        return config_error(&format!(
            "no features at {}; pass --features with a folder of .feature files, or leave it out to run the features compiled in",
            path.display()
        ));
    }
    let settings = match config::lookup()
        .and_then(|var| config::settings(&custom.target, &var))
        .map_err(|e| e.to_string())
    {
        Ok(s) => s,
        Err(e) => return config_error(&e),
    };
    if let Some(note) = &settings.mode {
        let origin = |key: &str| {
            if std::env::var_os(key).is_some() {
                "the environment"
            } else {
                ".env"
            }
        };
        eprintln!("laml-conformance: {}", note.say(&origin));
    }
    let requested = match report::Requested::open(report::Paths {
        junit: custom.junit.as_deref(),
        json: custom.json.as_deref(),
        html: custom.html.as_deref(),
        summary_md: custom.summary_md.as_deref(),
        github: std::env::var_os(report::GITHUB_STEP_SUMMARY)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    }) {
        Ok(r) => r,
        Err(e) => return config_error(&e.to_string()),
    };
    let fault = match custom.fault.as_deref().map(faults::by_name).transpose() {
        Ok(f) => f,
        Err(e) => return config_error(&e),
    };
    let baseline = match (&custom.record, &custom.baseline) {
        (Some(dir), _) => match std::fs::create_dir_all(dir) {
            Ok(()) => Some(laml_conformance::baseline::Mode::Record(dir.clone())),
            Err(e) => {
                return config_error(&format!(
                    "cannot record into {}: {e}; choose a writable folder",
                    dir.display()
                ));
            }
        },
        (None, Some(dir)) if !dir.is_dir() => {
            return config_error(&format!(
                "there is no baseline at {}; record one first with --record {}",
                dir.display(),
                dir.display()
            ));
        }
        // A folder without one recording would report every scenario as a drift.
        (None, Some(dir)) if !holds_recordings(dir) => {
            return config_error(&format!(
                "there is no baseline in {}: it holds no .snap recording; record one first with --record {}",
                dir.display(),
                dir.display()
            ));
        }
        (None, Some(dir)) => Some(laml_conformance::baseline::Mode::Baseline(dir.clone())),
        (None, None) => None,
    };
    if let Some(mode) = baseline {
        let _ = steps::BASELINE.set(mode);
    }
    // Every setting is checked: the run starts by saying what it runs against.
    say!("{}", settings.first_line());
    let target = match Target::from_settings(&settings, fault).await {
        Ok(t) => t,
        Err(e) => return config_error(&e.to_string()),
    };
    if let Err(unusable) = laml_conformance::target::usable(&target).await {
        eprintln!("laml-conformance: {}", unusable.message);
        return unusable.code.into();
    }
    let stop_note = fail_fast::StopNote::default();
    let info = report::RunInfo {
        profile: settings.profile.name.clone(),
        profile_title: settings.profile.title.clone(),
        target: settings.target_name(),
        mode: settings.mode_name(),
        reproduce: embedded_note(&target, custom.fault.as_deref()),
        fault: custom.fault.clone(),
        stopped: stop_note.clone(),
    };
    let serial = target.shares_participants();
    let embedded = matches!(target, Target::Embedded(_));
    // Shared, live participants take one scenario at a time, whatever --concurrency says: two at
    // once would change each other's participants and fail for each other.
    if serial && opts.runner.concurrency.is_some_and(|n| n > 1) {
        eprintln!("laml-conformance: --concurrency is 1 on a configured conference: its participants are shared");
        opts.runner.concurrency = Some(1);
    }
    target.probe_labels(settings.profile).await;
    let (profile_name, target_name) = (settings.profile.name.clone(), settings.target_name());
    let _ = steps::PROFILE.set(settings.profile);
    if steps::TARGET.set(target).is_err() {
        return config_error("the target was set twice; this is a bug of laml-conformance");
    }
    let runner = cucumber::runner::Basic::default()
        .steps(ConformanceWorld::collection())
        .max_concurrent_scenarios(if serial { Some(1) } else { Some(64) })
        .after(|feature, rule, scenario, finished, world| {
            profiles::count(finished);
            let step_failed = matches!(finished, cucumber::event::ScenarioFinished::StepFailed(..));
            // cucumber skips a step that matches no definition (the writers' fail_on_skipped
            // fails it later), as it skips a scenario whose need cannot be arranged: only the
            // first has a step that `find`s nothing
            let skipped_on_purpose = scenario
                .tags
                .iter()
                .chain(&feature.tags)
                .chain(rule.iter().flat_map(|r| &r.tags))
                .any(|t| t == "allow.skipped");
            if matches!(finished, cucumber::event::ScenarioFinished::StepSkipped) && !skipped_on_purpose {
                undefined_steps(feature, scenario);
            } else if step_failed {
                failed_title(&scenario.name);
            }
            async move {
                if let Some(w) = world {
                    let drift = w.record(feature, scenario);
                    let unrestored = w.restore().await;
                    // A panic of the after hook fails the scenario in cucumber's own counts, so
                    // a drift or a failed restore is a failure on the console and in every
                    // report alike.
                    let failure: Vec<String> = [drift, unrestored].into_iter().flatten().collect();
                    if failure.is_empty() {
                        return;
                    }
                    // cucumber's console does not show a failed hook after a failed step: said
                    // on stderr then, so it is not lost
                    if step_failed {
                        eprintln!("laml-conformance: {}", failure.join("\n"));
                    } else {
                        failed_title(&scenario.name);
                    }
                    std::panic::panic_any(failure.join("\n"));
                }
            }
            .boxed_local()
        });
    // --fail-fast stops the scenarios under way too, except where a scenario cut short would
    // leave a shared participant changed (see `fail_fast`).
    let runner = fail_fast::FailFast::new(runner, !serial, stop_note.clone())
        // a participant that could not be restored ends the run after its scenario
        .stop_when(|| steps::failed_restores() > 0);
    // One writer beside the console fans the events out to the reports asked for, and does
    // nothing for those that were not (cucumber's JSON writer costs time that grows with the
    // square of the scenarios, which a run without --json need not pay).
    let reports = report::Reports::for_tee(requested, info);
    // cucumber calls a failing step a panic; the console says it failed (see `report::words`).
    let console = writer::Basic::raw(report::words::Plain::new(io::stdout()), Coloring::Auto, 0).summarized();
    let result = cucumber::Cucumber::<_, _, _, _, _, cli::Empty>::custom(
        steps::needs::Marking(features::Features),
        runner,
        // "scenarios: 30/59" on stderr when it is a terminal and the run takes a while
        progress::Suite::new(console.tee::<ConformanceWorld, _>(reports).normalized()),
    )
    .fail_on_skipped()
    .with_cli(opts)
    .run(custom.features.unwrap_or_default())
    .await;
    if let Some(stopped) = stop_note.get() {
        say!("{stopped}"); // under cucumber's summary, which counts only what ran
    }
    let failed_restores = steps::failed_restores();
    if failed_restores > 0 {
        let names: Vec<String> = steps::FAILED_RESTORES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(name, sid)| format!("{name} ({sid})"))
            .collect();
        eprintln!(
            "laml-conformance: {failed_restores} participant(s) could not be restored to their state before the run, and the run stopped there: {}; check them on the target now",
            names.join(", ")
        );
        return ExitCode::from(Exit::NotRestored);
    }
    if report::FAILED_WRITES.load(Ordering::SeqCst) {
        return ExitCode::from(Exit::Usage); // each report not written was said when it failed
    }
    if result.parsing_errors() > 0 {
        eprintln!(
            "laml-conformance: {} feature file(s) refused, each with its line and what to change above; fix them and run again",
            result.parsing_errors()
        );
        return ExitCode::from(Exit::Usage);
    }
    let drifted = steps::DRIFTED.load(Ordering::SeqCst);
    if drifted > 0 {
        match (&custom.record, &custom.baseline) {
            (Some(dir), _) => eprintln!(
                "laml-conformance: {drifted} scenario(s) could not be recorded into {} (see above)",
                dir.display()
            ),
            (_, dir) => {
                let dir = dir.as_ref().map(|d| d.display().to_string()).unwrap_or_default();
                eprintln!(
                    "laml-conformance: {drifted} scenario(s) drifted from the baseline in {dir} (each diff above); review the new recordings with `cargo insta review --workspace-root {dir}`, or record again with --record"
                );
            }
        }
        return ExitCode::from(Exit::Failed);
    }
    let steps = result.passed_steps() + result.skipped_steps() + result.failed_steps();
    if steps == 0 {
        eprintln!("laml-conformance: no scenario ran, so nothing was checked; check --features, --tags and --name");
        return ExitCode::from(Exit::Usage);
    }
    if result.execution_has_failed() {
        let rerun = rerun_lines();
        if rerun.is_empty() {
            // only steps that match no definition failed (each said above): no request to
            // reproduce
            return ExitCode::from(Exit::Failed);
        }
        if let Some(dir) = &custom.record {
            eprintln!(
                "laml-conformance: this run failed, and its answers were recorded into {} all the same: a baseline holds what the target did, failures included; fix the target and record again before comparing with it",
                dir.display()
            );
        }
        if !embedded && let Some(hint) = profiles::hint(&profile_name, &target_name, serial) {
            say!("{hint}");
        }
        if embedded {
            let fault = custom
                .fault
                .as_deref()
                .map_or(String::new(), |f| format!(" --fault {f}"));
            eprintln!(
                "laml-conformance: the embedded space these scenarios ran on is gone with the run; to reproduce a failure by hand, start `laml-conformance serve{fault}`, then rerun one with `--target <its URL>` and its --name below: each failure then shows a curl command that works when pasted\n{rerun}"
            );
        } else {
            eprintln!("laml-conformance: to rerun one failed scenario, add its --name:\n{rerun}");
        }
        ExitCode::from(Exit::Failed)
    } else {
        ExitCode::from(Exit::Passed)
    }
}
