//! Regression baselines: `--record DIR` writes every scenario's exchanges, normalised, as insta
//! snapshots, the same server giving the same bytes; `--baseline DIR` passes against the same
//! server and fails against a changed one with the field that changed, leaving `.snap.new` files
//! for `cargo insta review`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{run, text};

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("baseline-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_recording_is_deterministic_and_a_baseline_catches_a_changed_field() {
    let work = dir("work");
    let (first, second) = (dir("first"), dir("second"));
    for into in [&first, &second] {
        let o = run(
            &["--tags", "@mute or @hold", "--record", into.to_str().unwrap()],
            &[],
            &work,
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let recorded = files(&first);
    assert!(recorded.len() >= 10, "{:?}", recorded.keys());
    assert_eq!(recorded, files(&second), "the same server recorded differently");
    let mute = recorded
        .iter()
        .find(|(name, _)| name.starts_with("mute__mute_a_participant_documented_example"))
        .map(|(_, text)| text)
        .expect("the documented mute scenario is recorded");
    assert!(
        mute.starts_with("---\nsource: laml-conformance --record\nexpression: "),
        "{mute}"
    );
    assert!(
        mute.contains(
            "POST /api/laml/2010-04-01/Accounts/{account}/Conferences/{conference}/Participants/{customer}.json"
        ),
        "{mute}"
    );
    assert!(mute.contains("\"muted\": true") && mute.contains("{a date}"), "{mute}");

    let o = run(
        &["--tags", "@mute or @hold", "--baseline", first.to_str().unwrap()],
        &[],
        &work,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(files(&first).keys().all(|n| !n.ends_with(".new")));

    let o = run(
        &[
            "--tags",
            "@mute or @hold",
            "--baseline",
            first.to_str().unwrap(),
            "--fault",
            "ignore-muted",
        ],
        &[],
        &work,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("drifted from its baseline") && err.contains(": body.muted"),
        "{err}"
    );
    assert!(err.contains("cargo insta review"), "{err}");
    let new: Vec<String> = files(&first).into_keys().filter(|n| n.ends_with(".snap.new")).collect();
    assert!(!new.is_empty(), "no .snap.new left for review");
}

#[test]
fn a_missing_baseline_folder_is_one_sentence_and_exit_2() {
    let o = run(&["--baseline", "/no/such/baseline"], &[], &dir("missing"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("there is no baseline at /no/such/baseline") && err.contains("--record"),
        "{err}"
    );
}
