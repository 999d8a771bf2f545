use super::{Verdict, file_name, scenario_verdicts, worse};

/// A feature without a background has its scenarios' verdicts too (the suite's features
/// each have one, and a background's element carries its scenario's name and line).
#[test]
fn the_scenarios_of_a_feature_without_a_background_are_measured() {
    let step = r#"{"keyword": "Given ", "line": 4, "name": "x", "result": {"status": "passed", "duration": 1}}"#;
    let report = format!(
        r#"[{{"uri": "features/plain.feature", "keyword": "Feature", "name": "Plain", "tags": [], "elements": [
            {{"keyword": "Scenario", "type": "scenario", "id": "plain;a", "line": 3, "name": "A", "tags": [], "steps": [{step}]}}
        ]}}]"#
    );
    let report: Vec<crate::child::cucumber_json::Feature> = serde_json::from_str(&report).unwrap();
    let measured = scenario_verdicts(&report);
    assert_eq!(
        measured.get(&("plain.feature".to_string(), 3)),
        Some(&Verdict::Passed),
        "{measured:?}"
    );
}

/// The coverage walk names a scenario by its file's name and line, the suite's report by
/// the feature's path: the two meet on the file's name alone.
#[test]
fn a_feature_is_named_by_its_file_s_name_whatever_its_folder() {
    assert_eq!(file_name("features/mute.feature"), "mute.feature");
    assert_eq!(file_name("/tmp/x/features/hold.feature"), "hold.feature");
    assert_eq!(file_name("hold.feature"), "hold.feature");
}

#[test]
fn a_row_shows_the_worst_of_its_items_verdicts() {
    let order = ["FAILED", "unjudged", "as documented", "not run", "out of scope"];
    for (i, better) in order.iter().enumerate() {
        assert_eq!(worse(better, better), *better);
        for worst in &order[..i] {
            assert_eq!(worse(worst, better), *worst, "{worst} over {better}");
            assert_eq!(worse(better, worst), *worst, "{worst} over {better}");
        }
    }
}
