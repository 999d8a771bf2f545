//! No false alarm: the suite passes against the simulated space varied in each way the
//! documents of a profile allow (`sim::faults::VARIATIONS`), under each such profile, and a
//! variation that a profile does not allow is caught (so each variation is shown to vary
//! something the suite reads).

use std::path::PathBuf;

mod common;

use common::{Serve, run, text};
use laml_conformance::sim::faults::VARIATIONS;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-variation-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn count(out: &str, word: &str) -> usize {
    common::summary_count(out, word)
}

fn failed(out: &str) -> usize {
    count(out, "failed")
}

#[test]
fn every_allowed_variation_passes_under_each_profile_that_allows_it() {
    for variation in VARIATIONS {
        for profile in variation.profiles {
            let o = run(
                &["--target", "embedded", "--profile", profile, "--fault", variation.name],
                &[],
                &temp_dir(variation.name),
            );
            let out = text(&o);
            assert_eq!(
                o.status.code(),
                Some(0),
                "the variation {} ({}) fails the {profile} suite:\n{out}",
                variation.name,
                variation.what
            );
        }
    }
}

/// Each variation changes what the suite reads: where a profile does not allow it, it fails.
#[test]
fn a_variation_fails_where_its_profile_does_not_allow_it() {
    for (name, profile) in [
        ("bare-paths-only", "seed"),
        ("labels-absent", "seed"),
        ("default-page-size-20", "twilio"),
    ] {
        let o = run(
            &["--target", "embedded", "--profile", profile, "--fault", name],
            &[],
            &temp_dir(name),
        );
        let out = text(&o);
        if name == "labels-absent" {
            // The seed has no label field: the variation leaves it alone, and the suite passes.
            assert_eq!(o.status.code(), Some(0), "{out}");
            continue;
        }
        assert_eq!(o.status.code(), Some(1), "{name} under {profile}:\n{out}");
        assert!(failed(&out) > 0, "{name} under {profile}:\n{out}");
    }
}

/// The by-label scenarios against `serve --profile twilio` with `extra` arguments, through its
/// setup endpoint: exit 0, and the run's output.
fn by_label_against_serve(extra: &[&str], name: &str) -> String {
    let serve = Serve::start_with(&[&["--profile", "twilio"], extra].concat(), &[]);
    let setup = format!("{}/__laml/setup", serve.base);
    let args = [
        "--target",
        &serve.base,
        "--setup-url",
        &setup,
        "--profile",
        "twilio",
        "--tags",
        "@label",
    ];
    let o = run(&args, &[], &temp_dir(name));
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    out
}

/// A Twilio server whose participants have no label skips the by-label scenarios with the
/// reason, found before the run through its setup endpoint, instead of failing them.
#[test]
fn a_twilio_server_without_labels_skips_the_by_label_scenarios() {
    let out = by_label_against_serve(&["--fault", "labels-absent"], "labels");
    let (all, skipped) = (count(&out, "scenarios"), count(&out, "skipped"));
    assert!(all > 0 && skipped == all, "every by-label scenario is skipped:\n{out}");
    assert!(out.contains("this target's participants have none"), "{out}");
    let out = by_label_against_serve(&[], "labelled");
    assert_eq!(
        count(&out, "passed"),
        all,
        "every by-label scenario passes with labels:\n{out}"
    );
}
