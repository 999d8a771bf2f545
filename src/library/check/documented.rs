//! The documented examples of a generation as the checks read them: corrected where the
//! documentation contradicts itself, then normalised like any actual response. Their committed
//! snapshots (`tests/documented_snapshots.rs`) are what the steps compare answers with.
//!
//! Every generation's examples go through the same corrections: one whose examples have none
//! of these contradictions (Twilio's) comes out unchanged, so no generation is special here.

use serde_json::Value;

use crate::spec::participant::NOBODY;
use crate::spec::{ParticipantRef, Profile};

use super::shape::{Subject, normalise};

/// A documented value with the documentation's contradictions resolved (SPEC.md section 7),
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
/// The resolution is always the resource page's fields; everything else is the documented file
/// verbatim.
fn correct(mut value: Value, subject: &Subject) -> (Value, Vec<&'static str>) {
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
            *s = subject.others[0].clone();
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
const ERRATA_6_HOLD_URL: &str = "errata 6: hold_url left out, a field the resource page does not have (an answer may echo it: the seed profile allows it)";
const ERRATA_6_COACHING: &str = "errata 6: coaching added as false, as the resource page has it";
const ERRATA_3: &str = "errata 3/6: call_sid_to_coach added, as the resource page and the mute example have it";

/// Whom a generation's documented examples are about: its documented ids, in its own path
/// form, in a conference whose other participant is the one its coaching examples coach.
/// `None` for a generation without examples.
pub fn documented_subject(profile: &'static Profile) -> Option<Subject> {
    let ids = profile.documented_ids.as_ref()?;
    Some(Subject {
        who: ParticipantRef {
            account_sid: ids.account.clone(),
            conference_sid: ids.conference.clone(),
            call_sid: ids.call.clone(),
        },
        dialect: profile.dialect(),
        others: vec![ids.coached.clone()],
        profile,
    })
}

/// A generation's documented example `name`, corrected, and what the corrections were; `None`
/// if the generation documents no such example.
pub fn corrected(profile: &'static Profile, name: &str) -> Option<(Value, Vec<&'static str>)> {
    let subject = documented_subject(profile)?;
    Some(correct(profile.example(name)?, &subject))
}

/// A generation's documented example, corrected, then normalised like any actual response;
/// `None` if the generation documents no such example.
pub fn documented_example_shape(profile: &'static Profile, name: &str) -> Option<Value> {
    let subject = documented_subject(profile)?;
    let (value, _) = correct(profile.example(name)?, &subject);
    Some(normalise(&value, &subject))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::placeholder::Placeholder;
    use crate::check::shape::resource;
    use crate::spec::profile::PROFILES;

    #[test]
    fn the_documented_coaching_example_normalises_fully() {
        let shape = documented_example_shape(Profile::seed(), "coaching").unwrap();
        assert_eq!(shape["conference_sid"], Value::from(Placeholder::ConferenceSid));
        assert_eq!(shape["date_created"], Value::from(Placeholder::Date));
        assert_eq!(shape["call_sid_to_coach"], Value::from(Placeholder::CoachTarget));
        assert_eq!(shape["coaching"], true);
    }

    #[test]
    fn each_correction_is_noted_once() {
        let (value, notes) = corrected(Profile::seed(), "mute").unwrap();
        assert!(!value.to_string().contains("Sept"));
        assert_eq!(notes.iter().filter(|n| **n == ERRATA_8).count(), 1, "{notes:?}");
        assert_eq!(notes.iter().filter(|n| **n == ERRATA_7).count(), 1, "{notes:?}");
        let (_, hold) = corrected(Profile::seed(), "hold").unwrap();
        assert!(
            hold.contains(&ERRATA_6_HOLD_URL) && hold.contains(&ERRATA_6_COACHING),
            "{hold:?}"
        );
    }

    #[test]
    fn every_documented_example_of_a_profile_has_its_one_resource_shape() {
        for profile in PROFILES.iter().filter(|p| !p.examples.is_empty()) {
            let shapes: Vec<Value> = profile
                .examples
                .keys()
                .map(|name| resource(&documented_example_shape(profile, name).unwrap(), profile))
                .collect();
            assert!(shapes.windows(2).all(|w| w[0] == w[1]), "{}: {shapes:#?}", profile.name);
            assert!(!shapes[0].to_string().contains("xxxx"), "{}", profile.name);
        }
    }
}
