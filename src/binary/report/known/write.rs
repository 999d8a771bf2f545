//! `--record-known FILE`: a ledger written from a run's failures, for a first adoption. Each
//! failed scenario is an entry whose reason says where it came from and that a person must say
//! why; the entries are sorted, one per scenario, so that a second recording of the same
//! failures differs only in its date, and `--known` reads the file back as it is.

use std::fs::File;
use std::io::{Seek as _, Write as _};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Place;

/// The file a run records its failures into, opened before the run (without emptying it, so
/// that a run refused before it starts leaves a ledger as it was).
#[derive(Debug)]
pub struct Recording {
    path: PathBuf,
    file: File,
}

/// The file as written.
#[derive(Serialize)]
struct Document<'a> {
    known: Vec<Written<'a>>,
}

/// One entry as written.
#[derive(Serialize)]
struct Written<'a> {
    feature: &'a str,
    scenario: &'a str,
    reason: &'a str,
}

/// What a recorded ledger says above its entries.
const HEADER: &str = "\
# Known divergences, for `laml-conformance --known FILE`: the scenarios this target is expected
# to fail. A listed scenario that fails is reported as known and does not fail the run; one
# that passes fails it as fixed, until its entry is removed.
# Each [[known]] lists one scenario (`feature` and `scenario`) or every scenario with a tag
# (`tag`), says why (`reason`) and, if you wish, where that is tracked (`link`).
# Written by --record-known: replace each reason with the real one before you commit it.
";

impl Recording {
    /// The file at `path`, opened to be written when the run ends; a path that cannot be
    /// written is said now, before anything is sent.
    pub fn open(path: &Path) -> Result<Recording, String> {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map(|file| Recording {
                path: path.to_path_buf(),
                file,
            })
            .map_err(|e| {
                format!(
                    "cannot write the ledger of known divergences to {}: {e}; choose a writable path for --record-known",
                    path.display()
                )
            })
    }

    /// The file, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes an entry for each of the `failed` scenarios (one per feature and name: the rows
    /// of an outline that share a name share it), recorded on `date` from a run against
    /// `target`; says how many entries it wrote.
    pub fn write(&self, failed: &[Place], date: &str, target: &str) -> Result<usize, String> {
        let (text, entries) = render(failed, date, target).map_err(|e| {
            format!(
                "could not write the ledger of known divergences to {}: {e}",
                self.path.display()
            )
        })?;
        let mut file = &self.file;
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(text.as_bytes()))
            .map_err(|e| {
                format!(
                    "could not write the ledger of known divergences to {}: {e}; free space there or choose another path",
                    self.path.display()
                )
            })?;
        Ok(entries)
    }
}

/// The ledger of `failed`, with its header, and how many entries it has.
pub fn render(failed: &[Place], date: &str, target: &str) -> Result<(String, usize), toml::ser::Error> {
    let reason = format!("recorded on {date} from a run against {target}: say why");
    let mut scenarios: Vec<(&str, &str)> = failed.iter().map(|p| (p.feature.as_str(), p.name.as_str())).collect();
    scenarios.sort_unstable();
    scenarios.dedup();
    let entries = scenarios.len();
    let doc = Document {
        known: scenarios
            .into_iter()
            .map(|(feature, scenario)| Written {
                feature,
                scenario,
                reason: &reason,
            })
            .collect(),
    };
    let body = toml::to_string(&doc)?;
    Ok((format!("{HEADER}\n{body}"), entries))
}
