//! The profiles as read from their files.

use super::*;

#[test]
fn every_profile_reads_and_names_itself() {
    let names: Vec<&str> = PROFILES.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["seed", "signalwire", "twilio", "telnyx"]);
    for (name, _) in SOURCES {
        assert_eq!(Profile::by_name(name).unwrap().name, *name);
    }
    assert!(
        Profile::by_name("plivo")
            .unwrap_err()
            .contains("seed, signalwire, twilio, telnyx")
    );
    assert_eq!(Profile::seed().name, DEFAULT);
}

#[test]
fn every_example_a_profile_names_is_compiled_in_and_has_its_fields() {
    for p in PROFILES.iter() {
        for name in p.examples.keys() {
            let example = p.example(name).unwrap_or_else(|| panic!("{} {name}", p.name));
            assert!(example.is_object(), "{} {name}", p.name);
        }
    }
    let twilio = Profile::by_name("twilio").unwrap();
    let keys: Vec<String> = twilio
        .example("mute")
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let fields: Vec<String> = twilio.fields.iter().map(|f| f.name.clone()).collect();
    assert_eq!(keys, fields, "Twilio's fields, in Twilio's order");
}

#[test]
fn no_two_profiles_share_a_snapshot_prefix() {
    let mut prefixes: Vec<&str> = PROFILES.iter().map(|p| p.snapshot_prefix.as_str()).collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    assert_eq!(prefixes.len(), PROFILES.len(), "{prefixes:?}");
}

#[test]
fn every_documented_page_is_compiled_in() {
    for p in PROFILES.iter() {
        assert_eq!(p.list_examples().len(), p.list.examples.len(), "{}", p.name);
    }
    assert_eq!(Profile::by_name("twilio").unwrap().list_examples().len(), 4);
}

#[test]
fn fresh_ids_take_the_generation_s_format() {
    let sid = IdFormat::Prefixed.fresh("CA");
    assert!(
        crate::spec::participant::is_call_sid(&sid) && sid.starts_with("CA"),
        "{sid}"
    );
    assert!(crate::spec::participant::is_uuid(&IdFormat::Uuid.fresh("CA")));
}

#[test]
fn lists_differ_where_the_generations_do() {
    let [seed, signalwire, twilio] = ["seed", "signalwire", "twilio"].map(|n| Profile::by_name(n).unwrap());
    assert!(seed.list.envelope.iter().any(|k| k == "account_sid"));
    assert!(!signalwire.list.envelope.iter().any(|k| k == "start"));
    assert!(twilio.list.filters.iter().any(|f| f == "Coaching"));
    assert!(!seed.list.filters.iter().any(|f| f == "Coaching"));
}

#[test]
fn every_parameter_a_profile_names_is_in_the_parameter_table() {
    for p in PROFILES.iter() {
        for name in &p.params {
            assert!(crate::spec::params::param(name).is_some(), "{}: {name}", p.name);
        }
    }
    let [seed, signalwire, twilio] = ["seed", "signalwire", "twilio"].map(|n| Profile::by_name(n).unwrap());
    assert!(seed.has_param("Beep") && !signalwire.has_param("Beep") && !twilio.has_param("Beep"));
    assert!(twilio.has_param("EndConferenceOnExit") && !seed.has_param("WaitUrl"));
}

#[test]
fn every_profile_lists_every_code_with_its_own_status_first() {
    for p in PROFILES.iter() {
        for code in crate::spec::ErrorCode::ALL {
            assert_eq!(
                p.errors.statuses(code.code()).first(),
                Some(&code.http_status()),
                "{}: {}",
                p.name,
                code.code()
            );
        }
        for (param, method) in &p.param_defaults {
            assert!(
                p.has_param(param),
                "{}: default of {param}, which it does not take",
                p.name
            );
            assert!(["GET", "POST"].contains(&method.as_str()), "{}: {param}", p.name);
        }
    }
    let [seed, signalwire, twilio] = ["seed", "signalwire", "twilio"].map(|n| Profile::by_name(n).unwrap());
    assert_eq!(signalwire.errors.statuses(10000), [400, 422]);
    assert_eq!(seed.errors.statuses(10000), [400]);
    assert_eq!(seed.param_defaults["HoldMethod"], "POST");
    assert_eq!(twilio.param_defaults["HoldMethod"], "GET");
    assert!(twilio.label_lookup && !seed.label_lookup && !signalwire.label_lookup);
}

#[test]
fn paths_follow_the_base_path() {
    assert_eq!(Profile::by_name("twilio").unwrap().dialect(), Dialect::Twilio);
    assert_eq!(Profile::by_name("signalwire").unwrap().dialect(), Dialect::SignalWire);
}
