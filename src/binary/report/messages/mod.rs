//! The run as Cucumber Messages (`--messages FILE`, or `-` for standard output): one JSON
//! envelope a line (NDJSON), as the `@cucumber/messages` JSON schema of [`PROTOCOL_VERSION`]
//! types them, which `@cucumber/html-formatter` renders into a searchable page.
//!
//! Rendered from the run's [`Record`] when the run ends, as the other reports are: `meta`; for
//! each feature that ran, its `source` (the file's text: the file the run read, or the feature
//! compiled into the binary), its `gherkinDocument` (parsed again, before cucumber expands its
//! outlines, so an outline keeps its `Examples`) and the `pickle` of each scenario (each row of
//! an outline) that ran; a `parseError` for each feature file that could not be parsed; the
//! `stepDefinition`s and the `hook`s; `testRunStarted`; each scenario's `testCase`; then each
//! one's `testCaseStarted`, `testStepStarted` and `testStepFinished` per step and hook, and
//! `testCaseFinished`; and `testRunFinished`. Ids come from one counter, so every id is unique
//! and every reference (a pickle's `astNodeIds`, a test step's `pickleStepId`, …) names a
//! message of the stream.

mod ast;
mod definitions;
mod document;
mod envelope;
mod execution;
mod ids;
mod layout;
mod meta;
mod pickles;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use cucumber::gherkin::{self, GherkinEnv};

use definitions::Definitions;
pub use definitions::{Definition, of as definitions_of};
use envelope::{Envelope, GHERKIN, Hook, ParseError, Source, SourceReference, TestRunFinished, TestRunStarted};
use execution::{Case, HookIds};
use ids::Ids;

use super::record::{FeatureRecord, Record, RunInfo};

/// The version of `@cucumber/messages` whose JSON schema the stream follows: the one the latest
/// `@cucumber/html-formatter` (24.2.0) is built with.
pub const PROTOCOL_VERSION: &str = "34.2.1";

/// Features' texts, by the path the record names each feature by: those compiled into the
/// binary for a run without `--features` (`features/<name>`), or those a `merge` read from the
/// shards' plan. A feature not among them is read again from its file.
pub type Texts = Vec<(PathBuf, String)>;

/// Where the stream goes, and what it is rendered with.
pub struct Sink {
    to: To,
    texts: Texts,
    definitions: Vec<Definition>,
}

/// Standard output, or a file opened before the run.
enum To {
    Stdout,
    File(PathBuf, File),
}

impl Sink {
    /// The stream to `path` (`-`: standard output), created now, rendered with `texts`.
    pub fn open(path: &Path, texts: Texts) -> io::Result<Sink> {
        let to = if path == Path::new("-") {
            To::Stdout
        } else {
            To::File(path.to_path_buf(), File::create(path)?)
        };
        Ok(Sink {
            to,
            texts,
            definitions: Vec::new(),
        })
    }

    /// The same, matching steps against these definitions.
    pub fn with_definitions(mut self, definitions: Vec<Definition>) -> Sink {
        self.definitions = definitions;
        self
    }

    /// Where it goes, as a report's sentence names it.
    pub fn path(&self) -> &Path {
        match &self.to {
            To::Stdout => Path::new("standard output"),
            To::File(path, _) => path,
        }
    }

    /// Writes the stream of `record`.
    pub fn write(&mut self, record: &Record, info: &RunInfo) -> io::Result<()> {
        let texts = &self.texts;
        let text = |f: &FeatureRecord| text_of(f, texts);
        let env = |key: &str| std::env::var(key).ok();
        let envelopes = render(record, info, &text, &self.definitions, &env).map_err(io::Error::other)?;
        match &mut self.to {
            To::Stdout => write_lines(&mut io::stdout().lock(), &envelopes),
            To::File(_, file) => write_lines(file, &envelopes),
        }
    }
}

fn write_lines(out: &mut dyn io::Write, envelopes: &[Envelope]) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    for e in envelopes {
        serde_json::to_writer(&mut out, e)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// A feature's text: the one `texts` holds for it, else its file's.
fn text_of(f: &FeatureRecord, texts: &Texts) -> Result<String, String> {
    let path = f.source.path.as_deref().unwrap_or(Path::new(""));
    match texts.iter().find(|(known, _)| known == path) {
        Some((_, text)) => Ok(text.clone()),
        None => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {} again for its source: {e}", path.display())),
    }
}

/// The envelopes of `record`, with the feature texts `text` gives and the step `definitions`;
/// `var` reads the environment (for the CI build in `meta`).
fn render(
    record: &Record,
    info: &RunInfo,
    text: &dyn Fn(&FeatureRecord) -> Result<String, String>,
    definitions: &[Definition],
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Envelope>, String> {
    let mut ids = Ids::default();
    let mut out = vec![Envelope::Meta(Box::new(meta::meta(var)))];
    out.extend(record.parse_failures.iter().map(parse_error));
    let mut compiled = Vec::new();
    for f in &record.features {
        let (envelopes, pickles) = feature(f, &text(f)?, &mut ids)?;
        out.extend(envelopes);
        compiled.push(pickles);
    }
    let definitions = Definitions::new(definitions, &mut ids);
    out.extend(definitions.messages().into_iter().map(Envelope::StepDefinition));
    let hooks = hooks(record, &mut ids);
    out.extend(hook_messages(&hooks));
    let run = ids.next();
    let started = record.started.unwrap_or_else(SystemTime::now);
    out.push(Envelope::TestRunStarted(TestRunStarted {
        timestamp: started.into(),
        id: run.clone(),
    }));
    let mut events = Vec::new();
    for (f, pickles) in record.features.iter().zip(&compiled) {
        for s in &f.scenarios {
            // every scenario of the record has its pickle (`feature` says so)
            let Some(compiled) = pickles.get(&s.line) else { continue };
            let case = Case {
                compiled,
                scenario: s,
                feature_started: f.started,
            };
            let note = info.reproduce.as_deref();
            let (test_case, ran) = execution::render(&case, &definitions, &hooks, &run, note, &mut ids);
            out.push(Envelope::TestCase(Box::new(test_case)));
            events.extend(ran);
        }
    }
    out.extend(events);
    out.push(Envelope::TestRunFinished(TestRunFinished {
        // the run's verdict: a known divergence does not fail it, a fixed one does (`--known`)
        success: !record.counts().failing() && record.parse_errors.is_empty(),
        timestamp: record.finished.unwrap_or_else(SystemTime::now).into(),
        message: info.stopped.get().map(|s| s.to_string()),
        test_run_started_id: run,
    }));
    Ok(out)
}

/// A feature's `source`, `gherkinDocument` and the `pickle`s of the scenarios that ran, and
/// those pickles by the line cucumber gave their scenario; an error where a scenario of the
/// record is not in the text.
fn feature(
    f: &FeatureRecord,
    text: &str,
    ids: &mut Ids,
) -> Result<(Vec<Envelope>, HashMap<usize, pickles::Compiled>), String> {
    let uri = f.path.clone().unwrap_or_else(|| f.name.clone());
    let parsed = gherkin::Feature::parse(text, GherkinEnv::default())
        .map_err(|e| format!("{uri} no longer parses ({e}); was it changed during the run?"))?;
    let doc = document::build(&uri, text, &parsed, ids);
    let mut by_line: HashMap<usize, pickles::Compiled> =
        pickles::compile(&doc, ids).into_iter().map(|c| (c.line, c)).collect();
    by_line.retain(|line, _| f.scenarios.iter().any(|s| s.line == *line));
    if let Some(s) = f.scenarios.iter().find(|s| !by_line.contains_key(&s.line)) {
        return Err(format!(
            "{uri} has no scenario at line {} (\"{}\") as it reads now; was it changed during the run?",
            s.line, s.name
        ));
    }
    let mut pickles: Vec<&pickles::Compiled> = by_line.values().collect();
    pickles.sort_by_key(|c| (c.pickle.location.line, c.line));
    let mut out = vec![
        Envelope::Source(Source {
            uri,
            data: text.to_string(),
            media_type: GHERKIN,
        }),
        Envelope::GherkinDocument(Box::new(doc.document)),
    ];
    out.extend(
        pickles
            .into_iter()
            .map(|c| Envelope::Pickle(Box::new(c.pickle.clone()))),
    );
    Ok((out, by_line))
}

/// A feature file that could not be read, parsed or expanded, as cucumber said it.
fn parse_error(e: &cucumber::parser::Error) -> Envelope {
    use cucumber::gherkin::ParseFileError;
    use cucumber::parser::Error;
    let (path, line) = match e {
        Error::Parsing(e) => {
            let (ParseFileError::Reading { path, .. } | ParseFileError::Parsing { path, .. }) = e.as_ref();
            (Some(path.as_path()), None)
        }
        Error::ExampleExpansion(e) => (e.path.as_deref(), Some(e.pos.line)),
    };
    Envelope::ParseError(ParseError {
        source: SourceReference {
            uri: path.map(super::record::shown_path),
            location: line.map(|line| layout::at(line, 1)),
        },
        message: e.to_string(),
    })
}

/// Ids for the hooks that ran around any scenario.
fn hooks(record: &Record, ids: &mut Ids) -> HookIds {
    let ran = |before: bool| {
        record
            .features
            .iter()
            .flat_map(|f| &f.scenarios)
            .flat_map(|s| &s.ran.hooks)
            .any(|h| h.before == before)
    };
    HookIds {
        before: ran(true).then(|| ids.next()),
        after: ran(false).then(|| ids.next()),
    }
}

fn hook_messages(hooks: &HookIds) -> Vec<Envelope> {
    let hook = |id: &Option<String>, kind: &'static str, name: &str| {
        id.as_ref().map(|id| {
            Envelope::Hook(Hook {
                id: id.clone(),
                name: name.into(),
                source_reference: SourceReference::default(),
                kind,
            })
        })
    };
    hook(&hooks.before, "BEFORE_TEST_CASE", "before each scenario")
        .into_iter()
        .chain(hook(
            &hooks.after,
            "AFTER_TEST_CASE",
            "after each scenario: record or compare its baseline, restore what it changed",
        ))
        .collect()
}
