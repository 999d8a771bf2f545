//! The report files of a run, opened before it starts: an unwritable path is one sentence and
//! exit 2 before anything is sent, not a lost report after the run.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The variable GitHub Actions sets to the file a step appends its Markdown summary to.
pub const GITHUB_STEP_SUMMARY: &str = "GITHUB_STEP_SUMMARY";
/// A report file that cannot be opened, said as what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The path of a `--junit`, `--json`, `--html`, `--summary-md` or `--messages` flag.
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
    pub(super) junit: Option<(PathBuf, File)>,
    pub(super) json: Option<(PathBuf, File)>,
    pub(super) html: Option<(PathBuf, File)>,
    pub(super) markdown: Option<(PathBuf, File)>,
    pub(super) github: Option<(PathBuf, File)>,
    pub(super) messages: Option<super::messages::Sink>,
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
    /// `--messages` (`-`: standard output), and the features' texts the stream carries (see
    /// [`super::messages::Texts`]).
    pub messages: Option<(&'a Path, super::messages::Texts)>,
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
            messages: paths
                .messages
                .map(|(path, texts)| {
                    super::messages::Sink::open(path, texts).map_err(|source| ReportError::File {
                        what: "Cucumber Messages",
                        path: path.to_path_buf(),
                        source,
                    })
                })
                .transpose()?,
        })
    }

    /// Whether a report was asked for: they are all rendered from the record.
    pub(super) fn records(&self) -> bool {
        self.html.is_some()
            || self.markdown.is_some()
            || self.github.is_some()
            || self.junit.is_some()
            || self.json.is_some()
            || self.messages.is_some()
    }

    /// Gives the Cucumber Messages, if asked for, the step definitions each step is matched
    /// with (the run's World's, which this layer does not name).
    pub fn define_steps(&mut self, definitions: impl FnOnce() -> Vec<super::messages::Definition>) {
        if let Some(sink) = self.messages.take() {
            self.messages = Some(sink.with_definitions(definitions()));
        }
    }
}
