//! A feature file as a Gherkin document: the parser's tree (gherkin 0.16, before cucumber
//! expands its outlines) with an id on every node a pickle points at, and the places the
//! parser does not keep read from the text ([`super::layout`]).

use std::collections::HashMap;

use cucumber::gherkin::{self, StepType};

use super::ast::{
    Background, Comment, DataTable, DocString, Examples, Feature, FeatureChild, GherkinDocument, KeywordType, Location,
    Rule, RuleChild, Scenario, Step, TableCell, TableRow, Tag,
};
use super::ids::Ids;
use super::layout::{Text, at};

/// A Gherkin document, and the step type cucumber gave each of its steps (by id): an `And`
/// takes the type of the step before it, which the document's keywords alone do not say in
/// every dialect.
pub struct Document {
    /// The document.
    pub document: GherkinDocument,
    /// Each step's type, by the step's id.
    pub step_types: HashMap<String, StepType>,
}

/// What a document is built with.
struct Builder<'a> {
    text: Text<'a>,
    english: bool,
    ids: &'a mut Ids,
    step_types: HashMap<String, StepType>,
}

/// The document of the feature file `uri`, whose text is `text` and which parses to `feature`.
pub fn build(uri: &str, text: &str, feature: &gherkin::Feature, ids: &mut Ids) -> Document {
    let text = Text::new(text);
    let mut b = Builder {
        english: text.language() == "en",
        text,
        ids,
        step_types: HashMap::new(),
    };
    let mut children = Vec::new();
    if let Some(bg) = &feature.background {
        children.push(FeatureChild {
            background: Some(b.background(bg)),
            ..FeatureChild::default()
        });
    }
    for sc in &feature.scenarios {
        children.push(FeatureChild {
            scenario: Some(b.scenario(sc)),
            ..FeatureChild::default()
        });
    }
    for rule in &feature.rules {
        children.push(FeatureChild {
            rule: Some(b.rule(rule)),
            ..FeatureChild::default()
        });
    }
    let feature = Feature {
        location: place(feature.position),
        tags: b.tags(feature.position.line, &feature.tags),
        language: b.text.language(),
        keyword: feature.keyword.clone(),
        name: feature.name.clone(),
        description: feature.description.clone().unwrap_or_default(),
        children,
    };
    let comments = b
        .text
        .comments()
        .into_iter()
        .map(|(location, text)| Comment { location, text })
        .collect();
    Document {
        document: GherkinDocument {
            uri: uri.to_string(),
            feature,
            comments,
        },
        step_types: b.step_types,
    }
}

fn place(p: gherkin::LineCol) -> Location {
    at(p.line, p.col)
}

impl Builder<'_> {
    fn tags(&mut self, line: usize, names: &[String]) -> Vec<Tag> {
        let places = self.text.tags_above(line, names);
        names
            .iter()
            .zip(places)
            .map(|(name, location)| Tag {
                location,
                name: format!("@{name}"),
                id: self.ids.next(),
            })
            .collect()
    }

    fn rule(&mut self, rule: &gherkin::Rule) -> Rule {
        let mut children = Vec::new();
        if let Some(bg) = &rule.background {
            children.push(RuleChild {
                background: Some(self.background(bg)),
                ..RuleChild::default()
            });
        }
        for sc in &rule.scenarios {
            children.push(RuleChild {
                scenario: Some(self.scenario(sc)),
                ..RuleChild::default()
            });
        }
        Rule {
            location: place(rule.position),
            tags: self.tags(rule.position.line, &rule.tags),
            keyword: rule.keyword.clone(),
            name: rule.name.clone(),
            description: rule.description.clone().unwrap_or_default(),
            children,
            id: self.ids.next(),
        }
    }

    fn background(&mut self, bg: &gherkin::Background) -> Background {
        Background {
            location: place(bg.position),
            keyword: bg.keyword.clone(),
            name: bg.name.clone(),
            description: bg.description.clone().unwrap_or_default(),
            steps: bg.steps.iter().map(|s| self.step(s)).collect(),
            id: self.ids.next(),
        }
    }

    fn scenario(&mut self, sc: &gherkin::Scenario) -> Scenario {
        Scenario {
            location: place(sc.position),
            tags: self.tags(sc.position.line, &sc.tags),
            keyword: sc.keyword.clone(),
            name: sc.name.clone(),
            description: sc.description.clone().unwrap_or_default(),
            steps: sc.steps.iter().map(|s| self.step(s)).collect(),
            examples: sc.examples.iter().map(|e| self.examples(e)).collect(),
            id: self.ids.next(),
        }
    }

    fn examples(&mut self, ex: &gherkin::Examples) -> Examples {
        let mut rows = ex.table.as_ref().map(|t| self.rows(t)).unwrap_or_default().into_iter();
        let table_header = rows.next();
        Examples {
            location: place(ex.position),
            tags: self.tags(ex.position.line, &ex.tags),
            keyword: ex.keyword.clone(),
            name: ex.name.clone().unwrap_or_default(),
            description: ex.description.clone().unwrap_or_default(),
            table_header,
            table_body: rows.collect(),
            id: self.ids.next(),
        }
    }

    fn step(&mut self, step: &gherkin::Step) -> Step {
        let doc_string = step.docstring.as_ref().map(|content| {
            let (location, delimiter) = self.text.doc_string(step.position.line);
            DocString {
                location,
                content: content.clone(),
                delimiter,
            }
        });
        let data_table = step.table.as_ref().map(|t| {
            let rows = self.rows(t);
            DataTable {
                location: rows.first().map_or(place(t.position), |r| r.location),
                rows,
            }
        });
        let id = self.ids.next();
        self.step_types.insert(id.clone(), step.ty);
        Step {
            location: place(step.position),
            keyword: step.keyword.clone(),
            keyword_type: keyword_type(&step.keyword).filter(|_| self.english),
            text: step.value.clone(),
            doc_string,
            data_table,
            id,
        }
    }

    fn rows(&mut self, table: &gherkin::Table) -> Vec<TableRow> {
        let places = self.text.rows(table.position.line, table.rows.len());
        table
            .rows
            .iter()
            .zip(places)
            .map(|(values, (location, cells))| TableRow {
                location,
                cells: values
                    .iter()
                    .enumerate()
                    .map(|(i, value)| TableCell {
                        location: cells.get(i).copied().unwrap_or(location),
                        value: value.clone(),
                    })
                    .collect(),
                id: self.ids.next(),
            })
            .collect()
    }
}

/// What an English keyword says; other dialects' keywords are left unsaid (the field is
/// optional), since the parser does not say which of its lists a keyword came from.
fn keyword_type(keyword: &str) -> Option<KeywordType> {
    Some(match keyword.trim() {
        "*" => KeywordType::Unknown,
        "Given" => KeywordType::Context,
        "When" => KeywordType::Action,
        "Then" => KeywordType::Outcome,
        "And" | "But" => KeywordType::Conjunction,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_english_keyword_says_its_type_and_another_language_s_says_none() {
        use KeywordType::{Action, Conjunction, Context, Outcome, Unknown};
        let typed = super::keyword_type;
        assert_eq!(typed("* "), Some(Unknown));
        assert_eq!(typed("Given "), Some(Context));
        assert_eq!(typed("When "), Some(Action));
        assert_eq!(typed("Then "), Some(Outcome));
        assert_eq!((typed("And "), typed("But ")), (Some(Conjunction), Some(Conjunction)));
        assert_eq!(typed("Soit "), None);
    }
}
