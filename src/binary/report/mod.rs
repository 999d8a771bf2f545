//! The reports a run writes beside the console, each only when asked for: JUnit XML and
//! Cucumber JSON (cucumber's own writers), a self-contained HTML page and a Markdown summary
//! (also appended to `$GITHUB_STEP_SUMMARY`).
//!
//! One writer, [`Reports`], is teed beside the console and fans every event out to the reports
//! that were asked for, so the run composes one writer whatever the combination of flags. Every
//! file is opened before the run ([`Requested::open`]); the reports are written when the run
//! finishes, and whether each could be written is kept in a [`Written`] the run holds.
//!
//! A failure travels as a value: a step raises its [`Failure`](laml_conformance::failure::Failure)
//! as the panic's payload, the [`Record`] the HTML page and the Markdown summary are rendered
//! from keeps it, and cucumber's own writers are given its text ([`rendered`]); no report reads
//! a failure's text back.

pub mod console;
mod files;
mod html;
mod junit;
mod markdown;
mod record;
pub mod rendered;
#[cfg(test)]
pub(crate) mod sample;
pub mod words;

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use cucumber::event::Cucumber;
use cucumber::writer::{self, Ext as _};
use cucumber::{Event, Writer, cli, parser};

pub use files::{GITHUB_STEP_SUMMARY, Paths, Requested};
pub use record::RunInfo;
use record::{Counts, Record};

/// Bytes a writer that keeps its output to itself (cucumber's JUnit and JSON writers) writes,
/// shared so they can be rewritten (failure bodies, plain words) before they reach the file.
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
/// console: one writer for any combination of `--junit`, `--json`, `--html` and
/// `--summary-md`, and nothing done for a report not asked for (cucumber's JSON writer costs
/// time that grows with the square of the scenarios).
pub struct Reports<W> {
    info: RunInfo,
    junit: Option<(writer::JUnit<W, Shared>, Shared, PathBuf, File)>,
    json: Option<(writer::Json<Shared>, Shared, PathBuf, File)>,
    html: Option<(PathBuf, File)>,
    markdown: Option<(PathBuf, File)>,
    github: Option<(PathBuf, File)>,
    record: Option<Record>,
    written: Written,
}

/// Whether every report asked for was written, shared between the run and its [`Reports`]
/// writer (which cucumber owns while the run lasts): a report that could not be written ends the
/// run with exit 2, since a CI job that asked for it must not pass without it.
#[derive(Clone, Default)]
pub struct Written(Rc<Cell<bool>>);

impl Written {
    /// Whether a report could not be written (its sentence was printed then).
    pub fn failed(&self) -> bool {
        self.0.get()
    }

    /// Says a report that could not be written, once, and marks the run failed.
    fn check(&self, what: &str, path: &Path, result: io::Result<()>) {
        if let Err(e) = result {
            eprintln!(
                "laml-conformance: could not write the {what} report to {}: {e}; free space there or choose another path",
                path.display()
            );
            self.0.set(true);
        }
    }
}

impl<W: std::fmt::Debug> Reports<W> {
    /// The reports of `requested`, ready to be teed beside the console (they count nothing:
    /// the console's writer keeps the statistics), with the handle that says afterwards whether
    /// they were all written.
    pub fn for_tee(
        requested: Requested,
        info: RunInfo,
    ) -> (writer::discard::Arbitrary<writer::discard::Stats<Self>>, Written) {
        let written = Written::default();
        let record = requested.records().then(Record::default);
        let junit = requested.junit.map(|(path, file)| {
            let buffer = Shared::default();
            (writer::JUnit::raw(buffer.clone(), 0), buffer, path, file)
        });
        let reports = Reports {
            info,
            junit,
            json: requested.json.map(|(path, file)| {
                let buffer = Shared::default();
                (writer::Json::raw(buffer.clone()), buffer, path, file)
            }),
            html: requested.html,
            markdown: requested.markdown,
            github: requested.github,
            record,
            written: written.clone(),
        }
        .discard_stats_writes()
        .discard_arbitrary_writes();
        (reports, written)
    }
}

impl<W> Reports<W> {
    /// Writes the reports that are written at the end; a report that cannot be written is
    /// said in one sentence and fails the run ([`Written`]).
    fn finish(&mut self) {
        if let Some((_, buffer, path, file)) = &mut self.junit {
            let xml = std::mem::take(&mut *buffer.0.borrow_mut());
            let xml = words::plain_bytes(&xml).into_owned();
            let properties = [
                ("target", self.info.target.as_str()),
                ("profile", self.info.profile.as_str()),
                ("mode", self.info.mode.as_str()),
            ];
            let note = self.info.reproduce.as_deref();
            let rewritten = junit::with_failure_bodies(&xml, &properties, note).unwrap_or_else(|e| {
                eprintln!(
                    "laml-conformance: the JUnit report is kept as cucumber wrote it, without failure bodies: {e}"
                );
                xml
            });
            self.written.check("JUnit", path, file.write_all(&rewritten));
        }
        if let Some((_, buffer, path, file)) = &mut self.json {
            let json = std::mem::take(&mut *buffer.0.borrow_mut());
            self.written
                .check("JSON", path, file.write_all(&words::plain_bytes(&json)));
        }
        let Some(record) = &self.record else { return };
        if let Some((path, file)) = &mut self.html {
            self.written.check(
                "HTML",
                path,
                file.write_all(html::render(record, &self.info).as_bytes()),
            );
        }
        let summary = markdown::render(record, &self.info);
        if let Some((path, file)) = &mut self.markdown {
            self.written
                .check("Markdown summary", path, file.write_all(summary.as_bytes()));
        }
        if let Some((path, file)) = &mut self.github {
            self.written.check(
                "Markdown summary ($GITHUB_STEP_SUMMARY)",
                path,
                file.write_all(format!("{summary}\n").as_bytes()),
            );
        }
    }
}

impl<W: cucumber::World + std::fmt::Debug> Writer<W> for Reports<W> {
    type Cli = writer::junit::Cli;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, cli: &Self::Cli) {
        if let Some((junit, ..)) = &mut self.junit {
            junit.handle_event(rendered::event(event.clone()), cli).await;
        }
        if let Some((json, ..)) = &mut self.json {
            json.handle_event(rendered::event(event.clone()), &cli::Empty).await;
        }
        if let Some(record) = &mut self.record {
            record.take(&event);
        }
        if let Ok(ev) = &event
            && let Cucumber::Finished = ev.value
        {
            self.finish();
        }
    }
}

impl<W> writer::NonTransforming for Reports<W> {}
