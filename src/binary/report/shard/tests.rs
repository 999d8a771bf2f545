use super::*;
use crate::report::{junit, markdown, sample};
use cucumber::gherkin::{Feature, GherkinEnv};
use std::time::Duration;

const MUTE: &str = "Feature: Mute <b>a</b> participant\n  Scenario: Mute\n    Given a conference\n";
const HOLD: &str = "Feature: Hold\n  Scenario: Hold\n    Given a conference\n";

fn plan(shards: u32) -> Plan {
    let text = |path: &str, text: &str| FeatureText {
        path: path.into(),
        content: Content::Text(text.into()),
    };
    Plan {
        harness: "0.1.0".into(),
        shards,
        features: vec![text("features/mute.feature", MUTE), text("features/hold.feature", HOLD)],
        profile: "seed".into(),
        fault: Some("ignore-muted".into()),
        tags: None,
        name: None,
        known: None,
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-shard-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The sample record cut in two shards (a feature each), written into `dir`.
fn write_two(dir: &Path) -> (Record, RunInfo) {
    let (record, info) = sample::sample();
    for (i, feature) in record.features.iter().enumerate() {
        let shard = Shard {
            index: i as u32 + 1,
            total: 2,
        };
        // the first shard starts first, the second ends last: the run is from one to the other
        let (started, finished) = match i {
            0 => (
                record.started,
                Some(record.finished.unwrap() - Duration::from_millis(500)),
            ),
            _ => (
                Some(record.started.unwrap() + Duration::from_millis(100)),
                record.finished,
            ),
        };
        let part = Record {
            features: vec![feature.clone()],
            started,
            finished,
            ..Record::default()
        };
        let mut out = Out::open(dir, shard, plan(2), None).unwrap();
        let written = Written::default();
        out.write(&part, &info, &written);
        assert!(!written.failed());
    }
    (record, info)
}

fn parsed() -> Vec<cucumber::parser::Result<Feature>> {
    [MUTE, HOLD]
        .iter()
        .map(|t| Ok(Feature::parse(t, GherkinEnv::default()).unwrap()))
        .collect()
}

#[test]
fn the_shards_results_merge_into_the_record_they_were_written_from() {
    let dir = temp_dir("merge");
    let (record, info) = write_two(&dir);
    let results = read_all(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(results.len(), 2);
    check(&results).unwrap();
    let merged = merge(results.into_iter().map(|(_, r)| r).collect(), parsed(), None).unwrap();
    assert_eq!(merged.record.counts(), record.counts());
    assert_eq!(merged.record.step_counts(), record.step_counts());
    assert_eq!(merged.info.fault, info.fault);
    assert_eq!(
        (merged.record.started, merged.record.finished),
        (record.started, record.finished)
    );
    assert_eq!(
        junit::render(&merged.record, &merged.info).unwrap(),
        junit::render(&record, &info).unwrap(),
        "the JUnit report of the merge is the run's"
    );
    assert_eq!(
        markdown::render(&merged.record, &merged.info),
        markdown::render(&record, &info)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_missing_or_doubled_shard_is_named() {
    let dir = temp_dir("missing");
    write_two(&dir);
    std::fs::remove_file(dir.join("shard-2-of-2.json")).unwrap();
    let results = read_all(std::slice::from_ref(&dir)).unwrap();
    let said = check(&results).unwrap_err();
    assert!(said.starts_with("shard 2/2 is missing"), "{said}");
    let twice = read_all(&[dir.clone(), dir.join("shard-1-of-2.json")]).unwrap();
    let said = check(&twice).unwrap_err();
    assert!(said.starts_with("shard 1/2 is given twice"), "{said}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_file_of_another_version_or_no_results_is_refused() {
    let dir = temp_dir("version");
    write_two(&dir);
    let path = dir.join("shard-1-of-2.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let other = text.replacen(&format!("\"version\":{VERSION}"), "\"version\":99", 1);
    assert_ne!(other, text);
    std::fs::write(&path, other).unwrap();
    let said = read_all(std::slice::from_ref(&path)).unwrap_err();
    assert!(said.contains("format version 99"), "{said}");
    std::fs::write(&path, "{\"features\": []}").unwrap();
    let said = read_all(&[path]).unwrap_err();
    assert!(said.contains("is not a shard's results"), "{said}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn shards_run_on_other_features_are_told_apart_by_the_feature_that_differs() {
    let one = Shard { index: 1, total: 3 };
    let (two, three) = (Shard { index: 2, ..one }, Shard { index: 3, ..one });
    let (a, b) = (plan(3), plan(3));
    let mut edited = plan(3);
    edited.features[1].content = Content::Text(format!("{HOLD}    Then it holds\n"));
    let said = plan::disagreement(&[(one, &a), (two, &edited), (three, &b)]).unwrap();
    assert!(
        said.contains("features/hold.feature differs from theirs"),
        "the second feature, not the first: {said}"
    );
    let mut reordered = plan(3);
    reordered.features.reverse();
    let said = plan::disagreement(&[(one, &a), (two, &b), (three, &reordered)]).unwrap();
    assert!(said.contains("they are read in another order"), "{said}");
}
