//! The harness's step definitions, as cucumber registered them (`#[given]`, `#[when]`,
//! `#[then]`, through `inventory`), and which of them a step's text matches, the way
//! cucumber's `step::Collection::find` matches it: among the definitions of the step's type,
//! every regular expression that finds a match in the text.

use cucumber::codegen::{StepConstructor as _, WorldInventory, inventory};
use cucumber::gherkin::StepType;
use regex::Regex;

use super::ast::Location;
use super::envelope::{Argument, ArgumentsList, Group, Pattern, SourceReference, StepDefinition};
use super::ids::Ids;

/// One step definition: its type, its regular expression, and where it is defined.
#[derive(Debug, Clone)]
pub struct Definition {
    /// `Given`, `When` or `Then`.
    pub ty: StepType,
    /// What it matches (a Cucumber Expression, compiled).
    pub regex: Regex,
    /// Its source file, line and column.
    pub at: (&'static str, u32, u32),
}

/// Every step definition of the World `W`, in the order of their files and lines.
pub fn of<W: WorldInventory>() -> Vec<Definition> {
    let mut out = Vec::new();
    let mut add = |ty: StepType, (loc, regex, _): (cucumber::step::Location, fn() -> Regex, _)| {
        out.push(Definition {
            ty,
            regex: regex(),
            at: (loc.path, loc.line, loc.column),
        });
    };
    for d in inventory::iter::<W::Given> {
        add(StepType::Given, d.inner());
    }
    for d in inventory::iter::<W::When> {
        add(StepType::When, d.inner());
    }
    for d in inventory::iter::<W::Then> {
        add(StepType::Then, d.inner());
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.regex.as_str().cmp(b.regex.as_str())));
    out
}

/// The definitions, each with its id.
pub struct Definitions<'a> {
    defined: Vec<(&'a Definition, String)>,
}

impl<'a> Definitions<'a> {
    /// Gives each definition an id.
    pub fn new(definitions: &'a [Definition], ids: &mut Ids) -> Self {
        Definitions {
            defined: definitions.iter().map(|d| (d, ids.next())).collect(),
        }
    }

    /// The `stepDefinition` messages.
    pub fn messages(&self) -> Vec<StepDefinition> {
        self.defined
            .iter()
            .map(|(d, id)| StepDefinition {
                id: id.clone(),
                pattern: Pattern {
                    source: d.regex.as_str().to_string(),
                    kind: "REGULAR_EXPRESSION",
                },
                source_reference: SourceReference {
                    uri: Some(d.at.0.to_string()),
                    location: Some(Location {
                        line: d.at.1 as usize,
                        column: Some(d.at.2 as usize),
                    }),
                },
            })
            .collect()
    }

    /// The ids of the definitions `text` matches as a step of type `ty`, and the arguments each
    /// captures: none for an undefined step, more than one for an ambiguous one.
    pub fn matching(&self, ty: StepType, text: &str) -> (Vec<String>, Vec<ArgumentsList>) {
        self.defined
            .iter()
            .filter(|(d, _)| d.ty == ty)
            .filter_map(|(d, id)| d.regex.captures(text).map(|c| (id.clone(), arguments(&c, text))))
            .unzip()
    }
}

/// Each capture group that took part in the match, where it starts in UTF-16 code units (as
/// the schema's JavaScript readers index a string) and what it captured.
fn arguments(captures: &regex::Captures<'_>, text: &str) -> ArgumentsList {
    ArgumentsList {
        step_match_arguments: captures
            .iter()
            .skip(1)
            .flatten()
            .map(|m| Argument {
                group: Group {
                    start: text[..m.start()].encode_utf16().count(),
                    value: m.as_str().to_string(),
                },
            })
            .collect(),
    }
}
