//! The matrices as Markdown (a table per profile, a few names per cell) or as JSON (every
//! scenario and step), and the lines `--check` prints.

use serde_json::{Value, json};

use super::matrix::{Line, Matrix, Verdict};
use super::walk::{ScenarioRef, StepRef};

/// How many scenarios or steps a Markdown cell names before it counts the rest.
const SHOWN: usize = 2;

fn verdict_words(v: &Verdict) -> String {
    match v {
        Verdict::Unjudged => "**unjudged**".into(),
        Verdict::OutOfScope(why) => format!("out of scope: {why}"),
        Verdict::Judged => "judged".into(),
        Verdict::JudgedButOutOfScope(why) => {
            format!("**judged, yet marked out of scope** (remove the reason: {why})")
        }
    }
}

/// `file:line` without the folder, as a reader finds it under `features/`.
fn place(file: &str, line: usize) -> String {
    let name = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    format!("{name}:{line}")
}

fn cell<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    if items.is_empty() {
        return "–".into();
    }
    let mut shown: Vec<String> = items.iter().take(SHOWN).map(show).collect();
    if items.len() > SHOWN {
        shown.push(format!("and {} more", items.len() - SHOWN));
    }
    shown.join("; ")
}

/// Pipes inside a cell would end it.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

fn md_line(line: &Line) -> String {
    let sent = if line.row.item.is_sent() {
        cell(&line.sent_by, |s: &ScenarioRef| place(&s.file, s.line))
    } else {
        "(in answers)".into()
    };
    // the scenario's line, not the step's: an outline's rows share their steps' lines
    let judged = cell(&line.judged_by, |s: &StepRef| {
        format!("{} {}", place(&s.scenario.file, s.scenario.line), s.text)
    });
    format!(
        "| `{}` | {} | {} | {} | {} |",
        line.row.item,
        escape(&line.row.what),
        escape(&verdict_words(&line.verdict)),
        escape(&sent),
        escape(&judged)
    )
}

/// One profile's matrix as a Markdown section.
pub fn markdown(m: &Matrix) -> String {
    let unjudged = m.lines.iter().filter(|l| l.verdict == Verdict::Unjudged).count();
    let out = m
        .lines
        .iter()
        .filter(|l| matches!(l.verdict, Verdict::OutOfScope(_)))
        .count();
    let mut text = format!(
        "## The {} profile: {} rows, {unjudged} unjudged, {out} out of scope ({} scenarios)\n\n",
        m.profile,
        m.lines.len(),
        m.scenarios
    );
    text.push_str("| row | documented | verdict | sent by | judged by |\n|---|---|---|---|---|\n");
    for line in &m.lines {
        text.push_str(&md_line(line));
        text.push('\n');
    }
    text
}

/// The kinds of row, in the order of a matrix, with what a reader calls them.
const KINDS: [(&str, &str); 9] = [
    ("operation", "operations (retrieve, update, list, delete)"),
    ("param", "update parameters × valid, invalid, absent; undocumented keys"),
    ("filter", "list filters"),
    ("paging", "paging parameters"),
    ("envelope", "keys of a list page"),
    ("field", "resource fields × format, value, relation to the request"),
    ("error", "error codes with their statuses"),
    ("path", "path forms"),
    ("", "all rows"),
];

/// Every profile's matrix summed up by kind of row: judged of all, and how many are out of
/// scope, in one Markdown table with a column per profile.
pub fn summary(matrices: &[Matrix]) -> String {
    let mut text = String::from("| documented items |");
    let mut rule = String::from("|---|");
    for m in matrices {
        text.push_str(&format!(" {} |", m.profile));
        rule.push_str("---|");
    }
    text.push('\n');
    text.push_str(&rule);
    text.push('\n');
    for (kind, words) in KINDS {
        text.push_str(&format!("| {words} |"));
        for m in matrices {
            let of_kind: Vec<&Line> = m
                .lines
                .iter()
                .filter(|l| kind.is_empty() || l.row.item.to_string().split('.').next() == Some(kind))
                .collect();
            let judged = of_kind.iter().filter(|l| l.verdict == Verdict::Judged).count();
            let out = of_kind
                .iter()
                .filter(|l| matches!(l.verdict, Verdict::OutOfScope(_)))
                .count();
            let cell = match out {
                0 => format!(" {judged} of {} judged |", of_kind.len()),
                n => format!(" {judged} of {} judged, {n} out of scope |", of_kind.len()),
            };
            text.push_str(&cell);
        }
        text.push('\n');
    }
    text
}

fn verdict_json(v: &Verdict) -> Value {
    match v {
        Verdict::Unjudged => json!({ "verdict": "unjudged" }),
        Verdict::OutOfScope(why) => json!({ "verdict": "out_of_scope", "reason": why }),
        Verdict::Judged => json!({ "verdict": "judged" }),
        Verdict::JudgedButOutOfScope(why) => json!({ "verdict": "judged_but_out_of_scope", "reason": why }),
    }
}

/// Every profile's matrix as one JSON document, every scenario and step named.
pub fn json(matrices: &[Matrix]) -> Value {
    let profiles: Vec<Value> = matrices
        .iter()
        .map(|m| {
            let rows: Vec<Value> = m
                .lines
                .iter()
                .map(|l| {
                    let mut row = json!({
                        "id": l.row.item.to_string(),
                        "documented": l.row.what,
                        "sent_by": l.sent_by,
                        "judged_by": l.judged_by,
                    });
                    if let (Value::Object(row), Value::Object(v)) = (&mut row, verdict_json(&l.verdict)) {
                        row.extend(v);
                    }
                    row
                })
                .collect();
            json!({ "profile": m.profile, "scenarios": m.scenarios, "rows": rows })
        })
        .collect();
    json!({ "profiles": profiles })
}

/// What `--check` says of one profile: a line, then each failing row on its own.
pub fn check(m: &Matrix) -> String {
    let failing: Vec<&Line> = m.failing().collect();
    if failing.is_empty() {
        return format!(
            "coverage: the {} profile: every one of its {} rows is judged or out of scope with its reason\n",
            m.profile,
            m.lines.len()
        );
    }
    let mut text = format!(
        "coverage: the {} profile: {} of its {} rows fail the check:\n",
        m.profile,
        failing.len(),
        m.lines.len()
    );
    for l in failing {
        let why = match &l.verdict {
            Verdict::JudgedButOutOfScope(_) => "judged, but the profile's out_of_scope still gives a reason",
            _ if !l.row.item.is_sent() => "no step judges it",
            _ if l.sent_by.is_empty() => "no scenario sends it",
            _ => "sent, but no step judges it",
        };
        text.push_str(&format!("  {}  {} ({why})\n", l.row.item, l.row.what));
    }
    text
}
