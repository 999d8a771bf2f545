//! How a run ends: its exit code, and the sentences that say why and what to do next.

use laml_conformance::exit::Exit;

use super::RunOptions;
use super::scenario::Failed;
use crate::commands::profiles;
use crate::shard::Shard;
use crate::{report, steps};

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
    /// The run's shard (`--shard`), and how many scenarios it took of those selected.
    pub sharding: Option<(Shard, super::shard::Counted)>,
}

impl Ended<'_> {
    /// The exit code of the run, said on stderr when it is not 0: a participant not restored
    /// first (it needs a person now), then what stopped the run from saying anything, then the
    /// failures.
    pub fn verdict(&self, counts: &Counts) -> Exit {
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
        if self.written.failed() {
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
        if counts.failed {
            self.failed();
            return Exit::Failed;
        }
        Exit::Passed
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
