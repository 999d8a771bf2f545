//! The run as one self-contained HTML page, written by hand: inline CSS, no script, nothing
//! loaded from anywhere (a Content-Security-Policy says so to the browser too), so the file can
//! be attached to a CI run or a ticket and opened offline.
//!
//! Every text that comes from the features or from the target (names, steps, tables, failure
//! texts with the server's bodies) goes through [`esc`]; the page is also well-formed XML, so
//! a test can parse it and see that no tag was opened by a feature or a server.

use std::fmt::Write as _;
use std::time::SystemTime;

use laml_conformance::failure::Failure;

use super::record::{FeatureRecord, Outcome, ScenarioRecord, StepRecord};
use super::{Counts, Record, RunInfo};
use crate::child::Verdict;

/// Text escaped for HTML content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in XML.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The page's style sheet, inlined in its `<style>` (the page loads nothing).
const STYLE: &str = include_str!("style.css");

/// The whole page.
pub fn render(record: &Record, info: &RunInfo) -> String {
    let counts = record.counts();
    let headline = record.headline();
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    let _ = writeln!(out, "<title>LaML conformance: {}</title>", esc(&headline));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    header(&mut out, record, info, &counts, &headline);
    summary(&mut out, record, &counts);
    failed_list(&mut out, record);
    if !record.parse_errors.is_empty() {
        out.push_str("<section>\n<h2>Feature files that could not be parsed</h2>\n");
        for e in &record.parse_errors {
            let _ = writeln!(out, "<pre class=\"failure\">{}</pre>", esc(e));
        }
        out.push_str("</section>\n");
    }
    for (i, feature) in record.features.iter().enumerate() {
        feature_section(&mut out, i, feature);
    }
    out.push_str("<footer>Written by laml-conformance. Failure texts are as the console prints them; tokens never appear in them (requests read <code>$LAML_API_TOKEN</code>).</footer>\n</body>\n</html>\n");
    out
}

fn header(out: &mut String, record: &Record, info: &RunInfo, counts: &Counts, headline: &str) {
    let class = if counts.failing() || !record.parse_errors.is_empty() {
        "failed"
    } else {
        "passed"
    };
    let steps = record.step_counts();
    let _ = writeln!(
        out,
        "<header>\n<h1>LaML conformance report</h1>\n<p class=\"verdict {class}\">{}</p>\n<dl class=\"run\">",
        esc(headline)
    );
    let mut row = |term: &str, value: String| {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{value}</dd>");
    };
    row(
        "Profile",
        format!("<code>{}</code> · {}", esc(&info.profile), esc(&info.profile_title)),
    );
    row("Target", esc(&info.target));
    row("Mode", esc(&info.mode));
    if let Some(fault) = &info.fault {
        row(
            "Fault",
            format!("<code>{}</code> (the embedded space broken on purpose)", esc(fault)),
        );
    }
    row(
        "Scenarios",
        format!(
            "{} passed, {} failed, {} skipped{}",
            counts.passed,
            counts.failed,
            counts.skipped,
            info.known
                .as_ref()
                .map(|_| format!(", {} known, {} fixed", counts.known, counts.fixed))
                .unwrap_or_default()
        ),
    );
    row(
        "Steps",
        format!(
            "{} passed, {} failed, {} skipped",
            steps.passed, steps.failed, steps.skipped
        ),
    );
    if let Some(stopped) = info.stopped.get() {
        row("Stopped", esc(&stopped.to_string()));
    }
    if counts.failed > 0
        && let Some(note) = &info.reproduce
    {
        row("Reproduce", esc(note));
    }
    if let Some(finished) = record.finished {
        let took = record
            .started
            .and_then(|s| finished.duration_since(s).ok())
            .map(|d| format!(" (took {:.1} s)", d.as_secs_f64()))
            .unwrap_or_default();
        row("Finished", format!("{}{took}", esc(&utc(finished))));
    }
    out.push_str("</dl>\n</header>\n");
}

/// A time as `2026-11-30 02:21:18 UTC`.
pub fn utc(at: SystemTime) -> String {
    let t = time::OffsetDateTime::from(at);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn count_cell(out: &mut String, class: &str, n: usize) {
    let some = if n > 0 { " some" } else { "" };
    let _ = write!(out, "<td class=\"n {class}{some}\">{n}</td>");
}

fn summary(out: &mut String, record: &Record, counts: &Counts) {
    out.push_str("<section>\n<h2>By feature</h2>\n<div class=\"wide\">\n<table class=\"summary\">\n<thead><tr><th>Feature</th><th class=\"n\">Passed</th><th class=\"n\">Failed</th><th class=\"n\">Skipped</th></tr></thead>\n<tbody>\n");
    for (i, f) in record.features.iter().enumerate() {
        let c = f.counts();
        let path = f
            .path
            .as_deref()
            .map(|p| format!(" <span class=\"path\">{}</span>", esc(p)))
            .unwrap_or_default();
        let _ = write!(out, "<tr><td><a href=\"#f{i}\">{}</a>{path}</td>", esc(&f.name));
        count_cell(out, "passed", c.passed);
        count_cell(out, "failed", c.failed);
        count_cell(out, "skipped", c.skipped);
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n<tfoot><tr><td>Total</td>");
    count_cell(out, "passed", counts.passed);
    count_cell(out, "failed", counts.failed);
    count_cell(out, "skipped", counts.skipped);
    out.push_str("</tr></tfoot>\n</table>\n</div>\n</section>\n");
}

fn failed_list(out: &mut String, record: &Record) {
    let failed: Vec<(usize, usize, &FeatureRecord, &ScenarioRecord)> = record
        .features
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            f.scenarios
                .iter()
                .enumerate()
                .filter(|(_, s)| matches!(s.verdict(), Verdict::Failed | Verdict::Fixed))
                .map(move |(j, s)| (i, j, f, s))
        })
        .collect();
    if failed.is_empty() {
        return;
    }
    out.push_str("<section>\n<h2>Failed scenarios</h2>\n<ul class=\"failed-list\">\n");
    for (i, j, f, s) in failed {
        let _ = writeln!(
            out,
            "<li><a href=\"#f{i}-s{j}\">{}</a> <span class=\"path\">· {}</span></li>",
            esc(&s.name),
            esc(&f.name)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn feature_section(out: &mut String, i: usize, f: &FeatureRecord) {
    let path = f
        .path
        .as_deref()
        .map(|p| format!(" <span class=\"path\">{}</span>", esc(p)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<section id=\"f{i}\" class=\"feature\">\n<h2>{}: {}{path}</h2>",
        esc(&f.keyword),
        esc(&f.name)
    );
    for (j, s) in f.scenarios.iter().enumerate() {
        scenario(out, &format!("f{i}-s{j}"), f, s);
    }
    out.push_str("</section>\n");
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Passed => "passed",
        Verdict::Failed => "failed",
        Verdict::Skipped => "skipped",
        Verdict::Known => "known",
        Verdict::Fixed => "fixed",
    }
}

fn scenario(out: &mut String, id: &str, f: &FeatureRecord, s: &ScenarioRecord) {
    let verdict = s.verdict();
    let class = verdict_class(verdict);
    let open = if matches!(verdict, Verdict::Failed | Verdict::Fixed) {
        " open=\"open\""
    } else {
        ""
    };
    let rule = s.rule.as_deref().map(|r| format!("{} › ", esc(r))).unwrap_or_default();
    let place = format!("{}:{}", f.path.as_deref().unwrap_or(&f.name), s.line);
    // A skipped scenario says why on its folded line: the reason is all there is to read.
    // So does a scenario the ledger of known divergences lists, with what the ledger says.
    let why = match (verdict, &s.known) {
        (Verdict::Known, Some(entry)) => format!("<span class=\"reason\">{}</span>", esc(&entry.known_said())),
        (Verdict::Fixed, Some(entry)) => format!("<span class=\"reason\">{}</span>", esc(&entry.fixed_said())),
        _ => s
            .skipped_because()
            .map(|why| format!("<span class=\"reason\">Skipped: {}</span>", esc(why)))
            .unwrap_or_default(),
    };
    let _ = writeln!(
        out,
        "<details class=\"scenario {class}\" id=\"{id}\"{open}>\n<summary><span class=\"badge {class}\">{class}</span>{rule}<span class=\"kw\">{}:</span> {} <span class=\"where\">{}</span>{why}</summary>\n<div class=\"body\">",
        esc(&s.keyword),
        esc(&s.name),
        esc(&place)
    );
    if !s.tags.is_empty() {
        let tags: Vec<String> = s.tags.iter().map(|t| format!("@{}", esc(t))).collect();
        let _ = writeln!(out, "<p class=\"tags\">{}</p>", tags.join(" "));
    }
    out.push_str("<ol class=\"steps\">\n");
    for step in &s.steps {
        step_item(out, step);
    }
    out.push_str("</ol>\n");
    if let Some(hook) = &s.hook_failure {
        let _ = writeln!(out, "<pre class=\"failure\">{}</pre>", failure_text(hook));
    }
    out.push_str("</div>\n</details>\n");
}

fn step_item(out: &mut String, step: &StepRecord) {
    let (class, mark, result) = match &step.outcome {
        Outcome::Passed => ("passed", "✔", "passed"),
        Outcome::Failed(_) => ("failed", "✘", "failed"),
        Outcome::Skipped => ("skipped", "?", "skipped: no step matches it"),
        Outcome::NotRun => ("notrun", "–", "not run"),
    };
    let background = if step.background { " background" } else { "" };
    let _ = write!(
        out,
        "<li class=\"{class}{background}\"><span class=\"mark\">{mark}</span><span class=\"kw\">{}</span>{}<span class=\"result\">{result}</span>",
        esc(step.keyword.trim_end()),
        esc(&format!(" {}", step.text))
    );
    if let Some(rows) = &step.table {
        out.push_str("\n<table class=\"data\">");
        for row in rows {
            out.push_str("<tr>");
            for cell in row {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }
    if let Some(doc) = &step.docstring {
        let _ = write!(out, "\n<pre>{}</pre>", esc(doc));
    }
    if let Outcome::Failed(failure) = &step.outcome {
        let _ = write!(
            out,
            "\n<pre class=\"failure\">Step failed: {}</pre>",
            failure_text(failure)
        );
    }
    out.push_str("</li>\n");
}

/// A failure as the console prints it, escaped, with what each field was expected to hold and
/// what it held marked so that they stand out.
fn failure_text(failure: &Failure) -> String {
    // the lines of `Failure::findings`, then its exchange, as `Failure`'s `Display` puts them
    let mut out = esc(&failure.headline());
    if !failure.deviations.is_empty() {
        out.push('\n');
    }
    for d in &failure.deviations {
        let _ = writeln!(
            out,
            "  {}\n<span class=\"exp\">    expected: {}</span>\n<span class=\"act\">    actual:   {}</span>",
            esc(&d.path),
            esc(&d.expected),
            esc(&d.actual)
        );
    }
    if let Some(hint) = &failure.hint {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&esc(hint));
    }
    if let Some(exchange) = &failure.exchange {
        let _ = write!(out, "\n{}", esc(&exchange.describe()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::sample;

    /// At a phone's 390 px the by-feature table kept 6rem per count column and the page's
    /// 2rem margins, and pushed Failed and Skipped off the side (checked by eye in headless
    /// Chromium at 390 px; this pins the rules that made it fit).
    #[test]
    fn the_by_feature_table_fits_a_narrow_screen() {
        let (record, info) = sample();
        let page = render(&record, &info);
        let narrow = STYLE
            .split("@media (max-width: 40rem)")
            .nth(1)
            .expect("a rule for narrow screens");
        assert!(narrow.contains("table.summary th.n, table.summary td.n { width: auto; }"));
        assert!(narrow.contains("overflow-wrap: anywhere"));
        assert!(
            page.contains("<div class=\"wide\">\n<table class=\"summary\">"),
            "whatever is still too wide scrolls inside its box, not the page"
        );
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let (record, info) = sample();
        let page = render(&record, &info);
        for raw in [
            "<script>",
            "<img",
            "</pre><script",
            "</pre><img",
            "<b>a</b>",
            "<i>true</i>",
            "<page>",
        ] {
            assert!(!page.contains(raw), "{raw} reached the page unescaped");
        }
        assert!(page.contains("Hostile &lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt; name | pipe"));
        assert!(page.contains("&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(page.contains(
            "Step failed: the response differs: 1 field(s) differ\n  muted\n<span class=\"exp\">    expected: &lt;true&gt; (boolean)</span>\n<span class=\"act\">    actual:   &lt;&quot;&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;```&quot;&gt; (string)</span>\nsend &lt;b&gt;Muted&lt;/b&gt;=true"
        ));
    }

    #[test]
    fn the_page_says_the_profile_counts_and_reasons() {
        let (record, info) = sample();
        let page = render(&record, &info);
        assert!(
            page.contains("<title>LaML conformance: 1 of 4 scenarios failed, 1 skipped</title>"),
            "{page}"
        );
        assert!(page.contains("<code>seed</code> · The seed &lt;page&gt;"));
        assert!(page.contains("<code>ignore-muted</code>"));
        assert!(page.contains("<span class=\"reason\">Skipped: this scenario cannot be arranged on this target: it needs a second conference</span></summary>"));
        assert!(page.contains("<td class=\"n failed some\">1</td>"));
        assert!(page.contains("not run"));
        assert!(page.contains("took 1.5 s"));
    }

    #[test]
    fn control_characters_become_replacement_characters() {
        assert_eq!(esc("a\u{1b}[31mb\tc\n"), "a\u{FFFD}[31mb\tc\n");
    }
}
