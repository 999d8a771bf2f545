//! The envelopes of a run, typed as the `@cucumber/messages` JSON schema (34.2.1) names them:
//! one line of the NDJSON stream each. The Gherkin document and the pickles are in
//! [`super::ast`].
//!
//! Only the fields this harness fills are here; every one of them keeps the schema's name, and
//! an optional field left `None` is left out, as the schema's `additionalProperties: false`
//! and its `required` lists expect.

use serde::Serialize;

use super::ast::{GherkinDocument, Location, Pickle};

/// One message of the stream.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Envelope {
    /// What wrote the stream, on what.
    Meta(Box<Meta>),
    /// A feature file's text.
    Source(Source),
    /// A feature file, parsed.
    GherkinDocument(Box<GherkinDocument>),
    /// A feature file that could not be parsed.
    ParseError(ParseError),
    /// A scenario (or one row of an outline) as it is run.
    Pickle(Box<Pickle>),
    /// A step definition of the harness.
    StepDefinition(StepDefinition),
    /// A hook of the run, around each scenario.
    Hook(Hook),
    /// The run began.
    TestRunStarted(TestRunStarted),
    /// What a pickle runs: its steps, each matched to its definitions, and the hooks.
    TestCase(Box<TestCase>),
    /// A test case began.
    TestCaseStarted(TestCaseStarted),
    /// A step (or hook) of a test case began.
    TestStepStarted(TestStepStarted),
    /// A step (or hook) of a test case ended, and how.
    TestStepFinished(TestStepFinished),
    /// A test case ended.
    TestCaseFinished(TestCaseFinished),
    /// The run ended, and whether it succeeded.
    TestRunFinished(TestRunFinished),
}

/// A point in time, as seconds and nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Whole seconds.
    pub seconds: u64,
    /// The rest, in nanoseconds.
    pub nanos: u32,
}

/// A length of time.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Duration {
    /// Whole seconds.
    pub seconds: u64,
    /// The rest, in nanoseconds.
    pub nanos: u32,
}

impl From<std::time::SystemTime> for Timestamp {
    fn from(t: std::time::SystemTime) -> Self {
        let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Timestamp {
            seconds: d.as_secs(),
            nanos: d.subsec_nanos(),
        }
    }
}

impl From<std::time::Duration> for Duration {
    fn from(d: std::time::Duration) -> Self {
        Duration {
            seconds: d.as_secs(),
            nanos: d.subsec_nanos(),
        }
    }
}

/// A name and a version.
#[derive(Debug, Clone, Serialize)]
pub struct Product {
    /// Its name.
    pub name: String,
    /// Its version, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// What wrote the stream: the protocol's version, the harness, the platform, and the CI build.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    /// The version of `@cucumber/messages` whose schema the stream follows.
    pub protocol_version: String,
    /// laml-conformance and its version.
    pub implementation: Product,
    /// Rust.
    pub runtime: Product,
    /// The operating system.
    pub os: Product,
    /// The processor's architecture.
    pub cpu: Product,
    /// The CI build, when the run is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<Ci>,
}

/// A CI build.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ci {
    /// The CI product.
    pub name: String,
    /// A link to the build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_number: Option<String>,
    /// The commit it built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<Git>,
}

/// A commit of a repository.
#[derive(Debug, Clone, Serialize)]
pub struct Git {
    /// The repository.
    pub remote: String,
    /// The commit.
    pub revision: String,
    /// The branch, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
}

/// A feature file's text.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Its path, as the other reports name it.
    pub uri: String,
    /// Its text.
    pub data: String,
    /// Always plain Gherkin here.
    pub media_type: &'static str,
}

/// The media type of a plain Gherkin file.
pub const GHERKIN: &str = "text/x.cucumber.gherkin+plain";

/// A file, and a place in it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReference {
    /// The file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// The place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A feature file that could not be parsed, with what the parser said.
#[derive(Debug, Clone, Serialize)]
pub struct ParseError {
    /// The file, and where, when the parser said.
    pub source: SourceReference,
    /// What the parser said.
    pub message: String,
}

/// A step definition: its pattern, and where it is defined.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepDefinition {
    /// Its id.
    pub id: String,
    /// What it matches.
    pub pattern: Pattern,
    /// Its source file and line in this project.
    pub source_reference: SourceReference,
}

/// A step definition's pattern: cucumber-rs compiles every expression to a regular expression,
/// which is what is matched.
#[derive(Debug, Clone, Serialize)]
pub struct Pattern {
    /// The regular expression.
    pub source: String,
    /// Always `REGULAR_EXPRESSION` here.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// A hook of the run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hook {
    /// Its id.
    pub id: String,
    /// What it does.
    pub name: String,
    /// It has no file a user of the binary has.
    pub source_reference: SourceReference,
    /// `BEFORE_TEST_CASE` or `AFTER_TEST_CASE`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The run began.
#[derive(Debug, Clone, Serialize)]
pub struct TestRunStarted {
    /// When.
    pub timestamp: Timestamp,
    /// Its id, which the test cases name.
    pub id: String,
}

/// What a pickle runs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestCase {
    /// Its id.
    pub id: String,
    /// The pickle it runs.
    pub pickle_id: String,
    /// Its hooks and steps, in the order they run.
    pub test_steps: Vec<TestStep>,
    /// The run it belongs to.
    pub test_run_started_id: String,
}

/// A step of a test case: a pickle step with the definitions it matches, or a hook.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestStep {
    /// Its id.
    pub id: String,
    /// The hook, for a hook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hook_id: Option<String>,
    /// The pickle step, for a step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pickle_step_id: Option<String>,
    /// The definitions its text matches: none for an undefined step, more than one for an
    /// ambiguous one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_definition_ids: Option<Vec<String>>,
    /// For each of those definitions, the arguments it captures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_match_arguments_lists: Option<Vec<ArgumentsList>>,
}

/// The arguments one definition captures from a step's text.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArgumentsList {
    /// One per capture group.
    pub step_match_arguments: Vec<Argument>,
}

/// One captured argument.
#[derive(Debug, Clone, Serialize)]
pub struct Argument {
    /// Where it is in the step's text.
    pub group: Group,
}

/// A capture group: where it starts in the text (in UTF-16 code units, as JavaScript counts),
/// and what it captured.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Its start.
    pub start: usize,
    /// What it captured.
    pub value: String,
}

/// A test case began.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestCaseStarted {
    /// The first attempt: this harness does not retry.
    pub attempt: u32,
    /// Its id, which its steps name.
    pub id: String,
    /// The test case.
    pub test_case_id: String,
    /// When.
    pub timestamp: Timestamp,
}

/// A step (or hook) of a test case began.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestStepStarted {
    /// The test case's start.
    pub test_case_started_id: String,
    /// The step.
    pub test_step_id: String,
    /// When.
    pub timestamp: Timestamp,
}

/// A step (or hook) of a test case ended.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestStepFinished {
    /// The test case's start.
    pub test_case_started_id: String,
    /// The step.
    pub test_step_id: String,
    /// How it ended.
    pub test_step_result: TestStepResult,
    /// When.
    pub timestamp: Timestamp,
}

/// How a step ended.
#[derive(Debug, Clone, Serialize)]
pub struct TestStepResult {
    /// How long it took.
    pub duration: Duration,
    /// Its status.
    pub status: Status,
    /// The failure, rendered from the value the step raised; a skipped scenario's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A step's status, as the schema spells it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// It passed.
    Passed,
    /// It did not run, or its scenario was skipped.
    Skipped,
    /// No definition matches it.
    Undefined,
    /// More than one definition matches it.
    Ambiguous,
    /// It failed.
    Failed,
    /// The record does not say (a step the record does not hold).
    Unknown,
}

/// A test case ended.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestCaseFinished {
    /// The test case's start.
    pub test_case_started_id: String,
    /// When.
    pub timestamp: Timestamp,
    /// Never: this harness does not retry.
    pub will_be_retried: bool,
}

/// The run ended.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestRunFinished {
    /// Whether every scenario passed or was skipped, and every feature file parsed.
    pub success: bool,
    /// When.
    pub timestamp: Timestamp,
    /// Why the run stopped early, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The run.
    pub test_run_started_id: String,
}
