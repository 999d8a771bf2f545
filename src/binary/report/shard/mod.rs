//! A shard's results (`--shard-out DIR`), and `merge`'s reading of them: one JSON file per
//! shard, `shard-I-of-N.json`, that holds what every report needs (the record of the shard's
//! scenarios: steps, outcomes, each failure as its value, timings; and what the reports say of
//! the run) and the plan every shard of the run must share ([`Plan`]).
//!
//! gherkin's types have no serde here, and the reports need a feature as parsed (the Cucumber
//! JSON report reads its tags and Background): the plan keeps each feature's text, and `merge`
//! parses them again, which gives the same features since every shard's plan holds the same
//! text.
//!
//! The file says its format and version first: a reader of another version is refused with a
//! sentence, not a field it does not know.

mod merge;
mod plan;

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::record::{FeatureRecord, Record, ScenarioRecord};
use super::{RunInfo, Written};
use crate::fail_fast::Stopped;
use crate::shard::Shard;

pub use merge::{check, merge};
pub use plan::{Content, FeatureText, LedgerText, Plan};

/// What the file says it is.
const FORMAT: &str = "laml-conformance shard results";
/// The version of the file's layout: a change to it that an older `merge` cannot read takes a
/// new number.
pub const VERSION: u32 = 1;

/// One shard's results, as its file holds them.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Results {
    format: String,
    version: u32,
    /// Which shard.
    pub shard: Shard,
    /// What every shard of the run must share.
    pub plan: Plan,
    run: RunPart,
    features: Vec<FeatureResults>,
}

/// What the reports say of the shard's run beside its scenarios.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct RunPart {
    profile_title: String,
    target: String,
    mode: String,
    /// The embedded space's URL, which the reports' note on reproducing names.
    embedded: Option<String>,
    stopped: Option<StoppedPart>,
    started: Option<SystemTime>,
    finished: Option<SystemTime>,
}

/// How `--fail-fast` (or a restore) stopped the shard early.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct StoppedPart {
    restore: bool,
    ran: usize,
    cut: usize,
    total: Option<usize>,
}

/// One feature's scenarios that the shard ran.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct FeatureResults {
    keyword: String,
    name: String,
    path: Option<String>,
    started: SystemTime,
    scenarios: Vec<ScenarioRecord>,
}

impl Results {
    /// The URL of the embedded space the shard ran against, if it did.
    pub fn embedded(&self) -> Option<&str> {
        self.run.embedded.as_deref()
    }
}

/// The file of the shard `shard` in a folder.
pub fn file_name(shard: Shard) -> String {
    format!("shard-{}-of-{}.json", shard.index, shard.total)
}

/// Where a shard's results go, opened before the run.
pub struct Out {
    path: PathBuf,
    file: File,
    shard: Shard,
    plan: Plan,
    embedded: Option<String>,
}

impl Out {
    /// The file of `shard` in `dir` (created, with the folder), or the sentence that says why
    /// it cannot be.
    pub fn open(dir: &Path, shard: Shard, plan: Plan, embedded: Option<String>) -> Result<Out, String> {
        let path = dir.join(file_name(shard));
        let file = std::fs::create_dir_all(dir)
            .and_then(|()| File::create(&path))
            .map_err(|e| {
                format!(
                    "cannot write the shard's results to {}: {e}; give --shard-out a writable folder",
                    path.display()
                )
            })?;
        Ok(Out {
            path,
            file,
            shard,
            plan,
            embedded,
        })
    }

    /// Writes the results of the run `record` holds; one that cannot be written is said and
    /// fails the run ([`Written`]).
    pub(super) fn write(&mut self, record: &Record, info: &RunInfo, written: &Written) {
        let results = Results {
            format: FORMAT.into(),
            version: VERSION,
            shard: self.shard,
            plan: self.plan.clone(),
            run: RunPart {
                profile_title: info.profile_title.clone(),
                target: info.target.clone(),
                mode: info.mode.clone(),
                embedded: self.embedded.clone(),
                stopped: info.stopped.get().map(|s| StoppedPart {
                    restore: s.restore,
                    ran: s.ran,
                    cut: s.cut,
                    total: s.total,
                }),
                started: record.started,
                finished: record.finished,
            },
            features: record.features.iter().map(FeatureResults::of).collect(),
        };
        let json = serde_json::to_vec(&results).map_err(io::Error::from);
        let done = json.and_then(|json| self.file.write_all(&json));
        written.check("shard results", &self.path, done);
    }
}

impl FeatureResults {
    fn of(f: &FeatureRecord) -> FeatureResults {
        FeatureResults {
            keyword: f.keyword.clone(),
            name: f.name.clone(),
            path: f.path.clone(),
            started: f.started,
            scenarios: f.scenarios.clone(),
        }
    }
}

impl StoppedPart {
    fn stopped(self) -> Stopped {
        Stopped {
            restore: self.restore,
            ran: self.ran,
            cut: self.cut,
            total: self.total,
        }
    }
}

/// Every shard's results in the folders (or files) `paths`: each folder's `shard-*.json`
/// files, with where each was read; a file that cannot be read, or is no shard's results of
/// this version, is one sentence.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Results)>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| {
            format!(
                "cannot read {}: {e}; give merge the folders that --shard-out wrote",
                path.display()
            )
        })?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && is_results_name(p))
            .collect();
        if found.is_empty() {
            return Err(format!(
                "{} holds no shard results (shard-I-of-N.json); give merge the folders that --shard-out wrote",
                path.display()
            ));
        }
        found.sort();
        files.extend(found);
    }
    files.into_iter().map(|f| read(&f).map(|r| (f, r))).collect()
}

fn is_results_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".json"))
}

/// One shard's results, read: its format and version are checked before the rest is read.
fn read(path: &Path) -> Result<Results, String> {
    let shown = path.display();
    let text = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let not_results = || format!("{shown} is not a shard's results (written by --shard-out); leave it out of merge");
    let value: serde_json::Value = serde_json::from_slice(&text).map_err(|_| not_results())?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(not_results());
    }
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        v => {
            let v = v.map_or_else(|| "no".to_string(), |v| v.to_string());
            return Err(format!(
                "{shown} holds shard results of format version {v}, and this merge reads version {VERSION}; merge with the laml-conformance that ran the shards"
            ));
        }
    }
    serde_json::from_value(value)
        .map_err(|e| format!("{shown} holds shard results that cannot be read ({e}); run the shard again"))
}

#[cfg(test)]
mod tests;
