//! The normaliser: volatile values become typed placeholders, what a scenario controls stays.
//!
//! A placeholder is written only after the value was checked to have the documented format or
//! identity, so a redaction never hides a wrong value: an ISO 8601 date stays an ISO 8601 date
//! in the normalised output and shows up in the diff.

use serde_json::{Map, Value};

use crate::spec::documented::{DOCUMENTED_COACHED, DocumentedExample, documented_participant};
use crate::spec::participant::{self, ACTIVE_STATUSES, FieldFormat, NOBODY};
use crate::spec::{Dialect, FIELDS, ParticipantRef};

use super::Deviation;

/// The placeholder of the account's own sid.
pub const ACCOUNT_SID: &str = "[the account's sid]";
/// The placeholder of the conference's own sid.
pub const CONFERENCE_SID: &str = "[the conference's sid]";
/// The placeholder of the participant's own call sid.
pub const CALL_SID: &str = "[the participant's call sid]";
/// The placeholder of `call_sid_to_coach` when it agrees with `coaching`.
pub const COACH_TARGET: &str =
    "[while coaching, the call sid of another participant of the conference; else one of no participant]";
/// The placeholder of an RFC 2822 date.
pub const DATE: &str = "[an RFC 2822 date]";
/// The placeholder of a boolean: a join flag, or, in the resource shape, any flag.
pub const BOOLEAN: &str = "[a boolean]";
/// The placeholder of a status a participant in the conference may have.
pub const STATUS: &str = "[the status of a participant in the conference]";
/// The placeholder of the participant's own path in the path form the request used.
pub const OWN_URI: &str = "[the participant's own path, in a form the request's path form allows, ending in .json]";

/// Whose answer is being normalised, and what decides its placeholders: a value becomes a
/// placeholder only when it is this participant's own, in this path form, or names one of
/// these other participants.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The participant the answer is about.
    pub who: ParticipantRef,
    /// The path form the request used, which decides the forms `uri` may take.
    pub dialect: Dialect,
    /// The call sids of the other participants of the same conference: while coaching, one of
    /// them; while not, none of them.
    pub others: Vec<String>,
}

/// Normalises a participant body: known fields in the documented order with placeholders where
/// the value has the documented format, unknown fields after them, verbatim.
pub fn normalise(body: &Value, subject: &Subject) -> Value {
    let Value::Object(fields) = body else {
        return body.clone();
    };
    let mut out = Map::new();
    for field in FIELDS {
        if let Some(v) = fields.get(field.name) {
            out.insert(field.name.to_string(), placeholder(field.format, v, fields, subject));
        }
    }
    for (k, v) in fields {
        if participant::field(k).is_none() {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// The resource shape of a normalised body: the flags an update controls become [`BOOLEAN`]
/// too (after checking that they are booleans), since which value they hold is for the value
/// steps to say, not the shape.
pub fn resource(normalised: &Value) -> Value {
    let mut out = normalised.clone();
    if let Value::Object(fields) = &mut out {
        for field in FIELDS.iter().filter(|f| f.format == FieldFormat::Controlled) {
            if let Some(v) = fields.get_mut(field.name)
                && v.is_boolean()
            {
                *v = Value::from(BOOLEAN);
            }
        }
    }
    out
}

fn placeholder(format: FieldFormat, v: &Value, body: &Map<String, Value>, subject: &Subject) -> Value {
    let who = &subject.who;
    let text = v.as_str();
    let typed = match format {
        FieldFormat::AccountSid => (text == Some(&who.account_sid)).then_some(ACCOUNT_SID),
        FieldFormat::ConferenceSid => (text == Some(&who.conference_sid)).then_some(CONFERENCE_SID),
        FieldFormat::CallSid => (text == Some(&who.call_sid)).then_some(CALL_SID),
        FieldFormat::CoachTarget => {
            let names_another = |t: &str| subject.others.iter().any(|o| o == t);
            let fits = match body.get("coaching") {
                Some(Value::Bool(true)) => text.is_some_and(names_another),
                Some(Value::Bool(false)) => {
                    text.is_some_and(|t| participant::is_call_sid(t) && !names_another(t) && t != who.call_sid)
                }
                _ => false,
            };
            fits.then_some(COACH_TARGET)
        }
        FieldFormat::Rfc2822 => text.filter(|t| participant::parse_date(t).is_some()).map(|_| DATE),
        FieldFormat::JoinFlag => v.is_boolean().then_some(BOOLEAN),
        FieldFormat::Status => text.filter(|t| ACTIVE_STATUSES.contains(t)).map(|_| STATUS),
        FieldFormat::OwnUri => text
            .filter(|t| subject.dialect.answered_forms().iter().any(|d| *t == who.path(*d)))
            .map(|_| OWN_URI),
        FieldFormat::Controlled => None,
    };
    typed.map(Value::from).unwrap_or_else(|| v.clone())
}

/// A documented example with the documentation's contradictions resolved (SPEC.md section 7),
/// and the list of what was changed, which the snapshot's description repeats:
/// - errata 8: dates written `Sept` are RFC 2822 only with `Sep`;
/// - errata 7: the `xxxxxxxx-…` placeholder of `call_sid_to_coach` stands for the coached
///   participant's uuid where the example coaches, and for a uuid of nobody where it does not;
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
    let coaching = fields.get("coaching") == Some(&Value::Bool(true));
    if let Some(Value::String(s)) = fields.get_mut("call_sid_to_coach")
        && s == "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    {
        if coaching {
            *s = DOCUMENTED_COACHED.to_string();
            notes.push(ERRATA_7_COACHED);
        } else {
            *s = NOBODY.to_string();
            notes.push(ERRATA_7);
        }
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
const ERRATA_7: &str = "errata 7: the xxxxxxxx-… placeholder of call_sid_to_coach read as a uuid of no participant";
const ERRATA_7_COACHED: &str =
    "errata 7: the xxxxxxxx-… placeholder of call_sid_to_coach read as the coached participant's uuid";
const ERRATA_6_HOLD_URL: &str = "errata 6: hold_url dropped, not a field of the resource";
const ERRATA_6_COACHING: &str = "errata 6: coaching added as false, as the resource page has it";
const ERRATA_3: &str = "errata 3/6: call_sid_to_coach added, as the resource page and the mute example have it";

/// Whom every documented example is about: the documentation's own ids, in its own path form,
/// in a conference whose other participant is the one the coaching examples coach.
pub fn documented_subject() -> Subject {
    Subject {
        who: documented_participant(),
        dialect: Dialect::SignalWire,
        others: vec![DOCUMENTED_COACHED.to_string()],
    }
}

/// The documented shape of an example: corrected, then normalised like any actual response.
pub fn documented_shape(example: &DocumentedExample) -> Value {
    normalise(&corrected(example).0, &documented_subject())
}

/// Every field where a normalised body differs from a documented shape: missing, extra, or
/// another value or type.
pub fn check_shape(actual: &Value, expected: &Value) -> Result<(), Vec<Deviation>> {
    let deviations = super::compare(expected, actual);
    if deviations.is_empty() { Ok(()) } else { Err(deviations) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::documented::example;
    use serde_json::json;

    fn subject() -> Subject {
        Subject {
            who: ParticipantRef {
                account_sid: "a".into(),
                conference_sid: "c".into(),
                call_sid: "p".into(),
            },
            dialect: Dialect::SignalWire,
            others: vec!["b3877c40-da60-4998-90ad-b792e98472cb".into()],
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
            "coaching": false,
            "call_sid_to_coach": null,
            "uri": "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p",
        });
        let n = normalise(&body, &subject());
        assert_eq!(n["account_sid"], "other");
        assert_eq!(n["date_created"], "2018-09-24T21:00:00Z");
        assert_eq!(n["date_updated"], DATE);
        assert_eq!(n["end_conference_on_exit"], "false");
        assert_eq!(n["status"], "bogus");
        assert_eq!(n["uri"], "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p");
        assert_eq!(n["call_sid_to_coach"], Value::Null);
    }

    #[test]
    fn only_the_statuses_of_a_participant_in_the_conference_pass() {
        for (status, active) in [
            ("complete", true),
            ("in-progress", true),
            ("connected", true),
            ("failed", false),
            ("queued", false),
            ("completed", false),
        ] {
            let n = normalise(&json!({ "status": status }), &subject());
            assert_eq!(n["status"] == STATUS, active, "{status}");
        }
    }

    #[test]
    fn the_uri_is_the_own_path_in_a_form_the_request_allows() {
        let signalwire = "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p.json";
        let twilio = "/2010-04-01/Accounts/a/Conferences/c/Participants/p.json";
        let mut s = subject();
        assert_eq!(normalise(&json!({ "uri": signalwire }), &s)["uri"], OWN_URI);
        assert_eq!(normalise(&json!({ "uri": twilio }), &s)["uri"], twilio);
        s.dialect = Dialect::Twilio;
        assert_eq!(normalise(&json!({ "uri": twilio }), &s)["uri"], OWN_URI);
        assert_eq!(normalise(&json!({ "uri": signalwire }), &s)["uri"], OWN_URI);
        let other = "/2010-04-01/Accounts/a/Conferences/c/Participants/q.json";
        assert_eq!(normalise(&json!({ "uri": other }), &s)["uri"], other);
    }

    #[test]
    fn call_sid_to_coach_must_agree_with_coaching() {
        let s = subject();
        let other = s.others[0].clone();
        let stranger = "0f0e0d0c-0b0a-4908-8706-050403020100";
        let cases = [
            (true, other.as_str(), true),
            (true, stranger, false),
            (true, NOBODY, false),
            (true, "p", false),
            (false, NOBODY, true),
            (false, stranger, true),
            (false, other.as_str(), false),
            (false, "p", false),
            (false, "not a sid", false),
        ];
        for (coaching, sid, fits) in cases {
            let n = normalise(&json!({ "coaching": coaching, "call_sid_to_coach": sid }), &s);
            assert_eq!(
                n["call_sid_to_coach"] == COACH_TARGET,
                fits,
                "coaching {coaching}, {sid}"
            );
        }
        let n = normalise(&json!({ "call_sid_to_coach": NOBODY }), &s);
        assert_eq!(n["call_sid_to_coach"], NOBODY, "without a coaching flag nothing agrees");
    }

    #[test]
    fn the_resource_shape_hides_only_boolean_flags() {
        let n = resource(&json!({ "muted": true, "hold": "false", "coaching": false, "status": "x" }));
        assert_eq!(
            n,
            json!({ "muted": BOOLEAN, "hold": "false", "coaching": BOOLEAN, "status": "x" })
        );
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
        assert_eq!(d[1].actual, "missing");
    }

    #[test]
    fn the_documented_coaching_example_normalises_fully() {
        let shape = documented_shape(example("coaching").unwrap());
        assert_eq!(shape["conference_sid"], CONFERENCE_SID);
        assert_eq!(shape["date_created"], DATE);
        assert_eq!(shape["call_sid_to_coach"], COACH_TARGET);
        assert_eq!(shape["coaching"], true);
    }

    #[test]
    fn each_correction_is_noted_once() {
        let (value, notes) = corrected(example("mute").unwrap());
        assert!(!value.to_string().contains("Sept"));
        assert_eq!(notes.iter().filter(|n| **n == ERRATA_8).count(), 1, "{notes:?}");
        assert_eq!(notes.iter().filter(|n| **n == ERRATA_7).count(), 1, "{notes:?}");
        let (_, hold) = corrected(example("hold").unwrap());
        assert!(
            hold.contains(&ERRATA_6_HOLD_URL) && hold.contains(&ERRATA_6_COACHING),
            "{hold:?}"
        );
    }

    #[test]
    fn every_documented_example_has_one_resource_shape() {
        let shapes: Vec<Value> = crate::spec::EXAMPLES
            .iter()
            .map(|e| resource(&documented_shape(e)))
            .collect();
        assert!(shapes.windows(2).all(|w| w[0] == w[1]), "{shapes:#?}");
        assert!(!shapes[0].to_string().contains("xxxx"));
    }
}
