//! `laml-conformance coverage`: the documentation coverage matrix passes its check for every
//! profile on the features of the tree, and fails, naming the row, when the one scenario that
//! judges a row is deleted.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;

use common::text;

const PROFILES: [&str; 3] = ["seed", "signalwire", "twilio"];

fn run(args: &[&str]) -> Output {
    common::run(args, &[], &std::env::temp_dir())
}

/// A copy of the tree's features in a folder of its own.
fn copied_features(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-coverage-{}-{what}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn the_check_passes_for_every_profile() {
    for profile in PROFILES {
        let o = run(&["coverage", "--check", "--profile", profile]);
        assert_eq!(o.status.code(), Some(0), "{profile}: {}", text(&o));
    }
    let o = run(&["coverage", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// A row of `profile` that exactly one scenario judges: its id, and that scenario's file and
/// line.
fn judged_by_one_scenario(matrix: &Value, profile: &str) -> Option<(String, String, usize)> {
    let rows = matrix["profiles"]
        .as_array()?
        .iter()
        .find(|p| p["profile"] == profile)?["rows"]
        .as_array()?;
    rows.iter().find_map(|row| {
        let judges = row["judged_by"].as_array()?;
        let first = &judges.first()?["scenario"];
        let one = judges.iter().all(|j| j["scenario"] == *first);
        (one && row["verdict"] == "judged").then(|| {
            (
                row["id"].as_str().unwrap().to_string(),
                first["file"].as_str().unwrap().to_string(),
                first["line"].as_u64().unwrap() as usize,
            )
        })
    })
}

/// `text` without the scenario at `line`: an outline's row alone, or a scenario with its tags
/// up to the next scenario, rule or tag line.
fn without_scenario(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = line - 1;
    let (start, end) = if lines[at].trim_start().starts_with('|') {
        (at, at + 1)
    } else {
        let mut start = at;
        while start > 0 && lines[start - 1].trim_start().starts_with('@') {
            start -= 1;
        }
        let next = lines[at + 1..]
            .iter()
            .position(|l| {
                let l = l.trim_start();
                ["Scenario", "Example:", "Rule:", "@"].iter().any(|k| l.starts_with(k))
            })
            .map_or(lines.len(), |i| at + 1 + i);
        (start, next)
    };
    let kept: Vec<&str> = lines[..start].iter().chain(&lines[end..]).copied().collect();
    kept.join("\n") + "\n"
}

#[test]
fn deleting_the_one_scenario_that_judges_a_row_fails_the_check_naming_the_row() {
    let dir = copied_features("deleted");
    let features = dir.to_str().unwrap();
    let o = run(&["coverage", "--format", "json", "--features", features]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let matrix: Value = serde_json::from_slice(&o.stdout).expect("coverage --format json prints JSON");
    for profile in PROFILES {
        let (row, file, line) = judged_by_one_scenario(&matrix, profile)
            .unwrap_or_else(|| panic!("{profile}: no row is judged by exactly one scenario"));
        let before = run(&["coverage", "--check", "--profile", profile, "--features", features]);
        assert!(!text(&before).contains(&format!("  {row}  ")), "{}", text(&before));

        let original = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, without_scenario(&original, line)).unwrap();
        let after = run(&["coverage", "--check", "--profile", profile, "--features", features]);
        std::fs::write(&file, original).unwrap();

        assert_eq!(
            after.status.code(),
            Some(1),
            "{profile}, {file}:{line} deleted: {}",
            text(&after)
        );
        let stderr = String::from_utf8_lossy(&after.stderr);
        assert!(
            stderr.contains(&format!("  {row}  ")),
            "{profile}: {row} should be named once {file}:{line} is gone: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unknown_profile_or_unreadable_features_are_usage_errors() {
    let o = run(&["coverage", "--profile", "plivo"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("seed, signalwire, twilio"), "{}", text(&o));
    let o = run(&["coverage", "--features", "/no/such/folder"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("cannot read the features at /no/such/folder"),
        "{}",
        text(&o)
    );
    let o = run(&["coverage", "--check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn the_markdown_matrix_lists_every_row_of_a_profile_unjudged_first() {
    let o = run(&["coverage", "--profile", "twilio"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(md.starts_with("## The twilio profile: "), "{md}");
    for id in [
        "`operation.delete`",
        "`param.EndConferenceOnExit.absent`",
        "`filter.Coaching`",
        "`path.participant-by-label.json`",
        "`error.20429`",
    ] {
        assert!(md.contains(id), "{id}: {md}");
    }
    assert!(md.contains("out of scope: "), "{md}");
}

/// The README's summary and the matrix in docs/coverage.md are the command's own output, not
/// copies that go stale when a scenario changes.
#[test]
fn the_readme_and_the_docs_show_the_matrix_as_the_command_prints_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let summary = run(&["coverage", "--format", "summary"]);
    assert_eq!(summary.status.code(), Some(0), "{}", text(&summary));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(String::from_utf8_lossy(&summary.stdout).as_ref()),
        "README.md's coverage table is not `laml-conformance coverage --format summary`"
    );
    let twilio = run(&["coverage", "--profile", "twilio"]);
    let docs = std::fs::read_to_string(root.join("docs/coverage.md")).unwrap();
    assert!(
        docs.contains(String::from_utf8_lossy(&twilio.stdout).as_ref()),
        "docs/coverage.md's matrix is not `laml-conformance coverage --profile twilio`"
    );
}
