//! The run in a few lines of Markdown, for a pull request or a CI job's page
//! (`$GITHUB_STEP_SUMMARY`): the totals, a table by feature, and each failed scenario with its
//! first failing step and the start of its diff. The whole texts are in the console, the HTML
//! page and the JUnit report.

use std::fmt::Write as _;

use laml_conformance::failure::Failure;

use super::{Record, RunInfo};
use crate::child::Verdict;

/// At most this many failed scenarios are listed: a summary, not the report.
const MAX_FAILED: usize = 50;
/// At most this many lines of each diff.
const MAX_DIFF_LINES: usize = 12;

/// Text escaped for Markdown prose and table cells: nothing in it starts a tag, a link, an
/// emphasis, code or a cell.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The beginning of a failure: what it found (its headline, its fields and its hint), without
/// the exchange (the request and the response), at most [`MAX_DIFF_LINES`] lines.
pub fn short_diff(failure: &Failure) -> String {
    let findings = failure.findings();
    let lines: Vec<&str> = findings.lines().collect();
    let lines: Vec<&str> = match lines.iter().rposition(|l| !l.trim().is_empty()) {
        Some(last) => lines[..=last].to_vec(),
        None => Vec::new(),
    };
    let mut out: Vec<String> = lines.iter().take(MAX_DIFF_LINES).map(|l| l.to_string()).collect();
    if lines.len() > MAX_DIFF_LINES {
        out.push(format!(
            "… {} more line(s) in the console, the HTML or the JUnit report",
            lines.len() - MAX_DIFF_LINES
        ));
    }
    out.join("\n")
}

/// A fence that no run of backticks in `text` closes.
fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

/// The whole summary.
pub fn render(record: &Record, info: &RunInfo) -> String {
    let counts = record.counts();
    let steps = record.step_counts();
    let mut out = String::new();
    let headline = record.headline();
    let mark = if counts.failed > 0 || !record.parse_errors.is_empty() {
        "❌"
    } else {
        "✅"
    };
    let _ = writeln!(out, "## {mark} LaML conformance: {headline}\n");
    let fault = info
        .fault
        .as_deref()
        .map(|f| format!(" · fault {}", md(f)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Profile **{}** ({}) · target: {} · mode: {}{fault}\n",
        md(&info.profile),
        md(&info.profile_title),
        md(&info.target),
        md(&info.mode)
    );
    let _ = writeln!(
        out,
        "**Scenarios:** {} passed, {} failed, {} skipped · **Steps:** {} passed, {} failed, {} skipped\n",
        counts.passed, counts.failed, counts.skipped, steps.passed, steps.failed, steps.skipped
    );
    if let Some(stopped) = info.stopped.get() {
        let _ = writeln!(out, "{}\n", md(&stopped.to_string()));
    }
    if counts.failed > 0
        && let Some(note) = &info.reproduce
    {
        let _ = writeln!(out, "{}\n", md(note));
    }
    out.push_str("| Feature | Passed | Failed | Skipped |\n| --- | ---: | ---: | ---: |\n");
    for f in &record.features {
        let c = f.counts();
        let failed = if c.failed > 0 {
            format!("**{}**", c.failed)
        } else {
            "0".into()
        };
        let _ = writeln!(out, "| {} | {} | {failed} | {} |", md(&f.name), c.passed, c.skipped);
    }
    let _ = writeln!(
        out,
        "| **Total** | **{}** | **{}** | **{}** |",
        counts.passed, counts.failed, counts.skipped
    );
    for e in &record.parse_errors {
        let f = fence(e);
        let _ = writeln!(out, "\nCould not parse:\n\n{f}text\n{e}\n{f}");
    }
    let failed: Vec<_> = record
        .features
        .iter()
        .flat_map(|f| f.scenarios.iter().map(move |s| (f, s)))
        .filter(|(_, s)| s.verdict() == Verdict::Failed)
        .collect();
    if failed.is_empty() {
        return out;
    }
    out.push_str("\n### Failed scenarios\n");
    for (f, s) in failed.iter().take(MAX_FAILED) {
        let place = format!("{}:{}", f.path.as_deref().unwrap_or(&f.name), s.line);
        let _ = writeln!(out, "\n- **{}** ({} · {})", md(&s.name), md(&f.name), md(&place));
        if let Some((step, failure)) = s.failure() {
            let diff = short_diff(failure);
            let fence = fence(&diff);
            let _ = writeln!(out, "  first failing step: {}\n", md(&step));
            let _ = writeln!(out, "  {fence}text");
            for line in diff.lines() {
                let _ = writeln!(out, "  {line}");
            }
            let _ = writeln!(out, "  {fence}");
        }
    }
    if failed.len() > MAX_FAILED {
        let _ = writeln!(
            out,
            "\n… and {} more failed scenario(s): see the console, the HTML or the JUnit report.",
            failed.len() - MAX_FAILED
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::sample;

    #[test]
    fn the_summary_has_the_totals_the_table_and_the_failed_scenario() {
        let (record, info) = sample();
        let text = render(&record, &info);
        assert!(
            text.starts_with("## ❌ LaML conformance: 1 of 4 scenarios failed, 1 skipped\n"),
            "{text}"
        );
        assert!(text.contains("**Scenarios:** 2 passed, 1 failed, 1 skipped"), "{text}");
        assert!(
            text.contains("| Mute \\<b\\>a\\</b\\> participant | 1 | **1** | 1 |"),
            "{text}"
        );
        assert!(text.contains("| **Total** | **2** | **1** | **1** |"), "{text}");
        assert!(
            text.contains("- **Hostile \\</pre\\>\\<script\\>alert(1)\\</script\\> name \\| pipe**"),
            "{text}"
        );
        assert!(
            text.contains("  ````text\n  the response differs: 1 field(s) differ\n    muted\n      expected: <true> (boolean)\n      actual:   <\"</pre><img src=x onerror=alert(1)>```\"> (string)\n  send <b>Muted</b>=true\n  ````\n"),
            "{text}"
        );
        assert!(
            !text.contains("curl"),
            "the exchange is left to the full reports: {text}"
        );
    }

    #[test]
    fn a_long_diff_is_cut_and_a_fence_is_never_closed_by_the_text() {
        let long: String = (0..30).map(|i| format!("line {i}\n")).collect();
        let cut = short_diff(&Failure::new(long));
        assert_eq!(cut.lines().count(), MAX_DIFF_LINES + 1);
        assert!(cut.ends_with("… 18 more line(s) in the console, the HTML or the JUnit report"));
        assert_eq!(fence("a ```` b"), "`````");
        assert_eq!(fence("plain"), "```");
    }
}
