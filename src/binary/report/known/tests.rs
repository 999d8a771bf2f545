use super::read::parse;
use super::write::render;
use super::*;

fn place(feature: &str, name: &str, tags: &[&str]) -> Place {
    Place {
        feature: feature.into(),
        name: name.into(),
        line: 7,
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

const LEDGER: &str = r#"
[[known]]
tag = "@coach"
reason = "coaching is not implemented"

[[known]]
feature = "./features/mute.feature"
scenario = 'Mute a participant (documented example "Mute a Participant")'
reason = "ignores Muted"
link = "https://example.com/issues/12"
"#;

#[test]
fn an_entry_lists_a_scenario_by_feature_and_name_or_by_tag() {
    let ledger = parse("known.toml", LEDGER).unwrap();
    assert_eq!(ledger.entries().len(), 2);
    let by_tag = &ledger.entries()[0];
    assert_eq!(by_tag.at, "known.toml:2");
    assert_eq!(by_tag.lists, Lists::Tag("coach".into()));
    let own = &ledger.entries()[1];
    assert_eq!(own.at, "known.toml:6");
    assert_eq!(own.why(), "ignores Muted (https://example.com/issues/12)");
    let mute = place(
        "features/mute.feature",
        "Mute a participant (documented example \"Mute a Participant\")",
        &["coach"],
    );
    // both list it: its own entry says more about it than its tag's
    assert_eq!(ledger.find(&mute), Some(own));
    assert!(ledger.unlisting([&mute]).is_empty(), "both list it");
    let hold = place("features/hold.feature", "Hold", &[]);
    assert_eq!(ledger.unlisting([&hold]), ledger.entries().iter().collect::<Vec<_>>());
    // a tag of its feature is a tag of the scenario
    let coached = place("features/coach.feature", "Coach", &["serial", "coach"]);
    assert_eq!(ledger.find(&coached), Some(by_tag));
    assert_eq!(
        ledger.find(&place("features/mute.feature", "Mute a participant", &[])),
        None
    );
    assert_eq!(ledger.find(&place("features/hold.feature", &mute.name, &[])), None);
}

#[test]
fn a_listed_scenario_that_fails_is_known_and_one_that_passes_is_fixed() {
    let ledger = parse("known.toml", LEDGER).unwrap();
    let listed = place("features/coach.feature", "Coach", &["coach"]);
    let other = place("features/hold.feature", "Hold", &[]);
    let judged = |p: &Place, ran| ledger.judge(p, ran).0;
    assert_eq!(judged(&listed, Ran::StepFailed), Verdict::Known);
    assert_eq!(judged(&listed, Ran::Passed), Verdict::Fixed);
    assert_eq!(judged(&listed, Ran::Skipped), Verdict::Skipped);
    // a drift from a baseline, or a participant not restored, is no divergence of the target's
    assert_eq!(judged(&listed, Ran::HookFailed), Verdict::Failed);
    assert_eq!(judged(&other, Ran::StepFailed), Verdict::Failed);
    assert_eq!(judged(&other, Ran::Passed), Verdict::Passed);
    let entry = ledger.judge(&listed, Ran::StepFailed).1.unwrap();
    assert_eq!(
        entry.known_said(),
        "known divergence (known.toml:2): coaching is not implemented"
    );
    assert!(
        entry
            .fixed_said()
            .starts_with("fixed: it passed, and known.toml:2 lists every scenario tagged @coach")
    );
    assert!(
        ledger.entries()[1]
            .fixed_said()
            .starts_with("fixed: remove it from the ledger (known.toml:6 lists it")
    );
}

#[test]
fn a_ledger_that_is_not_well_formed_is_refused_with_its_file_and_line() {
    let refused = |text: &str| parse("known.toml", text).unwrap_err();
    let cases = [
        // not TOML
        ("[[known]]\nfeature = \"a.feature\nreason = \"x\"\n", "known.toml:2: "),
        // a key this format does not know, at its line
        (
            "[[known]]\ntag = \"x\"\nreasn = \"typo\"\n",
            "known.toml:3: unknown field `reasn`",
        ),
        (
            "[[knwon]]\ntag = \"x\"\nreason = \"y\"\n",
            "known.toml:1: unknown field `knwon`",
        ),
        (
            "[[known]]\nreason = \"y\"\n",
            "known.toml:1: this entry lists no scenario",
        ),
        (
            "[[known]]\ntag = \"x\"\nfeature = \"a.feature\"\nscenario = \"A\"\nreason = \"y\"\n",
            "known.toml:1: this entry gives both a scenario and a tag",
        ),
        (
            "[[known]]\nfeature = \"a.feature\"\nreason = \"y\"\n",
            "known.toml:1: this entry gives only one of `feature` and `scenario`",
        ),
        (
            "\n\n[[known]]\ntag = \"x\"\nreason = \"  \"\n",
            "known.toml:3: the entry for @x gives no reason",
        ),
        (
            "[[known]]\ntag = \"x\"\n",
            "known.toml:1: the entry for @x gives no reason",
        ),
        (
            "[[known]]\ntag = \"x\"\nreason = \"y\"\nlink = \"\"\n",
            "known.toml:1: this entry's `link` is empty",
        ),
        (
            "[[known]]\ntag = \"x\"\nreason = \"y\"\n[[known]]\ntag = \"@x\"\nreason = \"z\"\n",
            "known.toml:4: this entry lists @x again, as the one at known.toml:1 does",
        ),
    ];
    for (text, said) in cases {
        let e = refused(text);
        assert!(e.starts_with(said), "{text:?}: {e}");
        assert_eq!(e.lines().count(), 1, "one sentence: {e}");
    }
}

#[test]
fn an_empty_ledger_lists_nothing() {
    assert!(parse("known.toml", "# nothing known\n").unwrap().entries().is_empty());
}

#[test]
fn a_recorded_ledger_is_sorted_one_entry_per_scenario_and_reads_back() {
    let failed = [
        place("features/mute.feature", "Muted is read in any case: <how>", &[]),
        place("features/coach.feature", "It's \"quoted\" \\ and 'quoted'", &[]),
        place("features/mute.feature", "Muted is read in any case: <how>", &[]),
        place("features/mute.feature", "A\tcontrol", &[]),
    ];
    let (text, entries) = render(&failed, "2026-01-02", "http://127.0.0.1:9 (profile seed)").unwrap();
    assert_eq!(entries, 3);
    let mut reversed = failed.clone();
    reversed.reverse();
    assert_eq!(
        render(&reversed, "2026-01-02", "http://127.0.0.1:9 (profile seed)")
            .unwrap()
            .0,
        text
    );
    let ledger = parse("known.toml", &text).unwrap();
    let listed: Vec<(String, String)> = ledger
        .entries()
        .iter()
        .map(|e| match &e.lists {
            Lists::Scenario { feature, name } => (feature.clone(), name.clone()),
            Lists::Tag(t) => panic!("a recorded entry lists a tag: {t}"),
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("features/coach.feature".to_string(), failed[1].name.clone()),
            ("features/mute.feature".to_string(), failed[3].name.clone()),
            ("features/mute.feature".to_string(), failed[0].name.clone()),
        ]
    );
    for entry in ledger.entries() {
        assert_eq!(
            entry.reason,
            "recorded on 2026-01-02 from a run against http://127.0.0.1:9 (profile seed): say why"
        );
        assert!(ledger.find(&failed[0]).is_some());
    }
}
