//! The normaliser: volatile values become typed placeholders, what a scenario controls stays.
//!
//! A placeholder is written only after the value was checked to have the documented format or
//! identity, so a redaction never hides a wrong value: an ISO 8601 date stays an ISO 8601 date
//! in the normalised output and shows up in the diff.

use serde_json::{Map, Value};

use crate::spec::FIELDS;
use crate::spec::ParticipantRef;
use crate::spec::documented::{DocumentedExample, documented_participant};
use crate::spec::participant::{self, FieldFormat, NOBODY, STATUSES};

use super::Deviation;

/// The placeholder of the account's own sid.
pub const ACCOUNT_SID: &str = "[the account's sid]";
/// The placeholder of the conference's own sid.
pub const CONFERENCE_SID: &str = "[the conference's sid]";
/// The placeholder of the participant's own call sid.
pub const CALL_SID: &str = "[the participant's call sid]";
/// The placeholder of any call sid (a uuid, or Twilio's `CA` and 32 hex digits).
pub const CALL_SID_OF_ANYONE: &str = "[a call sid]";
/// The placeholder of an RFC 2822 date.
pub const DATE: &str = "[an RFC 2822 date]";
/// The placeholder of a boolean the update does not control.
pub const BOOLEAN: &str = "[a boolean]";
/// The placeholder of a documented participant status.
pub const STATUS: &str = "[a documented status]";
/// The placeholder of the participant's own path with `.json`.
pub const OWN_URI: &str = "[the participant's own uri, ending in .json]";

/// Normalises a participant body: known fields in the documented order with placeholders where
/// the value has the documented format, unknown fields after them, verbatim.
pub fn normalise(body: &Value, who: &ParticipantRef) -> Value {
    let Value::Object(fields) = body else {
        return body.clone();
    };
    let mut out = Map::new();
    for field in FIELDS {
        if let Some(v) = fields.get(field.name) {
            out.insert(field.name.to_string(), placeholder(field.format, v, who));
        }
    }
    for (k, v) in fields {
        if participant::field(k).is_none() {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

fn placeholder(format: FieldFormat, v: &Value, who: &ParticipantRef) -> Value {
    let text = v.as_str();
    let typed = match format {
        FieldFormat::AccountSid => (text == Some(&who.account_sid)).then_some(ACCOUNT_SID),
        FieldFormat::ConferenceSid => (text == Some(&who.conference_sid)).then_some(CONFERENCE_SID),
        FieldFormat::CallSid => (text == Some(&who.call_sid)).then_some(CALL_SID),
        FieldFormat::AnySid => text.filter(|t| participant::is_call_sid(t)).map(|_| CALL_SID_OF_ANYONE),
        FieldFormat::Rfc2822 => text.filter(|t| participant::parse_date(t).is_some()).map(|_| DATE),
        FieldFormat::JoinFlag => v.is_boolean().then_some(BOOLEAN),
        FieldFormat::Status => text.filter(|t| STATUSES.contains(t)).map(|_| STATUS),
        FieldFormat::OwnUri => text.filter(|t| who.is_own_uri(t)).map(|_| OWN_URI),
        FieldFormat::Controlled => None,
    };
    typed.map(Value::from).unwrap_or_else(|| v.clone())
}

/// A documented example with the documentation's contradictions resolved (SPEC.md section 7),
/// and the list of what was changed, which the snapshot's description repeats:
/// - errata 8: dates written `Sept` are RFC 2822 only with `Sep`;
/// - errata 7: the `xxxxxxxx-…` placeholder of `call_sid_to_coach` stands for a uuid;
/// - errata 3: the barge response lacks `call_sid_to_coach`, which the resource page, the mute
///   example and the current OpenAPI all carry: it is added;
/// - errata 6: the hold response carries `hold_url`, a field of no generation of the resource,
///   and lacks `coaching` and `call_sid_to_coach`: `hold_url` goes, the two are added with the
///   values of a participant that coaches nobody.
///
/// The resolution is always the resource page's thirteen fields; everything else is the
/// documented file verbatim.
pub fn corrected(example: &DocumentedExample) -> (Value, Vec<&'static str>) {
    let mut value = example.value();
    let mut notes = Vec::new();
    let Value::Object(fields) = &mut value else {
        return (value, notes);
    };
    for key in ["date_created", "date_updated"] {
        if let Some(Value::String(d)) = fields.get_mut(key)
            && d.contains(" Sept ")
        {
            *d = d.replace(" Sept ", " Sep ");
            if !notes.contains(&ERRATA_8) {
                notes.push(ERRATA_8);
            }
        }
    }
    if let Some(Value::String(s)) = fields.get_mut("call_sid_to_coach")
        && s == "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    {
        *s = NOBODY.to_string();
        notes.push(ERRATA_7);
    }
    if fields.remove("hold_url").is_some() {
        notes.push(ERRATA_6_HOLD_URL);
    }
    if !fields.contains_key("coaching") {
        fields.insert("coaching".into(), Value::Bool(false));
        notes.push(ERRATA_6_COACHING);
    }
    if !fields.contains_key("call_sid_to_coach") {
        fields.insert("call_sid_to_coach".into(), Value::from(NOBODY));
        notes.push(ERRATA_3);
    }
    (value, notes)
}

const ERRATA_8: &str = "errata 8: `Sept` in dates read as `Sep`";
const ERRATA_7: &str = "errata 7: the xxxxxxxx-… placeholder of call_sid_to_coach read as a uuid";
const ERRATA_6_HOLD_URL: &str = "errata 6: hold_url dropped, not a field of the resource";
const ERRATA_6_COACHING: &str = "errata 6: coaching added as false, as the resource page has it";
const ERRATA_3: &str = "errata 3/6: call_sid_to_coach added, as the resource page and the mute example have it";

/// The documented shape of an example: corrected, then normalised like any actual response.
pub fn documented_shape(example: &DocumentedExample) -> Value {
    normalise(&corrected(example).0, &documented_participant())
}

/// Every field where a normalised body differs from a documented shape: missing, extra, or
/// another value or type.
pub fn check_shape(actual: &Value, expected: &Value) -> Result<(), Vec<Deviation>> {
    let (Value::Object(a), Value::Object(e)) = (actual, expected) else {
        return Err(vec![Deviation::values("(body)", expected, actual)]);
    };
    let mut deviations = Vec::new();
    for (key, want) in e {
        match a.get(key) {
            None => deviations.push(Deviation {
                path: key.clone(),
                expected: super::show(want),
                actual: "missing".into(),
            }),
            Some(got) if got != want => deviations.push(Deviation::values(key.clone(), want, got)),
            Some(_) => {}
        }
    }
    for (key, got) in a {
        if !e.contains_key(key) {
            deviations.push(Deviation {
                path: key.clone(),
                expected: "absent: not a field of the documented shape".into(),
                actual: super::show(got),
            });
        }
    }
    if deviations.is_empty() { Ok(()) } else { Err(deviations) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::documented::example;
    use serde_json::json;

    fn who() -> ParticipantRef {
        ParticipantRef {
            account_sid: "a".into(),
            conference_sid: "c".into(),
            call_sid: "p".into(),
        }
    }

    #[test]
    fn placeholders_only_replace_values_of_the_right_format() {
        let body = json!({
            "account_sid": "other",
            "date_created": "2018-09-24T21:00:00Z",
            "date_updated": "Mon, 24 Sep 2018 21:00:00 +0000",
            "end_conference_on_exit": "false",
            "status": "bogus",
            "uri": "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p",
            "call_sid_to_coach": null,
        });
        let n = normalise(&body, &who());
        assert_eq!(n["account_sid"], "other");
        assert_eq!(n["date_created"], "2018-09-24T21:00:00Z");
        assert_eq!(n["date_updated"], DATE);
        assert_eq!(n["end_conference_on_exit"], "false");
        assert_eq!(n["status"], "bogus");
        assert_eq!(n["uri"], "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p");
        assert_eq!(n["call_sid_to_coach"], Value::Null);
    }

    #[test]
    fn either_dialect_of_the_own_uri_is_accepted() {
        for uri in [
            "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p.json",
            "/2010-04-01/Accounts/a/Conferences/c/Participants/p.json",
        ] {
            assert_eq!(normalise(&json!({ "uri": uri }), &who())["uri"], OWN_URI);
        }
    }

    #[test]
    fn shape_diff_names_missing_extra_and_retyped_fields() {
        let expected = json!({ "muted": true, "hold": false });
        let actual = json!({ "muted": "true", "extra": 1 });
        let d = check_shape(&actual, &expected).unwrap_err();
        let paths: Vec<_> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["muted", "hold", "extra"]);
        assert_eq!(d[0].expected, "<true> (boolean)");
        assert_eq!(d[0].actual, "<\"true\"> (string)");
    }

    #[test]
    fn the_documented_coaching_example_normalises_fully() {
        let shape = documented_shape(example("coaching").unwrap());
        assert_eq!(shape["conference_sid"], CONFERENCE_SID);
        assert_eq!(shape["date_created"], DATE);
        assert_eq!(shape["call_sid_to_coach"], CALL_SID_OF_ANYONE);
        assert_eq!(shape["coaching"], true);
    }
}
