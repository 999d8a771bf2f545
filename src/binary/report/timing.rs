//! What the JUnit, Cucumber JSON and Cucumber Messages reports say of a run beside its verdicts:
//! when each scenario started, how long each step, hook and scenario took, which hooks ran, and
//! how a step failed that raised no failure.
//! The record keeps them beside its steps; the HTML page and the Markdown summary do not read
//! them.

/// What the Cucumber JSON report says of a step beside its outcome.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct StepRun {
    /// From its start to its end.
    pub duration: std::time::Duration,
    /// Whether it failed as undefined or ambiguous (cucumber's words) rather than raising a
    /// failure.
    pub error: Option<StepError>,
}

/// How a step failed without raising a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StepError {
    /// No step definition matched it.
    Undefined,
    /// More than one matched it.
    Ambiguous,
}

/// What the JUnit and Cucumber JSON reports say of a scenario beside its steps.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ScenarioRun {
    /// Its column, which names it in JUnit beside its line.
    pub col: usize,
    /// When it started (the Cucumber Messages say when each scenario ran).
    pub started: Option<std::time::SystemTime>,
    /// From its start to its end.
    pub duration: std::time::Duration,
    /// Its hooks, in the order they ended.
    pub hooks: Vec<HookRun>,
}

/// One hook run around a scenario.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct HookRun {
    /// Whether it ran before the scenario (else after).
    pub before: bool,
    /// From its start to its end.
    pub duration: std::time::Duration,
    /// What it said when it failed (cucumber's text of its panic).
    pub failed: Option<String>,
}
