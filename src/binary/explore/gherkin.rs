//! A shrunk sequence as a scenario in the features' own steps, ready to paste into `features/`.
//!
//! The expectations are the model's: the sequence is replayed on a fresh model alone (it is a
//! pure function), and after each request the scenario says what the model answered and holds
//! (the update succeeds or is refused with its code, each flag, whom it coaches, that nobody
//! else changed, what a list gives). Only steps of `src/binary/steps` are written, in their exact
//! words. Where the divergence showed in a participant's state rather than in an answer, the
//! scenario ends with an update of that participant with no parameters, whose answer and
//! retrieve show its state.

use laml_conformance::spec::Profile;
use serde_json::Value;

use super::lockstep::{About, Divergence, Model};
use super::ops::{FIRST, Op, Plan, SECOND, Val, creds_words, place_word};

/// Whether a scenario can show this divergence of `plan`: none can after a kick, since every
/// later step retrieves each participant first (the kicked one answers 404), so neither a
/// participant's state after it nor a later answer can be seen. At the kick itself the removal
/// steps show it: the answer, the kicked participant gone, the others unchanged.
pub fn showable(plan: &Plan, divergence: &Divergence) -> bool {
    let kick = |o: &Op| matches!(o, Op::Method { method: "DELETE", .. });
    let before = divergence.step.saturating_sub(1);
    !plan.ops.iter().take(before).any(kick)
}

/// What the scenario starts from besides fresh conferences.
#[derive(Debug, Clone, Copy)]
pub struct Start<'a> {
    /// The generation the model answers as.
    pub profile: &'static Profile,
    /// On shared participants, the updates that bring them to their state before the run.
    pub baseline: &'a [Op],
    /// Whether every operation was live-safe (the scenario is then tagged `@live-safe`).
    pub live_safe: bool,
}

/// What the header of the printed feature says about how it was found.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The seed of the run.
    pub seed: u64,
    /// The operations sent before the divergence showed, all sequences counted.
    pub steps: u64,
    /// How many operations the diverging sequence had up to its divergence, before shrinking.
    pub original: usize,
    /// How many replays shrinking took.
    pub replays: usize,
    /// Whether shrinking stopped at its bound on replays.
    pub capped: bool,
    /// The command that finds it again.
    pub command: String,
    /// What the target was.
    pub target: String,
}

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
struct Lines {
    out: Vec<String>,
    /// Whether the previous step was a `Then` (or an `And` after one).
    in_then: bool,
}

impl Lines {
    fn step(&mut self, text: impl AsRef<str>) {
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

    fn comment(&mut self, text: impl AsRef<str>) {
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
fn given_state(lines: &mut Lines, op: &Op) {
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

/// Adds `line` to the header, after the command that reproduces the scenario.
pub fn noted(feature: &str, line: &str) -> String {
    let mut out = String::new();
    for l in feature.lines() {
        out.push_str(l);
        out.push('\n');
        if l.starts_with("# Reproduce: ") {
            out.push_str(&format!("# {line}\n"));
        }
    }
    out
}

/// The When of one operation and the Then steps the model implies.
fn operation(lines: &mut Lines, model: &mut Model, op: &Op) {
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

/// The feature: a header of comments (how it was found, how to find it again, what differed),
/// then one scenario.
pub fn feature(plan: &Plan, divergence: &Divergence, start: Start<'_>, found: &Provenance) -> String {
    let profile = start.profile;
    let mut head = vec![
        "# Found by `laml-conformance explore`: the target answered otherwise than the reference model".to_string(),
        format!(
            "# (the rules of the simulated space under the {} profile).",
            profile.name
        ),
        format!("# Target: {}.", found.target),
        format!(
            "# Seed {}: the divergence showed after {} operation(s); its sequence of {} operation(s) shrank to {} in {} replay(s){}.",
            found.seed,
            found.steps,
            found.original,
            plan.ops.len(),
            found.replays,
            if found.capped {
                " (stopped at the bound on replays)"
            } else {
                ""
            }
        ),
        format!("# Reproduce: {}", found.command),
    ];
    let what = match (&divergence.about, divergence.step) {
        (About::Answer, n) => format!("the answer to operation {n}"),
        (About::State(name), 0) => format!("{name:?} right after arranging"),
        (About::State(name), n) => format!("{name:?}, retrieved after operation {n}"),
    };
    head.push(format!(
        "# What differed, {what} (expected: the model; actual: the target):"
    ));
    for d in &divergence.deviations {
        for line in d.to_string().lines() {
            head.push(format!("# {line}"));
        }
    }
    let mut tags = Vec::new();
    if start.live_safe {
        tags.push("@live-safe");
    }
    if plan.second {
        tags.push("@needs-another-conference");
    }
    if plan.completed {
        tags.push("@needs-completed-conference");
    }
    let mut lines = Lines {
        out: Vec::new(),
        in_then: false,
    };
    lines.step(format!("Given a conference with participants {}", names_list(&FIRST)));
    if plan.second {
        lines.step(format!(
            "And another conference of the same account with participants {}",
            names_list(&SECOND)
        ));
    }
    if plan.completed {
        lines.step("And the conference has completed");
    }
    let mut model = Model::arrange(profile, plan);
    for op in start.baseline {
        model.apply(op);
        given_state(&mut lines, op);
    }
    for (i, op) in plan.ops.iter().enumerate() {
        if i + 1 == divergence.step {
            lines.comment("the target diverges from the model at the next step");
        }
        operation(&mut lines, &mut model, op);
    }
    let probe = match (&divergence.about, plan.ops.last()) {
        // The removal steps after a kick show the state it left.
        (_, Some(Op::Method { method: "DELETE", .. })) => None,
        (About::State(name), _) => Some(name.clone()),
        (About::Answer, Some(Op::Retrieve { who })) => Some(who.clone()),
        _ => None,
    };
    let kicked = plan
        .ops
        .iter()
        .any(|o| matches!(o, Op::Method { method: "DELETE", .. }));
    if let Some(name) = probe {
        if kicked {
            lines.comment(format!(
                "the state of {name:?} diverged, which no step can show after a kick (every later step retrieves each participant first)"
            ));
        } else if model.state(&name).is_some() {
            lines.comment(format!(
                "the state of {name:?} diverged: an update with no parameters shows it"
            ));
            operation(
                &mut lines,
                &mut model,
                &Op::Update {
                    who: name,
                    params: Vec::new(),
                },
            );
        } else {
            lines.comment(format!("{name:?} is gone in the model, which no step can show"));
        }
    }
    let mut out = head.join("\n");
    out.push_str("\n@explore\nFeature: Found by laml-conformance explore\n\n");
    if !tags.is_empty() {
        out.push_str(&format!("  {}\n", tags.join(" ")));
    }
    out.push_str(&format!(
        "  Scenario: The target and the reference model diverge (explore seed {})\n",
        found.seed
    ));
    out.push_str(&lines.out.join("\n"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_after_a_kick_can_be_shown_but_the_kick_itself() {
        let kick = Op::Method {
            who: "agent".into(),
            method: "DELETE",
        };
        let list = Op::List {
            filter: "Muted".into(),
            value: "true".into(),
        };
        let plan = Plan {
            second: false,
            completed: false,
            ops: vec![list.clone(), kick, list],
        };
        let at = |step, about| Divergence {
            step,
            about,
            deviations: Vec::new(),
        };
        assert!(showable(&plan, &at(1, About::State("agent".into()))));
        assert!(showable(&plan, &at(2, About::Answer)));
        // At the kick, the removal steps show the kicked participant's state (gone or not).
        assert!(showable(&plan, &at(2, About::State("agent".into()))));
        assert!(!showable(&plan, &at(3, About::Answer)));
        assert!(!showable(&plan, &at(3, About::State("agent".into()))));
    }

    #[test]
    fn a_line_is_noted_after_the_command() {
        let text = "# a\n# Reproduce: x\nFeature: f\n";
        assert_eq!(
            noted(text, "Confirmed."),
            "# a\n# Reproduce: x\n# Confirmed.\nFeature: f\n"
        );
    }

    #[test]
    fn names_read_as_the_features_write_them() {
        assert_eq!(names_list(&[]), "nobody");
        assert_eq!(names_list(&["agent"]), "\"agent\"");
        assert_eq!(
            names_list(&["agent", "customer", "supervisor"]),
            "\"agent\", \"customer\" and \"supervisor\""
        );
    }

    #[test]
    fn a_scenario_says_what_the_model_answered_in_the_features_steps() {
        let plan = Plan {
            second: false,
            completed: false,
            ops: vec![
                Op::Update {
                    who: "supervisor".into(),
                    params: vec![
                        ("Coaching".into(), Val::Text("true".into())),
                        ("CallSidToCoach".into(), Val::Sid("agent".into())),
                    ],
                },
                Op::Update {
                    who: "agent".into(),
                    params: vec![("Hold".into(), Val::Text("yes".into()))],
                },
                Op::List {
                    filter: "Muted".into(),
                    value: "false".into(),
                },
            ],
        };
        let d = Divergence {
            step: 3,
            about: About::Answer,
            deviations: Vec::new(),
        };
        let found = Provenance {
            seed: 1,
            steps: 3,
            original: 3,
            replays: 0,
            capped: false,
            command: "laml-conformance explore --seed 1".into(),
            target: "the embedded simulated space".into(),
        };
        let start = Start {
            profile: Profile::seed(),
            baseline: &[],
            live_safe: false,
        };
        let text = feature(&plan, &d, start, &found);
        for line in [
            "    When \"supervisor\" is updated with:",
            "      | Coaching       | true  |",
            "      | CallSidToCoach | agent |",
            "    Then the update succeeds",
            "    And \"supervisor\" is coaching \"agent\"",
            "    And no participant but \"supervisor\" has changed",
            "    Then the update is refused with status 400 and code 10000",
            "    And no participant has changed",
            "    # the target diverges from the model at the next step",
            "    And listing the participants with \"Muted\" set to \"false\" gives exactly \"agent\", \"customer\" and \"supervisor\"",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
    }
}
