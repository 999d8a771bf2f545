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
    Background, FeatureChild, GherkinDocument, KeywordType, Pickle, PickleDocString, PickleStep, PickleStepArgument,
    PickleStepType, PickleTable, PickleTableCell, PickleTableRow, PickleTag, RuleChild, Scenario, Step, TableRow, Tag,
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
        let mut last = PickleStepType::Unknown;
        let (steps, places) = all
            .map(|(step, row_id)| self.step(step, row_id, &fill, &mut last))
            .unzip();
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
    /// A pickle step (placeholders filled, naming its step and its row), its place and type;
    /// `last` is the type of the pickle's step before it.
    fn step(
        &mut self,
        step: &Step,
        row_id: Option<&String>,
        fill: &dyn Fn(&str) -> String,
        last: &mut PickleStepType,
    ) -> (PickleStep, (usize, usize, StepType)) {
        let ty = self.types.get(&step.id).copied().unwrap_or(StepType::Given);
        let kind = pickle_type(step, ty, *last);
        *last = kind;
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

/// A pickle step's type as Gherkin's compiler gives it: its keyword's, an `And` or `But` the
/// one of the pickle's step before it (background steps included, `Unknown` for the first),
/// and a `*` `Unknown`. This differs from the type cucumber matches by, which reads every `*`
/// as a `Given` and starts each block of steps afresh. In a dialect other than English the
/// document does not say a keyword's type, so the step takes cucumber's.
fn pickle_type(step: &Step, ty: StepType, last: PickleStepType) -> PickleStepType {
    match step.keyword_type {
        Some(KeywordType::Conjunction) => last,
        Some(KeywordType::Unknown) => PickleStepType::Unknown,
        _ if step.keyword.trim() == "*" => PickleStepType::Unknown,
        Some(KeywordType::Context) => PickleStepType::Context,
        Some(KeywordType::Action) => PickleStepType::Action,
        Some(KeywordType::Outcome) => PickleStepType::Outcome,
        None => match ty {
            StepType::Given => PickleStepType::Context,
            StepType::When => PickleStepType::Action,
            StepType::Then => PickleStepType::Outcome,
        },
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

#[cfg(test)]
mod tests {
    use cucumber::gherkin::{self, GherkinEnv, StepType};

    use super::super::ast::PickleStepType::{self, Action, Context, Outcome, Unknown};
    use super::super::document;
    use super::super::ids::Ids;
    use super::{Compiled, compile};

    fn pickles(text: &str) -> Vec<Compiled> {
        let parsed = gherkin::Feature::parse(text, GherkinEnv::default()).unwrap();
        let mut ids = Ids::default();
        let doc = document::build("f.feature", text, &parsed, &mut ids);
        compile(&doc, &mut ids)
    }

    fn kinds(c: &Compiled) -> Vec<PickleStepType> {
        c.pickle.steps.iter().map(|s| s.kind).collect()
    }

    /// A `*` step is `Unknown` in the pickle wherever it stands, and so is an `And` after it;
    /// the place keeps the type cucumber matched the step by, which gherkin 0.16 reads as
    /// `Given` for every `*` (even one after a `Then`).
    #[test]
    fn a_star_step_is_unknown_wherever_it_stands_and_so_is_its_and() {
        let compiled = pickles("Feature: f\n  Scenario: s\n    Given a\n    * b\n    And c\n    Then d\n    * e\n");
        let [only] = compiled.as_slice() else {
            panic!("one pickle, got {}", compiled.len())
        };
        assert_eq!(kinds(only), [Context, Unknown, Unknown, Outcome, Unknown]);
        let types: Vec<StepType> = only.steps.iter().map(|(_, _, ty)| *ty).collect();
        use StepType::{Given, Then};
        assert_eq!(types, [Given, Given, Given, Then, Given]);
    }

    /// An `And` that opens a scenario continues the background's last step, and one that
    /// opens a pickle is `Unknown`, as Gherkin's compiler says (cucumber reads both as `Given`).
    #[test]
    fn an_and_continues_the_pickle_s_step_before_it_background_included() {
        let text = "Feature: f\n  Background:\n    When a\n  Scenario: s\n    And b\n  Rule: r\n    Scenario: t\n      But c\n";
        let compiled = pickles(text);
        let all: Vec<Vec<PickleStepType>> = compiled.iter().map(kinds).collect();
        assert_eq!(all, [vec![Action, Action], vec![Action, Action]]);
        let bare = pickles("Feature: f\n  Scenario: s\n    And a\n    When b\n");
        assert_eq!(kinds(&bare[0]), [Unknown, Action]);
    }

    /// In another dialect the document does not say a keyword's type: a step takes cucumber's,
    /// and a `*` is still `Unknown`.
    #[test]
    fn another_dialect_s_steps_take_cucumber_s_type_and_its_star_is_unknown() {
        let text = "# language: fr\nFonctionnalité: f\n  Scénario: s\n    Soit a\n    * b\n    Quand c\n    Et d\n    Alors e\n";
        let compiled = pickles(text);
        assert_eq!(kinds(&compiled[0]), [Context, Unknown, Action, Action, Outcome]);
    }
}
