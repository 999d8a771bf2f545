//! Every feature under every profile: the suite of a profile passes against the simulated space
//! of that profile, embedded and as `serve` out of process, and fails against a space of
//! another profile, so a verdict names the generation the target follows.

use std::process::Output;

mod common;

use common::{Serve, text};

const PROFILES: [&str; 3] = ["seed", "signalwire", "twilio"];

fn run(args: &[&str]) -> Output {
    common::run(args, &[], &std::env::temp_dir())
}

/// `serve --profile NAME` on a free port.
fn serve(profile: &str) -> Serve {
    Serve::start_with(&["--profile", profile], &[])
}

#[test]
fn every_profile_passes_against_the_embedded_space_of_that_profile() {
    for profile in PROFILES {
        let o = run(&["--profile", profile]);
        assert_eq!(o.status.code(), Some(0), "--profile {profile}: {}", text(&o));
    }
}

#[test]
fn every_profile_passes_against_serve_of_that_profile_and_fails_against_the_others() {
    for served in PROFILES {
        let served_by = serve(served);
        for judged in PROFILES {
            let o = run(&["--target", &served_by.base, "--profile", judged]);
            let expected = if served == judged { 0 } else { 1 };
            assert_eq!(
                o.status.code(),
                Some(expected),
                "serve --profile {served}, run --profile {judged}: {}",
                text(&o)
            );
        }
        drop(served_by);
    }
}

#[test]
fn an_unknown_profile_is_a_usage_error_that_lists_the_profiles() {
    let o = run(&["--profile", "plivo"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("seed, signalwire, twilio"), "{}", text(&o));
}

#[test]
fn the_profiles_matrix_names_the_generation_a_target_follows() {
    let served = serve("signalwire");
    let o = run(&["profiles", "--target", &served.base]);
    drop(served);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("The target conforms to: signalwire\n"), "{out}");
    assert!(out.contains("Refused updates"), "one row per feature: {out}");
}

#[test]
fn a_target_of_no_profile_is_told_which_one_it_matches_best() {
    let served = Serve::start_with(&["--profile", "twilio", "--fault", "ignore-muted"], &[]);
    let o = run(&["profiles", "--target", &served.base]);
    let alone = run(&["--target", &served.base, "--profile", "twilio"]);
    drop(served);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("conforms to no profile; its answers match twilio best"),
        "{out}"
    );
    // out of every scenario of the run as twilio, as that run counts them alone
    let all = common::summary_count(&text(&alone), "scenarios");
    let failed = common::summary_count(&text(&alone), "failed");
    assert!(
        out.contains(&format!("({failed} of {all} scenarios fail there)")),
        "{out}"
    );
}
