//! The Cucumber JSON report as typed values: written by the run (`report::json`, from its
//! record), and read back by the commands that run the suite as a child process (`faults`,
//! `profiles`, `explore`), so both sides name the same fields.
//!
//! The shape is the standard cucumber-json one, with the keys cucumber-rs 0.23 wrote: features
//! with `uri`, `keyword`, `name`, `tags` and `elements`; an element per scenario (and one per
//! scenario for the Background steps it ran) with its steps and hooks; each step's `result`
//! with `status`, `duration` (nanoseconds) and, when it failed, `error_message`. A step that
//! never ran (after a failed or skipped one) is not in it, as cucumber wrote it.

use serde::{Deserialize, Serialize};

/// The tag the report adds to a scenario that the run's ledger of known divergences (`--known`)
/// lists, so that a reader of the report (this binary's, or a dashboard's tag view) can tell a
/// known failure from another: the steps keep their true statuses. Gherkin's own tags are read
/// from the features, which hold none of that name.
pub const KNOWN_TAG: &str = "known";

/// One feature file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    /// Its file, as the console names it.
    pub uri: Option<String>,
    /// `Feature`, as written.
    pub keyword: String,
    /// Its name.
    pub name: String,
    /// Its tags, without `@`.
    pub tags: Vec<Tag>,
    /// Its scenarios (and Backgrounds), in the order they ran.
    pub elements: Vec<Element>,
}

/// A tag and the line of what it tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Without `@`.
    pub name: String,
    /// The line of the feature or scenario it tags.
    pub line: usize,
}

/// What an element holds: the Background steps a scenario ran, or its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The Background steps run for the scenario of the same name and line.
    Background,
    /// The scenario's own steps and its hooks.
    Scenario,
}

/// One scenario, or the Background run for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Element {
    /// Its after hooks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<HookResult>,
    /// Its before hooks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<HookResult>,
    /// `Scenario`, `Background`, …, as written.
    pub keyword: String,
    /// Background or scenario.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// The feature's, rule's and scenario's names in kebab case.
    pub id: String,
    /// The scenario's line.
    pub line: usize,
    /// The scenario's name, after its rule's.
    pub name: String,
    /// For a scenario the ledger of known divergences lists, what the ledger says of it: its
    /// reason, or that it passed and the entry should go. Cucumber JSON's own field, which
    /// report viewers show under the scenario's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The scenario's tags.
    pub tags: Vec<Tag>,
    /// The steps that ran.
    pub steps: Vec<Step>,
}

/// A step that ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// `Given `, `When `, …, as written.
    pub keyword: String,
    /// Its line.
    pub line: usize,
    /// Its text.
    pub name: String,
    /// How it ended.
    pub result: RunResult,
}

/// A hook that ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HookResult {
    /// How it ended.
    pub result: RunResult,
}

/// How a step or hook ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Passed, failed, …
    pub status: Status,
    /// How long it took, in nanoseconds.
    pub duration: u64,
    /// What it said when it failed: the text the console shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// A step's or hook's status, in cucumber-json's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// It passed.
    Passed,
    /// It failed.
    Failed,
    /// No step definition matched it; in this harness, a scenario the target cannot arrange.
    Skipped,
    /// More than one step definition matched it.
    Ambiguous,
    /// No step definition matched it, as an error.
    Undefined,
    /// Not written by this harness; read as not passed.
    Pending,
}

impl Status {
    /// Passed or skipped: what does not fail a scenario.
    pub fn is_ok(self) -> bool {
        matches!(self, Status::Passed | Status::Skipped)
    }
}

/// Values to build reports from in the tests of their readers.
#[cfg(test)]
pub mod tests {
    use super::*;

    /// A result of `status` that took no time, with a message when it did not pass.
    pub fn result(status: Status) -> RunResult {
        RunResult {
            status,
            duration: 0,
            error_message: (!status.is_ok()).then(|| format!("Step failed: it was {status:?}")),
        }
    }

    /// An element of `kind` named `name`, whose steps `a`, `b`, … ended as `steps` say.
    pub fn element(kind: Kind, name: &str, steps: &[Status]) -> Element {
        Element {
            after: Vec::new(),
            before: Vec::new(),
            keyword: "Scenario".into(),
            kind,
            id: name.into(),
            line: 1,
            name: name.into(),
            description: None,
            tags: Vec::new(),
            steps: steps
                .iter()
                .zip('a'..)
                .map(|(status, name)| Step {
                    keyword: "Then ".into(),
                    line: 2,
                    name: name.to_string(),
                    result: result(*status),
                })
                .collect(),
        }
    }

    #[test]
    fn a_report_reads_back_as_it_was_written() {
        let mut e = element(Kind::Scenario, "a", &[Status::Passed, Status::Failed]);
        e.after.push(HookResult {
            result: result(Status::Passed),
        });
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["type"], "scenario");
        assert_eq!(json["steps"][1]["result"]["status"], "failed");
        assert!(json["steps"][0]["result"].get("error_message").is_none(), "{json}");
        assert!(json.get("before").is_none(), "an empty list is left out: {json}");
        assert_eq!(serde_json::from_value::<Element>(json).unwrap(), e);
    }
}
