//! A feature file as a Gherkin document, and the pickles compiled from it, typed as the
//! `@cucumber/messages` JSON schema (34.2.1) names them.
//!
//! Every node a pickle points at has an `id`: a pickle's `astNodeIds` name its scenario (and
//! the row of an outline's `Examples`), a pickle step's name its step (and that row), a pickle
//! tag's names the tag.

use serde::Serialize;

/// A line (and column) of a file, both from 1.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Location {
    /// From 1.
    pub line: usize,
    /// From 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// A feature file, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct GherkinDocument {
    /// Its path, as the source envelope names it.
    pub uri: String,
    /// Its feature.
    pub feature: Feature,
    /// Its comments.
    pub comments: Vec<Comment>,
}

/// A comment line.
#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    /// Its line.
    pub location: Location,
    /// The line, as written.
    pub text: String,
}

/// A tag, with its `@`.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// Where it is written.
    pub location: Location,
    /// `@` and its name.
    pub name: String,
    /// Its id.
    pub id: String,
}

/// The feature.
#[derive(Debug, Clone, Serialize)]
pub struct Feature {
    /// Its keyword's place.
    pub location: Location,
    /// Its tags.
    pub tags: Vec<Tag>,
    /// The Gherkin dialect (`en`, or a `# language:` header's).
    pub language: String,
    /// `Feature`, as written.
    pub keyword: String,
    /// Its name.
    pub name: String,
    /// The text under its name.
    pub description: String,
    /// Its background, scenarios and rules, in order.
    pub children: Vec<FeatureChild>,
}

/// One child of a feature: exactly one of its fields is set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeatureChild {
    /// A rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// A background.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<Background>,
    /// A scenario or an outline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Scenario>,
}

/// A rule.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Its keyword's place.
    pub location: Location,
    /// Its tags.
    pub tags: Vec<Tag>,
    /// `Rule`, as written.
    pub keyword: String,
    /// Its name.
    pub name: String,
    /// The text under its name.
    pub description: String,
    /// Its background and scenarios.
    pub children: Vec<RuleChild>,
    /// Its id.
    pub id: String,
}

/// One child of a rule: exactly one of its fields is set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleChild {
    /// A background.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<Background>,
    /// A scenario or an outline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Scenario>,
}

/// A background.
#[derive(Debug, Clone, Serialize)]
pub struct Background {
    /// Its keyword's place.
    pub location: Location,
    /// `Background`, as written.
    pub keyword: String,
    /// Its name.
    pub name: String,
    /// The text under its name.
    pub description: String,
    /// Its steps.
    pub steps: Vec<Step>,
    /// Its id.
    pub id: String,
}

/// A scenario, or an outline with its examples.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// Its keyword's place.
    pub location: Location,
    /// Its tags.
    pub tags: Vec<Tag>,
    /// `Scenario`, `Scenario Outline`, …, as written.
    pub keyword: String,
    /// Its name, placeholders kept.
    pub name: String,
    /// The text under its name.
    pub description: String,
    /// Its steps.
    pub steps: Vec<Step>,
    /// An outline's `Examples` blocks.
    pub examples: Vec<Examples>,
    /// Its id.
    pub id: String,
}

/// One `Examples` block of an outline.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Examples {
    /// Its keyword's place.
    pub location: Location,
    /// Its tags.
    pub tags: Vec<Tag>,
    /// `Examples`, as written.
    pub keyword: String,
    /// Its name.
    pub name: String,
    /// The text under its name.
    pub description: String,
    /// The header row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_header: Option<TableRow>,
    /// The rows, each a pickle.
    pub table_body: Vec<TableRow>,
    /// Its id.
    pub id: String,
}

/// A step as written.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Its keyword's place.
    pub location: Location,
    /// `Given `, `And `, …, as written (with its space).
    pub keyword: String,
    /// What its keyword says (left out where the dialect is not English).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword_type: Option<KeywordType>,
    /// Its text, placeholders kept.
    pub text: String,
    /// Its doc string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_string: Option<DocString>,
    /// Its table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_table: Option<DataTable>,
    /// Its id.
    pub id: String,
}

/// What a step's keyword says.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum KeywordType {
    /// `*`.
    Unknown,
    /// `Given`.
    Context,
    /// `When`.
    Action,
    /// `Then`.
    Outcome,
    /// `And`, `But`.
    Conjunction,
}

/// A doc string.
#[derive(Debug, Clone, Serialize)]
pub struct DocString {
    /// Its opening delimiter's place.
    pub location: Location,
    /// Its content, as the step is given it.
    pub content: String,
    /// `"""` or ```` ``` ````.
    pub delimiter: String,
}

/// A step's table.
#[derive(Debug, Clone, Serialize)]
pub struct DataTable {
    /// Its first row's place.
    pub location: Location,
    /// Its rows.
    pub rows: Vec<TableRow>,
}

/// A row of a table.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    /// Its first `|`.
    pub location: Location,
    /// Its cells.
    pub cells: Vec<TableCell>,
    /// Its id.
    pub id: String,
}

/// A cell of a row.
#[derive(Debug, Clone, Serialize)]
pub struct TableCell {
    /// Where its value starts.
    pub location: Location,
    /// Its value, unescaped.
    pub value: String,
}

/// A scenario, or one row of an outline, as it is run: background steps first, placeholders
/// replaced by the row's values.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pickle {
    /// Its id.
    pub id: String,
    /// Its file.
    pub uri: String,
    /// Its scenario's place, or its row's.
    pub location: Location,
    /// Its name, placeholders replaced.
    pub name: String,
    /// The dialect.
    pub language: String,
    /// Its steps.
    pub steps: Vec<PickleStep>,
    /// The feature's, rule's, scenario's and `Examples`' tags.
    pub tags: Vec<PickleTag>,
    /// Its scenario, and its row for an outline.
    pub ast_node_ids: Vec<String>,
}

/// A step as it is run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PickleStep {
    /// Its table or doc string, placeholders replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argument: Option<PickleStepArgument>,
    /// Its step, and its row for a step of an outline.
    pub ast_node_ids: Vec<String>,
    /// Its id.
    pub id: String,
    /// `Context`, `Action`, `Outcome` (an `And` takes the one before it's), or `Unknown`.
    #[serde(rename = "type")]
    pub kind: PickleStepType,
    /// Its text, placeholders replaced.
    pub text: String,
}

/// What a pickle step does.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum PickleStepType {
    /// `*`.
    Unknown,
    /// `Given`.
    Context,
    /// `When`.
    Action,
    /// `Then`.
    Outcome,
}

/// A pickle step's table or doc string.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PickleStepArgument {
    /// Its doc string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_string: Option<PickleDocString>,
    /// Its table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_table: Option<PickleTable>,
}

/// A doc string as it is run.
#[derive(Debug, Clone, Serialize)]
pub struct PickleDocString {
    /// Its content.
    pub content: String,
}

/// A table as it is run.
#[derive(Debug, Clone, Serialize)]
pub struct PickleTable {
    /// Its rows.
    pub rows: Vec<PickleTableRow>,
}

/// A row as it is run.
#[derive(Debug, Clone, Serialize)]
pub struct PickleTableRow {
    /// Its cells.
    pub cells: Vec<PickleTableCell>,
}

/// A cell as it is run.
#[derive(Debug, Clone, Serialize)]
pub struct PickleTableCell {
    /// Its value.
    pub value: String,
}

/// A tag of a pickle.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PickleTag {
    /// `@` and its name.
    pub name: String,
    /// The tag it comes from.
    pub ast_node_id: String,
}
