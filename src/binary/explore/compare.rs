//! What two answers to the same request must have in common, whoever gave them: each side's
//! answer becomes a view, normalised with that side's own sids (so the placeholders line up),
//! with every sid of a named participant written as the name, and the views are compared field
//! by field with the engine's [`Deviation`]s (expected: the model; actual: the target).
//!
//! Dates are never compared by value: the views hold their placeholders, and whether each date
//! moved since it was last seen is a field of its own.

use laml_conformance::check::error::normalise_error;
use laml_conformance::check::page::{ListSubject, normalise_page};
use laml_conformance::check::placeholder::Placeholder;
use laml_conformance::check::shape::{self, Subject};
use laml_conformance::check::{Deviation, show};
use laml_conformance::spec::{Dialect, Profile, wire};
use serde_json::{Map, Value};

use super::side::{Answer, Roster};

/// What an answer is expected to be about when it succeeds.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    /// One participant, by name.
    Participant(&'a str),
    /// A page of the first conference's list.
    List,
}

/// How one side's answers are read: its sids, its path form, its profile.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    /// Where each name is on this side.
    pub roster: &'a Roster,
    /// The path form this side is spoken to in.
    pub dialect: Dialect,
    /// The generation both sides answer as.
    pub profile: &'static Profile,
    /// Whether a listed participant that is no named one counts (fresh conferences hold only
    /// named participants; a shared live one may hold others).
    pub strangers_count: bool,
}

/// The placeholder of a named participant's call sid.
fn sid_of(name: &str) -> Value {
    Value::from(Placeholder::SidOf(name.to_string()))
}

/// The view of an answer: its status (a status the profile allows for the same error code in
/// place of another counts as that one), its content type, and its body as `kind` reads it.
/// `seen` is the participant as this side showed it last: the view then says which dates moved.
pub fn view(answer: &Answer, kind: Kind<'_>, viewer: &Viewer<'_>, seen: Option<&Value>) -> Value {
    let mut out = Map::new();
    let mut status = answer.status;
    let mut body = Map::new();
    match &answer.body {
        Ok(v) if answer.status >= 400 => {
            let (canonical, fields) = error_fields(answer.status, v, viewer.profile);
            status = canonical;
            body = fields;
        }
        Ok(v) => match kind {
            Kind::Participant(name) => {
                body = participant(v, name, viewer);
                if let Some(seen) = seen {
                    body.insert("(dates since last seen)".into(), Value::from(movement(seen, v)));
                }
            }
            Kind::List => body = list(v, viewer),
        },
        Err(text) if text.is_empty() => {
            body.insert("(body)".into(), Value::from(Placeholder::EmptyBody));
        }
        Err(text) => {
            let start: String = text.chars().take(80).collect();
            body.insert("(body)".into(), Value::from(Placeholder::NotJson(start)));
        }
    }
    out.insert("(HTTP status)".into(), Value::from(status));
    if !matches!(&answer.body, Err(t) if t.is_empty()) {
        let media = answer
            .content_type
            .as_deref()
            .and_then(|c| c.split(';').next())
            .map(str::trim);
        let shown = match media {
            Some(m) if m.eq_ignore_ascii_case(wire::JSON) => Value::from(wire::JSON),
            Some(_) => Value::from(answer.content_type.clone().unwrap_or_default()),
            None => Value::from(Placeholder::NoHeader),
        };
        out.insert("(header Content-Type)".into(), shown);
    }
    out.extend(body);
    Value::Object(out)
}

/// An error body normalised (its placeholders, the profile's optional keys left out), and the
/// status it stands for: the first the profile declares for its code, where the status is one
/// of them (SignalWire's 422 counts as its 400), the body's `status` with it.
fn error_fields(status: u16, body: &Value, profile: &Profile) -> (u16, Map<String, Value>) {
    let mut body = body.clone();
    if let Value::Object(fields) = &mut body {
        fields.retain(|k, _| !profile.error_optional_fields.contains(k));
    }
    let Value::Object(mut fields) = normalise_error(&body) else {
        let mut only = Map::new();
        only.insert("(body)".into(), body);
        return (status, only);
    };
    let allowed = fields
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u32::try_from(c).ok())
        .map_or(&[][..], |c| profile.errors.statuses(c));
    let canonical = if allowed.contains(&status) { allowed[0] } else { status };
    if fields.get("status").and_then(Value::as_u64) == Some(u64::from(status)) {
        fields.insert("status".into(), Value::from(canonical));
    }
    (canonical, fields)
}

/// A participant normalised as the checks normalise it, then every value that is the call sid
/// of a named participant (in `call_sid_to_coach` even where it fits its placeholder) written
/// as that participant's name, so two sides agree on whom, not on which sid.
pub fn participant(body: &Value, name: &str, viewer: &Viewer<'_>) -> Map<String, Value> {
    let Some(who) = viewer.roster.at(name) else {
        let mut only = Map::new();
        only.insert("(body)".into(), body.clone());
        return only;
    };
    let subject = Subject {
        others: viewer.roster.others(name),
        who,
        dialect: viewer.dialect,
        profile: viewer.profile,
    };
    let Value::Object(mut fields) = shape::normalise(body, &subject) else {
        let mut only = Map::new();
        only.insert("(body)".into(), body.clone());
        return only;
    };
    for (key, value) in fields.iter_mut() {
        let raw = body.get(key).and_then(Value::as_str);
        if let Some(named) = raw.and_then(|sid| viewer.roster.name_of(sid))
            && (value.as_str() == raw || key == "call_sid_to_coach")
        {
            *value = sid_of(named);
        }
    }
    fields
}

/// A page: its envelope normalised, the names it lists (sorted), how many it lists that are
/// no named participant, and each named participant's view.
fn list(body: &Value, viewer: &Viewer<'_>) -> Map<String, Value> {
    let first = viewer.roster.first();
    let subject = ListSubject {
        account: &first.credentials.project_id,
        conference: &first.conference_sid,
        dialect: viewer.dialect,
        profile: viewer.profile,
    };
    let mut out = Map::new();
    out.insert("page".into(), normalise_page(body, &subject));
    let items = body
        .get("participants")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut names = Vec::new();
    let mut each = Map::new();
    let mut strangers = 0;
    for item in &items {
        match item
            .get("call_sid")
            .and_then(Value::as_str)
            .and_then(|sid| viewer.roster.name_of(sid))
        {
            Some(name) => {
                names.push(name.to_string());
                each.insert(name.to_string(), Value::Object(participant(item, name, viewer)));
            }
            None => strangers += 1,
        }
    }
    names.sort();
    out.insert("names".into(), Value::from(names));
    if viewer.strangers_count {
        out.insert(
            "listed participants that are no named one".into(),
            Value::from(strangers),
        );
    }
    out.insert("participants".into(), Value::Object(each));
    out
}

/// Which of the two dates differ from the last time this side showed the participant.
pub fn movement(seen: &Value, now: &Value) -> String {
    let moved = |key: &str| {
        if seen.get(key) == now.get(key) {
            "unchanged"
        } else {
            "moved"
        }
    };
    format!(
        "date_created {}, date_updated {}",
        moved("date_created"),
        moved("date_updated")
    )
}

/// Every field where the target's view differs from the model's, nested fields by their
/// dotted path. Where one side refused and the other did not, the status and the two bodies in
/// brief say it all; where a list names other participants, the names do (not each one listed
/// on one side only).
pub fn diff(model: &Value, target: &Value) -> Vec<Deviation> {
    let refused = |v: &Value| v.get("(HTTP status)").and_then(Value::as_u64).map(|s| s >= 400);
    if refused(model) != refused(target) {
        let status = |v: &Value| v.get("(HTTP status)").cloned().unwrap_or(Value::Null);
        return vec![
            Deviation::values("(HTTP status)", &status(model), &status(target)),
            Deviation {
                path: "(body)".into(),
                expected: brief(model),
                actual: brief(target),
            },
        ];
    }
    let mut out = laml_conformance::check::compare(model, target, laml_conformance::check::Scope::Deep);
    if out.iter().any(|d| d.path == "names") {
        out.retain(|d| !(d.path.starts_with("participants.") && (d.is_missing() || d.is_unexpected())));
    }
    out
}

/// A body by the values a reader tells answers apart by: those that are no placeholder, and
/// whom a participant coaches (a placeholder that names someone).
fn brief(view: &Value) -> String {
    let Value::Object(fields) = view else {
        return show(view);
    };
    let parts: Vec<String> = fields
        .iter()
        .filter(|(k, _)| !k.starts_with('(') || *k == "(body)")
        .filter(|(_, v)| {
            v.as_str()
                .and_then(Placeholder::parse)
                .is_none_or(|p| p.names().is_some())
        })
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    if parts.is_empty() {
        "no body".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests;
