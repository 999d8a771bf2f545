//! What each step phrase sends and judges, as functions from the step, its scenario and the
//! profile to [`Item`]s: the right-hand side of the catalogue in [`super::declarations`].

use laml_conformance::spec::params;
use laml_conformance::spec::participant::FieldFormat;
use laml_conformance::spec::profile::{Profile, UnknownParams};

use super::context::{Context, Mark};
use super::rows::{Form, Item, Judgement, Operation, PathOf, ValueClass, set_fields};

pub(super) fn nothing(_: &Context) -> Vec<Item> {
    Vec::new()
}

/// The form requests take under `profile`: the first it documents.
pub(super) fn form(profile: &Profile) -> Form {
    Form::documented(profile).first().copied().unwrap_or(Form::Json)
}

pub(super) fn path(ctx: &Context, of: PathOf) -> Item {
    Item::Path(of, form(ctx.profile))
}

/// The class of a value of the documented parameter `key`.
pub(super) fn class_of(key: &str, value: &str) -> ValueClass {
    match params::param(key) {
        Some(p) if !p.kind.accepts(value) => ValueClass::Invalid,
        _ => ValueClass::Valid,
    }
}

/// The parameter items of an update's `| Parameter | value |` rows. In a refused scenario whose
/// values all look valid, the refusal is of their combination (Coaching without whom to coach,
/// a participant of another conference): the participant named is what is wrong if one is,
/// else every key sent.
pub(super) fn update_params(ctx: &Context) -> Vec<Item> {
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

pub(super) fn update(ctx: &Context, of: PathOf) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Update), path(ctx, of)];
    items.extend(update_params(ctx));
    items
}

/// An update whose parameters are not the point (refusals of who sends it or where).
pub(super) fn plain_update(ctx: &Context) -> Vec<Item> {
    vec![Item::Operation(Operation::Update), path(ctx, PathOf::Participant)]
}

pub(super) fn retrieve(ctx: &Context) -> Vec<Item> {
    vec![Item::Operation(Operation::Retrieve), path(ctx, PathOf::Participant)]
}

pub(super) fn remove(ctx: &Context) -> Vec<Item> {
    vec![Item::Operation(Operation::Delete), path(ctx, PathOf::Participant)]
}

pub(super) fn list(ctx: &Context) -> Vec<Item> {
    vec![Item::Operation(Operation::List), path(ctx, PathOf::List)]
}

/// A list with the filters and paging parameters of `| Key | value |` rows.
pub(super) fn list_with(ctx: &Context, rows: &[(&str, &str)]) -> Vec<Item> {
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

pub(super) fn table_rows<'a>(ctx: &'a Context) -> Vec<(&'a str, &'a str)> {
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
pub(super) fn follow(ctx: &Context) -> Vec<Item> {
    let mut items = list(ctx);
    items.extend(ctx.profile.list.paging.iter().cloned().map(Item::Paging));
    items
}

/// What the scenario sent of the kinds `keep` selects.
pub(super) fn sent(ctx: &Context, keep: impl Fn(&Item) -> bool) -> Vec<Item> {
    ctx.scenario.sent.iter().filter(|i| keep(i)).cloned().collect()
}

pub(super) fn participant_paths(ctx: &Context) -> Vec<Item> {
    sent(ctx, |i| {
        matches!(i, Item::Path(PathOf::Participant | PathOf::ParticipantByLabel, _))
    })
}

/// Every field's format, and the ties to the request (the dates only where an update moved them).
pub(super) fn resource(ctx: &Context, dates: bool) -> Vec<Item> {
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
pub(super) fn succeeds(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Update)];
    items.extend(participant_paths(ctx));
    items.extend(resource(ctx, true));
    items.extend(sent(ctx, |i| matches!(i, Item::Param(..) | Item::UndocumentedParam)));
    items
}

/// Whether the profile documents the example `name` (else the step judges by the resource).
pub(super) fn documents_example(profile: &Profile, name: &str) -> bool {
    profile.examples.contains_key(name)
}

/// The flags a documented example shows verbatim.
pub(super) fn example_values(ctx: &Context) -> Vec<Item> {
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

pub(super) fn succeeds_as_example(ctx: &Context) -> Vec<Item> {
    let mut items = succeeds(ctx);
    items.extend(example_values(ctx));
    items
}

pub(super) fn answer_as_example(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Retrieve)];
    items.extend(participant_paths(ctx));
    items.extend(resource(ctx, false));
    items.extend(example_values(ctx));
    items
}

/// A refusal: its code, and what the scenario sent that was wrong.
pub(super) fn refused(ctx: &Context) -> Vec<Item> {
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
pub(super) fn values_sent(ctx: &Context) -> Vec<Item> {
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

pub(super) fn retrieve_same(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Retrieve)];
    items.extend(participant_paths(ctx));
    items.extend(values_sent(ctx));
    items
}

/// Every documented parameter the scenario's update left out: its absence changed nothing.
pub(super) fn otherwise_unchanged(ctx: &Context) -> Vec<Item> {
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
pub(super) fn nobody_else_changed(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Update)];
    if ctx.scenario.refused() {
        items.extend(sent(ctx, |i| {
            matches!(i, Item::Param(_, ValueClass::Invalid) | Item::UndocumentedParam)
        }));
    }
    items
}

pub(super) fn field_value(ctx: &Context, field: &str) -> Vec<Item> {
    if ctx.profile.fields.iter().any(|f| f.name == field) {
        vec![Item::Field(field.to_string(), Judgement::Value)]
    } else {
        Vec::new()
    }
}

pub(super) fn coaching(ctx: &Context) -> Vec<Item> {
    [field_value(ctx, "coaching"), field_value(ctx, "call_sid_to_coach")].concat()
}

pub(super) fn ends_conference(ctx: &Context) -> Vec<Item> {
    field_value(ctx, "end_conference_on_exit")
}

/// A page read: the list operation and path, every key of the page and its values tied to the
/// request, what the scenario narrowed and paged it by, and the flags of those listed.
pub(super) fn page(ctx: &Context) -> Vec<Item> {
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

pub(super) fn listing_filtered(ctx: &Context) -> Vec<Item> {
    list_with(ctx, &[(ctx.capture(1), ctx.capture(2))])
}

pub(super) fn listed_with(ctx: &Context) -> Vec<Item> {
    list_with(ctx, &table_rows(ctx))
}

pub(super) fn removal_succeeds(ctx: &Context) -> Vec<Item> {
    let mut items = vec![Item::Operation(Operation::Delete)];
    items.extend(participant_paths(ctx));
    items
}

pub(super) fn gone_sends(ctx: &Context) -> Vec<Item> {
    [retrieve(ctx), list(ctx)].concat()
}

/// Gone: the retrieve is refused as not found, the list no longer names it.
pub(super) fn gone(ctx: &Context) -> Vec<Item> {
    vec![
        Item::Operation(Operation::Delete),
        Item::Operation(Operation::Retrieve),
        Item::Operation(Operation::List),
        Item::Error(20404),
        path(ctx, PathOf::Participant),
        path(ctx, PathOf::List),
    ]
}

pub(super) fn allow(_: &Context) -> Vec<Item> {
    vec![Item::Error(20004)]
}
