//! The report flags, one set for the run and for `merge`, which writes the same reports from
//! the shards' results.

use std::path::PathBuf;

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
}

impl ReportFlags {
    /// The report files asked for, opened (so that one that cannot be written is said before
    /// the run, not after it).
    pub fn open(&self) -> Result<report::Requested, String> {
        report::Requested::open(report::Paths {
            junit: self.junit.as_deref(),
            json: self.json.as_deref(),
            html: self.html.as_deref(),
            summary_md: self.summary_md.as_deref(),
            github: std::env::var_os(report::GITHUB_STEP_SUMMARY)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        })
        .map_err(|e| e.to_string())
    }
}
