//! What a step of the coverage catalogue is told about itself and its scenario: the vocabulary
//! the catalogue (`declarations.rs`), its item functions (`step_items.rs`) and the walk share.

use std::collections::BTreeSet;

use laml_conformance::spec::profile::Profile;
use regex::Captures;

use super::rows::Item;

/// What a step tells about its scenario, beside what it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The scenario's request is refused.
    Refused,
    /// It is refused because of the conference's state, not of what the request carries.
    RefusedForState,
}

/// What the walk knows of a scenario when it asks a step for its items.
#[derive(Debug, Default)]
pub struct Scenario {
    /// The marks of all its steps.
    pub marks: Vec<Mark>,
    /// What all its steps send (empty while the sends themselves are asked for).
    pub sent: BTreeSet<Item>,
}

impl Scenario {
    pub(super) fn refused(&self) -> bool {
        self.marks.contains(&Mark::Refused)
    }
}

/// One step as a declaration sees it.
pub struct Context<'a> {
    /// The profile the matrix is of.
    pub profile: &'a Profile,
    /// The captures of the declaration's regex on the step's text.
    pub captures: &'a Captures<'a>,
    /// The step's table (outline placeholders expanded), empty if it has none.
    pub table: &'a [Vec<String>],
    /// Its scenario.
    pub scenario: &'a Scenario,
}

impl Context<'_> {
    pub(super) fn capture(&self, i: usize) -> &str {
        self.captures.get(i).map_or("", |m| m.as_str())
    }
}
