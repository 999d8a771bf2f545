//! The reports a run writes beside the console, each only when asked for: JUnit XML and
//! Cucumber JSON (cucumber's own writers).
//!
//! One writer, [`Reports`], is teed beside the console and fans every event out to the reports
//! that were asked for, so `main` composes one writer whatever the combination of flags. Every
//! file is opened before the run ([`Requested::open`]), so an unwritable path is one sentence
//! and exit 2 before anything is sent; the reports are written when the run finishes.

mod junit;

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use cucumber::event::Cucumber;
use cucumber::writer::{self, Ext as _};
use cucumber::{Event, Writer, cli, parser};

/// Set when a report could not be written at the end of the run (its sentence is printed
/// then): the run ends with exit 2, since a CI job that asked for a report must not pass
/// without it.
pub static FAILED_WRITES: AtomicBool = AtomicBool::new(false);

/// A report file that cannot be opened, said as what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The path of a `--junit` or `--json` flag.
    #[error("cannot write the {what} report to {}: {source}; choose a writable path", path.display())]
    File {
        /// Which report.
        what: &'static str,
        /// Where it was to go.
        path: PathBuf,
        /// Why it cannot.
        source: io::Error,
    },
}

/// Where each report asked for goes, every file already open.
#[derive(Default)]
pub struct Requested {
    junit: Option<(PathBuf, File)>,
    json: Option<File>,
}

/// The report flags of a run, as given.
pub struct Paths<'a> {
    /// `--junit`.
    pub junit: Option<&'a Path>,
    /// `--json`.
    pub json: Option<&'a Path>,
}

impl Requested {
    /// Opens every report file asked for, so that a path that cannot be written stops the run
    /// before it starts.
    pub fn open(paths: Paths<'_>) -> Result<Requested, ReportError> {
        let create = |what: &'static str, path: Option<&Path>| -> Result<Option<(PathBuf, File)>, ReportError> {
            path.map(|p| {
                File::create(p)
                    .map(|f| (p.to_path_buf(), f))
                    .map_err(|source| ReportError::File {
                        what,
                        path: p.to_path_buf(),
                        source,
                    })
            })
            .transpose()
        };
        Ok(Requested {
            junit: create("JUnit", paths.junit)?,
            json: create("JSON", paths.json)?.map(|(_, f)| f),
        })
    }
}

/// Bytes a writer that keeps its output to itself (cucumber's JUnit writer) writes, shared so
/// they can be rewritten before they reach the file.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The writer that fans a run's events out to every report asked for, teed beside the
/// console: one writer for any combination of `--junit` and `--json`, and nothing done for a
/// report not asked for (cucumber's JSON writer costs time that grows with the square of the
/// scenarios).
pub struct Reports<W> {
    junit: Option<(writer::JUnit<W, Shared>, Shared, PathBuf, File)>,
    json: Option<writer::Json<File>>,
}

impl<W: std::fmt::Debug> Reports<W> {
    /// The reports of `requested`, ready to be teed beside the console (they count nothing:
    /// the console's writer keeps the statistics).
    pub fn for_tee(requested: Requested) -> writer::discard::Arbitrary<writer::discard::Stats<Self>> {
        let junit = requested.junit.map(|(path, file)| {
            let buffer = Shared::default();
            (writer::JUnit::raw(buffer.clone(), 0), buffer, path, file)
        });
        Reports {
            junit,
            json: requested.json.map(writer::Json::raw),
        }
        .discard_stats_writes()
        .discard_arbitrary_writes()
    }
}

impl<W> Reports<W> {
    /// Writes the reports that are written at the end; a report that cannot be written is
    /// said in one sentence and fails the run ([`FAILED_WRITES`]).
    fn finish(&mut self) {
        if let Some((_, buffer, path, file)) = &mut self.junit {
            let xml = std::mem::take(&mut *buffer.0.borrow_mut());
            let rewritten = junit::with_failure_bodies(&xml).unwrap_or_else(|e| {
                eprintln!(
                    "laml-conformance: the JUnit report is kept as cucumber wrote it, without failure bodies: {e}"
                );
                xml
            });
            written("JUnit", path, file.write_all(&rewritten));
        }
    }
}

/// Says a report that could not be written, once, and marks the run failed.
fn written(what: &str, path: &Path, result: io::Result<()>) {
    if let Err(e) = result {
        eprintln!(
            "laml-conformance: could not write the {what} report to {}: {e}; free space there or choose another path",
            path.display()
        );
        FAILED_WRITES.store(true, Ordering::SeqCst);
    }
}

impl<W: cucumber::World + std::fmt::Debug> Writer<W> for Reports<W> {
    type Cli = writer::junit::Cli;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, cli: &Self::Cli) {
        if let Some((junit, ..)) = &mut self.junit {
            junit.handle_event(event.clone(), cli).await;
        }
        if let Some(json) = &mut self.json {
            json.handle_event(event.clone(), &cli::Empty).await;
        }
        if let Ok(ev) = &event
            && let Cucumber::Finished = ev.value
        {
            self.finish();
        }
    }
}

impl<W> writer::NonTransforming for Reports<W> {}
