//! The rows of the matrix: every item a generation documents, read from its profile, so a
//! parameter, filter, field or code added to a profile is a row at once and no list of items is
//! kept beside the data.
//!
//! An [`Item`] is also what a step declares it sends or judges; a step may name items a profile
//! does not document (a `Beep` under SignalWire), which then fill no row of that profile.

use std::fmt;

use laml_conformance::spec::participant::FieldFormat;
use laml_conformance::spec::profile::{PathForm, Profile, UnknownParams};
use laml_conformance::spec::{ErrorCode, params};

/// An operation of the participant resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    /// GET of one participant.
    Retrieve,
    /// POST of form parameters to one participant.
    Update,
    /// GET of the conference's participants.
    List,
    /// DELETE of one participant.
    Delete,
}

impl Operation {
    /// Every operation, in the order the documentation presents them.
    pub const ALL: [Operation; 4] = [
        Operation::Retrieve,
        Operation::Update,
        Operation::List,
        Operation::Delete,
    ];

    fn id(self) -> &'static str {
        match self {
            Operation::Retrieve => "retrieve",
            Operation::Update => "update",
            Operation::List => "list",
            Operation::Delete => "delete",
        }
    }
}

/// Which values of an update parameter a scenario sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValueClass {
    /// A value the parameter's kind accepts.
    Valid,
    /// A value it does not accept (or one that makes the update contradict itself).
    Invalid,
    /// The parameter left out of an update.
    Absent,
}

impl ValueClass {
    const ALL: [ValueClass; 3] = [ValueClass::Valid, ValueClass::Invalid, ValueClass::Absent];

    fn id(self) -> &'static str {
        match self {
            ValueClass::Valid => "valid",
            ValueClass::Invalid => "invalid",
            ValueClass::Absent => "absent",
        }
    }
}

/// How a field of the resource is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Judgement {
    /// Its value has the documented format (a sid of the generation's form, a date, a boolean…).
    Format,
    /// It holds the value the update set (only fields some documented parameter sets).
    Value,
    /// It is tied to the request: the ids and `uri` of the path, the dates of the request's
    /// window.
    Request,
}

impl Judgement {
    fn id(self) -> &'static str {
        match self {
            Judgement::Format => "format",
            Judgement::Value => "value",
            Judgement::Request => "request",
        }
    }
}

/// Which path a request is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathOf {
    /// `…/Participants/{CallSid}`.
    Participant,
    /// `…/Participants/{Label}`, where the generation allows a label for the call sid.
    ParticipantByLabel,
    /// `…/Participants`.
    List,
}

impl PathOf {
    fn id(self) -> &'static str {
        match self {
            PathOf::Participant => "participant",
            PathOf::ParticipantByLabel => "participant-by-label",
            PathOf::List => "list",
        }
    }
}

/// With or without `.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    /// `….json`.
    Json,
    /// No suffix.
    Bare,
}

impl Form {
    fn id(self) -> &'static str {
        match self {
            Form::Json => "json",
            Form::Bare => "bare",
        }
    }

    /// The path forms `profile` documents (its `paths`), which are the forms its requests are
    /// sent in.
    pub fn documented(profile: &Profile) -> Vec<Form> {
        match profile.paths {
            PathForm::Json => vec![Form::Json],
            PathForm::Bare => vec![Form::Bare],
        }
    }
}

/// One documented item: what a row is about, and what a step sends or judges.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// An operation of the resource.
    Operation(Operation),
    /// An update parameter (PascalCase) and a class of its values.
    Param(String, ValueClass),
    /// A form key the generation does not document, which it refuses or ignores.
    UndocumentedParam,
    /// A list filter.
    Filter(String),
    /// A paging parameter of the list.
    Paging(String),
    /// A key of a list page.
    Envelope(String),
    /// A field of the resource and how it is judged.
    Field(String, Judgement),
    /// An error code, with the statuses the generation gives it.
    Error(u32),
    /// A path and its form.
    Path(PathOf, Form),
}

impl Item {
    /// Whether a request carries it; the others (fields, page keys, errors) are in answers.
    pub fn is_sent(&self) -> bool {
        !matches!(self, Item::Field(..) | Item::Envelope(_) | Item::Error(_))
    }
}

impl fmt::Display for Item {
    /// The row id, as `--check` names it and the profiles' `out_of_scope` keys it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Operation(op) => write!(f, "operation.{}", op.id()),
            Item::Param(name, class) => write!(f, "param.{name}.{}", class.id()),
            Item::UndocumentedParam => f.write_str("param.undocumented"),
            Item::Filter(name) => write!(f, "filter.{name}"),
            Item::Paging(name) => write!(f, "paging.{name}"),
            Item::Envelope(key) => write!(f, "envelope.{key}"),
            Item::Field(name, how) => write!(f, "field.{name}.{}", how.id()),
            Item::Error(code) => write!(f, "error.{code}"),
            Item::Path(of, form) => write!(f, "path.{}.{}", of.id(), form.id()),
        }
    }
}

/// One row of a profile's matrix: the item and what the profile says of it, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The documented item.
    pub item: Item,
    /// What the generation documents about it.
    pub what: String,
}

/// Whether the field of `format` is tied to the request: the ids and `uri` of the path, the
/// dates of the request's window.
fn tied_to_request(format: FieldFormat) -> bool {
    matches!(
        format,
        FieldFormat::AccountSid
            | FieldFormat::ConferenceSid
            | FieldFormat::CallSid
            | FieldFormat::OwnUri
            | FieldFormat::Rfc2822
    )
}

/// The fields whose value some parameter `profile` documents sets. A field an answer may leave
/// out (the seed's `hold_url`) has no value to hold it to.
pub fn set_fields(profile: &Profile) -> Vec<&'static str> {
    params::fields_set_by(profile.params.iter().map(String::as_str))
        .into_iter()
        .filter(|f| profile.fields.iter().any(|d| d.name == *f))
        .collect()
}

/// Every row of `profile`, in the order of the kinds, each kind in the profile's order.
pub fn rows(profile: &Profile) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut push = |item: Item, what: String| rows.push(Row { item, what });
    for op in Operation::ALL {
        push(Item::Operation(op), format!("the {} operation", op.id()));
    }
    for name in &profile.params {
        let kind = params::param(name).map_or("a value", |p| p.kind.expectation());
        for class in ValueClass::ALL {
            let what = match class {
                ValueClass::Valid => format!("{name} with a valid value: {kind}"),
                ValueClass::Invalid => format!("{name} with a value it does not take"),
                ValueClass::Absent => format!("an update without {name}"),
            };
            push(Item::Param(name.clone(), class), what);
        }
    }
    let unknown = match profile.unknown_params {
        UnknownParams::Refuse => "refused",
        UnknownParams::Ignore => "ignored",
    };
    push(
        Item::UndocumentedParam,
        format!("a key it does not document ({unknown})"),
    );
    for name in &profile.list.filters {
        push(Item::Filter(name.clone()), format!("the list filtered by {name}"));
    }
    for name in &profile.list.paging {
        push(Item::Paging(name.clone()), format!("the list paged by {name}"));
    }
    for key in &profile.list.envelope {
        push(Item::Envelope(key.clone()), format!("the page's {key}"));
    }
    let set = set_fields(profile);
    for field in profile.fields.iter().chain(&profile.optional_fields) {
        let name = &field.name;
        let optional = if profile.optional_fields.iter().any(|f| f.name == *name) {
            ", when present"
        } else {
            ""
        };
        push(
            Item::Field(name.clone(), Judgement::Format),
            format!("{name}: its format{optional}"),
        );
        if set.contains(&name.as_str()) {
            push(
                Item::Field(name.clone(), Judgement::Value),
                format!("{name}: the value the update set"),
            );
        }
        if tied_to_request(field.format) {
            push(
                Item::Field(name.clone(), Judgement::Request),
                format!("{name}: tied to the request"),
            );
        }
    }
    for (code, statuses) in &profile.errors.codes {
        let statuses: Vec<String> = statuses.iter().map(u16::to_string).collect();
        let meaning = ErrorCode::from_code(*code).map_or(String::new(), |c| format!(" ({c:?})"));
        push(
            Item::Error(*code),
            format!("error {code}{meaning} with status {}", statuses.join(" or ")),
        );
    }
    for form in Form::documented(profile) {
        let suffix = if form == Form::Json { ".json" } else { "" };
        push(
            Item::Path(PathOf::Participant, form),
            format!("{}/Accounts/…/Participants/{{CallSid}}{suffix}", profile.base_path),
        );
        if profile.label_lookup {
            push(
                Item::Path(PathOf::ParticipantByLabel, form),
                format!("{}/Accounts/…/Participants/{{Label}}{suffix}", profile.base_path),
            );
        }
        push(
            Item::Path(PathOf::List, form),
            format!("{}/Accounts/…/Participants{suffix}", profile.base_path),
        );
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str) -> &'static Profile {
        Profile::by_name(name).unwrap()
    }

    fn ids(name: &str) -> Vec<String> {
        rows(profile(name)).iter().map(|r| r.item.to_string()).collect()
    }

    #[test]
    fn every_operation_is_a_row_of_every_profile() {
        for name in ["seed", "signalwire", "twilio"] {
            let ids = ids(name);
            for op in ["retrieve", "update", "list", "delete"] {
                assert!(ids.contains(&format!("operation.{op}")), "{name}: {op}");
            }
        }
    }

    #[test]
    fn each_documented_parameter_has_three_value_classes() {
        let seed = ids("seed");
        for class in ["valid", "invalid", "absent"] {
            assert!(seed.contains(&format!("param.Beep.{class}")));
            assert!(ids("twilio").contains(&format!("param.EndConferenceOnExit.{class}")));
        }
        assert!(!seed.iter().any(|i| i.starts_with("param.WaitUrl")));
        assert!(!ids("signalwire").iter().any(|i| i.starts_with("param.Beep")));
        assert!(seed.contains(&"param.undocumented".to_string()));
    }

    #[test]
    fn filters_paging_and_envelope_follow_the_list_the_profile_documents() {
        let (seed, twilio, signalwire) = (ids("seed"), ids("twilio"), ids("signalwire"));
        assert!(twilio.contains(&"filter.Coaching".into()) && !seed.contains(&"filter.Coaching".into()));
        assert!(twilio.contains(&"paging.PageToken".into()) && !seed.contains(&"paging.PageToken".into()));
        assert!(seed.contains(&"envelope.conference_sid".into()));
        assert!(!signalwire.contains(&"envelope.start".into()));
    }

    #[test]
    fn fields_are_judged_by_format_and_where_it_applies_value_and_request() {
        let (seed, twilio, signalwire) = (ids("seed"), ids("twilio"), ids("signalwire"));
        for id in [
            "field.muted.value",
            "field.call_sid.request",
            "field.uri.request",
            "field.date_updated.request",
        ] {
            assert!(seed.contains(&id.to_string()), "{id}");
        }
        assert!(
            seed.contains(&"field.hold_url.format".into()),
            "an optional field has a format"
        );
        assert!(
            !seed.contains(&"field.hold_url.value".into()),
            "but no value it must hold"
        );
        assert!(!seed.contains(&"field.status.value".into()) && !seed.contains(&"field.status.request".into()));
        assert!(
            twilio.contains(&"field.end_conference_on_exit.value".into()),
            "EndConferenceOnExit sets it"
        );
        assert!(!signalwire.contains(&"field.end_conference_on_exit.value".into()));
        assert!(twilio.contains(&"field.label.format".into()));
    }

    #[test]
    fn every_error_code_is_one_row_with_its_statuses() {
        let signalwire = rows(profile("signalwire"));
        let row = signalwire.iter().find(|r| r.item == Item::Error(10000)).unwrap();
        assert!(row.what.contains("400 or 422"), "{}", row.what);
        assert_eq!(
            signalwire.iter().filter(|r| matches!(r.item, Item::Error(_))).count(),
            profile("signalwire").errors.codes.len()
        );
    }

    #[test]
    fn paths_take_the_form_each_generation_documents() {
        let (seed, twilio, signalwire) = (ids("seed"), ids("twilio"), ids("signalwire"));
        assert!(seed.contains(&"path.participant.json".into()) && seed.contains(&"path.list.json".into()));
        assert!(signalwire.contains(&"path.participant.bare".into()) && signalwire.contains(&"path.list.bare".into()));
        assert!(
            !signalwire
                .iter()
                .any(|i| i.ends_with(".json") && i.starts_with("path."))
        );
        assert!(twilio.contains(&"path.participant-by-label.json".into()));
        assert!(!seed.contains(&"path.participant-by-label.json".into()));
    }

    #[test]
    fn row_ids_are_unique() {
        for p in laml_conformance::spec::profile::PROFILES.iter() {
            let mut ids: Vec<String> = rows(p).iter().map(|r| r.item.to_string()).collect();
            let n = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), n, "{}", p.name);
        }
    }
}
