//! The reports a run writes beside the console, each only when asked for: JUnit XML, Cucumber
//! JSON, a self-contained HTML page and a Markdown summary (also appended to
//! `$GITHUB_STEP_SUMMARY`).
//!
//! One writer, [`Reports`], is teed beside the console and fans every event out to the reports
//! that were asked for, so the run composes one writer whatever the combination of flags. Every
//! file is opened before the run ([`Requested::open`]); the reports are written when the run
//! finishes, and whether each could be written is kept in a [`Written`] the run holds.
//!
//! The reports are rendered from a [`Record`] alone ([`write`]), so `merge` writes them the same
//! way from the record it puts together from the shards' results ([`shard`]), which a sharded
//! run writes beside its reports (`--shard-out`).
//!
//! A failure travels as a value: a step raises its [`Failure`](laml_conformance::failure::Failure)
//! as the panic's payload, and the [`Record`] every report is rendered from keeps it; no report
//! reads a failure's text back.

pub mod console;
mod counts;
mod files;
mod html;
mod json;
mod junit;
pub mod known;
mod markdown;
mod messages;
mod place;
mod record;
#[cfg(test)]
pub(crate) mod sample;
pub mod shard;
mod timing;
pub mod words;

use std::cell::Cell;
use std::io::{self, Write as _};
use std::marker::PhantomData;
use std::path::Path;
use std::rc::Rc;

use cucumber::event::Cucumber;
use cucumber::writer::{self, Ext as _};
use cucumber::{Event, Writer, cli, parser};

pub use files::{GITHUB_STEP_SUMMARY, Paths, Requested};
pub use messages::{Texts, definitions_of};
pub use record::{Counts, Record, RunInfo, shown_path};

/// The writer that fans a run's events out to every report asked for, teed beside the
/// console: one writer for any combination of `--junit`, `--json`, `--html`, `--summary-md`,
/// `--messages` and `--shard-out`, and nothing done (no record kept) when none is asked for.
pub struct Reports<W> {
    info: RunInfo,
    requested: Requested,
    shard_out: Option<shard::Out>,
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
    /// The reports of `requested` (and the shard's results, with `--shard-out`), ready to be
    /// teed beside the console (they count nothing: the console's writer keeps the statistics),
    /// with the handle that says afterwards whether they were all written.
    pub fn for_tee(
        mut requested: Requested,
        info: RunInfo,
        shard_out: Option<shard::Out>,
    ) -> (writer::discard::Arbitrary<writer::discard::Stats<Self>>, Written) {
        let written = Written::default();
        requested.define_steps(messages::definitions_of::<W>);
        let record = (requested.records() || shard_out.is_some()).then(|| Record::listing(info.known.clone()));
        let reports = Reports {
            info,
            requested,
            shard_out,
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
    /// Writes the reports that are written at the end, and the shard's results; one that
    /// cannot be written is said in one sentence and fails the run ([`Written`]).
    fn finish(&mut self) {
        let Some(record) = &self.record else { return };
        write(&mut self.requested, record, &self.info, &self.written);
        if let Some(out) = &mut self.shard_out {
            out.write(record, &self.info, &self.written);
        }
    }
}

/// Writes every report of `requested`, rendered from `record`: at the end of a run, or from
/// the shards' results put together (`merge`), so both write the same reports the same way. A
/// report that cannot be written is said in one sentence and marked in `written`.
pub fn write(requested: &mut Requested, record: &Record, info: &RunInfo, written: &Written) {
    if let Some((path, file)) = &mut requested.junit {
        let xml = junit::render(record, info);
        written.check("JUnit", path, xml.and_then(|xml| file.write_all(&xml)));
    }
    if let Some((path, file)) = &mut requested.json {
        let features = json::render(record);
        let done = serde_json::to_writer(&mut *file, &features).map_err(io::Error::from);
        written.check("JSON", path, done);
    }
    if let Some((path, file)) = &mut requested.html {
        written.check("HTML", path, file.write_all(html::render(record, info).as_bytes()));
    }
    let summary = markdown::render(record, info);
    if let Some((path, file)) = &mut requested.markdown {
        written.check("Markdown summary", path, file.write_all(summary.as_bytes()));
    }
    if let Some((path, file)) = &mut requested.github {
        written.check(
            "Markdown summary ($GITHUB_STEP_SUMMARY)",
            path,
            file.write_all(format!("{summary}\n").as_bytes()),
        );
    }
    if let Some(sink) = &mut requested.messages {
        let done = sink.write(record, info);
        written.check("Cucumber Messages", sink.path(), done);
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
