//! The run as one self-contained HTML page, from [`maud`] templates: the style sheet
//! (`style.css`) inlined, no script, nothing loaded from anywhere (a Content-Security-Policy
//! says so to the browser too), so the file can be attached to a CI run or a ticket and opened
//! offline.
//!
//! maud escapes whatever it splices, so no text that comes from the features or from the target
//! (names, steps, tables, failure texts with the server's bodies) can open a tag; each goes in as
//! [`Text`], which also keeps control characters off the page. Every element but `<meta>` (HTML's
//! one void element here) is closed, so a test reads the page as XML and sees that no tag was
//! opened by a feature or a server.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::time::SystemTime;

use laml_conformance::failure::Failure;
use maud::{DOCTYPE, Escaper, Markup, PreEscaped, Render, html};

use super::record::{FeatureRecord, Outcome, ScenarioRecord, StepRecord};
use super::{Counts, Record, RunInfo};
use crate::child::Verdict;

/// The page's style sheet, inlined in its `<style>` (the page loads nothing).
const STYLE: &str = include_str!("style.css");

/// What the page may load and run: nothing but its own inline style.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// Text from a feature, the target or the run, spliced escaped. Control characters other than
/// tab and newline become U+FFFD: a server's terminal escapes are nothing to show, and XML
/// readers refuse them.
struct Text<'a>(&'a str);

impl Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        let foreign = |c: char| c.is_control() && c != '\n' && c != '\t';
        let text = if self.0.contains(foreign) {
            Cow::Owned(self.0.replace(foreign, "\u{FFFD}"))
        } else {
            Cow::Borrowed(self.0)
        };
        // Writing into a String cannot fail.
        let _ = Escaper::new(buffer).write_str(&text);
    }
}

/// The whole page.
pub fn render(record: &Record, info: &RunInfo) -> String {
    let counts = record.counts();
    let headline = record.headline();
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "LaML conformance: " (Text(&headline)) }
                // CSS is not HTML: inlined as it is (a test keeps `</` out of it).
                style { (PreEscaped(STYLE)) }
            }
            body {
                (header(record, info, &counts, &headline))
                (summary(record, &counts))
                (failed_list(record))
                @if !record.parse_errors.is_empty() {
                    section {
                        h2 { "Feature files that could not be parsed" }
                        @for e in &record.parse_errors { pre.failure { (Text(e)) } }
                    }
                }
                @for (i, feature) in record.features.iter().enumerate() {
                    (feature_section(i, feature))
                }
                footer {
                    "Written by laml-conformance. Failure texts are as the console prints them; "
                    "tokens never appear in them (requests read " code { "$LAML_API_TOKEN" } ")."
                }
            }
        }
    };
    page.into_string()
}

fn header(record: &Record, info: &RunInfo, counts: &Counts, headline: &str) -> Markup {
    let class = if counts.failing() || !record.parse_errors.is_empty() {
        "failed"
    } else {
        "passed"
    };
    let took = record
        .started
        .zip(record.finished)
        .and_then(|(s, f)| f.duration_since(s).ok())
        .map(|d| format!(" (took {:.1} s)", d.as_secs_f64()));
    html! {
        header {
            h1 { "LaML conformance report" }
            p.verdict.(class) { (Text(headline)) }
            dl.run {
                dt { "Profile" }
                dd { code { (Text(&info.profile)) } " · " (Text(&info.profile_title)) }
                dt { "Target" } dd { (Text(&info.target)) }
                dt { "Mode" } dd { (Text(&info.mode)) }
                @if let Some(fault) = &info.fault {
                    dt { "Fault" }
                    dd { code { (Text(fault)) } " (the embedded space broken on purpose)" }
                }
                dt { "Scenarios" } dd {
                    (tally(counts))
                    @if info.known.is_some() { ", " (counts.known) " known, " (counts.fixed) " fixed" }
                }
                dt { "Steps" } dd { (tally(&record.step_counts())) }
                @if let Some(stopped) = info.stopped.get() {
                    dt { "Stopped" } dd { (Text(&stopped.to_string())) }
                }
                @if let (true, Some(note)) = (counts.failed > 0, &info.reproduce) {
                    dt { "Reproduce" } dd { (Text(note)) }
                }
                @if let Some(finished) = record.finished {
                    dt { "Finished" } dd { (utc(finished)) (took.unwrap_or_default()) }
                }
            }
        }
    }
}

/// `2 passed, 1 failed, 0 skipped`.
fn tally(c: &Counts) -> String {
    format!("{} passed, {} failed, {} skipped", c.passed, c.failed, c.skipped)
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

/// The three count cells of a row of the by-feature table; a count above 0 is marked `some`.
fn count_cells(c: &Counts) -> Markup {
    html! {
        @for (class, n) in [("passed", c.passed), ("failed", c.failed), ("skipped", c.skipped)] {
            td.n.(class).some[n > 0] { (n) }
        }
    }
}

/// A feature file's path after its name, muted.
fn feature_path(f: &FeatureRecord) -> Markup {
    html! {
        @if let Some(path) = &f.path { " " span.path { (Text(path)) } }
    }
}

fn summary(record: &Record, counts: &Counts) -> Markup {
    html! {
        section {
            h2 { "By feature" }
            div.wide {
                table.summary {
                    thead {
                        tr { th { "Feature" } th.n { "Passed" } th.n { "Failed" } th.n { "Skipped" } }
                    }
                    tbody {
                        @for (i, f) in record.features.iter().enumerate() {
                            tr {
                                td { a href={ "#f" (i) } { (Text(&f.name)) } (feature_path(f)) }
                                (count_cells(&f.counts()))
                            }
                        }
                    }
                    tfoot { tr { td { "Total" } (count_cells(counts)) } }
                }
            }
        }
    }
}

fn failed_list(record: &Record) -> Markup {
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
    html! {
        @if !failed.is_empty() {
            section {
                h2 { "Failed scenarios" }
                ul.failed-list {
                    @for (i, j, f, s) in failed {
                        li {
                            a href={ "#f" (i) "-s" (j) } { (Text(&s.name)) }
                            " " span.path { "· " (Text(&f.name)) }
                        }
                    }
                }
            }
        }
    }
}

fn feature_section(i: usize, f: &FeatureRecord) -> Markup {
    html! {
        section.feature id={ "f" (i) } {
            h2 { (Text(&f.keyword)) ": " (Text(&f.name)) (feature_path(f)) }
            @for (j, s) in f.scenarios.iter().enumerate() {
                (scenario(&format!("f{i}-s{j}"), f, s))
            }
        }
    }
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

/// A scenario, folded unless it failed; a skipped one says why on its folded line, since the
/// reason is all there is to read.
fn scenario(id: &str, f: &FeatureRecord, s: &ScenarioRecord) -> Markup {
    let verdict = s.verdict();
    let class = verdict_class(verdict);
    let place = format!("{}:{}", f.path.as_deref().unwrap_or(&f.name), s.line);
    let tags: Vec<String> = s.tags.iter().map(|t| format!("@{t}")).collect();
    html! {
        details.scenario.(class) id=(id) open=[matches!(verdict, Verdict::Failed | Verdict::Fixed).then_some("open")] {
            summary {
                span.badge.(class) { (class) }
                @if let Some(rule) = &s.rule { (Text(rule)) " › " }
                span.kw { (Text(&s.keyword)) ":" }
                " " (Text(&s.name)) " "
                span.where { (Text(&place)) }
                @if let Some(why) = s.skipped_because() {
                    span.reason { "Skipped: " (Text(why)) }
                }
                // so does a scenario the ledger of known divergences lists, with what it says
                @match (verdict, &s.known) {
                    (Verdict::Known, Some(entry)) => span.reason { (Text(&entry.known_said())) },
                    (Verdict::Fixed, Some(entry)) => span.reason { (Text(&entry.fixed_said())) },
                    _ => {},
                }
            }
            div.body {
                @if !tags.is_empty() { p.tags { (Text(&tags.join(" "))) } }
                ol.steps { @for step in &s.steps { (step_item(step)) } }
                @if let Some(hook) = &s.hook_failure { pre.failure { (failure_text(hook)) } }
            }
        }
    }
}

fn step_item(step: &StepRecord) -> Markup {
    let (class, mark, result) = match &step.outcome {
        Outcome::Passed => ("passed", "✔", "passed"),
        Outcome::Failed(_) => ("failed", "✘", "failed"),
        Outcome::Skipped => ("skipped", "?", "skipped: no step matches it"),
        Outcome::NotRun => ("notrun", "–", "not run"),
    };
    html! {
        li.(class).background[step.background] {
            span.mark { (mark) }
            span.kw { (Text(step.keyword.trim_end())) }
            " " (Text(&step.text))
            span.result { (result) }
            @if let Some(rows) = &step.table {
                table.data {
                    @for row in rows { tr { @for cell in row { td { (Text(cell)) } } } }
                }
            }
            @if let Some(doc) = &step.docstring { pre { (Text(doc)) } }
            @if let Outcome::Failed(failure) = &step.outcome {
                pre.failure { "Step failed: " (failure_text(failure)) }
            }
        }
    }
}

/// A failure as the console prints it (`Failure`'s `Display`: its findings, then its exchange),
/// with what each field was expected to hold and what it held marked so that they stand out.
fn failure_text(failure: &Failure) -> Markup {
    let headline = failure.headline();
    html! {
        (Text(&headline))
        @if !failure.deviations.is_empty() { "\n" }
        @for d in &failure.deviations {
            "  " (Text(&d.path)) "\n"
            span.exp { "    expected: " (Text(&d.expected)) } "\n"
            span.act { "    actual:   " (Text(&d.actual)) } "\n"
        }
        @if let Some(hint) = &failure.hint {
            @if failure.deviations.is_empty() && !headline.ends_with('\n') { "\n" }
            (Text(hint))
        }
        @if let Some(exchange) = &failure.exchange { "\n" (Text(&exchange.describe())) }
    }
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
            page.contains("<div class=\"wide\"><table class=\"summary\">"),
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
        assert_eq!(
            Text("a\u{1b}[31m<b>\tc\n").render().into_string(),
            "a\u{FFFD}[31m&lt;b&gt;\tc\n"
        );
    }

    /// The style sheet is inlined unescaped: it must not be able to end its `<style>` element.
    #[test]
    fn the_style_sheet_cannot_close_its_element() {
        assert!(!STYLE.contains("</"), "style.css holds `</`");
        let (record, info) = sample();
        assert!(render(&record, &info).contains(&format!("<style>{STYLE}</style>")));
    }
}
