//! The lines of the scenario one operation writes: its `When`, in the features' own words, and
//! the `Then` steps of what the model answered and holds after it.

use serde_json::Value;

use super::model::Model;
use super::ops::{Op, Val, creds_words, place_word};

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`, or `nobody`.
pub fn names_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    match quoted.as_slice() {
        [] => "nobody".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A table cell: `|` and `\` escaped as Gherkin reads them.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|")
}

/// The lines of a scenario, with `Then`/`And` chosen as the previous step requires.
pub struct Lines {
    out: Vec<String>,
    /// Whether the previous step was a `Then` (or an `And` after one).
    in_then: bool,
}

impl Lines {
    /// No line yet.
    pub fn new() -> Self {
        Lines {
            out: Vec::new(),
            in_then: false,
        }
    }

    /// The lines, one a line.
    pub fn joined(&self) -> String {
        self.out.join("\n")
    }

    /// A step as written.
    pub fn step(&mut self, text: impl AsRef<str>) {
        self.out.push(format!("    {}", text.as_ref()));
    }

    fn when(&mut self, text: impl AsRef<str>) {
        self.in_then = false;
        self.step(format!("When {}", text.as_ref()));
    }

    fn then(&mut self, text: impl AsRef<str>) {
        let keyword = if self.in_then { "And" } else { "Then" };
        self.in_then = true;
        self.step(format!("{keyword} {}", text.as_ref()));
    }

    /// A comment line.
    pub fn comment(&mut self, text: impl AsRef<str>) {
        self.out.push(format!("    # {}", text.as_ref()));
    }
}

/// The flags of a participant as the model answered it, as the value steps say them.
fn state_steps(lines: &mut Lines, model: &Model, who: &str, body: &Value) {
    let flag = |key: &str| body.get(key).and_then(Value::as_bool).unwrap_or(false);
    lines.then(format!("{who:?} is {}muted", if flag("muted") { "" } else { "not " }));
    lines.then(format!("{who:?} is {}on hold", if flag("hold") { "" } else { "not " }));
    let coached = body
        .get("call_sid_to_coach")
        .and_then(Value::as_str)
        .and_then(|sid| model.roster.name_of(sid));
    match (flag("coaching"), coached) {
        (true, Some(whom)) => lines.then(format!("{who:?} is coaching {whom:?}")),
        _ => lines.then(format!("{who:?} is not coaching anyone")),
    }
}

/// What the model says of an update of `who`: it succeeds, with its state, or it is refused
/// with its code, and nobody changed.
fn outcome(lines: &mut Lines, model: &Model, who: Option<&str>, status: u16, body: Option<&Value>) {
    match (status, who, body) {
        (200, Some(who), Some(body)) => {
            lines.then("the update succeeds");
            state_steps(lines, model, who, body);
            lines.then(format!("{who:?} is otherwise unchanged"));
            lines.then(format!("no participant but {who:?} has changed"));
            lines.then(format!("a retrieve of {who:?} shows the same participant"));
        }
        (400.., _, Some(body)) => {
            let code = body.get("code").and_then(Value::as_u64).unwrap_or_default();
            lines.then(format!("the update is refused with status {status} and code {code}"));
            lines.then("no participant has changed");
        }
        _ => lines.comment(format!("the model answered {status}, which no step checks")),
    }
}

/// The names of the first conference the model lists with one filter.
fn listed(model: &mut Model, filter: &str, value: &str) -> Option<Vec<String>> {
    let op = Op::List {
        filter: filter.into(),
        value: value.into(),
    };
    let answer = model.apply(&op);
    let page = answer.ok()?;
    let sids: Vec<&str> = page
        .get("participants")?
        .as_array()?
        .iter()
        .filter_map(|p| p.get("call_sid").and_then(Value::as_str))
        .collect();
    Some(
        model
            .roster
            .names()
            .into_iter()
            .filter(|n| {
                model
                    .roster
                    .at(n)
                    .is_some_and(|at| sids.contains(&at.call_sid.as_str()))
            })
            .collect(),
    )
}

fn list_step(lines: &mut Lines, model: &mut Model, filter: &str, value: &str) {
    match listed(model, filter, value) {
        Some(names) => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            lines.then(format!(
                "listing the participants with {filter:?} set to {value:?} gives exactly {}",
                names_list(&names)
            ));
        }
        None => lines.comment(format!(
            "the model refuses the list with {filter}={value}, which no step checks"
        )),
    }
}

/// Every named participant as the model holds it (`None` once gone).
fn states(model: &mut Model) -> Vec<(String, Option<Value>)> {
    model
        .roster
        .names()
        .into_iter()
        .map(|n| {
            let s = model.state(&n);
            (n, s)
        })
        .collect()
}

/// The Given steps that arrange what a baseline update sets: each flag that is set, and whom
/// the participant coaches (fresh participants are unmuted, not on hold and coach nobody).
pub fn given_state(lines: &mut Lines, op: &Op) {
    let Op::Update { who, params } = op else { return };
    for (key, value) in params {
        let set = value.written().eq_ignore_ascii_case("true");
        match (key.as_str(), value) {
            ("Muted", _) if set => lines.step(format!("And {who:?} is muted")),
            ("Hold", _) if set => lines.step(format!("And {who:?} is on hold")),
            ("CallSidToCoach", Val::Sid(whom)) => lines.step(format!("And {who:?} is coaching {whom:?}")),
            _ => {}
        }
    }
}

/// The When of one operation and the Then steps the model implies.
pub fn operation(lines: &mut Lines, model: &mut Model, op: &Op) {
    let before = states(model);
    let answer = model.apply(op);
    let body = answer.json().cloned();
    let who = op.who();
    match op {
        Op::Update { who, params } if params.is_empty() => lines.when(format!("{who:?} is updated with no parameters")),
        Op::Update { who, params } => {
            lines.when(format!("{who:?} is updated with:"));
            let width =
                |f: fn(&(String, String)) -> usize, rows: &[(String, String)]| rows.iter().map(f).max().unwrap_or(0);
            let rows: Vec<(String, String)> = params.iter().map(|(k, v)| (cell(k), cell(v.written()))).collect();
            let (wk, wv) = (
                width(|r| r.0.chars().count(), &rows),
                width(|r| r.1.chars().count(), &rows),
            );
            for (k, v) in rows {
                lines.out.push(format!("      | {k:wk$} | {v:wv$} |"));
            }
        }
        Op::Undocumented { who, key, value } => lines.when(format!(
            "{who:?} is updated with the undocumented parameter {key:?} set to {:?}",
            value.written()
        )),
        // A removal the model answers 204 is written as the removal steps, which judge it
        // (remove.feature); any other answer as the bare request, judged by its outcome.
        Op::Method { who, method: "DELETE" } if answer.status == 204 => {
            lines.when(format!("{who:?} is removed from the conference"))
        }
        Op::Method { who, method } => lines.when(format!("a {method} request is sent to {who:?}")),
        Op::Credentials { who, how } => lines.when(format!("{who:?} is muted {}", creds_words(*how))),
        Op::UnknownPlace { who, what } => lines.when(format!("{who:?} is muted in an unknown {}", place_word(*what))),
        Op::UnknownParticipant => lines.when("a participant that is not in the conference is muted"),
        Op::Body { who, json, text } => {
            lines.when(format!(
                "{who:?} is updated with a {} body:",
                if *json { "JSON" } else { "text" }
            ));
            lines.out.push("      \"\"\"".into());
            lines.out.push(format!("      {text}"));
            lines.out.push("      \"\"\"".into());
        }
        Op::Retrieve { .. } => return,
        Op::List { filter, value } => return list_step(lines, model, filter, value),
    }
    if matches!(op, Op::Method { method: "DELETE", .. }) && answer.status == 204 {
        let who = who.unwrap_or_default();
        lines.then("the removal succeeds with no body");
        lines.then(format!("{who:?} is gone from the conference"));
        list_step(lines, model, "Muted", "true");
        list_step(lines, model, "Muted", "false");
        let after = states(model);
        let others_changed = before
            .iter()
            .zip(&after)
            .any(|((n, b), (_, a))| n != who && b.as_ref().map(strip_dates) != a.as_ref().map(strip_dates));
        if !others_changed {
            lines.then(format!("no participant but {who:?} has changed"));
        }
        return;
    }
    outcome(lines, model, who, answer.status, body.as_ref());
}

/// A participant without its dates, to tell whether anything else changed.
fn strip_dates(v: &Value) -> Value {
    let mut v = v.clone();
    if let Value::Object(fields) = &mut v {
        fields.remove("date_updated");
    }
    v
}
