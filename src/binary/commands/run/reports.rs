//! The report flags, one set for the run and for `merge`, which writes the same reports from
//! the shards' results.

use std::path::{Path, PathBuf};

use crate::report;

/// Where to write the reports beside the console.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ReportFlags {
    /// Also write a JUnit XML report to this file.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Also write a Cucumber JSON report to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write a self-contained HTML report to this file (every scenario, its steps and
    /// each failure's text; it loads nothing from the network).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Also write a Markdown summary to this file (totals, a table by feature, the failed
    /// scenarios), and append it to $GITHUB_STEP_SUMMARY when that is set.
    #[arg(long, value_name = "FILE")]
    summary_md: Option<PathBuf>,
    /// Also write the run as Cucumber Messages (NDJSON) to this file, or to stdout with `-` (the
    /// console then goes to stderr); `@cucumber/html-formatter` renders it into a searchable page.
    #[arg(long, value_name = "FILE")]
    messages: Option<PathBuf>,
}

impl ReportFlags {
    /// The report files asked for, opened (so that one that cannot be written is said before
    /// the run, not after it).
    /// `texts` are the features' texts the Cucumber Messages carry, by the path the record names
    /// them by (a feature not among them is read from its file).
    pub fn open(&self, texts: report::Texts) -> Result<report::Requested, String> {
        report::Requested::open(report::Paths {
            junit: self.junit.as_deref(),
            json: self.json.as_deref(),
            html: self.html.as_deref(),
            summary_md: self.summary_md.as_deref(),
            github: std::env::var_os(report::GITHUB_STEP_SUMMARY)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            messages: self.messages.as_deref().map(|p| (p, texts)),
        })
        .map_err(|e| e.to_string())
    }

    /// Whether `--messages -` takes stdout for the stream, leaving the console to stderr.
    pub fn messages_on_stdout(&self) -> bool {
        self.messages.as_deref() == Some(Path::new("-"))
    }
}
