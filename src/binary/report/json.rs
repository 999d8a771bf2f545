//! The Cucumber JSON report (`--json`), rendered from the run's [`Record`] into the typed
//! values of [`crate::child::cucumber_json`], which the commands that read it back share.
//!
//! A failed step's `error_message` is the failure's text as the console shows it, after
//! "Step failed: "; a step that never ran (after a failed or skipped one) is not in it, and a
//! scenario's Background steps are an element of their own, as cucumber-rs wrote it.
//!
//! A scenario the ledger of known divergences lists keeps its steps' true statuses (a known
//! failure's step is `failed`): a reader that judges a run by its steps sees what the target
//! did. Its elements carry the tag [`KNOWN_TAG`], by which a reader (this binary's `verdicts`,
//! a dashboard's tag view) tells a known failure from another, and a `description` that says
//! what the ledger says of it.

use crate::child::Verdict;
use crate::child::cucumber_json::{Element, Feature, HookResult, KNOWN_TAG, Kind, RunResult, Status, Step, Tag};

use super::record::{FeatureRecord, Outcome, Record, ScenarioRecord, StepError, StepRecord};
use super::words;

/// The report of `record`.
pub fn render(record: &Record) -> Vec<Feature> {
    let errors = record.parse_failures.iter().map(parse_error);
    errors
        .chain(record.features.iter().map(feature))
        .filter(|f| !f.elements.is_empty())
        .collect()
}

fn feature(f: &FeatureRecord) -> Feature {
    let line = f.source.position.line;
    Feature {
        uri: f.path.clone(),
        keyword: f.keyword.clone(),
        name: f.name.clone(),
        tags: f.source.tags.iter().map(|t| Tag { name: t.clone(), line }).collect(),
        elements: f.scenarios.iter().flat_map(|s| elements(f, s)).collect(),
    }
}

/// A scenario's elements in the order cucumber opened them: its Background's when a Background
/// step ran, its own when a step of its own or a hook ran (a before hook opens it first).
fn elements(f: &FeatureRecord, s: &ScenarioRecord) -> Vec<Element> {
    let ran = |background: bool| -> Vec<Step> {
        s.steps
            .iter()
            .filter(|st| st.background == background)
            .filter_map(step)
            .collect()
    };
    let hooks = |before: bool| hooks(s, before);
    let (description, known_tag) = ledger_said(s);
    let element = |kind: Kind, steps: Vec<Step>| {
        let background_keyword = f.source.background.as_ref().map(|b| b.keyword.clone());
        let keyword = match kind {
            Kind::Background => background_keyword.unwrap_or_else(|| s.keyword.clone()),
            Kind::Scenario => s.keyword.clone(),
        };
        let rule = |sep: &str, name: &dyn Fn(&str) -> String| {
            s.rule
                .as_deref()
                .map(|r| format!("{}{sep}", name(r)))
                .unwrap_or_default()
        };
        Element {
            after: Vec::new(),
            before: Vec::new(),
            keyword,
            kind,
            id: format!("{}/{}{}", kebab(&f.name), rule("/", &kebab), kebab(&s.name)),
            line: s.line,
            name: format!("{}{}", rule(" ", &str::to_string), s.name),
            description: description.clone(),
            tags: s
                .tags
                .iter()
                .map(String::as_str)
                .chain(known_tag)
                .map(|t| Tag {
                    name: t.to_string(),
                    line: s.line,
                })
                .collect(),
            steps,
        }
    };
    let (background, own) = (ran(true), ran(false));
    let (before, after) = (hooks(true), hooks(false));
    let before_first = !before.is_empty();
    let mut out = Vec::new();
    if !own.is_empty() || before_first || !after.is_empty() {
        out.push(Element {
            before,
            after,
            ..element(Kind::Scenario, own)
        });
    }
    if !background.is_empty() {
        let at = if before_first { out.len() } else { 0 };
        out.insert(at, element(Kind::Background, background));
    }
    out
}

/// A scenario's before (or after) hooks as the report says them.
fn hooks(s: &ScenarioRecord, before: bool) -> Vec<HookResult> {
    s.ran
        .hooks
        .iter()
        .filter(|h| h.before == before)
        .map(|h| HookResult {
            result: RunResult {
                status: if h.failed.is_some() {
                    Status::Failed
                } else {
                    Status::Passed
                },
                duration: nanos(h.duration),
                error_message: h.failed.clone(),
            },
        })
        .collect()
}

/// For a scenario the ledger of known divergences lists, what the ledger says of it when it is
/// known or fixed (a skip, or a failed hook, the ledger does not judge), and the tag that marks
/// it listed.
fn ledger_said(s: &ScenarioRecord) -> (Option<String>, Option<&'static str>) {
    let Some(entry) = &s.known else { return (None, None) };
    let said = match s.verdict() {
        Verdict::Fixed => Some(entry.fixed_said()),
        Verdict::Known => Some(entry.known_said()),
        _ => None,
    };
    (said, Some(KNOWN_TAG))
}

/// A step as the report says it, if it ran.
fn step(st: &StepRecord) -> Option<Step> {
    let (status, error_message) = match (&st.outcome, st.ran.error) {
        (Outcome::NotRun, _) => return None,
        (Outcome::Passed, _) => (Status::Passed, None),
        (Outcome::Skipped, _) => (Status::Skipped, None),
        (Outcome::Failed(failure), Some(StepError::Undefined)) => (Status::Undefined, Some(failure.to_string())),
        (Outcome::Failed(failure), Some(StepError::Ambiguous)) => (Status::Ambiguous, Some(failure.to_string())),
        (Outcome::Failed(failure), None) => (Status::Failed, Some(format!("{}{failure}", words::PLAIN))),
    };
    Some(Step {
        keyword: st.keyword.clone(),
        line: st.line,
        name: st.text.clone(),
        result: RunResult {
            status,
            duration: nanos(st.ran.duration),
            error_message,
        },
    })
}

/// A feature file that could not be read, parsed or expanded, as cucumber reported it: a
/// feature of one failed pseudo-step.
fn parse_error(e: &cucumber::parser::Error) -> Feature {
    use cucumber::gherkin::ParseFileError;
    use cucumber::parser::Error;
    let (path, id, line) = match e {
        Error::Parsing(e) => {
            let (ParseFileError::Reading { path, .. } | ParseFileError::Parsing { path, .. }) = e.as_ref();
            (Some(path.as_path()), "failed-to-parse", 0)
        }
        Error::ExampleExpansion(e) => (e.path.as_deref(), "failed-to-expand-examples", e.pos.line),
    };
    let uri = path.map(super::record::shown_path);
    let step = Step {
        keyword: String::new(),
        line,
        name: "scenario".into(),
        result: RunResult {
            status: Status::Failed,
            duration: 0,
            error_message: Some(e.to_string()),
        },
    };
    Feature {
        uri: uri.clone(),
        keyword: String::new(),
        name: String::new(),
        tags: Vec::new(),
        elements: vec![Element {
            after: Vec::new(),
            before: Vec::new(),
            keyword: String::new(),
            kind: Kind::Scenario,
            id: format!("{id}{}", uri.unwrap_or_default()),
            line: 0,
            name: String::new(),
            description: None,
            tags: Vec::new(),
            steps: vec![step],
        }],
    }
}

fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// A name in kebab case as cucumber-rs wrote an element's id (Inflector's `to_kebab_case`):
/// lower case, every run of other characters one `-`, and a `-` before an upper-case letter
/// (or a digit) that starts a word inside a run.
fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    // Inflector looks a character's neighbours up by its byte offset among the characters
    let lower_at = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_lowercase());
    let mut out = String::with_capacity(name.len());
    let mut word_start = true;
    for (i, c) in name.trim_end_matches(|c: char| !c.is_alphanumeric()).char_indices() {
        if !c.is_alphanumeric() {
            if !word_start {
                word_start = true;
                out.push('-');
            }
            continue;
        }
        if !word_start && c == c.to_ascii_uppercase() && (lower_at(Some(i + 1)) || lower_at(i.checked_sub(1))) {
            out.push('-');
        }
        word_start = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kebab_case_as_cucumber_wrote_them() {
        assert_eq!(kebab("Mute a Participant"), "mute-a-participant");
        assert_eq!(kebab("  (documented) mute: \"agent\"!! "), "documented-mute-agent");
        assert_eq!(kebab("callSidToCoach"), "call-sid-to-coach");
        assert_eq!(kebab("HTTP 404"), "http-404");
        assert_eq!(
            kebab("HTTPServer"),
            "http-server",
            "a word that starts before a lower-case letter"
        );
    }

    /// The harness registers no before hook, but a record that has one (cucumber reports them)
    /// says it before the scenario, as cucumber's JSON does, apart from the after hooks.
    #[test]
    fn hooks_are_said_before_or_after_as_they_ran() {
        let (mut record, _) = super::super::sample::sample();
        let scenario = &mut record.features[0].scenarios[0];
        for (before, failed) in [(true, None), (false, Some("the After hook failed".to_string()))] {
            scenario.ran.hooks.push(super::super::timing::HookRun {
                before,
                duration: std::time::Duration::from_millis(2),
                failed,
            });
        }
        let json = serde_json::to_value(render(&record)).unwrap();
        let first = &json[0]["elements"][0];
        assert_eq!(first["type"], "scenario", "{json:#}");
        assert_eq!(first["before"][0]["result"]["status"], "passed", "{first}");
        assert_eq!(first["before"][0]["result"]["duration"], 2_000_000);
        assert_eq!(first["after"][0]["result"]["status"], "failed", "{first}");
        assert_eq!(first["after"][0]["result"]["error_message"], "the After hook failed");
        assert_eq!(
            (
                first["before"].as_array().map(Vec::len),
                first["after"].as_array().map(Vec::len)
            ),
            (Some(1), Some(1))
        );
    }

    #[test]
    fn a_failed_step_says_it_failed_and_a_step_after_it_is_left_out() {
        let (record, _) = super::super::sample::sample();
        let features = render(&record);
        let json = serde_json::to_value(&features).unwrap();
        let steps = &json[0]["elements"][1]["steps"];
        assert_eq!(steps.as_array().unwrap().len(), 2, "{steps}");
        assert_eq!(steps[1]["result"]["status"], "failed");
        let message = steps[1]["result"]["error_message"].as_str().unwrap();
        assert!(message.starts_with("Step failed: the response differs"), "{message}");
        assert_eq!(json[0]["elements"][2]["steps"][0]["result"]["status"], "skipped");
        let back: Vec<Feature> = serde_json::from_value(json).unwrap();
        assert_eq!(back, features);
    }

    #[test]
    fn a_listed_scenario_keeps_its_true_statuses_and_is_marked_known() {
        let (record, _) = super::super::sample::sample_known();
        let features = render(&record);
        let json = serde_json::to_value(&features).unwrap();
        let known = &json[0]["elements"][1];
        assert_eq!(known["steps"][1]["result"]["status"], "failed", "{known}");
        let tags: Vec<&str> = known["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(tags, ["mute", KNOWN_TAG]);
        assert_eq!(
            known["description"],
            "known divergence (known.toml:2): ignores <Muted> | pipes (https://example.com/1)"
        );
        let fixed = &json[1]["elements"][0];
        assert_eq!(fixed["steps"][0]["result"]["status"], "passed");
        assert!(
            fixed["description"]
                .as_str()
                .unwrap()
                .starts_with("fixed: remove it from the ledger"),
            "{fixed}"
        );
        assert!(
            json[0]["elements"][0].get("description").is_none(),
            "unlisted: no description"
        );
        // read back, the report gives the verdicts the run gave
        let read: Vec<crate::child::Verdict> = crate::child::verdicts(&features)
            .into_iter()
            .map(|(_, _, v)| v)
            .collect();
        let ran: Vec<crate::child::Verdict> = record
            .features
            .iter()
            .flat_map(|f| &f.scenarios)
            .map(ScenarioRecord::verdict)
            .collect();
        assert_eq!(read, ran);
    }
}
