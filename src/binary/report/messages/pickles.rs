//! The pickles of a Gherkin document, compiled as Gherkin's own compiler does: one per
//! scenario and one per row of an outline's `Examples`, the feature's (and rule's) background
//! steps first, an outline's placeholders replaced by the row's values, the tags of the
//! feature, rule, scenario and `Examples` block.
//!
//! Beside each pickle is what the run's record is matched with: the line cucumber gave the
//! scenario (an outline row's is its `Examples` keyword's line plus two plus the row's index,
//! as cucumber expands it), and each step's place and type.

use std::collections::HashMap;

use cucumber::gherkin::StepType;

use super::ast::{
    Background, FeatureChild, GherkinDocument, Pickle, PickleDocString, PickleStep, PickleStepArgument, PickleStepType,
    PickleTable, PickleTableCell, PickleTableRow, PickleTag, RuleChild, Scenario, Step, TableRow, Tag,
};
use super::document::Document;
use super::ids::Ids;

/// A pickle, and what the record is matched with.
pub struct Compiled {
    /// The pickle.
    pub pickle: Pickle,
    /// The line cucumber gave its scenario.
    pub line: usize,
    /// Each step's place (line and column) and the type cucumber matches its definitions by.
    pub steps: Vec<(usize, usize, StepType)>,
}

/// What the pickles of a scope (the feature, or a rule) inherit.
#[derive(Clone, Default)]
struct Scope<'a> {
    tags: Vec<&'a Tag>,
    background: Vec<&'a Step>,
}

/// Every pickle of `doc`, in the document's order.
pub fn compile(doc: &Document, ids: &mut Ids) -> Vec<Compiled> {
    let d = &doc.document;
    let mut c = Compiler {
        doc: d,
        types: &doc.step_types,
        ids,
        out: Vec::new(),
    };
    let mut scope = Scope {
        tags: d.feature.tags.iter().collect(),
        background: Vec::new(),
    };
    for child in &d.feature.children {
        match child {
            FeatureChild {
                background: Some(bg), ..
            } => scope.background = steps_of(bg),
            FeatureChild { scenario: Some(sc), .. } => c.scenario(&scope, sc),
            FeatureChild { rule: Some(rule), .. } => {
                let mut inner = scope.clone();
                inner.tags.extend(&rule.tags);
                for child in &rule.children {
                    match child {
                        RuleChild {
                            background: Some(bg), ..
                        } => inner.background.extend(steps_of(bg)),
                        RuleChild { scenario: Some(sc), .. } => c.scenario(&inner, sc),
                        RuleChild { .. } => {}
                    }
                }
            }
            FeatureChild { .. } => {}
        }
    }
    c.out
}

fn steps_of(bg: &Background) -> Vec<&Step> {
    bg.steps.iter().collect()
}

struct Compiler<'a> {
    doc: &'a GherkinDocument,
    types: &'a HashMap<String, StepType>,
    ids: &'a mut Ids,
    out: Vec<Compiled>,
}

impl Compiler<'_> {
    fn scenario(&mut self, scope: &Scope<'_>, sc: &Scenario) {
        let mut tags: Vec<&Tag> = scope.tags.clone();
        tags.extend(&sc.tags);
        if sc.examples.is_empty() {
            let line = sc.location.line;
            self.pickle(scope, sc, &tags, None, line);
            return;
        }
        for ex in &sc.examples {
            let Some(header) = &ex.table_header else { continue };
            let mut tags = tags.clone();
            tags.extend(&ex.tags);
            for (i, row) in ex.table_body.iter().enumerate() {
                let line = ex.location.line + 2 + i;
                self.pickle(scope, sc, &tags, Some((header, row)), line);
            }
        }
    }

    /// The pickle of `sc`, or of one row of it.
    fn pickle(
        &mut self,
        scope: &Scope<'_>,
        sc: &Scenario,
        tags: &[&Tag],
        row: Option<(&TableRow, &TableRow)>,
        line: usize,
    ) {
        let values: Vec<(&str, &str)> = row
            .map(|(h, r)| {
                h.cells
                    .iter()
                    .zip(&r.cells)
                    .map(|(h, v)| (h.value.as_str(), v.value.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let fill = |text: &str| interpolate(text, &values);
        let row_id = row.map(|(_, r)| r.id.clone());
        let own = sc.steps.iter().map(|s| (s, row_id.as_ref()));
        let all = scope.background.iter().map(|s| (*s, None)).chain(own);
        let (steps, places) = all.map(|(step, row_id)| self.step(step, row_id, &fill)).unzip();
        let pickle = Pickle {
            id: self.ids.next(),
            uri: self.doc.uri.clone(),
            location: row.map_or(sc.location, |(_, r)| r.location),
            name: fill(&sc.name),
            language: self.doc.feature.language.clone(),
            steps,
            tags: tags
                .iter()
                .map(|t| PickleTag {
                    name: t.name.clone(),
                    ast_node_id: t.id.clone(),
                })
                .collect(),
            ast_node_ids: std::iter::once(sc.id.clone()).chain(row_id).collect(),
        };
        self.out.push(Compiled {
            pickle,
            line,
            steps: places,
        });
    }
}

impl Compiler<'_> {
    /// A pickle step (placeholders filled, naming its step and its row), its place and type.
    fn step(
        &mut self,
        step: &Step,
        row_id: Option<&String>,
        fill: &dyn Fn(&str) -> String,
    ) -> (PickleStep, (usize, usize, StepType)) {
        let ty = self.types.get(&step.id).copied().unwrap_or(StepType::Given);
        let kind = match ty {
            _ if step.keyword.trim() == "*" => PickleStepType::Unknown,
            StepType::Given => PickleStepType::Context,
            StepType::When => PickleStepType::Action,
            StepType::Then => PickleStepType::Outcome,
        };
        let pickle_step = PickleStep {
            argument: argument(step, fill),
            ast_node_ids: std::iter::once(step.id.clone()).chain(row_id.cloned()).collect(),
            id: self.ids.next(),
            kind,
            text: fill(&step.text),
        };
        (pickle_step, (step.location.line, step.location.column.unwrap_or(1), ty))
    }
}

/// A step's table or doc string, placeholders replaced.
fn argument(step: &Step, fill: &dyn Fn(&str) -> String) -> Option<PickleStepArgument> {
    let doc_string = step.doc_string.as_ref().map(|d| PickleDocString {
        content: fill(&d.content),
    });
    let data_table = step.data_table.as_ref().map(|t| PickleTable {
        rows: t
            .rows
            .iter()
            .map(|r| PickleTableRow {
                cells: r
                    .cells
                    .iter()
                    .map(|c| PickleTableCell { value: fill(&c.value) })
                    .collect(),
            })
            .collect(),
    });
    (doc_string.is_some() || data_table.is_some()).then_some(PickleStepArgument { doc_string, data_table })
}

/// `text` with each `<name>` of the row's header replaced by its value.
fn interpolate(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_string(), |t, (name, value)| {
        t.replace(&format!("<{name}>"), value)
    })
}
