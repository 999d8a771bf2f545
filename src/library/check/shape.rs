//! The normaliser: volatile values become typed placeholders, what a scenario controls stays.
//!
//! A placeholder is written only after the value was checked to have the documented format or
//! identity, so a redaction never hides a wrong value: an ISO 8601 date stays an ISO 8601 date
//! in the normalised output and shows up in the diff.

use serde_json::{Map, Value};

use crate::spec::participant::{self, FieldFormat};
use crate::spec::profile::{IdleCoach, ProfileField, UriJson};
use crate::spec::{Dialect, ParticipantRef, Profile, params};

use super::Deviation;
use super::placeholder::Placeholder;

/// Whose answer is being normalised, under which generation of the documentation, and what
/// decides its placeholders: a value becomes a placeholder only when it is this participant's
/// own, in an allowed path form, or names one of these other participants.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The participant the answer is about.
    pub who: ParticipantRef,
    /// The path form the request used, which decides the forms `uri` may take.
    pub dialect: Dialect,
    /// The call sids of the other participants of the same conference: while coaching, one of
    /// them; while not, none of them.
    pub others: Vec<String>,
    /// The generation the answer is judged by.
    pub profile: &'static Profile,
}

/// The placeholder of a field as its profile allows it: or `null` where it may be null.
fn text_of(field: &ProfileField, base: Placeholder) -> Value {
    if field.nullable && field.format != FieldFormat::CoachTarget {
        Value::from(base.or_null())
    } else {
        Value::from(base)
    }
}

/// The placeholder a field's value becomes once it is checked, by its format.
fn base_placeholder(format: FieldFormat, profile: &Profile) -> Placeholder {
    match format {
        FieldFormat::OwnUri if profile.uri_json == UriJson::Optional => Placeholder::OwnPath,
        FieldFormat::AccountSid => Placeholder::AccountSid,
        FieldFormat::ConferenceSid => Placeholder::ConferenceSid,
        FieldFormat::CallSid => Placeholder::CallSid,
        FieldFormat::CoachTarget => Placeholder::CoachTarget,
        FieldFormat::Rfc2822 => Placeholder::Date,
        FieldFormat::JoinFlag | FieldFormat::Controlled => Placeholder::Boolean,
        FieldFormat::Status => Placeholder::Status,
        FieldFormat::OwnUri => Placeholder::OwnUri,
        FieldFormat::Text => Placeholder::Text,
        FieldFormat::Url => Placeholder::Url,
        FieldFormat::Constant => Placeholder::Text,
    }
}

/// Normalises a participant body under the subject's profile: its fields in the profile's
/// order with placeholders where the value has the documented format, its optional fields left
/// out where they are well-formed, unknown fields after them, verbatim.
pub fn normalise(body: &Value, subject: &Subject) -> Value {
    let Value::Object(fields) = body else {
        return body.clone();
    };
    let profile = subject.profile;
    let mut out = Map::new();
    for field in &profile.fields {
        if let Some(v) = fields.get(&field.name) {
            out.insert(field.name.clone(), placeholder(field, v, fields, subject));
        }
    }
    for field in &profile.optional_fields {
        if let Some(v) = fields.get(&field.name)
            && placeholder(field, v, fields, subject) == v.clone()
        {
            out.insert(field.name.clone(), v.clone());
        }
    }
    for (k, v) in fields {
        if profile.field(k).is_none() {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// The resource shape of a normalised body: the flags an update controls become their
/// placeholder too (after checking that they are booleans, or null where the profile allows),
/// since which value they hold is for the value steps to say, not the shape.
pub fn resource(normalised: &Value, profile: &Profile) -> Value {
    let mut out = normalised.clone();
    if let Value::Object(fields) = &mut out {
        for field in profile.fields.iter().filter(|f| f.format == FieldFormat::Controlled) {
            if let Some(v) = fields.get_mut(&field.name)
                && (v.is_boolean() || (v.is_null() && field.nullable))
            {
                *v = text_of(field, Placeholder::Boolean);
            }
        }
    }
    out
}

/// The resource shape a profile's field table describes: what [`resource`] makes of any
/// answer that fits it. Its committed snapshot is the check of every success.
pub fn resource_shape(profile: &Profile) -> Value {
    let fields = profile
        .fields
        .iter()
        .map(|f| (f.name.clone(), text_of(f, base_placeholder(f.format, profile))))
        .collect();
    Value::Object(fields)
}

fn placeholder(field: &ProfileField, v: &Value, body: &Map<String, Value>, subject: &Subject) -> Value {
    let (who, profile) = (&subject.who, subject.profile);
    if field.format == FieldFormat::Controlled {
        return v.clone();
    }
    let text = v.as_str();
    let fits = match field.format {
        FieldFormat::AccountSid => text == Some(&who.account_sid) && id_fits(profile, &who.account_sid, "AC"),
        FieldFormat::ConferenceSid => text == Some(&who.conference_sid) && id_fits(profile, &who.conference_sid, "CF"),
        FieldFormat::CallSid => text == Some(&who.call_sid) && id_fits(profile, &who.call_sid, "CA"),
        FieldFormat::CoachTarget => {
            let names_another = |t: &str| subject.others.iter().any(|o| o == t);
            match body.get("coaching") {
                Some(Value::Bool(true)) => text.is_some_and(names_another),
                Some(Value::Bool(false)) => match text {
                    None => v.is_null() && profile.idle_coach.contains(&IdleCoach::Null),
                    Some(t) => {
                        profile.idle_coach.contains(&IdleCoach::NoParticipant)
                            && participant::is_call_sid(t)
                            && !names_another(t)
                            && t != who.call_sid
                    }
                },
                _ => v.is_null() && profile.idle_coach.contains(&IdleCoach::Null),
            }
        }
        FieldFormat::Rfc2822 => text.is_some_and(|t| participant::parse_date(t).is_some()),
        FieldFormat::JoinFlag => v.is_boolean(),
        FieldFormat::Status => text.is_some_and(|t| profile.active_statuses.iter().any(|s| s == t)),
        FieldFormat::OwnUri => text.is_some_and(|t| is_own_uri(t, subject)),
        FieldFormat::Text => v.is_string(),
        FieldFormat::Url => text.is_some_and(params::is_absolute_url),
        FieldFormat::Constant => text.is_some() && text == field.value.as_deref(),
        FieldFormat::Controlled => false,
    };
    let null_allowed = v.is_null() && field.nullable && field.format != FieldFormat::CoachTarget;
    if fits || null_allowed {
        text_of(field, base_placeholder(field.format, profile))
    } else {
        v.clone()
    }
}

/// Whether `id` is written in the generation's id format. The generation's own examples are
/// taken as written: the seed's conference sid ends in "pa", which no uuid does.
fn id_fits(profile: &Profile, id: &str, prefix: &str) -> bool {
    let documented = profile.documented_ids.as_ref().is_some_and(|d| {
        [&d.account, &d.conference, &d.call, &d.coached]
            .iter()
            .any(|d| *d == id)
    });
    documented || profile.id_fits(id, prefix)
}

/// The participant's own path: in the profile's base path or the request's path form (a
/// request in the short form may be answered either way), with `.json` unless the profile
/// leaves it out.
fn is_own_uri(uri: &str, subject: &Subject) -> bool {
    let who = &subject.who;
    let tail = format!(
        "/Accounts/{}/Conferences/{}/Participants/{}",
        who.account_sid, who.conference_sid, who.call_sid
    );
    let prefixes = [subject.profile.base_path.as_str(), subject.dialect.prefix()];
    let Some(rest) = prefixes.iter().find_map(|p| uri.strip_prefix(p)) else {
        return false;
    };
    match rest.strip_suffix(".json") {
        Some(path) => path == tail,
        None => subject.profile.uri_json == UriJson::Optional && rest == tail,
    }
}

/// Every field where a normalised body differs from a documented shape: missing, extra, or
/// another value or type.
pub fn check_shape(actual: &Value, expected: &Value) -> Result<(), Vec<Deviation>> {
    let deviations = super::compare(expected, actual, super::Scope::Exact);
    if deviations.is_empty() { Ok(()) } else { Err(deviations) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::participant::NOBODY;
    use serde_json::json;

    const DATE: Placeholder = Placeholder::Date;
    const STATUS: Placeholder = Placeholder::Status;
    const OWN_URI: Placeholder = Placeholder::OwnUri;
    const OWN_PATH: Placeholder = Placeholder::OwnPath;
    const COACH_TARGET: Placeholder = Placeholder::CoachTarget;
    const BOOLEAN: Placeholder = Placeholder::Boolean;

    fn subject() -> Subject {
        Subject {
            who: ParticipantRef {
                account_sid: "a".into(),
                conference_sid: "c".into(),
                call_sid: "p".into(),
            },
            dialect: Dialect::SignalWire,
            others: vec!["b3877c40-da60-4998-90ad-b792e98472cb".into()],
            profile: Profile::seed(),
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

    fn under(profile: &str) -> Subject {
        Subject {
            profile: Profile::by_name(profile).unwrap(),
            ..subject()
        }
    }

    #[test]
    fn an_idle_call_sid_to_coach_may_be_null_where_the_profile_says() {
        let idle = json!({ "coaching": false, "call_sid_to_coach": null });
        assert_eq!(normalise(&idle, &subject())["call_sid_to_coach"], Value::Null, "seed");
        for p in ["signalwire", "twilio"] {
            assert_eq!(normalise(&idle, &under(p))["call_sid_to_coach"], COACH_TARGET, "{p}");
        }
        let nobody = json!({ "coaching": false, "call_sid_to_coach": NOBODY });
        assert_eq!(
            normalise(&nobody, &under("signalwire"))["call_sid_to_coach"],
            COACH_TARGET
        );
        assert_eq!(normalise(&nobody, &under("twilio"))["call_sid_to_coach"], NOBODY);
        let coaching = json!({ "coaching": true, "call_sid_to_coach": null });
        assert_eq!(normalise(&coaching, &under("twilio"))["call_sid_to_coach"], Value::Null);
    }

    #[test]
    fn fields_of_another_generation_are_extra_and_optional_ones_pass_when_well_formed() {
        let body = json!({ "label": null, "queue_time": "0", "hold_url": "http://a.b/hold" });
        let seed = normalise(&body, &subject());
        assert_eq!(
            seed.get("label"),
            Some(&Value::Null),
            "not a seed field: kept, so the diff shows it"
        );
        assert_eq!(seed.get("hold_url"), None, "an optional seed field, well-formed");
        let bad = normalise(&json!({ "hold_url": "/hold" }), &subject());
        assert_eq!(bad["hold_url"], "/hold");
        let twilio = normalise(&body, &under("twilio"));
        assert_eq!(twilio["label"], "[a string, or null]");
        assert_eq!(twilio["queue_time"], "[a string, or null]");
        assert_eq!(twilio["hold_url"], "http://a.b/hold");
    }

    #[test]
    fn statuses_and_uri_forms_follow_the_profile() {
        let s = under("twilio");
        assert_eq!(normalise(&json!({ "status": "connected" }), &s)["status"], STATUS);
        assert_eq!(
            normalise(&json!({ "status": "in-progress" }), &s)["status"],
            "in-progress"
        );
        let sw = under("signalwire");
        assert_eq!(normalise(&json!({ "status": "in-progress" }), &sw)["status"], STATUS);
        assert_eq!(normalise(&json!({ "status": "complete" }), &sw)["status"], "complete");
        let bare = "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p";
        assert_eq!(normalise(&json!({ "uri": bare }), &sw)["uri"], OWN_PATH);
        assert_eq!(normalise(&json!({ "uri": bare }), &subject())["uri"], bare);
        let short = "/2010-04-01/Accounts/a/Conferences/c/Participants/p.json";
        assert_eq!(
            normalise(&json!({ "uri": short }), &s)["uri"],
            "[the participant's own path, in a form the request's path form allows, ending in .json, or null]"
        );
    }

    #[test]
    fn a_nullable_flag_takes_its_placeholder_only_as_a_boolean_or_null() {
        let twilio = Profile::by_name("twilio").unwrap();
        let n = resource(&json!({ "muted": "true", "hold": null, "coaching": 1 }), twilio);
        assert_eq!(
            n,
            json!({ "muted": "true", "hold": "[a boolean, or null]", "coaching": 1 })
        );
        let seed = resource(&json!({ "hold": null }), Profile::seed());
        assert_eq!(seed, json!({ "hold": null }), "not nullable in the seed");
    }

    #[test]
    fn the_resource_shape_hides_only_boolean_flags() {
        let n = resource(
            &json!({ "muted": true, "hold": "false", "coaching": false, "status": "x" }),
            Profile::seed(),
        );
        assert_eq!(
            n,
            json!({ "muted": BOOLEAN.to_string(), "hold": "false", "coaching": BOOLEAN.to_string(), "status": "x" })
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
}
