//! The JUnit XML report, rendered from the run's [`Record`].
//!
//! The shape is the one cucumber-rs 0.23 wrote, which CI tools read: `<testsuites>`, a
//! `<testsuite>` per feature (with the run's target, profile and mode as `<properties>`), a
//! `<testcase>` per scenario, named `Scenario: <name>: <file>:<line>:<col>`. A failed scenario
//! has a `<failure>` whose `message` is the first line of the failure text and whose body is the
//! whole text, newlines kept (a `message` attribute's newlines every XML reader turns into
//! spaces, so CI tools showed the field diff on one line); its `type` says "Step Failed" or
//! "Hook Failed". A skipped scenario has `<skipped/>`. Each test case's `<system-out>` holds its
//! steps as the console lists them.
//!
//! JUnit has no expected failure, so a scenario the ledger of known divergences lists is
//! written as pytest writes an `xfail`: a known failure is `<skipped type="known" message="known
//! divergence (FILE:LINE): reason">`, with the failure's whole text in its body, which CI tools
//! count as skipped, not failed; a listed scenario that passed is a `<failure type="Fixed">`,
//! as pytest writes a strict `xfail` that passed.

use std::time::{Duration, SystemTime};

use laml_conformance::failure::Failure;
use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::RunInfo;
use super::record::{FeatureRecord, Outcome, Record, ScenarioRecord};
use super::words;
use crate::child::Verdict;

/// One `<testcase>`.
struct Case {
    name: String,
    time: Duration,
    result: CaseResult,
    system_out: Option<String>,
}

/// How a test case ended.
enum CaseResult {
    Passed,
    Skipped,
    /// Its `type` and its whole text.
    Failed(&'static str, String),
    /// A failure the ledger of known divergences lists: what the ledger says, and the
    /// failure's whole text.
    Known(String, String),
}

/// One `<testsuite>`.
struct Suite {
    name: String,
    timestamp: SystemTime,
    cases: Vec<Case>,
}

/// The report of `record`, as bytes; `note` (how to reproduce a failure of a run on the
/// embedded space, whose port is gone with it) is appended to every failure's body.
pub fn render(record: &Record, info: &RunInfo) -> Result<Vec<u8>, std::io::Error> {
    let errors = (!record.parse_failures.is_empty()).then(|| Suite {
        name: "Errors".into(),
        timestamp: record.started.unwrap_or(SystemTime::UNIX_EPOCH),
        cases: record.parse_failures.iter().map(parse_error).collect(),
    });
    let suites: Vec<Suite> = errors.into_iter().chain(record.features.iter().map(suite)).collect();
    let properties = [
        ("target", info.target.as_str()),
        ("profile", info.profile.as_str()),
        ("mode", info.mode.as_str()),
    ];
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    if suites.is_empty() {
        w.write_event(Event::Empty(BytesStart::new("testsuites")))?;
        return Ok(w.into_inner());
    }
    w.write_event(Event::Start(BytesStart::new("testsuites")))?;
    for (id, suite) in suites.iter().enumerate() {
        write_suite(&mut w, id, suite, &properties, info.reproduce.as_deref())?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuites")))?;
    Ok(w.into_inner())
}

fn write_suite(
    w: &mut Writer<Vec<u8>>,
    id: usize,
    suite: &Suite,
    properties: &[(&str, &str)],
    note: Option<&str>,
) -> std::io::Result<()> {
    let failures = suite
        .cases
        .iter()
        .filter(|c| matches!(c.result, CaseResult::Failed(..)))
        .count();
    let time: Duration = suite.cases.iter().map(|c| c.time).sum();
    let timestamp = time::OffsetDateTime::from(suite.timestamp)
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(std::io::Error::other)?;
    let mut start = BytesStart::new("testsuite");
    for (key, value) in [
        ("id", id.to_string()),
        ("name", suite.name.clone()),
        ("package", format!("testsuite/{}", suite.name)),
        ("tests", suite.cases.len().to_string()),
        ("errors", "0".into()),
        ("failures", failures.to_string()),
        ("hostname", "localhost".into()),
        ("timestamp", timestamp),
        ("time", time.as_secs_f64().to_string()),
    ] {
        start.push_attribute((key, value.as_str()));
    }
    if suite.cases.is_empty() {
        w.write_event(Event::Empty(start))?;
        return Ok(());
    }
    w.write_event(Event::Start(start))?;
    w.create_element("properties").write_inner_content(|w| {
        for (name, value) in properties {
            w.create_element("property")
                .with_attributes([("name", *name), ("value", *value)])
                .write_empty()?;
        }
        Ok(())
    })?;
    for case in &suite.cases {
        write_case(w, case, note)?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    Ok(())
}

fn write_case(w: &mut Writer<Vec<u8>>, case: &Case, note: Option<&str>) -> std::io::Result<()> {
    let time = case.time.as_secs_f64().to_string();
    let start = BytesStart::new("testcase").with_attributes([("name", case.name.as_str()), ("time", time.as_str())]);
    if matches!(case.result, CaseResult::Passed) && case.system_out.is_none() {
        w.write_event(Event::Empty(start))?;
        return Ok(());
    }
    w.write_event(Event::Start(start))?;
    match &case.result {
        CaseResult::Passed => {}
        CaseResult::Skipped => {
            w.create_element("skipped").write_empty()?;
        }
        CaseResult::Known(said, text) => {
            w.create_element("skipped")
                .with_attributes([("type", "known"), ("message", said.as_str())])
                .write_text_content(BytesText::new(&format!("{said}\n\n{text}")))?;
        }
        CaseResult::Failed(kind, text) => {
            let message = text.lines().next().unwrap_or_default();
            // a fixed scenario's text has no curl command for the note to speak of
            let body = match note.filter(|_| *kind != "Fixed") {
                Some(n) => format!("{text}\n\n{n}"),
                None => text.clone(),
            };
            w.create_element("failure")
                .with_attributes([("type", *kind), ("message", message)])
                .write_text_content(BytesText::new(&body))?;
        }
    }
    if let Some(out) = &case.system_out {
        w.create_element("system-out")
            .write_cdata_content(BytesCData::new(out))?;
    }
    w.write_event(Event::End(BytesEnd::new("testcase")))?;
    Ok(())
}

fn suite(f: &FeatureRecord) -> Suite {
    let path = f.path.as_deref().map(|p| format!(": {p}")).unwrap_or_default();
    Suite {
        name: format!("Feature: {}{path}", f.name),
        timestamp: f.started,
        cases: f.scenarios.iter().map(|s| case(f, s)).collect(),
    }
}

fn case(f: &FeatureRecord, s: &ScenarioRecord) -> Case {
    let rule = s.rule.as_deref().map(|r| format!("Rule: {r}: ")).unwrap_or_default();
    let path = f.path.as_deref().map(|p| format!("{p}:")).unwrap_or_default();
    let name = format!("{rule}Scenario: {}: {path}{}:{}", s.name, s.line, s.ran.col);
    let hook_failed = s.ran.hooks.iter().find_map(|h| h.failed.as_deref());
    let failed_step = s.steps.iter().find_map(|st| match &st.outcome {
        Outcome::Failed(failure) => Some(failure),
        _ => None,
    });
    let result = match (s.verdict(), &s.known, failed_step) {
        (Verdict::Known, Some(entry), Some(failure)) => CaseResult::Known(entry.known_said(), said(s, failure)),
        (Verdict::Fixed, Some(entry), _) => CaseResult::Failed("Fixed", entry.fixed_said()),
        _ => unlisted(hook_failed, failed_step, s),
    };
    let time = if matches!(result, CaseResult::Skipped) {
        Duration::ZERO
    } else {
        s.ran.duration
    };
    Case {
        name,
        time,
        result,
        system_out: Some(system_out(f, s)),
    }
}

/// A failed step's text: cucumber's own sentence for a step no definition matches (or more than
/// one), else the failure the step raised, after "Step failed: ".
fn said(s: &ScenarioRecord, failure: &Failure) -> String {
    if s.steps.iter().any(|st| st.ran.error.is_some()) {
        failure.to_string()
    } else {
        format!("{}{failure}", words::PLAIN)
    }
}

/// How a scenario the ledger of known divergences does not list ended.
fn unlisted(hook_failed: Option<&str>, failed_step: Option<&Failure>, s: &ScenarioRecord) -> CaseResult {
    match (hook_failed, failed_step) {
        // a hook's failure ends the scenario after its steps (or before any ran)
        (Some(text), _) => CaseResult::Failed("Hook Failed", text.to_string()),
        (None, Some(failure)) => CaseResult::Failed("Step Failed", said(s, failure)),
        (None, None) if s.skipped_because().is_some() => CaseResult::Skipped,
        (None, None) => CaseResult::Passed,
    }
}

/// A feature file that could not be read, parsed or expanded, as a failed test case.
fn parse_error(e: &cucumber::parser::Error) -> Case {
    use cucumber::gherkin::ParseFileError;
    use cucumber::parser::Error;
    let (name, kind) = match e {
        Error::Parsing(err) => {
            let (ParseFileError::Reading { path, .. } | ParseFileError::Parsing { path, .. }) = err.as_ref();
            (format!("Feature: {}", super::record::shown_path(path)), "Parser Error")
        }
        Error::ExampleExpansion(err) => {
            let path = err
                .path
                .as_deref()
                .map(|p| format!("{}:", super::record::shown_path(p)));
            (
                format!("Feature: {}{}:{}", path.unwrap_or_default(), err.pos.line, err.pos.col),
                "Example Expansion Error",
            )
        }
    };
    Case {
        name,
        time: Duration::ZERO,
        result: CaseResult::Failed(kind, e.to_string()),
        system_out: None,
    }
}

/// A scenario's steps as the console lists them (the text cucumber's JUnit writer gave each
/// test case): a mark per step that ran, `>` after it for a Background step, a failure's whole
/// text under its step, and a skipped step's place.
fn system_out(f: &FeatureRecord, s: &ScenarioRecord) -> String {
    use std::fmt::Write as _;
    let mut out = format!("  {}: {}\n", s.keyword, s.name);
    let path = f.path.as_deref().unwrap_or(&f.name);
    for st in &s.steps {
        let mark = match st.outcome {
            Outcome::NotRun => continue,
            Outcome::Passed => '✔',
            Outcome::Failed(_) => '✘',
            Outcome::Skipped => '?',
        };
        let background = if st.background { '>' } else { ' ' };
        let _ = write!(
            out,
            "   {mark}{background} {}{}{}",
            st.keyword,
            st.text,
            table(st.table.as_deref())
        );
        match &st.outcome {
            Outcome::Failed(failure) => {
                let _ = write!(out, "\n      Defined: {path}:{}:{}", st.line, st.col);
                let text = match st.ran.error {
                    Some(_) => failure.to_string(),
                    None => format!("{}{failure}", words::PLAIN),
                };
                for line in text.lines() {
                    let _ = write!(out, "\n      {line}");
                }
            }
            Outcome::Skipped => {
                let _ = write!(out, "\n      Step skipped: {path}:{}:{}", st.line, st.col);
            }
            Outcome::Passed | Outcome::NotRun => {}
        }
        out.push('\n');
    }
    if let Some(failure) = &s.hook_failure {
        let _ = writeln!(out, "   ✘  {failure}");
    }
    out
}

/// A step's data table as the console aligns it, on the lines after the step.
fn table(rows: Option<&[Vec<String>]>) -> String {
    let Some(rows) = rows.filter(|r| !r.is_empty()) else {
        return String::new();
    };
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().filter_map(|r| r.get(i)).map(String::len).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        out.push_str("\n       ");
        for (cell, width) in row.iter().zip(&widths) {
            out.push_str(&format!("| {cell:width$} "));
        }
        out.push('|');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_failure_is_skipped_with_its_reason_and_a_fixed_scenario_fails() {
        let (record, info) = super::super::sample::sample_known();
        let xml = String::from_utf8(render(&record, &info).unwrap()).unwrap();
        assert!(
            xml.contains("<skipped type=\"known\" message=\"known divergence (known.toml:2): ignores &lt;Muted&gt; | pipes (https://example.com/1)\">known divergence (known.toml:2): ignores &lt;Muted&gt; | pipes (https://example.com/1)\n\nStep failed: the response differs"),
            "{xml}"
        );
        assert!(
            xml.contains("<failure type=\"Fixed\" message=\"fixed: remove it from the ledger (known.toml:6 lists it"),
            "{xml}"
        );
        // CI tools count failures by the suite's attribute: the known one is not among them
        assert!(xml.contains("name=\"Feature: Mute &lt;b&gt;a&lt;/b&gt; participant: features/mute.feature\" package=\"testsuite/Feature: Mute &lt;b&gt;a&lt;/b&gt; participant: features/mute.feature\" tests=\"3\" errors=\"0\" failures=\"0\""), "{xml}");
        assert!(xml.contains("tests=\"1\" errors=\"0\" failures=\"1\""), "{xml}");
    }
}
