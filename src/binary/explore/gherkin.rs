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

use super::lines::{Lines, given_state, names_list, operation};
use super::lockstep::{About, Divergence};
use super::model::Model;
use super::ops::{FIRST, Op, Plan, SECOND};

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

/// The feature: a header of comments (how it was found, how to find it again, what differed),
/// then one scenario.
pub fn feature(plan: &Plan, divergence: &Divergence, start: Start<'_>, found: &Provenance) -> String {
    let mut out = header(plan, divergence, start.profile, found).join("\n");
    out.push_str("\n@explore\nFeature: Found by laml-conformance explore\n\n");
    let tags = tags(plan, &start);
    if !tags.is_empty() {
        out.push_str(&format!("  {}\n", tags.join(" ")));
    }
    out.push_str(&format!(
        "  Scenario: The target and the reference model diverge (explore seed {})\n",
        found.seed
    ));
    out.push_str(&steps(plan, divergence, &start).joined());
    out.push('\n');
    out
}

/// The comments above the feature: how it was found, how to find it again, what differed.
fn header(plan: &Plan, divergence: &Divergence, profile: &Profile, found: &Provenance) -> Vec<String> {
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
    head
}

/// The scenario's tags: what it needs of the target, and whether it may run on a live one.
fn tags(plan: &Plan, start: &Start<'_>) -> Vec<&'static str> {
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
    tags
}

/// The scenario's steps: the arrangement, the operations with what the model implies, and
/// where the divergence was in a participant's state, the update that shows it.
fn steps(plan: &Plan, divergence: &Divergence, start: &Start<'_>) -> Lines {
    let mut lines = Lines::new();
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
    let mut model = Model::arrange(start.profile, plan);
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
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::ops::Val;

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
