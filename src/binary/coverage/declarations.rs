//! What each step sends and judges, declared once per step phrase in one table: a regex on the
//! step's text (the same sentence its definition in `src/binary/steps/` matches) and two
//! functions from the step, its scenario and the profile to [`Item`]s (in
//! [`super::step_items`]).
//!
//! A test holds every step of every compiled feature to exactly one declaration, so a step
//! added without one fails the build's tests instead of silently covering nothing.
//!
//! *Sends* are the items a request of the step carries (its operation, its path, its form keys,
//! its list filters and paging). *Judges* are the items a `Then` step fails on when they are
//! wrong; they often depend on what the scenario sent (a refusal judges the invalid value the
//! scenario's update carried), so the walk gives them the scenario's sends.

use std::sync::LazyLock;

use cucumber::gherkin::StepType;
use regex::{Captures, Regex};

use super::context::{Context, Mark};
use super::rows::{Item, Operation, PathOf};
use super::step_items::*;

type Items = fn(&Context) -> Vec<Item>;

/// What a step phrase sends and judges.
pub struct Declaration {
    /// Given, When or Then (an `And` takes the keyword before it).
    pub kind: StepType,
    /// The regex its text matches, anchored.
    pub phrase: &'static str,
    /// What it tells about its scenario.
    pub marks: &'static [Mark],
    /// The items its requests carry.
    pub sends: Items,
    /// The items it fails on when they are wrong (`Then` steps only).
    pub judges: Items,
}

/// A participant's name in quotes, as the steps' `{participant}` reads it.
const WHO: &str = r#""[^"]+""#;
/// One or more names in quotes: `"a"`, `"a" and "b"`, `"a", "b" and "c"`.
const NAMES: &str = r#"(?:"[^"]+"(?:, | and )?)+"#;

macro_rules! declare {
    ($kind:ident, $phrase:expr, $marks:expr, $sends:expr, $judges:expr) => {
        Declaration {
            kind: StepType::$kind,
            phrase: $phrase,
            marks: $marks,
            sends: $sends,
            judges: $judges,
        }
    };
}

/// Every step phrase of the features, and what it sends and judges.
pub static DECLARATIONS: LazyLock<Vec<Declaration>> = LazyLock::new(|| {
    let p = |s: &str| s.replace("{who}", WHO).replace("{names}", NAMES);
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let ph = |s: &str| leak(format!("^{}$", p(s)));
    vec![
        // Arranging: no request of the scenario's own.
        declare!(
            Given,
            ph("a conference with participants? {names}"),
            &[],
            nothing,
            nothing
        ),
        declare!(
            Given,
            ph("another conference of the same account with participants? {names}"),
            &[],
            nothing,
            nothing
        ),
        declare!(
            Given,
            ph("the conference has completed"),
            &[Mark::RefusedForState],
            nothing,
            nothing
        ),
        declare!(Given, ph("{who} is (not )?(muted|on hold)"), &[], nothing, nothing),
        declare!(Given, ph("{who} is coaching {who}"), &[], nothing, nothing),
        declare!(
            Given,
            ph("{who} (?:ends|does not end) the conference when it leaves"),
            &[],
            nothing,
            nothing
        ),
        // Requests.
        declare!(
            When,
            ph("{who} is updated with:"),
            &[],
            |c| update(c, PathOf::Participant),
            nothing
        ),
        declare!(
            When,
            ph("{who} is updated by its label with:"),
            &[],
            |c| update(c, PathOf::ParticipantByLabel),
            nothing
        ),
        declare!(
            When,
            ph("{who} is retrieved by its label"),
            &[],
            |c| vec![
                Item::Operation(Operation::Retrieve),
                path(c, PathOf::ParticipantByLabel)
            ],
            nothing
        ),
        declare!(
            When,
            ph(r#"{who} is updated with the undocumented parameter "[^"]*" set to "[^"]*""#),
            &[],
            |c| [plain_update(c), vec![Item::UndocumentedParam]].concat(),
            nothing
        ),
        declare!(
            When,
            ph("{who} is updated with no parameters"),
            &[],
            plain_update,
            nothing
        ),
        declare!(
            When,
            ph("{who} is muted (?:without credentials|with a wrong token|with the credentials of another account)"),
            &[],
            plain_update,
            nothing
        ),
        declare!(
            When,
            ph("{who} is muted in an unknown (?:account|conference)"),
            &[],
            plain_update,
            nothing
        ),
        declare!(
            When,
            ph("a participant that is not in the conference is muted"),
            &[],
            plain_update,
            nothing
        ),
        declare!(
            When,
            ph(r"{who} is updated with a \S+ body:"),
            &[],
            plain_update,
            nothing
        ),
        declare!(
            When,
            ph(r"a \S+ request is sent to {who}"),
            &[],
            |c| vec![path(c, PathOf::Participant)],
            nothing
        ),
        declare!(When, ph("{who} is removed from the conference"), &[], remove, nothing),
        declare!(
            When,
            ph("a participant that is not in the conference is removed"),
            &[],
            remove,
            nothing
        ),
        declare!(When, ph("the participants are listed"), &[], list, nothing),
        declare!(When, ph("the participants are listed with:"), &[], listed_with, nothing),
        declare!(
            When,
            ph("the (?:next|previous|first) page is followed"),
            &[],
            follow,
            nothing
        ),
        // Judging.
        declare!(Then, ph("the update succeeds"), &[], nothing, succeeds),
        declare!(
            Then,
            ph(r#"the update succeeds as in the documented "([^"]+)" example"#),
            &[],
            nothing,
            succeeds_as_example
        ),
        declare!(
            Then,
            ph(r#"the answer is as in the documented "([^"]+)" example"#),
            &[],
            nothing,
            answer_as_example
        ),
        declare!(
            Then,
            ph(r"the (update|removal|listing) is refused with status (\d+) and code (\d+)"),
            &[Mark::Refused],
            nothing,
            refused
        ),
        declare!(
            Then,
            ph("the refusal names the allowed methods (?:[A-Z]+(?:, | and )?)+"),
            &[Mark::Refused],
            nothing,
            allow
        ),
        declare!(Then, ph("({who}) is (not )?(muted|on hold)"), &[], nothing, |c| {
            let field = if c.capture(3) == "muted" { "muted" } else { "hold" };
            field_value(c, field)
        }),
        declare!(Then, ph("{who} is coaching {who}"), &[], nothing, coaching),
        declare!(Then, ph("{who} is not coaching anyone"), &[], nothing, coaching),
        declare!(
            Then,
            ph("{who} (?:ends|does not end) the conference when it leaves"),
            &[],
            nothing,
            ends_conference
        ),
        declare!(
            Then,
            ph("a retrieve of {who} shows the same participant"),
            &[],
            retrieve,
            retrieve_same
        ),
        declare!(
            Then,
            ph("{who} is otherwise unchanged"),
            &[],
            nothing,
            otherwise_unchanged
        ),
        declare!(
            Then,
            ph("no participant has changed"),
            &[],
            nothing,
            nobody_else_changed
        ),
        declare!(
            Then,
            ph("no participant but {who} has changed"),
            &[],
            nothing,
            nobody_else_changed
        ),
        declare!(
            Then,
            ph(r#"listing the participants with "([A-Za-z]+)" set to "([^"]*)" gives exactly (?:{names}|nobody)"#),
            &[],
            listing_filtered,
            page
        ),
        declare!(Then, ph(r"the page lists \d+ participants?"), &[], nothing, page),
        declare!(
            Then,
            ph("the page has (?:a|no) (?:next|previous) page"),
            &[],
            nothing,
            page
        ),
        declare!(
            Then,
            ph("the pages together list exactly (?:{names}|nobody)"),
            &[],
            nothing,
            page
        ),
        declare!(
            Then,
            ph("the removal succeeds with no body"),
            &[],
            nothing,
            removal_succeeds
        ),
        declare!(Then, ph("{who} is gone from the conference"), &[], gone_sends, gone),
    ]
});

static COMPILED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    DECLARATIONS
        .iter()
        .map(|d| Regex::new(d.phrase).unwrap_or_else(|e| panic!("declaration {:?}: {e}", d.phrase)))
        .collect()
});

/// The one declaration a step matches, with its captures, or why there is not exactly one.
pub fn find<'t>(kind: StepType, text: &'t str) -> Result<(&'static Declaration, Captures<'t>), String> {
    let mut found = DECLARATIONS
        .iter()
        .zip(COMPILED.iter())
        .filter(|(d, _)| d.kind == kind)
        .filter_map(|(d, re)| re.captures(text).map(|c| (d, c)));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(format!(
            "no declaration of what the step {kind:?} \"{text}\" sends and judges: add one to src/binary/coverage/declarations.rs"
        )),
        (Some((a, _)), Some((b, _))) => Err(format!(
            "the step {kind:?} \"{text}\" matches two declarations, {:?} and {:?}",
            a.phrase, b.phrase
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_compiles_and_every_phrase_of_the_steps_has_its_declaration() {
        assert_eq!(COMPILED.len(), DECLARATIONS.len());
        let steps = [
            (StepType::Given, r#"a conference with participants "a", "b" and "c""#),
            (StepType::Given, r#""a" is not on hold"#),
            (StepType::When, r#""a" is removed from the conference"#),
            (StepType::When, "a participant that is not in the conference is removed"),
            (StepType::When, "the participants are listed"),
            (StepType::When, "the participants are listed with:"),
            (StepType::When, "the previous page is followed"),
            (StepType::When, "a PUT request is sent to \"a\""),
            (StepType::Then, "the listing is refused with status 400 and code 10000"),
            (StepType::Then, "the removal succeeds with no body"),
            (StepType::Then, r#""a" is gone from the conference"#),
            (StepType::Then, "the page lists 1 participant"),
            (StepType::Then, "the page has no previous page"),
            (StepType::Then, r#"the pages together list exactly "a", "b" and "c""#),
            (
                StepType::Then,
                "the refusal names the allowed methods GET, POST and DELETE",
            ),
            (StepType::Then, "the pages together list exactly nobody"),
            (StepType::Given, r#""a" ends the conference when it leaves"#),
            (StepType::Then, r#""a" does not end the conference when it leaves"#),
            (StepType::Then, r#""a" ends the conference when it leaves"#),
            (StepType::Then, r#""a" is coaching "b""#),
            (StepType::Then, r#""a" is on hold"#),
        ];
        for (kind, text) in steps {
            find(kind, text).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn a_step_of_another_keyword_or_an_unknown_phrase_has_none() {
        assert!(find(StepType::When, "the update succeeds").is_err_and(|e| e.contains("no declaration")));
        assert!(find(StepType::Then, "the update succeeds quickly").is_err());
    }
}
