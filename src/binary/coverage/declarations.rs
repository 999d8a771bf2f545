//! What each step sends and judges, declared once per step phrase beside nothing else: a
//! regex on the step's text (the same sentence its definition in `src/binary/steps/` matches) and two
//! functions from the step, its scenario and the profile to [`Item`]s.
//!
//! A test holds every step of every compiled feature to exactly one declaration, so a step
//! added without one fails the build's tests instead of silently covering nothing.
//!
//! *Sends* are the items a request of the step carries (its operation, its path, its form keys,
//! its list filters and paging). *Judges* are the items a `Then` step fails on when they are
//! wrong; they often depend on what the scenario sent (a refusal judges the invalid value the
//! scenario's update carried), so the walk gives them the scenario's sends.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use cucumber::gherkin::StepType;
use laml_conformance::spec::params;
use laml_conformance::spec::participant::FieldFormat;
use laml_conformance::spec::profile::{Profile, UnknownParams};
use regex::{Captures, Regex};

use super::rows::{Form, Item, Judgement, Operation, PathOf, ValueClass, set_fields};

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
    fn refused(&self) -> bool {
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
    fn capture(&self, i: usize) -> &str {
        self.captures.get(i).map_or("", |m| m.as_str())
    }
}

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

fn nothing(_: &Context) -> Vec<Item> {
    Vec::new()
}

/// The form requests take under `profile`: the first it documents.
fn form(profile: &Profile) -> Form {
    Form::documented(profile).first().copied().unwrap_or(Form::Json)
}

fn path(ctx: &Context, of: PathOf) -> Item {
    Item::Path(of, form(ctx.profile))
}

/// The class of a value of the documented parameter `key`.
fn class_of(key: &str, value: &str) -> ValueClass {
    match params::param(key) {
        Some(p) if !p.kind.accepts(value) => ValueClass::Invalid,
        _ => ValueClass::Valid,
    }
}

/// The parameter items of an update's `| Parameter | value |` rows. In a refused scenario whose
/// values all look valid, the refusal is of their combination (Coaching without whom to coach,
/// a participant of another conference): the participant named is what is wrong if one is,
/// else every key sent.
fn update_params(ctx: &Context) -> Vec<Item> {
    let profile = ctx.profile;
    let mut items = Vec::new();
    let mut documented: Vec<(&str, ValueClass)> = Vec::new();
    for row in ctx.table {
        let [key, value] = row.as_slice() else { continue };
        if profile.has_param(key) {
            documented.push((key, class_of(key, value)));
        } else {
            items.push(Item::UndocumentedParam);
        }
    }
    let explained = documented.iter().any(|(_, c)| *c == ValueClass::Invalid)
        || (!items.is_empty() && profile.unknown_params == UnknownParams::Refuse);
    if ctx.scenario.refused() && !ctx.scenario.marks.contains(&Mark::RefusedForState) && !explained {
        let names_someone = |k: &str| params::takes_call_sid(k);
        let blame_sid = documented.iter().any(|(k, _)| names_someone(k));
        for (key, class) in &mut documented {
            if !blame_sid || names_someone(key) {
                *class = ValueClass::Invalid;
            }
        }
    }
    items.extend(documented.into_iter().map(|(k, c)| Item::Param(k.to_string(), c)));
    items
}

fn update(ctx: &Context, of: PathOf) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Update), path(ctx, of)];
    items.extend(update_params(ctx));
    items
}

/// An update whose parameters are not the point (refusals of who sends it or where).
fn plain_update(ctx: &Context) -> Vec<Item> {
    vec![Item::Operation(Operation::Update), path(ctx, PathOf::Participant)]
}

fn retrieve(ctx: &Context) -> Vec<Item> {
    vec![Item::Operation(Operation::Retrieve), path(ctx, PathOf::Participant)]
}

fn remove(ctx: &Context) -> Vec<Item> {
    vec![Item::Operation(Operation::Delete), path(ctx, PathOf::Participant)]
}

fn list(ctx: &Context) -> Vec<Item> {
    vec![Item::Operation(Operation::List), path(ctx, PathOf::List)]
}

/// A list with the filters and paging parameters of `| Key | value |` rows.
fn list_with(ctx: &Context, rows: &[(&str, &str)]) -> Vec<Item> {
    let mut items = list(ctx);
    let doc = &ctx.profile.list;
    for (key, _) in rows {
        if doc.filters.iter().any(|f| f == key) {
            items.push(Item::Filter(key.to_string()));
        } else if doc.paging.iter().any(|p| p == key) {
            items.push(Item::Paging(key.to_string()));
        }
    }
    items
}

fn table_rows<'a>(ctx: &'a Context) -> Vec<(&'a str, &'a str)> {
    ctx.table
        .iter()
        .filter_map(|r| match r.as_slice() {
            [k, v] => Some((k.as_str(), v.as_str())),
            _ => None,
        })
        .collect()
}

/// A page link followed: the request carries what the link does, the paging parameters. A
/// `PageToken` is the server's own (Twilio's documented links carry one): a client only ever
/// sends it back in a link, so following one is how it is sent.
fn follow(ctx: &Context) -> Vec<Item> {
    let mut items = list(ctx);
    items.extend(ctx.profile.list.paging.iter().cloned().map(Item::Paging));
    items
}

/// What the scenario sent of the kinds `keep` selects.
fn sent(ctx: &Context, keep: impl Fn(&Item) -> bool) -> Vec<Item> {
    ctx.scenario.sent.iter().filter(|i| keep(i)).cloned().collect()
}

fn participant_paths(ctx: &Context) -> Vec<Item> {
    sent(ctx, |i| {
        matches!(i, Item::Path(PathOf::Participant | PathOf::ParticipantByLabel, _))
    })
}

/// Every field's format, and the ties to the request (the dates only where an update moved them).
fn resource(ctx: &Context, dates: bool) -> Vec<Item> {
    let profile = ctx.profile;
    let mut items = Vec::new();
    for field in profile.fields.iter().chain(&profile.optional_fields) {
        items.push(Item::Field(field.name.clone(), Judgement::Format));
        let tied = match field.format {
            FieldFormat::AccountSid | FieldFormat::ConferenceSid | FieldFormat::CallSid | FieldFormat::OwnUri => true,
            FieldFormat::Rfc2822 => dates,
            _ => false,
        };
        if tied {
            items.push(Item::Field(field.name.clone(), Judgement::Request));
        }
    }
    items
}

/// A successful update judged by the profile's resource: the operation, its path, every field's
/// format and ties, and that the values sent were taken.
fn succeeds(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Update)];
    items.extend(participant_paths(ctx));
    items.extend(resource(ctx, true));
    items.extend(sent(ctx, |i| matches!(i, Item::Param(..) | Item::UndocumentedParam)));
    items
}

/// Whether the profile documents the example `name` (else the step judges by the resource).
fn documents_example(profile: &Profile, name: &str) -> bool {
    profile.examples.contains_key(name)
}

/// The flags a documented example shows verbatim.
fn example_values(ctx: &Context) -> Vec<Item> {
    if !documents_example(ctx.profile, ctx.capture(1)) {
        return Vec::new();
    }
    let set = set_fields(ctx.profile);
    ctx.profile
        .fields
        .iter()
        .filter(|f| f.format == FieldFormat::Controlled && set.contains(&f.name.as_str()))
        .map(|f| Item::Field(f.name.clone(), Judgement::Value))
        .collect()
}

fn succeeds_as_example(ctx: &Context) -> Vec<Item> {
    let mut items = succeeds(ctx);
    items.extend(example_values(ctx));
    items
}

fn answer_as_example(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Retrieve)];
    items.extend(participant_paths(ctx));
    items.extend(resource(ctx, false));
    items.extend(example_values(ctx));
    items
}

/// A refusal: its code, and what the scenario sent that was wrong.
fn refused(ctx: &Context) -> Vec<Item> {
    let mut items = Vec::new();
    if let Ok(code) = ctx.capture(3).parse::<u32>() {
        items.push(Item::Error(code));
    }
    items.extend(sent(ctx, |i| {
        matches!(
            i,
            Item::Param(_, ValueClass::Invalid) | Item::UndocumentedParam | Item::Filter(_) | Item::Paging(_)
        )
    }));
    items
}

/// The values of the fields the scenario's update set: they must be there, and persisted.
fn values_sent(ctx: &Context) -> Vec<Item> {
    let keys: Vec<&str> = ctx
        .scenario
        .sent
        .iter()
        .filter_map(|i| match i {
            Item::Param(k, ValueClass::Valid) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    let set = set_fields(ctx.profile);
    params::fields_set_by(keys)
        .into_iter()
        .filter(|f| set.contains(f))
        .map(|f| Item::Field(f.to_string(), Judgement::Value))
        .collect()
}

fn retrieve_same(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Retrieve)];
    items.extend(participant_paths(ctx));
    items.extend(values_sent(ctx));
    items
}

/// Every documented parameter the scenario's update left out: its absence changed nothing.
fn otherwise_unchanged(ctx: &Context) -> Vec<Item> {
    if !ctx.scenario.sent.contains(&Item::Operation(Operation::Update)) {
        return Vec::new();
    }
    ctx.profile
        .params
        .iter()
        .filter(|p| {
            !ctx.scenario
                .sent
                .iter()
                .any(|i| matches!(i, Item::Param(k, _) if k == *p))
        })
        .map(|p| Item::Param(p.clone(), ValueClass::Absent))
        .collect()
}

/// Nobody else changed: the update touched its participant only, and one refused for what it
/// carried, nobody.
fn nobody_else_changed(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Update)];
    if ctx.scenario.refused() {
        items.extend(sent(ctx, |i| {
            matches!(i, Item::Param(_, ValueClass::Invalid) | Item::UndocumentedParam)
        }));
    }
    items
}

fn field_value(ctx: &Context, field: &str) -> Vec<Item> {
    if ctx.profile.fields.iter().any(|f| f.name == field) {
        vec![Item::Field(field.to_string(), Judgement::Value)]
    } else {
        Vec::new()
    }
}

fn coaching(ctx: &Context) -> Vec<Item> {
    [field_value(ctx, "coaching"), field_value(ctx, "call_sid_to_coach")].concat()
}

fn ends_conference(ctx: &Context) -> Vec<Item> {
    field_value(ctx, "end_conference_on_exit")
}

/// A page read: the list operation and path, every key of the page and its values tied to the
/// request, what the scenario narrowed and paged it by, and the flags of those listed.
fn page(ctx: &Context) -> Vec<Item> {
    let mut items = sent(ctx, |i| {
        matches!(
            i,
            Item::Operation(Operation::List) | Item::Path(PathOf::List, _) | Item::Filter(_) | Item::Paging(_)
        )
    });
    items.extend(ctx.profile.list.envelope.iter().cloned().map(Item::Envelope));
    for item in sent(ctx, |i| matches!(i, Item::Filter(_))) {
        if let Item::Filter(name) = item {
            items.extend(field_value(ctx, &name.to_lowercase()));
        }
    }
    items
}

fn listing_filtered(ctx: &Context) -> Vec<Item> {
    list_with(ctx, &[(ctx.capture(1), ctx.capture(2))])
}

fn listed_with(ctx: &Context) -> Vec<Item> {
    list_with(ctx, &table_rows(ctx))
}

fn removal_succeeds(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Delete)];
    items.extend(participant_paths(ctx));
    items
}

fn gone_sends(ctx: &Context) -> Vec<Item> {
    [retrieve(ctx), list(ctx)].concat()
}

/// Gone: the retrieve is refused as not found, the list no longer names it.
fn gone(ctx: &Context) -> Vec<Item> {
    vec![
        Item::Operation(Operation::Delete),
        Item::Operation(Operation::Retrieve),
        Item::Operation(Operation::List),
        Item::Error(20404),
        path(ctx, PathOf::Participant),
        path(ctx, PathOf::List),
    ]
}

fn allow(_: &Context) -> Vec<Item> {
    vec![Item::Error(20004)]
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
