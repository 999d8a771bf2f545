//! `laml-conformance merge DIR…`: the results of a run cut into shards (`--shard I/N
//! --shard-out DIR` on each machine of a CI matrix), put together into the reports one run
//! would have written, with the totals and the exit code that run would have ended with.
//!
//! Every shard's results carry the plan of the run (the features' text, the filters, the
//! number of shards, the profile): a shard missing, given twice, or run on another plan is
//! refused with one sentence that names it (exit 2), since the reports would otherwise say a
//! suite passed that did not run whole. The features are parsed again from the plan's text
//! for the reports that need them as parsed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use cucumber::{gherkin, parser};
use laml_conformance::exit::Exit;

use super::run::{self, ReportFlags};
use super::usage_error;
use crate::report::shard::{self, Content, FeatureText};
use crate::report::{self, Counts};
use crate::{features, steps};

/// Put the shards' results (`--shard-out`) of one run together into its reports.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: as the run would have ended: 0 passed, 1 a scenario failed, 2 a shard missing, given twice or run otherwise than the others (or a usage error)."
)]
pub struct MergeOptions {
    /// The folders --shard-out wrote (each holds shard-I-of-N.json files), or those files.
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
    #[command(flatten)]
    reports: ReportFlags,
}

/// Merges; the exit code is the one the whole run would have had.
pub fn main(opts: MergeOptions) -> ExitCode {
    match merge(&opts) {
        Ok(exit) => exit.into(),
        Err(refused) => usage_error(&refused),
    }
}

fn merge(opts: &MergeOptions) -> Result<Exit, String> {
    let mut results = shard::read_all(&opts.dirs)?;
    shard::check(&results)?;
    results.sort_by_key(|(_, r)| r.shard);
    let plan = results[0].1.plan.clone();
    // the Cucumber Messages carry the features as the shards read them
    let texts = plan
        .features
        .iter()
        .filter_map(|f| match &f.content {
            Content::Text(text) => Some((PathBuf::from(&f.path), text.clone())),
            Content::Unreadable(_) => None,
        })
        .collect();
    let mut requested = opts.reports.open(texts)?;
    requested.define_steps(report::definitions_of::<steps::ConformanceWorld>);
    let urls: Vec<String> = results
        .iter()
        .filter_map(|(_, r)| r.embedded().map(str::to_string))
        .collect();
    let reproduce = run::embedded_note(&urls, plan.fault.as_deref());
    let shards = results.len();
    let parsed = plan.features.iter().map(parsed).collect();
    let merged = shard::merge(results.into_iter().map(|(_, r)| r).collect(), parsed, reproduce)?;
    let written = report::Written::default();
    report::write(&mut requested, &merged.record, &merged.info, &written);
    let record = &merged.record;
    let summary = [
        format!("[Summary] {shards} shard(s) merged"),
        format!("{} feature(s)", record.features.len()),
        format!("{} scenarios{}", record.counts().total(), parts(record.counts())),
        format!("{} steps{}", record.step_counts().total(), parts(record.step_counts())),
    ]
    .join("\n");
    // `--messages -` takes stdout for the stream
    if opts.reports.messages_on_stdout() {
        eprintln!("{summary}");
    } else {
        say!("{summary}");
    }
    let every = plan.tags.is_none() && plan.name.is_none();
    Ok(verdict(record, &merged.info, every, &written))
}

/// The exit code the run would have ended with, as its verdict reads the same record; `every`
/// when the run selected every scenario (no `--tags`, no `--name`).
fn verdict(record: &report::Record, info: &report::RunInfo, every: bool, written: &report::Written) -> Exit {
    if written.failed() {
        return Exit::Usage; // each report not written was said
    }
    if !record.parse_errors.is_empty() {
        eprintln!(
            "laml-conformance: {} feature file(s) of the run could not be parsed, each said above; fix them and run the shards again",
            record.parse_errors.len()
        );
        return Exit::Usage;
    }
    if record.step_counts().total() == 0 {
        eprintln!(
            "laml-conformance: no scenario ran in any shard, so nothing was checked; check --features, --tags and --name"
        );
        return Exit::Usage;
    }
    let counts = record.counts();
    if counts.fixed > 0 {
        eprintln!(
            "laml-conformance: {} scenario(s) listed in the ledger of known divergences passed, and fail the run until their entries are gone; the reports name each with its entry",
            counts.fixed
        );
    }
    // the entries that list no scenario, judged over the whole run (a shard leaves them here)
    let unlisting = info.known.as_ref().map_or(Vec::new(), |ledger| {
        let places: Vec<_> = record
            .features
            .iter()
            .flat_map(|f| f.scenarios.iter().map(move |s| s.place(f)))
            .collect();
        ledger
            .unlisting(&places)
            .into_iter()
            .map(|e| e.unlisting_said(every))
            .collect()
    });
    for said in &unlisting {
        eprintln!("laml-conformance: {said}");
    }
    if counts.failed > 0 {
        eprintln!(
            "laml-conformance: {} scenario(s) failed; the reports name each with what differed",
            counts.failed
        );
    }
    if counts.failing() || (every && !unlisting.is_empty()) {
        return Exit::Failed;
    }
    Exit::Passed
}

/// " (61 passed, 25 skipped, 11 failed)", as cucumber's summary says them.
fn parts(c: Counts) -> String {
    let said: Vec<String> = [
        (c.passed, "passed"),
        (c.skipped, "skipped"),
        (c.failed, "failed"),
        (c.known, "known"),
        (c.fixed, "fixed"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| format!("{n} {word}"))
    .collect();
    if said.is_empty() {
        String::new()
    } else {
        format!(" ({})", said.join(", "))
    }
}

/// A feature of the plan, parsed as the run parsed it (a file that could not be read is the
/// error it was).
fn parsed(f: &FeatureText) -> parser::Result<gherkin::Feature> {
    let path = PathBuf::from(&f.path);
    let feature = match &f.content {
        Content::Text(text) => features::parse_text(text, path),
        Content::Unreadable(why) => Err(parser::Error::Parsing(Arc::new(gherkin::ParseFileError::Reading {
            path,
            source: std::io::Error::other(why.clone()),
        }))),
    };
    steps::needs::mark(feature)
}
