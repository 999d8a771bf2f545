//! The reports a run writes beside the console, each only when asked for: JUnit XML, Cucumber
//! JSON, a self-contained HTML page, a Markdown summary (also appended to
//! `$GITHUB_STEP_SUMMARY`) and Cucumber Messages (NDJSON, [`messages`]).
//!
//! One writer, [`Reports`], is teed beside the console and fans every event out to the reports
//! that were asked for, so the run composes one writer whatever the combination of flags. Every
//! file is opened before the run ([`Requested::open`]); the reports are written when the run
//! finishes, and whether each could be written is kept in a [`Written`] the run holds.
//!
//! A failure travels as a value: a step raises its [`Failure`](laml_conformance::failure::Failure)
//! as the panic's payload, and the [`Record`] every report is rendered from keeps it; no report
//! reads a failure's text back.

pub mod console;
mod files;
mod html;
mod json;
mod junit;
mod markdown;
mod messages;
mod record;
#[cfg(test)]
pub(crate) mod sample;
mod timing;
pub mod words;

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Write as _};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use cucumber::event::Cucumber;
use cucumber::writer::{self, Ext as _};
use cucumber::{Event, Writer, cli, parser};

pub use files::{GITHUB_STEP_SUMMARY, Paths, Requested};
pub use record::RunInfo;
use record::{Counts, Record};

/// The writer that fans a run's events out to every report asked for, teed beside the
/// console: one writer for any combination of `--junit`, `--json`, `--html`, `--summary-md`
/// and `--messages`, and nothing done (no record kept) when none is asked for.
pub struct Reports<W> {
    info: RunInfo,
    junit: Option<(PathBuf, File)>,
    json: Option<(PathBuf, File)>,
    html: Option<(PathBuf, File)>,
    markdown: Option<(PathBuf, File)>,
    github: Option<(PathBuf, File)>,
    messages: Option<messages::Sink>,
    record: Option<Record>,
    written: Written,
    world: PhantomData<W>,
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

impl<W: std::fmt::Debug + cucumber::codegen::WorldInventory> Reports<W> {
    /// The reports of `requested`, ready to be teed beside the console (they count nothing:
    /// the console's writer keeps the statistics), with the handle that says afterwards whether
    /// they were all written.
    pub fn for_tee(
        requested: Requested,
        info: RunInfo,
    ) -> (writer::discard::Arbitrary<writer::discard::Stats<Self>>, Written) {
        let written = Written::default();
        let record = requested.records().then(Record::default);
        let reports = Reports {
            info,
            junit: requested.junit,
            json: requested.json,
            html: requested.html,
            markdown: requested.markdown,
            github: requested.github,
            // the step definitions the Cucumber Messages match each step with
            messages: requested
                .messages
                .map(|m| m.with_definitions(messages::definitions_of::<W>())),
            record,
            written: written.clone(),
            world: PhantomData,
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
        let Some(record) = &self.record else { return };
        if let Some((path, file)) = &mut self.junit {
            let xml = junit::render(record, &self.info);
            self.written
                .check("JUnit", path, xml.and_then(|xml| file.write_all(&xml)));
        }
        if let Some((path, file)) = &mut self.json {
            let features = json::render(record);
            let written = serde_json::to_writer(&mut *file, &features).map_err(io::Error::from);
            self.written.check("JSON", path, written);
        }
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
        if let Some(sink) = &mut self.messages {
            let written = sink.write(record, &self.info);
            self.written.check("Cucumber Messages", sink.path(), written);
        }
    }
}

impl<W: cucumber::World + std::fmt::Debug> Writer<W> for Reports<W> {
    type Cli = cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _: &Self::Cli) {
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
