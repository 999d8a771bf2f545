//! How a run ends: its exit code, and the sentences that say why and what to do next.
//!
//! With a ledger of known divergences (`--known`), the exit code is read from how each scenario
//! ended under it (kept by the after hook, [`Failed::judged`]) rather than from cucumber's
//! counts, which count a known failure as a failure: the run fails for a scenario that failed
//! and is not listed, for one that is listed and passed (fixed), and, when it ran every
//! scenario, for an entry that lists none (a typo, or a scenario renamed).

use std::sync::Arc;

use laml_conformance::exit::Exit;

use super::scenario::{Failed, Judged};
use super::{Opts, RunOptions};
use crate::child::{Ran, Verdict};
use crate::commands::profiles;
use crate::report::known::{Ledger, Recording};
use crate::shard::Shard;
use crate::{report, steps};

/// What a run was given about known divergences: the ledger it judges by (`--known`), the
/// file it records its failures into (`--record-known`), and whether it selects every
/// scenario, so that an entry that lists none of them is a mistake, not a filter.
#[derive(Debug, Default)]
pub struct Known {
    /// The ledger, read and checked.
    pub ledger: Option<Arc<Ledger>>,
    /// The file to record into, opened.
    pub recording: Option<Recording>,
    /// Whether no `--tags`, `--name` or single feature file narrows the run.
    pub selects_all: bool,
    /// Whether the run is one share of several (`--shard`): the entries that list none of its
    /// scenarios are `merge`'s to judge, over the whole run.
    pub shared: bool,
}

impl Known {
    /// The ledger and the recording a run asks for, each refused with one sentence before the
    /// run (exit 2): a ledger that cannot be read or is not well formed, a path that cannot be
    /// written, or `--fail-fast`, which would stop at a known failure as at any other.
    pub fn prepare(opts: &Opts, shared: bool) -> Result<Known, String> {
        let custom = &opts.custom;
        if custom.known.is_some() && opts.runner.fail_fast {
            return Err("--fail-fast stops at the first failed scenario, known divergences included; leave out --fail-fast or --known".into());
        }
        let ledger = custom.known.as_deref().map(Ledger::read).transpose()?;
        let recording = custom.record_known.as_deref().map(Recording::open).transpose()?;
        let one_file = custom.features.as_ref().is_some_and(|p| p.is_file());
        Ok(Known {
            ledger: ledger.map(Arc::new),
            recording,
            selects_all: opts.re_filter.is_none() && opts.tags_filter.is_none() && !one_file,
            shared,
        })
    }
}

/// What cucumber's writer counted, as the verdict reads it.
pub struct Counts {
    /// Feature files refused by the parser (each said with its line).
    pub parsing_errors: usize,
    /// Steps that passed, were skipped or failed: 0 when no scenario ran.
    pub steps: usize,
    /// Whether a step or hook failed.
    pub failed: bool,
}

/// What a run was, for the sentences at its end.
pub struct Ended<'a> {
    /// The run's options.
    pub custom: &'a RunOptions,
    /// The profile it judged by, by name.
    pub profile: String,
    /// The target as a reader names it.
    pub target: String,
    /// Whether the scenarios shared live participants.
    pub serial: bool,
    /// Whether the target was the embedded space.
    pub embedded: bool,
    /// The scenarios that failed, as the after hook kept them.
    pub failed: Failed,
    /// Whether every report asked for was written.
    pub written: report::Written,
    /// The ledger of known divergences, and where to record one.
    pub known: Known,
    /// The run's shard (`--shard`), and how many scenarios it took of those selected.
    pub sharding: Option<(Shard, super::shard::Counted)>,
}

impl Ended<'_> {
    /// The exit code of the run, said on stderr when it is not 0: a participant not restored
    /// first (it needs a person now), then what stopped the run from saying anything, then the
    /// failures.
    pub fn verdict(&self, counts: &Counts) -> Exit {
        let recorded = self.record_known();
        let run = steps::Run::current();
        let not_restored = run.map(steps::Run::not_restored).unwrap_or_default();
        if !not_restored.is_empty() {
            let names: Vec<String> = not_restored
                .iter()
                .map(|(name, sid)| format!("{name} ({sid})"))
                .collect();
            eprintln!(
                "laml-conformance: {} participant(s) could not be restored to their state before the run, and the run stopped there: {}; check them on the target now",
                not_restored.len(),
                names.join(", ")
            );
            return Exit::NotRestored;
        }
        if self.written.failed() || !recorded {
            return Exit::Usage; // each report not written was said when it failed
        }
        if counts.parsing_errors > 0 {
            eprintln!(
                "laml-conformance: {} feature file(s) refused, each with its line and what to change above; fix them and run again",
                counts.parsing_errors
            );
            return Exit::Usage;
        }
        let drifted = run.map_or(0, steps::Run::drifted);
        if drifted > 0 {
            self.drifted(drifted);
            return Exit::Failed;
        }
        // a shard of a small selection may hold none of it: the other shards run it
        if counts.steps == 0
            && let Some(empty) = self.sharding.as_ref().and_then(|(s, c)| c.empty_share(*s))
        {
            super::tell(self.custom, &format!("laml-conformance: {empty}"));
            return Exit::Passed;
        }
        if counts.steps == 0 {
            eprintln!("laml-conformance: no scenario ran, so nothing was checked; check --features, --tags and --name");
            return Exit::Usage;
        }
        if let Some(ledger) = &self.known.ledger {
            return self.by_ledger(ledger, counts);
        }
        if counts.failed {
            self.failed();
            return Exit::Failed;
        }
        Exit::Passed
    }

    /// The exit code of a run with a ledger of known divergences, with what the ledger made of
    /// the run: the known failures under cucumber's summary, then on stderr the fixed
    /// scenarios, the entries that list no scenario, and the failures.
    fn by_ledger(&self, ledger: &Ledger, counts: &Counts) -> Exit {
        let judged = self.failed.judged();
        let with = |v: Verdict| judged.iter().filter(move |j| j.verdict == v);
        say_known(self.custom, ledger, &with(Verdict::Known).collect::<Vec<_>>());
        let fixed: Vec<&Judged> = with(Verdict::Fixed).collect();
        if !fixed.is_empty() {
            let lines: Vec<String> = fixed.iter().map(|j| format!("  {}", said(j))).collect();
            eprintln!(
                "laml-conformance: {} scenario(s) listed in {} passed, and fail the run until their entries are gone:\n{}",
                fixed.len(),
                ledger.file(),
                lines.join("\n")
            );
        }
        let stale = self.unlisting(ledger, &judged);
        // cucumber counted a failure the after hook did not see: a failure all the same
        let unseen = counts.failed && with(Verdict::Failed).chain(with(Verdict::Known)).next().is_none();
        let failed = with(Verdict::Failed).next().is_some() || unseen;
        if failed {
            self.failed();
        }
        if failed || !fixed.is_empty() || stale {
            Exit::Failed
        } else {
            Exit::Passed
        }
    }

    /// Says each entry of the ledger that lists no scenario of the run; whether that fails the
    /// run (it does when the run selected every scenario: the entry has a typo, or its scenario
    /// was renamed or removed). A shard of several leaves that to `merge`.
    fn unlisting(&self, ledger: &Ledger, judged: &[Judged]) -> bool {
        if self.known.shared {
            return false;
        }
        let unlisting = ledger.unlisting(judged.iter().map(|j| &j.place));
        for entry in &unlisting {
            eprintln!("laml-conformance: {}", entry.unlisting_said(self.known.selects_all));
        }
        self.known.selects_all && !unlisting.is_empty()
    }

    /// Writes the run's failures into the file of `--record-known`, if asked; false when it
    /// could not (said then).
    fn record_known(&self) -> bool {
        let Some(recording) = &self.known.recording else {
            return true;
        };
        let failed: Vec<_> = self
            .failed
            .judged()
            .into_iter()
            .filter(|j| j.verdict == Verdict::Failed && j.ran == Ran::StepFailed)
            .map(|j| j.place)
            .collect();
        let date = time::OffsetDateTime::now_utc().date().to_string();
        let fault = self
            .custom
            .fault
            .as_deref()
            .map(|f| format!(" with --fault {f}"))
            .unwrap_or_default();
        let target = format!("{}{fault} (profile {})", self.target, self.profile);
        match recording.write(&failed, &date, &target) {
            Ok(entries) => {
                eprintln!(
                    "laml-conformance: {entries} failed scenario(s) recorded into {} as known divergences; replace each reason with the real one, then run with --known {}",
                    recording.path().display(),
                    recording.path().display()
                );
                true
            }
            Err(e) => {
                eprintln!("laml-conformance: {e}");
                false
            }
        }
    }

    /// Says how many scenarios drifted from the baseline, or could not be recorded.
    fn drifted(&self, drifted: usize) {
        match (&self.custom.record, &self.custom.baseline) {
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
    }

    /// Says how to rerun each failed scenario, and what else may explain the failures.
    fn failed(&self) {
        let rerun = self.failed.rerun_lines();
        if rerun.is_empty() {
            // only steps that match no definition failed (each said above): no request to
            // reproduce
            return;
        }
        if let Some(dir) = &self.custom.record {
            eprintln!(
                "laml-conformance: this run failed, and its answers were recorded into {} all the same: a baseline holds what the target did, failures included; fix the target and record again before comparing with it",
                dir.display()
            );
        }
        if !self.embedded
            && let Some(hint) = profiles::hint(&self.profile, &self.target, self.serial)
        {
            super::tell(self.custom, &hint);
        }
        if self.embedded {
            let fault = self
                .custom
                .fault
                .as_deref()
                .map_or(String::new(), |f| format!(" --fault {f}"));
            eprintln!(
                "laml-conformance: the embedded space these scenarios ran on is gone with the run; to reproduce a failure by hand, start `laml-conformance serve{fault}`, then rerun one with `--target <its URL>` and its --name below: each failure then shows a curl command that works when pasted\n{rerun}"
            );
        } else {
            eprintln!("laml-conformance: to rerun one failed scenario, add its --name:\n{rerun}");
        }
    }
}

/// What the ledger says of a scenario it lists, after where the scenario is.
fn said(j: &Judged) -> String {
    let place = format!("{}:{}: \"{}\"", j.place.feature, j.place.line, j.place.name);
    match (&j.entry, j.verdict) {
        (Some(entry), Verdict::Fixed) => format!("{place}: {}", entry.fixed_said()),
        (Some(entry), _) => format!("{place}: {}", entry.known_said()),
        (None, _) => place,
    }
}

/// The known failures, under cucumber's summary: how many, and each with its reason (on stdout,
/// or on stderr when the Cucumber Messages take stdout).
fn say_known(custom: &RunOptions, ledger: &Ledger, known: &[&Judged]) {
    let mut lines = vec![if known.is_empty() {
        format!("[Known divergences] no scenario listed in {} failed", ledger.file())
    } else {
        format!(
            "[Known divergences] {} failed scenario(s) are listed in {}, and do not fail the run:",
            known.len(),
            ledger.file()
        )
    }];
    lines.extend(known.iter().map(|j| format!("  {}", said(j))));
    super::tell(custom, &lines.join("\n"));
}
