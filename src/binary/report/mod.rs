//! The reports a run writes beside the console, each only when asked for: JUnit XML and
//! Cucumber JSON (cucumber's own writers), a self-contained HTML page and a Markdown summary
//! (also appended to `$GITHUB_STEP_SUMMARY`).
//!
//! One writer, [`Reports`], is teed beside the console and fans every event out to the reports
//! that were asked for, so `main` composes one writer whatever the combination of flags. Every
//! file is opened before the run ([`Requested::open`]), so an unwritable path is one sentence
//! and exit 2 before anything is sent; the reports are written when the run finishes.
//!
//! The HTML page and the Markdown summary are rendered from a [`Record`] of the run: what the
//! console shows (steps, their results, each failure's text), never the World, so nothing
//! appears there that the console does not print (tokens are redacted in the failure texts
//! already).

mod html;
mod junit;
mod markdown;
pub mod words;

use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use cucumber::event::{self, Cucumber};
use cucumber::gherkin;
use cucumber::writer::{self, Ext as _};
use cucumber::{Event, Writer, cli, parser};

use crate::child::Verdict;

/// Set when a report could not be written at the end of the run (its sentence is printed
/// then): the run ends with exit 2, since a CI job that asked for a report must not pass
/// without it.
pub static FAILED_WRITES: AtomicBool = AtomicBool::new(false);

/// The variable GitHub Actions sets to the file a step appends its Markdown summary to.
pub const GITHUB_STEP_SUMMARY: &str = "GITHUB_STEP_SUMMARY";

/// A report file that cannot be opened, said as what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The path of a `--junit`, `--json`, `--html` or `--summary-md` flag.
    #[error("cannot write the {what} report to {}: {source}; choose a writable path", path.display())]
    File {
        /// Which report.
        what: &'static str,
        /// Where it was to go.
        path: PathBuf,
        /// Why it cannot.
        source: io::Error,
    },
    /// The file `$GITHUB_STEP_SUMMARY` names.
    #[error("cannot append the Markdown summary to ${GITHUB_STEP_SUMMARY} ({}): {source}; make it writable, or unset {GITHUB_STEP_SUMMARY}", path.display())]
    GitHub {
        /// The file it names.
        path: PathBuf,
        /// Why it cannot.
        source: io::Error,
    },
}

/// Where each report asked for goes, every file already open (created, or for
/// `$GITHUB_STEP_SUMMARY` opened to append).
#[derive(Default)]
pub struct Requested {
    junit: Option<(PathBuf, File)>,
    json: Option<(PathBuf, File)>,
    html: Option<(PathBuf, File)>,
    markdown: Option<(PathBuf, File)>,
    github: Option<(PathBuf, File)>,
}

/// The report flags of a run, as given.
pub struct Paths<'a> {
    /// `--junit`.
    pub junit: Option<&'a Path>,
    /// `--json`.
    pub json: Option<&'a Path>,
    /// `--html`.
    pub html: Option<&'a Path>,
    /// `--summary-md`.
    pub summary_md: Option<&'a Path>,
    /// The value of `$GITHUB_STEP_SUMMARY`, if set and not empty; used only with `--summary-md`.
    pub github: Option<PathBuf>,
}

impl Requested {
    /// Opens every report file asked for, so that a path that cannot be written stops the run
    /// before it starts. The GitHub summary is appended to only with `--summary-md`: a run
    /// without it (the `faults` and `profiles` commands run the suite many times) leaves the
    /// job's summary alone; when both name the same file it is appended to once.
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
        let github = match (paths.summary_md, paths.github) {
            (Some(_), Some(path)) => {
                let file = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .map_err(|source| ReportError::GitHub {
                        path: path.clone(),
                        source,
                    })?;
                Some((path, file))
            }
            _ => None,
        };
        let same_file = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => a == b,
        };
        let summary_md = paths
            .summary_md
            .filter(|md| !github.as_ref().is_some_and(|(g, _)| same_file(md, g)));
        Ok(Requested {
            junit: create("JUnit", paths.junit)?,
            json: create("JSON", paths.json)?,
            html: create("HTML", paths.html)?,
            markdown: create("Markdown summary", summary_md)?,
            github,
        })
    }

    /// Whether the HTML page or the Markdown summary was asked for: only they need a record.
    fn records(&self) -> bool {
        self.html.is_some() || self.markdown.is_some() || self.github.is_some()
    }
}

/// What the reports say about the run as a whole, beside its scenarios.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The profile's name (`--profile`).
    pub profile: String,
    /// What document the profile is.
    pub profile_title: String,
    /// The target, as a reader names it: the embedded space, or its base URL (which never
    /// holds credentials: the configuration refuses a URL that does).
    pub target: String,
    /// How the scenarios get their state there: the embedded space's own, a setup endpoint's
    /// fresh conference, or a configured conference's shared participants.
    pub mode: String,
    /// The fault the embedded space was broken with (`--fault`), if any.
    pub fault: Option<String>,
    /// For a run on the embedded space, how to reproduce a failure: the curl commands in the
    /// failure texts name that space's port and account, gone with the run, so every report
    /// that shows them says so beside them (not only stderr).
    pub reproduce: Option<String>,
    /// Set when `--fail-fast` stopped the run early (before the reports are written), so a
    /// report that shows four scenarios of fifty-nine says why.
    pub stopped: crate::fail_fast::StopNote,
}

/// How a step ended, as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It passed.
    Passed,
    /// It failed, with the failure's full text as the console prints it.
    Failed(String),
    /// No step matched it; in this harness, a step that a scenario the target cannot arrange
    /// had replaced by the reason (see `steps::needs`), so its text is the reason.
    Skipped,
    /// It never ran: a step before it failed or was skipped.
    NotRun,
}

/// One step of a scenario and how it ended.
#[derive(Debug, Clone)]
pub struct StepRecord {
    /// Whether it belongs to a Background.
    pub background: bool,
    /// `Given `, `When `, …, as written.
    pub keyword: String,
    /// The step's text, with an outline's values substituted.
    pub text: String,
    /// Its data table, if any.
    pub table: Option<Vec<Vec<String>>>,
    /// Its doc string, if any.
    pub docstring: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    line: usize,
    col: usize,
}

impl StepRecord {
    fn new(step: &gherkin::Step, background: bool) -> Self {
        StepRecord {
            background,
            keyword: step.keyword.clone(),
            text: step.value.clone(),
            table: step.table.as_ref().map(|t| t.rows.clone()),
            docstring: step.docstring.clone(),
            outcome: Outcome::NotRun,
            line: step.position.line,
            col: step.position.col,
        }
    }
}

/// One scenario (one row of an outline) and its steps.
#[derive(Debug, Clone)]
pub struct ScenarioRecord {
    /// The rule it is under, if any.
    pub rule: Option<String>,
    /// `Scenario`, `Scenario Outline`, …, as written.
    pub keyword: String,
    /// Its name, with an outline's values substituted.
    pub name: String,
    /// Its line (an outline row's line for a row of an outline).
    pub line: usize,
    /// Its tags and those of its `Examples` block, without `@`.
    pub tags: Vec<String>,
    /// Background steps first, then its own, in order.
    pub steps: Vec<StepRecord>,
    /// A hook that failed around it, with its text.
    pub hook_failure: Option<String>,
}

impl ScenarioRecord {
    fn new(feature: &gherkin::Feature, rule: Option<&gherkin::Rule>, sc: &gherkin::Scenario) -> Self {
        let background = |b: Option<&gherkin::Background>| {
            b.into_iter()
                .flat_map(|b| b.steps.iter().map(|s| StepRecord::new(s, true)))
                .collect::<Vec<_>>()
        };
        let mut steps = background(feature.background.as_ref());
        steps.extend(background(rule.and_then(|r| r.background.as_ref())));
        steps.extend(sc.steps.iter().map(|s| StepRecord::new(s, false)));
        ScenarioRecord {
            rule: rule.map(|r| r.name.clone()),
            keyword: sc.keyword.clone(),
            name: sc.name.clone(),
            line: sc.position.line,
            tags: sc.tags.clone(),
            steps,
            hook_failure: None,
        }
    }

    /// Failed if a step or a hook failed, skipped if a step was skipped, else passed.
    pub fn verdict(&self) -> Verdict {
        if self.failure().is_some() {
            Verdict::Failed
        } else if self.skipped_because().is_some() {
            Verdict::Skipped
        } else {
            Verdict::Passed
        }
    }

    /// The first step that failed, or the failed hook as a step-like line, and its text.
    pub fn failure(&self) -> Option<(String, &str)> {
        self.steps
            .iter()
            .find_map(|s| match &s.outcome {
                Outcome::Failed(text) => Some((format!("{}{}", s.keyword, s.text), text.as_str())),
                _ => None,
            })
            .or_else(|| self.hook_failure.as_deref().map(|t| ("a hook".to_string(), t)))
    }

    /// The reason the scenario was skipped: the text of its skipped step.
    pub fn skipped_because(&self) -> Option<&str> {
        self.steps
            .iter()
            .find(|s| s.outcome == Outcome::Skipped)
            .map(|s| s.text.as_str())
    }
}

/// One feature file and its scenarios, in the order they ran.
#[derive(Debug, Clone)]
pub struct FeatureRecord {
    /// `Feature`, as written.
    pub keyword: String,
    /// Its name.
    pub name: String,
    /// Its file, relative to the project (or the working) directory where it is under it.
    pub path: Option<String>,
    /// Its scenarios.
    pub scenarios: Vec<ScenarioRecord>,
    source: event::Source<gherkin::Feature>,
}

impl FeatureRecord {
    /// How many of its scenarios passed, failed and were skipped.
    pub fn counts(&self) -> Counts {
        Counts::of(self.scenarios.iter())
    }
}

/// Scenarios by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Skipped.
    pub skipped: usize,
}

impl Counts {
    fn of<'a>(scenarios: impl Iterator<Item = &'a ScenarioRecord>) -> Counts {
        scenarios.fold(Counts::default(), |mut c, s| {
            match s.verdict() {
                Verdict::Passed => c.passed += 1,
                Verdict::Failed => c.failed += 1,
                Verdict::Skipped => c.skipped += 1,
            }
            c
        })
    }

    /// All of them.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
    }
}

/// The run as the HTML page and the Markdown summary show it.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The features, in the order they ran.
    pub features: Vec<FeatureRecord>,
    /// Feature files that could not be parsed, with cucumber's message.
    pub parse_errors: Vec<String>,
    /// When the run started.
    pub started: Option<SystemTime>,
    /// When the run finished.
    pub finished: Option<SystemTime>,
    current: Option<ScenarioRecord>,
}

impl Record {
    /// Scenarios by verdict, over every feature.
    pub fn counts(&self) -> Counts {
        Counts::of(self.features.iter().flat_map(|f| f.scenarios.iter()))
    }

    /// One line that says how the run went, for the page's title and the summary's heading.
    pub fn headline(&self) -> String {
        let counts = self.counts();
        let skipped = if counts.skipped > 0 {
            format!(", {} skipped", counts.skipped)
        } else {
            String::new()
        };
        if !self.parse_errors.is_empty() {
            format!("{} feature file(s) could not be parsed", self.parse_errors.len())
        } else if counts.failed > 0 {
            format!("{} of {} scenarios failed{skipped}", counts.failed, counts.total())
        } else {
            format!("{} of {} scenarios passed{skipped}", counts.passed, counts.total())
        }
    }

    /// Steps that passed, failed and were skipped, over every scenario.
    pub fn step_counts(&self) -> Counts {
        let mut c = Counts::default();
        for s in self.features.iter().flat_map(|f| &f.scenarios).flat_map(|s| &s.steps) {
            match s.outcome {
                Outcome::Passed => c.passed += 1,
                Outcome::Failed(_) => c.failed += 1,
                Outcome::Skipped => c.skipped += 1,
                Outcome::NotRun => {}
            }
        }
        c
    }

    /// Takes one (normalised) event into the record.
    fn take<W>(&mut self, event: &parser::Result<Event<Cucumber<W>>>) {
        use event::{Feature, Rule};
        let ev = match event {
            Err(e) => return self.parse_errors.push(e.to_string()),
            Ok(ev) => ev,
        };
        match &ev.value {
            Cucumber::Started => self.started = Some(ev.at),
            Cucumber::Finished => self.finished = Some(ev.at),
            Cucumber::ParsingFinished { .. } => {}
            Cucumber::Feature(f, Feature::Started) => self.features.push(FeatureRecord {
                keyword: f.keyword.clone(),
                name: f.name.clone(),
                path: f.path.as_deref().map(shown_path),
                scenarios: Vec::new(),
                source: f.clone(),
            }),
            Cucumber::Feature(_, Feature::Finished | Feature::Rule(_, Rule::Started | Rule::Finished)) => {}
            Cucumber::Feature(f, Feature::Scenario(sc, e)) => self.scenario(f, None, sc, &e.event),
            Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, e))) => {
                self.scenario(f, Some(r), sc, &e.event);
            }
        }
    }

    fn scenario<W>(
        &mut self,
        feature: &event::Source<gherkin::Feature>,
        rule: Option<&gherkin::Rule>,
        sc: &gherkin::Scenario,
        ev: &event::Scenario<W>,
    ) {
        use event::{Hook, Scenario, Step};
        if let Scenario::Started = ev {
            self.current = Some(ScenarioRecord::new(feature, rule, sc));
            return;
        }
        let Some(current) = self.current.as_mut() else { return };
        match ev {
            Scenario::Started | Scenario::Log(_) | Scenario::Hook(_, Hook::Started | Hook::Passed) => {}
            Scenario::Hook(which, Hook::Failed(_, info)) => {
                current.hook_failure = Some(format!("the {which} hook failed: {}", panic_text(info)));
            }
            Scenario::Background(step, e) | Scenario::Step(step, e) => {
                let background = matches!(ev, Scenario::Background(..));
                let outcome = match e {
                    Step::Started => return,
                    Step::Passed(..) => Outcome::Passed,
                    Step::Skipped => Outcome::Skipped,
                    Step::Failed(_, _, _, err) => Outcome::Failed(words::plain(&err.to_string()).into_owned()),
                };
                let (line, col) = (step.position.line, step.position.col);
                if let Some(s) = current
                    .steps
                    .iter_mut()
                    .find(|s| s.background == background && s.line == line && s.col == col)
                {
                    s.outcome = outcome;
                }
            }
            Scenario::Finished => {
                let done = self.current.take().expect("a scenario is being recorded");
                if let Some(f) = self.features.iter_mut().rev().find(|f| f.source == *feature) {
                    f.scenarios.push(done);
                }
            }
        }
    }
}

/// A panic's message, as cucumber shows it.
fn panic_text(info: &event::Info) -> String {
    info.downcast_ref::<String>()
        .cloned()
        .or_else(|| info.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(a panic without a message)".into())
}

/// A feature's path as the console shows it: relative to the working directory, or to this
/// project's, where it is under one of them.
fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let bases = cwd
        .iter()
        .map(PathBuf::as_path)
        .chain([Path::new(env!("CARGO_MANIFEST_DIR"))]);
    for base in bases {
        if let Ok(rel) = path.strip_prefix(base) {
            return rel.display().to_string();
        }
    }
    path.display().to_string()
}

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
}

impl<W: std::fmt::Debug> Reports<W> {
    /// The reports of `requested`, ready to be teed beside the console (they count nothing:
    /// the console's writer keeps the statistics).
    pub fn for_tee(requested: Requested, info: RunInfo) -> writer::discard::Arbitrary<writer::discard::Stats<Self>> {
        let record = requested.records().then(Record::default);
        let junit = requested.junit.map(|(path, file)| {
            let buffer = Shared::default();
            (writer::JUnit::raw(buffer.clone(), 0), buffer, path, file)
        });
        Reports {
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
            written("JUnit", path, file.write_all(&rewritten));
        }
        if let Some((_, buffer, path, file)) = &mut self.json {
            let json = std::mem::take(&mut *buffer.0.borrow_mut());
            written("JSON", path, file.write_all(&words::plain_bytes(&json)));
        }
        let Some(record) = &self.record else { return };
        if let Some((path, file)) = &mut self.html {
            written(
                "HTML",
                path,
                file.write_all(html::render(record, &self.info).as_bytes()),
            );
        }
        let summary = markdown::render(record, &self.info);
        if let Some((path, file)) = &mut self.markdown {
            written("Markdown summary", path, file.write_all(summary.as_bytes()));
        }
        if let Some((path, file)) = &mut self.github {
            written(
                "Markdown summary ($GITHUB_STEP_SUMMARY)",
                path,
                file.write_all(format!("{summary}\n").as_bytes()),
            );
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
        if let Some((json, ..)) = &mut self.json {
            json.handle_event(event.clone(), &cli::Empty).await;
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A record of two features: one with a passed, a failed (with hostile text) and a
    /// skipped scenario, one with a passed scenario.
    pub fn sample() -> (Record, RunInfo) {
        let feature = |name: &str, path: &str| FeatureRecord {
            keyword: "Feature".into(),
            name: name.into(),
            path: Some(path.into()),
            scenarios: Vec::new(),
            source: event::Source::new(gherkin::Feature {
                keyword: "Feature".into(),
                name: name.into(),
                description: None,
                background: None,
                scenarios: Vec::new(),
                rules: Vec::new(),
                tags: Vec::new(),
                span: Default::default(),
                position: Default::default(),
                path: None,
            }),
        };
        let step = |keyword: &str, text: &str, outcome: Outcome| StepRecord {
            background: false,
            keyword: keyword.into(),
            text: text.into(),
            table: None,
            docstring: None,
            outcome,
            line: 0,
            col: 0,
        };
        let scenario = |name: &str, steps: Vec<StepRecord>| ScenarioRecord {
            rule: None,
            keyword: "Scenario".into(),
            name: name.into(),
            line: 7,
            tags: vec!["mute".into()],
            steps,
            hook_failure: None,
        };
        let mut mute = feature("Mute <b>a</b> participant", "features/mute.feature");
        let mut with_table = step("When ", "\"agent\" is updated with:", Outcome::Passed);
        with_table.table = Some(vec![vec!["Muted".into(), "<i>true</i>".into()]]);
        mute.scenarios = vec![
            scenario("Mute", vec![step("Given ", "a conference", Outcome::Passed), with_table]),
            scenario(
                "Hostile </pre><script>alert(1)</script> name | pipe",
                vec![
                    step("Given ", "a conference", Outcome::Passed),
                    step(
                        "Then ",
                        "the update succeeds as in the documented \"mute\" example",
                        Outcome::Failed(
                            "Step failed: the response differs: 1 field(s) differ\n  muted\n    expected: <true> (boolean)\n    actual:   <false> (boolean)\n\nrequest:  curl -X POST 'http://127.0.0.1:1/x' --data-urlencode 'Muted=True'\nresponse: 200\n  {\"a\":\"</pre><img src=x onerror=alert(1)>```\"}".into(),
                        ),
                    ),
                    step("And ", "a retrieve shows the same participant", Outcome::NotRun),
                ],
            ),
            scenario(
                "Skipped one",
                vec![
                    step(
                        "Given ",
                        "this scenario cannot be arranged on this target: it needs a second conference",
                        Outcome::Skipped,
                    ),
                    step("When ", "something", Outcome::NotRun),
                ],
            ),
        ];
        let mut hold = feature("Hold", "features/hold.feature");
        hold.scenarios = vec![scenario("Hold", vec![step("Given ", "a conference", Outcome::Passed)])];
        let record = Record {
            features: vec![mute, hold],
            parse_errors: Vec::new(),
            started: Some(SystemTime::UNIX_EPOCH),
            finished: Some(SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1500)),
            current: None,
        };
        let info = RunInfo {
            profile: "seed".into(),
            profile_title: "The seed <page>".into(),
            target: "the embedded simulated space".into(),
            mode: "embedded".into(),
            fault: Some("ignore-muted".into()),
            reproduce: None,
            stopped: Default::default(),
        };
        (record, info)
    }

    #[test]
    fn verdicts_and_counts_follow_the_steps() {
        let (record, _) = sample();
        let mute = &record.features[0];
        let verdicts: Vec<Verdict> = mute.scenarios.iter().map(ScenarioRecord::verdict).collect();
        assert_eq!(verdicts, [Verdict::Passed, Verdict::Failed, Verdict::Skipped]);
        assert_eq!(
            record.counts(),
            Counts {
                passed: 2,
                failed: 1,
                skipped: 1
            }
        );
        assert_eq!(
            mute.scenarios[2].skipped_because(),
            Some("this scenario cannot be arranged on this target: it needs a second conference")
        );
        let (step, text) = mute.scenarios[1].failure().unwrap();
        assert!(step.starts_with("Then the update succeeds"), "{step}");
        assert!(text.contains("expected: <true> (boolean)"), "{text}");
    }

    #[test]
    fn a_failed_hook_fails_its_scenario() {
        let (mut record, _) = sample();
        let s = &mut record.features[1].scenarios[0];
        s.hook_failure = Some("the After hook failed: restore".into());
        assert_eq!(s.verdict(), Verdict::Failed);
        assert_eq!(s.failure().map(|(w, _)| w), Some("a hook".to_string()));
    }

    #[test]
    fn a_path_is_shown_relative_to_the_project() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("features/mute.feature");
        assert_eq!(shown_path(&p), "features/mute.feature");
        assert_eq!(shown_path(Path::new("/elsewhere/x.feature")), "/elsewhere/x.feature");
    }
}
