//! `laml-conformance [run]`: runs every feature against a target (the embedded simulated space
//! by default) and prints cucumber's report, with the reports asked for beside it.

mod prepare;
mod reports;
mod scenario;
mod shard;
mod verdict;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use cucumber::writer::Stats as _;
use cucumber::{World as _, WriterExt as _, cli, writer};
use laml_conformance::config::TargetFlags;
use laml_conformance::exit::Exit;
use laml_conformance::sim::faults;
use laml_conformance::target::{self, Target};

use super::usage_error;
use crate::fail_fast::{FailFast, StopNote};
use crate::steps::ConformanceWorld;
use crate::{features, progress, report, steps};

pub use prepare::embedded_note;
pub use reports::ReportFlags;

/// Options of a run, beside cucumber's own (`--tags`, `--name`, `--concurrency`, `-v`, …).
#[derive(clap::Args, Debug, Clone)]
pub struct RunOptions {
    /// Folder (or single file) of `.feature` files to run instead of the features compiled
    /// into the binary (`laml-conformance features --export DIR` writes those out).
    #[arg(long, value_name = "PATH")]
    features: Option<PathBuf>,
    #[command(flatten)]
    reports: ReportFlags,
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
    /// A ledger of known divergences (TOML): a listed scenario that fails is reported as known
    /// and does not fail the run; one that passes fails it as fixed.
    #[arg(long, value_name = "FILE", conflicts_with = "record_known")]
    known: Option<PathBuf>,
    /// Write a ledger of known divergences to this file from the run's failed scenarios, each
    /// with a reason to replace with the real one, for a first `--known`.
    #[arg(long, value_name = "FILE")]
    record_known: Option<PathBuf>,
    /// Run only the I-th of N shares of the scenarios selected by --tags and --name (a stable
    /// share, by a hash of each scenario's feature, name and line), e.g. 2/3. Without it,
    /// CI_NODE_INDEX and CI_NODE_TOTAL name the shard when both are set (counted from 1, as
    /// GitLab's parallel jobs set them).
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Write this shard's results (and the plan every shard must share) into this folder, for
    /// `laml-conformance merge`; without --shard, the whole run is shard 1/1.
    #[arg(long, value_name = "DIR")]
    shard_out: Option<PathBuf>,
}
/// The writers' options of the suite's run (the console's `-v`; the reports take none).
type Writers = cli::Compose<writer::basic::Cli, cli::Empty>;

/// cucumber's options and ours: everything a run reads from its command line.
pub type Opts = cli::Opts<cli::Empty, cucumber::runner::basic::Cli, Writers, RunOptions>;

/// Runs the suite; the exit code says how it went ([`Exit`]).
pub async fn main(opts: Opts) -> ExitCode {
    match run(opts).await {
        Ok(exit) => exit.into(),
        Err(refused) => refused,
    }
}

/// Every setting checked, then the suite's run; `Err` is a run refused before it began.
async fn run(mut opts: Opts) -> Result<Exit, ExitCode> {
    let refused = |e: String| usage_error(&e);
    let custom = opts.custom.clone();
    prepare::check_options(&opts).map_err(refused)?;
    let shard = shard::chosen(custom.shard.as_deref()).map_err(refused)?;
    let settings = prepare::settings(&custom).map_err(refused)?;
    let texts = if custom.features.is_none() {
        features::embedded_texts()
    } else {
        Vec::new()
    };
    let requested = custom.reports.open(texts).map_err(refused)?;
    let fault = custom
        .fault
        .as_deref()
        .map(faults::by_name)
        .transpose()
        .map_err(refused)?;
    let baseline = prepare::baseline(&custom).map_err(refused)?;
    let known = verdict::Known::prepare(&opts, shard.is_some_and(|(s, _)| s.splits())).map_err(refused)?;
    // Every setting is checked: the run starts by saying what it runs against.
    tell(&custom, &settings.first_line());
    let target = Target::from_settings(&settings, fault)
        .await
        .map_err(|e| refused(e.to_string()))?;
    let shard_out = shard::prepare(&opts, shard, settings.profile, &target).map_err(refused)?;
    if let Err(unusable) = target::usable(&target).await {
        eprintln!("laml-conformance: {}", unusable.message);
        return Err(unusable.code.into());
    }
    let stop_note = StopNote::default();
    let info = report::RunInfo {
        profile: settings.profile.name.clone(),
        profile_title: settings.profile.title.clone(),
        target: settings.target_name(),
        mode: settings.mode_name(),
        reproduce: embedded_note(&prepare::embedded_url(&target), custom.fault.as_deref()),
        fault: custom.fault.clone(),
        known: known.ledger.clone(),
        stopped: stop_note.clone(),
    };
    let mut ended = verdict::Ended {
        custom: &custom,
        profile: settings.profile.name.clone(),
        target: settings.target_name(),
        serial: target.shares_participants(),
        embedded: matches!(target, Target::Embedded(_)),
        failed: scenario::Failed::new(known.ledger.clone()),
        written: report::Written::default(),
        sharding: shard.map(|(s, _)| (s, shard::Counted::default())),
        known,
    };
    // Shared, live participants take one scenario at a time, whatever --concurrency says: two at
    // once would change each other's participants and fail for each other.
    if ended.serial && opts.runner.concurrency.is_some_and(|n| n > 1) {
        eprintln!("laml-conformance: --concurrency is 1 on a configured conference: its participants are shared");
        opts.runner.concurrency = Some(1);
    }
    target.probe_labels(settings.profile).await;
    steps::Run::start(target, settings.profile, baseline).map_err(refused)?;
    let reports = (requested, shard_out);
    let (counts, written) = execute(opts, reports, info, &ended, stop_note.clone()).await;
    ended.written = written;
    if let Some(stopped) = stop_note.get() {
        tell(&custom, &stopped.to_string()); // under cucumber's summary, which counts only what ran
    }
    if let Some((shard, counted)) = &ended.sharding {
        tell(&custom, &counted.said(*shard));
    }
    Ok(ended.verdict(&counts))
}

/// A line of the run's own on stdout, or on stderr when the Cucumber Messages take stdout.
pub(super) fn tell(custom: &RunOptions, line: &str) {
    if custom.reports.messages_on_stdout() {
        eprintln!("{line}");
    } else {
        say!("{line}");
    }
}

/// The scenarios run by cucumber, with the console and the reports asked for as its writers.
async fn execute(
    mut opts: Opts,
    (requested, shard_out): (report::Requested, Option<report::shard::Out>),
    info: report::RunInfo,
    ended: &verdict::Ended<'_>,
    stop_note: StopNote,
) -> (verdict::Counts, report::Written) {
    let serial = ended.serial;
    let failed = ended.failed.clone();
    let features_path = opts.custom.features.clone().unwrap_or_default();
    let runner = cucumber::runner::Basic::default()
        .steps(ConformanceWorld::collection())
        .max_concurrent_scenarios(if serial { Some(1) } else { Some(64) })
        .after(move |feature, rule, sc, finished, world| {
            scenario::after_scenario(&failed, feature, rule, sc, finished, world)
        });
    // --fail-fast stops the scenarios under way too, except where a scenario cut short would
    // leave a shared participant changed (see `fail_fast`).
    let runner = FailFast::new(runner, !serial, stop_note)
        // a participant that could not be restored ends the run after its scenario
        .stop_when(|| steps::Run::current().is_some_and(steps::Run::restore_failed));
    // One writer beside the console keeps the record the reports asked for are rendered from,
    // and does nothing when none was asked for.
    let (reports, written) = report::Reports::for_tee(requested, info, shard_out);
    // --shard: the share of the scenarios that --tags and --name select
    let (this_shard, counted) = match ended.sharding.clone() {
        Some((s, counted)) => (Some(s), counted),
        None => (None, shard::Counted::default()),
    };
    let filter = shard::filter(&mut opts, this_shard, counted);
    // cucumber's look, each failure said from the value its step raised (`report::console`)
    let (out, stream): (Box<dyn io::Write>, _) = if opts.custom.reports.messages_on_stdout() {
        (Box::new(io::stderr()), "standard error")
    } else {
        (Box::new(io::stdout()), "standard output")
    };
    let console = report::console::Console::new(out)
        .listing(ended.known.ledger.clone())
        .marking(written.clone(), stream)
        .summarized();
    let result = cucumber::Cucumber::<_, _, _, _, _, cli::Empty>::custom(
        steps::needs::Marking(features::Features),
        runner,
        // "scenarios: 30/59" on stderr when it is a terminal and the run takes a while
        progress::Suite::new(console.tee::<ConformanceWorld, _>(reports).normalized()),
    )
    .fail_on_skipped()
    .with_cli(opts)
    .filter_run(features_path, filter)
    .await;
    let counts = verdict::Counts {
        parsing_errors: result.parsing_errors(),
        steps: result.passed_steps() + result.skipped_steps() + result.failed_steps(),
        failed: result.execution_has_failed(),
    };
    (counts, written)
}
