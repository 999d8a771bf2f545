//! The shards' results made into the record of one run, which every report renders as it
//! renders a run's: refused first when a shard is missing, given twice, or ran another plan.

use std::cell::Cell;
use std::path::PathBuf;
use std::rc::Rc;

use cucumber::{event, gherkin, parser};

use super::plan::{self, Plan};
use super::{FeatureResults, Results};
use crate::fail_fast::Stopped;
use crate::report::RunInfo;
use crate::report::known::Ledger;
use crate::report::record::{FeatureRecord, Record};
use crate::shard::Shard;

/// One run's record and what the reports say of it, from every shard's results.
pub struct Merged {
    /// The scenarios of every shard, each feature's in the order of their lines.
    pub record: Record,
    /// What the reports say of the run.
    pub info: RunInfo,
}

/// Whether `results` are every shard of one run, each once: the sentence that says the first
/// thing wrong, naming the shard, if not.
pub fn check(results: &[(PathBuf, Results)]) -> Result<(), String> {
    let mut sorted: Vec<&(PathBuf, Results)> = results.iter().collect();
    sorted.sort_by_key(|(_, r)| r.shard);
    let plans: Vec<(Shard, &Plan)> = sorted.iter().map(|(_, r)| (r.shard, &r.plan)).collect();
    if let Some(said) = plan::disagreement(&plans) {
        return Err(said);
    }
    for pair in sorted.windows(2) {
        let ((a, first), (b, second)) = (pair[0], pair[1]);
        if first.shard == second.shard {
            return Err(format!(
                "shard {} is given twice ({} and {}); give each shard's results once",
                first.shard,
                a.display(),
                b.display()
            ));
        }
    }
    let Some(total) = sorted.first().map(|(_, r)| r.shard.total) else {
        return Err("no shard results were given; give merge the folders that --shard-out wrote".into());
    };
    let missing: Vec<String> = (1..=total)
        .map(|index| Shard { index, total })
        .filter(|s| !sorted.iter().any(|(_, r)| r.shard == *s))
        .map(|s| s.to_string())
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        [one] => Err(format!(
            "shard {one} is missing: a merge needs every shard of the run, 1/{total} to {total}/{total}; add the folder its --shard-out wrote, or run it"
        )),
        many => Err(format!(
            "shards {} are missing: a merge needs every shard of the run, 1/{total} to {total}/{total}; add the folders their --shard-out wrote, or run them",
            many.join(", ")
        )),
    }
}

/// The record of the run the `results` (checked) make, with each feature as `parsed` from the
/// plan's text (one per feature of the plan, in its order), and the note on reproducing that
/// the reports put beside their curl commands.
pub fn merge(
    results: Vec<Results>,
    parsed: Vec<parser::Result<gherkin::Feature>>,
    reproduce: Option<String>,
) -> Result<Merged, String> {
    let first = results.first().ok_or("no shard results were given")?;
    let plan = first.plan.clone();
    let ledger = plan
        .known
        .as_ref()
        .map(|k| Ledger::parse(&k.file, &k.text))
        .transpose()?;
    let info = RunInfo {
        profile: plan.profile.clone(),
        profile_title: first.run.profile_title.clone(),
        target: distinct(results.iter().map(|r| r.run.target.as_str())),
        mode: distinct(results.iter().map(|r| r.run.mode.as_str())),
        fault: plan.fault.clone(),
        known: ledger.map(std::sync::Arc::new),
        reproduce,
        stopped: Rc::new(Cell::new(stopped(&results))),
    };
    let mut record = Record {
        started: results.iter().filter_map(|r| r.run.started).min(),
        finished: results.iter().filter_map(|r| r.run.finished).max(),
        ..Record::default()
    };
    let mut left: Vec<(Shard, FeatureResults)> = results
        .into_iter()
        .flat_map(|r| {
            let shard = r.shard;
            r.features.into_iter().map(move |f| (shard, f))
        })
        .collect();
    for (text, feature) in plan.features.iter().zip(parsed) {
        let feature = match feature {
            Ok(feature) => feature,
            Err(e) => {
                record.parse_errors.push(e.to_string());
                record.parse_failures.push(e);
                continue;
            }
        };
        let (mine, rest): (Vec<_>, Vec<_>) = left
            .into_iter()
            .partition(|(_, f)| f.path.as_deref() == Some(text.path.as_str()));
        left = rest;
        let Some((_, head)) = mine.first() else { continue };
        let mut scenarios: Vec<_> = mine.iter().flat_map(|(_, f)| f.scenarios.iter().cloned()).collect();
        scenarios.sort_by_key(|s| s.line);
        record.features.push(FeatureRecord {
            keyword: head.keyword.clone(),
            name: head.name.clone(),
            path: head.path.clone(),
            started: mine.iter().map(|(_, f)| f.started).min().unwrap_or(head.started),
            scenarios,
            source: event::Source::new(feature),
        });
    }
    if let Some((shard, f)) = left.first() {
        let path = f.path.as_deref().unwrap_or(&f.name);
        return Err(format!(
            "shard {shard} holds results of {path}, which is not a feature of its plan; run the shard again"
        ));
    }
    Ok(Merged { record, info })
}

/// The values, each once, in the order first seen, joined.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join("; ")
}

/// How the run stopped early, if a shard did: the shards' counts added up, a shard that ran to
/// its end counting every scenario it ran.
fn stopped(results: &[Results]) -> Option<Stopped> {
    if results.iter().all(|r| r.run.stopped.is_none()) {
        return None;
    }
    let mut all = Stopped {
        restore: false,
        ran: 0,
        cut: 0,
        total: Some(0),
    };
    for r in results {
        let ran: usize = r.features.iter().map(|f| f.scenarios.len()).sum();
        let s = r.run.stopped.map_or(
            Stopped {
                restore: false,
                ran,
                cut: 0,
                total: Some(ran),
            },
            super::StoppedPart::stopped,
        );
        all.restore |= s.restore;
        all.ran += s.ran;
        all.cut += s.cut;
        all.total = all.total.zip(s.total).map(|(a, b)| a + b);
    }
    Some(all)
}
