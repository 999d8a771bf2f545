//! The run in a few lines of Markdown, for a pull request or a CI job's page
//! (`$GITHUB_STEP_SUMMARY`): the totals, a table by feature, and each failed scenario with its
//! first failing step and the start of its diff. The whole texts are in the console, the HTML
//! page and the JUnit report.
//!
//! A run with a ledger of known divergences (`--known`) has a Known and a Fixed column, the
//! fixed scenarios (which fail the run) after the failed ones, and the known ones last, each
//! with the ledger's reason.

use std::fmt::Write as _;

use laml_conformance::failure::Failure;

use super::record::{Counts, FeatureRecord, ScenarioRecord};
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
    let mark = if counts.failing() || !record.parse_errors.is_empty() {
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
    let ledger = info.known.is_some();
    let by_ledger = if ledger {
        format!(", {} known, {} fixed", counts.known, counts.fixed)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "**Scenarios:** {} passed, {} failed{by_ledger}, {} skipped · **Steps:** {} passed, {} failed, {} skipped\n",
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
    table(&mut out, record, ledger);
    for e in &record.parse_errors {
        let f = fence(e);
        let _ = writeln!(out, "\nCould not parse:\n\n{f}text\n{e}\n{f}");
    }
    let with = |verdict: Verdict| -> Vec<(&FeatureRecord, &ScenarioRecord)> {
        record
            .features
            .iter()
            .flat_map(|f| f.scenarios.iter().map(move |s| (f, s)))
            .filter(|(_, s)| s.verdict() == verdict)
            .collect()
    };
    failed(&mut out, &with(Verdict::Failed));
    listed(&mut out, "Fixed: remove them from the ledger", &with(Verdict::Fixed));
    listed(&mut out, "Known divergences", &with(Verdict::Known));
    out
}

/// The table by feature, with a Known and a Fixed column when the run has a ledger.
fn table(out: &mut String, record: &Record, ledger: bool) {
    let bold = |n: usize| if n > 0 { format!("**{n}**") } else { "0".into() };
    if ledger {
        out.push_str(
            "| Feature | Passed | Failed | Known | Fixed | Skipped |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
        );
    } else {
        out.push_str("| Feature | Passed | Failed | Skipped |\n| --- | ---: | ---: | ---: |\n");
    }
    let row = |c: Counts| {
        if ledger {
            format!(
                "{} | {} | {} | {} | {}",
                c.passed,
                bold(c.failed),
                c.known,
                bold(c.fixed),
                c.skipped
            )
        } else {
            format!("{} | {} | {}", c.passed, bold(c.failed), c.skipped)
        }
    };
    for f in &record.features {
        let _ = writeln!(out, "| {} | {} |", md(&f.name), row(f.counts()));
    }
    let c = record.counts();
    let total = if ledger {
        format!(
            "**{}** | **{}** | **{}** | **{}** | **{}**",
            c.passed, c.failed, c.known, c.fixed, c.skipped
        )
    } else {
        format!("**{}** | **{}** | **{}**", c.passed, c.failed, c.skipped)
    };
    let _ = writeln!(out, "| **Total** | {total} |");
}

/// The failed scenarios, each with its first failing step and the start of its diff.
fn failed(out: &mut String, failed: &[(&FeatureRecord, &ScenarioRecord)]) {
    if failed.is_empty() {
        return;
    }
    out.push_str("\n### Failed scenarios\n");
    for (f, s) in failed.iter().take(MAX_FAILED) {
        let _ = writeln!(out, "\n- {}", scenario_line(f, s));
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
}

/// Scenarios the ledger of known divergences lists (all fixed, or all known), under
/// `heading`, each with what the ledger says of it.
fn listed(out: &mut String, heading: &str, listed: &[(&FeatureRecord, &ScenarioRecord)]) {
    if listed.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### {heading}\n");
    for (f, s) in listed.iter().take(MAX_FAILED) {
        let said = match (&s.known, s.verdict()) {
            (Some(entry), Verdict::Fixed) => entry.fixed_said(),
            (Some(entry), _) => entry.known_said(),
            (None, _) => String::new(),
        };
        let _ = writeln!(out, "- {}: {}", scenario_line(f, s), md(&said));
    }
    if listed.len() > MAX_FAILED {
        let _ = writeln!(
            out,
            "- … and {} more: see the HTML or the JUnit report",
            listed.len() - MAX_FAILED
        );
    }
}

/// A scenario as the summary names it: its name, its feature, and its file and line.
fn scenario_line(f: &FeatureRecord, s: &ScenarioRecord) -> String {
    let place = format!("{}:{}", f.path.as_deref().unwrap_or(&f.name), s.line);
    format!("**{}** ({} · {})", md(&s.name), md(&f.name), md(&place))
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

    /// The summary of `(record, info)` where the first scenario of `verdict` is there `n` times.
    fn with_many((mut record, info): (Record, RunInfo), verdict: Verdict, n: usize) -> String {
        let feature = record
            .features
            .iter_mut()
            .find(|f| f.scenarios.iter().any(|s| s.verdict() == verdict))
            .unwrap();
        let first = feature
            .scenarios
            .iter()
            .find(|s| s.verdict() == verdict)
            .unwrap()
            .clone();
        feature.scenarios.extend(std::iter::repeat_n(first, n - 1));
        render(&record, &info)
    }

    /// At most [`MAX_FAILED`] failed scenarios are listed; more are counted, and exactly as many
    /// are all listed with no count. The ledger's sections are cut the same way.
    #[test]
    fn long_lists_of_scenarios_are_cut_with_a_count() {
        let failed = |n| with_many(sample(), Verdict::Failed, n);
        assert!(!failed(MAX_FAILED).contains("more failed scenario(s)"));
        assert!(
            failed(MAX_FAILED + 2)
                .contains("\n… and 2 more failed scenario(s): see the console, the HTML or the JUnit report.")
        );
        let fixed = |n| with_many(crate::report::sample::sample_known(), Verdict::Fixed, n);
        assert!(!fixed(MAX_FAILED).contains("more: see the HTML"));
        assert!(fixed(MAX_FAILED + 3).contains("\n- … and 3 more: see the HTML or the JUnit report\n"));
    }

    #[test]
    fn a_long_diff_is_cut_and_a_fence_is_never_closed_by_the_text() {
        let long: String = (0..30).map(|i| format!("line {i}\n")).collect();
        let cut = short_diff(&Failure::new(long));
        assert_eq!(cut.lines().count(), MAX_DIFF_LINES + 1);
        assert!(cut.ends_with("… 18 more line(s) in the console, the HTML or the JUnit report"));
        let exactly: String = (0..MAX_DIFF_LINES).map(|i| format!("line {i}\n")).collect();
        assert_eq!(
            short_diff(&Failure::new(exactly.clone())),
            exactly.trim_end(),
            "nothing cut"
        );
        assert_eq!(fence("a ```` b"), "`````");
        assert_eq!(fence("plain"), "```");
    }

    #[test]
    fn a_run_with_a_ledger_has_known_and_fixed_columns_and_sections() {
        let (record, info) = crate::report::sample::sample_known();
        let text = render(&record, &info);
        assert!(
            text.starts_with("## ❌ LaML conformance: 1 of 4 scenarios fixed"),
            "{text}"
        );
        assert!(
            text.contains("**Scenarios:** 1 passed, 0 failed, 1 known, 1 fixed, 1 skipped"),
            "{text}"
        );
        assert!(
            text.contains("| Feature | Passed | Failed | Known | Fixed | Skipped |\n"),
            "{text}"
        );
        assert!(text.contains("| Hold | 0 | 0 | 0 | **1** | 0 |"), "{text}");
        assert!(
            text.contains("| **Total** | **1** | **0** | **1** | **1** | **1** |"),
            "{text}"
        );
        assert!(!text.contains("### Failed scenarios"), "{text}");
        assert!(
            text.contains("### Fixed: remove them from the ledger\n\n- **Hold** (Hold · features/hold.feature:7): fixed: remove it from the ledger (known.toml:6 lists it as a known divergence: ignores \\<Muted\\> \\| pipes (https://example.com/1)), since it passed\n"),
            "{text}"
        );
        assert!(
            text.contains("### Known divergences\n\n- **Hostile \\</pre\\>\\<script\\>alert(1)\\</script\\> name \\| pipe** (Mute \\<b\\>a\\</b\\> participant · features/mute.feature:7): known divergence (known.toml:2): ignores \\<Muted\\> \\| pipes (https://example.com/1)\n"),
            "{text}"
        );
    }
}
