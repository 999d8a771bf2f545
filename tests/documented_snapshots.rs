//! Invariant 1: each committed snapshot is the documentation, normalised.
//!
//! Each documented example, the resource shape they share and each documented error body must
//! reproduce its committed snapshot exactly. If someone accepts an actual response as a
//! snapshot, or edits one by hand, this fails: the snapshots the checks compare with cannot
//! drift from the documentation.

use std::path::Path;

use laml_conformance::baseline;
use laml_conformance::check::{documented, error, page, shape, snapshot};
use laml_conformance::spec::ErrorCode;
use laml_conformance::spec::profile::PROFILES;
use serde_json::Value;

const SNAPSHOT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots");

/// insta's comparison with the committed file (under `CI=true` nothing is written; locally a
/// `.snap.new` waits for `cargo insta review`), then the compiled-in copy the checks use.
fn assert_reproduces(name: &str, description: String, value: &Value) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(SNAPSHOT_DIR);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(description.clone());
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_json_snapshot!(name, value));
    assert_eq!(
        snapshot::committed(name).as_ref(),
        Some(value),
        "the compiled-in snapshot {name} differs from the documentation"
    );
    let file = insta::Snapshot::from_file(Path::new(&format!("{SNAPSHOT_DIR}/{name}.snap"))).unwrap();
    assert_eq!(
        file.metadata().description(),
        Some(description.as_str()),
        "the description of {name}.snap no longer says what it stands for; review it with cargo insta review"
    );
}

#[test]
fn every_profile_has_a_resource_shape_that_each_of_its_examples_fits() {
    for profile in PROFILES.iter() {
        let name = snapshot::name_in(profile, snapshot::RESOURCE);
        let shape = shape::resource_shape(profile);
        assert_reproduces(&name, snapshot::resource_description(profile), &shape);
        for example in profile.examples.keys() {
            let normalised = documented::documented_example_shape(profile, example).unwrap();
            assert_eq!(
                shape::resource(&normalised, profile),
                shape,
                "the {example} example of the {} profile does not fit its resource",
                profile.name
            );
        }
    }
}

#[test]
fn every_documented_example_of_every_profile_reproduces_its_snapshot() {
    for profile in PROFILES.iter() {
        for example in profile.examples.keys() {
            assert_reproduces(
                &snapshot::name_in(profile, example),
                snapshot::example_description(profile, example),
                &documented::documented_example_shape(profile, example).unwrap(),
            );
        }
    }
}

#[test]
fn every_profile_has_a_list_page_shape_that_each_of_its_documented_pages_fits() {
    for profile in PROFILES.iter() {
        let shape = page::page_shape(profile);
        assert_reproduces(
            &snapshot::name_in(profile, snapshot::LIST),
            snapshot::list_description(profile),
            &shape,
        );
        let ids = profile.documented_ids.as_ref();
        for (file, documented) in profile.list_examples() {
            let ids = ids.expect("a profile with documented pages has documented ids");
            let subject = page::ListSubject {
                account: &ids.account,
                conference: &ids.conference,
                dialect: profile.dialect(),
                profile,
            };
            assert_eq!(
                page::normalise_page(&documented, &subject),
                shape,
                "{file} does not fit the {} list page",
                profile.name
            );
            let items = documented["participants"].as_array().unwrap();
            let sids: Vec<&str> = items.iter().filter_map(|i| i["call_sid"].as_str()).collect();
            for item in items {
                let call = item["call_sid"].as_str().unwrap();
                // Whom a listed coach coaches: another of the page, or the examples' coached call.
                let mut others: Vec<String> = sids.iter().filter(|s| **s != call).map(|s| s.to_string()).collect();
                others.push(ids.coached.clone());
                let subject = shape::Subject {
                    who: laml_conformance::spec::ParticipantRef {
                        account_sid: ids.account.clone(),
                        conference_sid: ids.conference.clone(),
                        call_sid: call.to_string(),
                    },
                    dialect: profile.dialect(),
                    others,
                    profile,
                };
                assert_eq!(
                    shape::resource(&shape::normalise(item, &subject), profile),
                    shape::resource_shape(profile),
                    "{file}: {call} is not a {} participant",
                    profile.name
                );
            }
        }
    }
}

#[test]
fn every_documented_error_code_reproduces_its_snapshot() {
    for code in ErrorCode::ALL {
        assert_reproduces(
            &snapshot::error_name(code),
            snapshot::error_description(code),
            &error::documented_error_shape(code),
        );
    }
}

/// The crate reads insta's format by hand in one place, [`snapshot::body`] (insta reads only
/// from a path, and the committed snapshots are compiled in), and writes it in one,
/// [`baseline::snapshot_text`]: insta's own reader reads every committed file to the same body,
/// and reads a recording back with its header and body.
#[test]
fn the_snapshot_format_is_read_and_written_as_insta_reads_it() {
    let mut read = 0;
    for entry in std::fs::read_dir(SNAPSHOT_DIR).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let insta = insta::Snapshot::from_file(&path).unwrap();
        assert_eq!(
            snapshot::body(&text).trim_end(),
            insta.as_text().unwrap().to_string(),
            "{} reads otherwise than insta reads it",
            path.display()
        );
        read += 1;
    }
    assert!(read > 30, "only {read} snapshot files");

    let recording = serde_json::json!([{"request": "POST /x\n---\ny", "status": 200, "body": {"a": "---"}}]);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("snapshot-format-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("feature__scenario_1.snap");
    let expression = "feature: a \"quoted\" scenario: row";
    std::fs::write(&path, baseline::snapshot_text(expression, &recording)).unwrap();
    let insta = insta::Snapshot::from_file(&path).unwrap();
    assert_eq!(insta.metadata().source(), Some("laml-conformance --record"));
    assert_eq!(insta.metadata().expression(), Some(expression));
    let body: Value = serde_json::from_str(&insta.as_text().unwrap().to_string()).unwrap();
    assert_eq!(body, recording);
    assert_eq!(
        baseline::read_snapshot(&std::fs::read_to_string(&path).unwrap()),
        Some(recording)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_committed_snapshot_but_the_fault_texts_is_compiled_in() {
    let mut files: Vec<String> = std::fs::read_dir(SNAPSHOT_DIR)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".snap").map(str::to_string))
        .filter(|n| !n.starts_with("fault_"))
        .collect();
    files.sort();
    let mut compiled: Vec<String> = snapshot::names().map(str::to_string).collect();
    compiled.sort();
    assert_eq!(files, compiled);
}

#[test]
fn every_example_has_its_profile_s_resource_fields_after_correction() {
    for profile in PROFILES.iter() {
        let fields: Vec<&str> = profile.fields.iter().map(|f| f.name.as_str()).collect();
        for example in profile.examples.keys() {
            let shape = documented::documented_example_shape(profile, example).unwrap();
            let keys: Vec<&str> = shape.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(
                keys, fields,
                "the corrected {example} example of the {} profile is not its resource's fields",
                profile.name
            );
        }
    }
}
