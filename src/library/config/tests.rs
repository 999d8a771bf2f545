//! The settings of a run, from flags and variables, and the `.env` reader.

use std::collections::HashMap;

use super::*;

fn with(flags: TargetFlags, env: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    settings(&flags, &|k| env.get(k).cloned())
}

fn flags(target: &str) -> TargetFlags {
    TargetFlags {
        target: Some(target.into()),
        setup_url: Some("http://127.0.0.1:1/setup".into()),
        ..Default::default()
    }
}

#[test]
fn a_path_in_the_target_is_where_the_implementation_is_mounted() {
    for (target, base) in [
        ("http://127.0.0.1:8080/laml/", "http://127.0.0.1:8080/laml"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/api/laml/2010-04-01", "http://127.0.0.1:8080"),
    ] {
        let remote = with(flags(target), &[]).unwrap().remote.unwrap();
        assert_eq!(remote.base_url, base, "{target}");
    }
    let short = TargetFlags {
        dialect: Some("twilio".into()),
        ..flags("http://127.0.0.1:8080/laml/2010-04-01/")
    };
    assert_eq!(
        with(short, &[]).unwrap().remote.unwrap().base_url,
        "http://127.0.0.1:8080/laml"
    );
    let e = with(flags("http://127.0.0.1:8080/2010-04-01"), &[]).unwrap_err();
    assert!(
        e.0.contains("--dialect twilio"),
        "the short form given to a run in the long one: {e}"
    );
    let e = with(flags("http://127.0.0.1:8080/x?y=1"), &[]).unwrap_err();
    assert!(e.0.contains("query"), "{e}");
}

#[test]
fn a_profile_is_named_or_the_seed() {
    assert_eq!(with(flags("http://127.0.0.1:1"), &[]).unwrap().profile.name, "seed");
    let twilio = with(flags("http://127.0.0.1:1"), &[("LAML_PROFILE", "twilio")]).unwrap();
    assert_eq!(twilio.profile.name, "twilio");
    assert_eq!(
        twilio.remote.unwrap().dialect,
        Dialect::Twilio,
        "the profile's path form"
    );
    let e = with(flags("http://127.0.0.1:1"), &[("LAML_PROFILE", "plivo")]).unwrap_err();
    assert!(e.0.contains("seed, signalwire, twilio"), "{e}");
}

#[test]
fn flags_about_a_remote_target_without_one_are_an_error() {
    for flags in [
        TargetFlags {
            conference: Some("CFx".into()),
            participants: vec!["agent=CA1".into()],
            ..Default::default()
        },
        TargetFlags {
            dialect: Some("nope".into()),
            ..Default::default()
        },
        TargetFlags {
            participants: vec!["garbage".into()],
            ..Default::default()
        },
        TargetFlags {
            setup_url: Some("http://127.0.0.1:1/s".into()),
            allow_live_changes: true,
            ..Default::default()
        },
    ] {
        let e = with(flags.clone(), &[]).unwrap_err();
        assert!(
            e.0.contains("without a target") && e.0.contains("--target URL"),
            "{flags:?}: {e}"
        );
    }
}

#[test]
fn a_host_and_port_without_a_scheme_gets_the_url_to_write() {
    for target in ["127.0.0.1:18080", "localhost:18080"] {
        let e = with(flags(target), &[]).unwrap_err();
        assert!(e.0.contains(&format!("write http://{target}")), "{e}");
    }
}

#[test]
fn embedded_is_the_default() {
    assert!(with(TargetFlags::default(), &[]).unwrap().remote.is_none());
    assert!(
        with(TargetFlags::default(), &[("SIGNALWIRE_SPACE_URL", "x.signalwire.com")])
            .unwrap()
            .remote
            .is_none()
    );
}

#[test]
fn live_hosts_need_the_flag_and_https() {
    let e = with(flags("https://x.signalwire.com"), &[]).unwrap_err();
    assert!(e.0.contains("--allow-live-changes"), "{e}");
    let f = TargetFlags {
        allow_live_changes: true,
        ..flags("http://x.signalwire.com")
    };
    assert!(with(f, &[]).unwrap_err().0.contains("plain http"));
    let f = TargetFlags {
        allow_live_changes: true,
        ..flags("https://x.signalwire.com/some/path")
    };
    let s = with(f, &[]).unwrap().remote.unwrap();
    assert_eq!(
        (s.base_url.as_str(), s.loopback),
        ("https://x.signalwire.com/some/path", false)
    );
}

#[test]
fn the_names_users_already_have_are_accepted() {
    let f = TargetFlags {
        target: Some("space".into()),
        allow_live_changes: true,
        ..flags("")
    };
    let env = [
        ("SIGNALWIRE_SPACE_URL", "x.signalwire.com"),
        ("SIGNALWIRE_PROJECT_ID", "p"),
        ("SIGNALWIRE_API_TOKEN", "t"),
    ];
    let r = with(f, &env).unwrap().remote.unwrap();
    assert_eq!(r.base_url, "https://x.signalwire.com");
    assert_eq!(r.credentials.unwrap().project_id, "p");
}

#[test]
fn a_configured_conference_needs_names_and_credentials() {
    let f = TargetFlags {
        target: Some("http://127.0.0.1:9".into()),
        conference: Some("CF1".into()),
        ..Default::default()
    };
    assert!(with(f.clone(), &[]).unwrap_err().0.contains("--participant"));
    let f = TargetFlags {
        participants: vec!["agent=CA1".into()],
        ..f
    };
    assert!(with(f.clone(), &[]).unwrap_err().0.contains("LAML_PROJECT_ID"));
    let r = with(f, &[("LAML_PROJECT_ID", "p"), ("LAML_API_TOKEN", "t")])
        .unwrap()
        .remote
        .unwrap();
    assert_eq!(
        r.arrangement,
        Arrangement::Configured {
            conference_sid: "CF1".into(),
            participants: vec![("agent".into(), "CA1".into())]
        }
    );
}

#[test]
fn a_loopback_target_defaults_to_the_setup_endpoint_of_serve() {
    let f = TargetFlags {
        target: Some("http://127.0.0.1:8080".into()),
        ..Default::default()
    };
    let r = with(f, &[]).unwrap().remote.unwrap();
    assert_eq!(
        r.arrangement,
        Arrangement::Setup {
            url: "http://127.0.0.1:8080/__laml/setup".into()
        }
    );
    let f = TargetFlags {
        target: Some("https://x.example".into()),
        allow_live_changes: true,
        ..Default::default()
    };
    assert!(with(f, &[]).unwrap_err().0.contains("--setup-url"));
}

#[test]
fn on_loopback_a_conference_from_a_variable_alone_is_not_used_but_one_meant_by_flags_is() {
    let env = [
        ("LAML_PROJECT_ID", "p"),
        ("LAML_API_TOKEN", "t"),
        ("LAML_CONFERENCE_SID", "CF1"),
        ("LAML_PARTICIPANTS", "agent=CA1"),
    ];
    let plain = TargetFlags {
        target: Some("http://127.0.0.1:8080".into()),
        ..Default::default()
    };
    let s = with(plain.clone(), &env).unwrap();
    assert!(matches!(s.remote.unwrap().arrangement, Arrangement::Setup { .. }));
    assert!(matches!(s.mode, Some(ModeNote::ConferenceNotUsed { .. })));
    let by_hand = TargetFlags {
        participants: vec!["agent=CA1".into()],
        ..plain.clone()
    };
    let s = with(by_hand, &env).unwrap();
    assert!(matches!(s.remote.unwrap().arrangement, Arrangement::Configured { .. }));
    assert_eq!(
        s.mode,
        Some(ModeNote::Configured {
            conference: "CF1".into(),
            from_flag: false
        })
    );
    let remote = TargetFlags {
        target: Some("https://x.example".into()),
        allow_live_changes: true,
        ..Default::default()
    };
    let s = with(remote, &env).unwrap();
    assert!(matches!(s.remote.unwrap().arrangement, Arrangement::Configured { .. }));
}

#[test]
fn a_timeout_that_is_not_a_number_is_refused() {
    let e = with(TargetFlags::default(), &[("LAML_TIMEOUT", "abc")]).unwrap_err();
    assert!(e.0.contains("LAML_TIMEOUT") && e.0.contains("abc"), "{e}");
}

#[test]
fn a_setup_url_is_held_to_the_target_rules() {
    let f = |setup: &str| TargetFlags {
        target: Some("https://x.example".into()),
        allow_live_changes: true,
        setup_url: Some(setup.into()),
        ..Default::default()
    };
    assert!(
        with(f("http://setup.example/x"), &[])
            .unwrap_err()
            .0
            .contains("plain http")
    );
    assert!(
        with(f("https://u:p@setup.example/x"), &[])
            .unwrap_err()
            .0
            .contains("credentials")
    );
    assert!(with(f("ftp://setup.example/x"), &[]).is_err());
    assert!(with(f("https://setup.example/x"), &[]).is_ok());
}

#[test]
fn dotenv_lines_are_read() {
    let dir = std::env::temp_dir().join(format!("laml-dotenv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(".env");
    std::fs::write(
        &file,
        "# c\nexport LAML_TARGET=\"http://127.0.0.1:1\"\nLAML_API_TOKEN='x=y'\n\n",
    )
    .unwrap();
    let vars = read_dotenv(&file).unwrap();
    assert_eq!(vars["LAML_TARGET"], "http://127.0.0.1:1");
    assert_eq!(vars["LAML_API_TOKEN"], "x=y");
    assert!(read_dotenv(&dir.join("missing")).unwrap().is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn plain_loopback_is_http_to_this_machine_and_nothing_else() {
    for url in ["http://127.0.0.1:8080/x", "http://localhost", "http://[::1]:1/"] {
        assert!(is_plain_loopback(url), "{url}");
    }
    for url in [
        "https://127.0.0.1:8080",
        "http://example.com",
        "http://127.0.0.1.example.com",
        "127.0.0.1:80",
    ] {
        assert!(!is_plain_loopback(url), "{url}");
    }
}
