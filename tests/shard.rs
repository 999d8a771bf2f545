//! `--shard I/N`, `--shard-out DIR` and `merge`: three shards run disjoint shares whose union
//! is the whole suite, and their merge reports what the unsharded run reports, with its exit
//! code; a merge that lacks a shard, has one twice or mixes plans is refused (exit 2) with the
//! reason; a bad shard and a configured conference are refused; `explore --seeds` reports the
//! first seed that diverges, as `--seed` does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

use common::{run, summary_count, text};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-shard-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn laml(args: &[&str], dir: &Path) -> Output {
    run(args, &[], dir)
}

/// Every test case's name in a JUnit report (`Scenario: <name>: <file>:<line>:<col>`).
fn cases(xml: &str) -> BTreeSet<String> {
    xml.split("<testcase name=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

/// The JUnit report's test cases and failures, over every suite.
fn junit_counts(xml: &str) -> (usize, usize) {
    let attr = |suite: &str, name: &str| -> usize {
        let from = suite.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        suite[from..].split('"').next().unwrap().parse().unwrap()
    };
    xml.split("<testsuite ")
        .skip(1)
        .map(|suite| (attr(suite, "tests"), attr(suite, "failures")))
        .fold((0, 0), |(t, f), (a, b)| (t + a, f + b))
}

/// The scenario counts of cucumber's summary (or merge's): total, passed, failed, skipped.
fn counts(out: &str) -> [usize; 4] {
    [
        summary_count(out, "scenarios"),
        summary_count(out, "passed"),
        summary_count(out, "failed"),
        summary_count(out, "skipped"),
    ]
}

/// The whole suite, then its three shards into one folder, then their merge; with `extra`
/// arguments on every run. Each run's output and JUnit report, the whole run's first.
struct Sharded {
    dir: PathBuf,
    whole: (Output, String),
    shards: Vec<(Output, String)>,
    merged: (Output, String),
}

fn sharded(name: &str, extra: &[&str]) -> Sharded {
    let dir = temp_dir(name);
    let with = |args: &[&str]| -> Vec<String> { args.iter().chain(extra).map(|a| a.to_string()).collect() };
    let whole = laml(
        &refs(&with(&["--junit", "whole.xml", "--messages", "whole.ndjson"])),
        &dir,
    );
    let shards = (1..=3)
        .map(|i| {
            let (shard, junit) = (format!("{i}/3"), format!("shard-{i}.xml"));
            let o = laml(
                &refs(&with(&["--shard", &shard, "--shard-out", "out", "--junit", &junit])),
                &dir,
            );
            (o, std::fs::read_to_string(dir.join(&junit)).unwrap())
        })
        .collect();
    let merged = laml(
        &["merge", "out", "--junit", "merged.xml", "--messages", "merged.ndjson"],
        &dir,
    );
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    Sharded {
        whole: (whole, read("whole.xml")),
        shards,
        merged: (merged, read("merged.xml")),
        dir,
    }
}

#[test]
fn three_shards_run_disjoint_shares_of_the_whole_suite_and_merge_into_its_report() {
    let s = sharded("healthy", &[]);
    assert_eq!(s.whole.0.status.code(), Some(0), "{}", text(&s.whole.0));
    let whole = cases(&s.whole.1);
    assert!(whole.len() > 50, "{whole:?}");
    let shares: Vec<BTreeSet<String>> = s.shards.iter().map(|(_, xml)| cases(xml)).collect();
    for (i, share) in shares.iter().enumerate() {
        assert_eq!(s.shards[i].0.status.code(), Some(0), "{}", text(&s.shards[i].0));
        assert!(
            !share.is_empty() && share.len() < whole.len(),
            "shard {}: {share:?}",
            i + 1
        );
        for other in &shares[i + 1..] {
            assert!(
                share.is_disjoint(other),
                "{:?}",
                share.intersection(other).collect::<Vec<_>>()
            );
        }
    }
    let union: BTreeSet<String> = shares.iter().flatten().cloned().collect();
    assert_eq!(union, whole, "the shards' union is the whole suite");
    // each shard says its share of the selection: "shard 2/3 took 31 of the 97 scenario(s) selected"
    let took: Vec<(usize, usize)> = s
        .shards
        .iter()
        .enumerate()
        .map(|(i, (o, _))| {
            let prefix = format!("laml-conformance: shard {}/3 took ", i + 1);
            let line = text(o).lines().find(|l| l.starts_with(&prefix)).map(str::to_string);
            let line = line.unwrap_or_else(|| panic!("no share said: {}", text(o)));
            let words: Vec<&str> = line[prefix.len()..].split(' ').collect();
            (words[0].parse().unwrap(), words[3].parse().unwrap())
        })
        .collect();
    for (i, (taken, selected)) in took.iter().enumerate() {
        assert_eq!(*taken, shares[i].len(), "shard {}", i + 1);
        assert_eq!(*selected, whole.len(), "shard {}", i + 1);
    }
    let (merged, xml) = &s.merged;
    assert_eq!(merged.status.code(), Some(0), "{}", text(merged));
    assert_eq!(counts(&text(merged)), counts(&text(&s.whole.0)), "{}", text(merged));
    // the merge's summary lines are cucumber's, word for word ("97 scenarios (72 passed, 25 skipped)")
    let summary = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.ends_with(')') && (l.contains(" scenarios (") || l.contains(" steps (")))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(summary(&text(merged)), summary(&text(&s.whole.0)), "{}", text(merged));
    assert_eq!(summary(&text(merged)).len(), 2, "{}", text(merged));
    assert_eq!(cases(xml), whole, "the merged JUnit report names every scenario");
    assert_eq!(junit_counts(xml), junit_counts(&s.whole.1));
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Each pickle of a Cucumber Messages stream (its feature, name and steps' text) with the
/// statuses of its test steps, as a sorted list: the verdicts the stream reports, whatever
/// the order the scenarios ran in.
fn message_verdicts(ndjson: &str) -> Vec<(String, String, Vec<String>)> {
    use serde_json::Value;
    use std::collections::HashMap;
    let envelopes: Vec<Value> = ndjson.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let of = |kind: &'static str| envelopes.iter().filter_map(move |e| e.get(kind));
    let pickles: HashMap<&str, &Value> = of("pickle").map(|p| (p["id"].as_str().unwrap(), p)).collect();
    let cases: HashMap<&str, &str> = of("testCase")
        .map(|c| (c["id"].as_str().unwrap(), c["pickleId"].as_str().unwrap()))
        .collect();
    let started: HashMap<&str, &str> = of("testCaseStarted")
        .map(|s| (s["id"].as_str().unwrap(), s["testCaseId"].as_str().unwrap()))
        .collect();
    let mut statuses: HashMap<&str, Vec<String>> = HashMap::new();
    for f in of("testStepFinished") {
        let case = cases[started[f["testCaseStartedId"].as_str().unwrap()]];
        let status = f["testStepResult"]["status"].as_str().unwrap().to_string();
        statuses.entry(case).or_default().push(status);
    }
    let mut out: Vec<_> = pickles
        .iter()
        .map(|(id, p)| {
            let steps: Vec<&str> = p["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["text"].as_str().unwrap())
                .collect();
            let name = format!("{} / {}", p["name"].as_str().unwrap(), steps.join(" / "));
            (
                p["uri"].as_str().unwrap().to_string(),
                name,
                statuses.remove(id).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn with_a_fault_the_merge_fails_as_the_run_does_with_the_same_counts() {
    let s = sharded("fault", &["--fault", "ignore-muted"]);
    assert_eq!(s.whole.0.status.code(), Some(1), "{}", text(&s.whole.0));
    let (merged, xml) = &s.merged;
    assert_eq!(merged.status.code(), s.whole.0.status.code(), "{}", text(merged));
    let said = counts(&text(merged));
    assert!(said[2] > 0, "{}", text(merged));
    assert!(
        text(merged).contains(&format!(
            "laml-conformance: {} scenario(s) failed; the reports name each with what differed",
            said[2]
        )),
        "{}",
        text(merged)
    );
    assert_eq!(said, counts(&text(&s.whole.0)), "{}", text(merged));
    assert_eq!(junit_counts(xml), junit_counts(&s.whole.1));
    let failed = |xml: &str| -> BTreeSet<String> {
        xml.split("<testcase name=\"")
            .skip(1)
            .filter(|case| case.split("</testcase>").next().unwrap().contains("<failure "))
            .map(|case| case.split('"').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(failed(xml), failed(&s.whole.1), "the same scenarios failed");
    // each failure says how to reproduce it, naming the three shards' spaces, gone with them
    let spaces = xml
        .replace("&apos;", "'")
        .split("the embedded simulated spaces of the shards' runs (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_default()
        .to_string();
    let spaces: Vec<&str> = spaces.split(", ").collect();
    assert_eq!(spaces.len(), 3, "{spaces:?} in {xml}");
    assert!(spaces.iter().all(|s| s.starts_with("http://127.0.0.1:")), "{spaces:?}");
    // a file beside the results that is none of them is no shard's: merge leaves it alone
    std::fs::write(s.dir.join("out/notes.txt"), "not a shard's results").unwrap();
    std::fs::write(s.dir.join("out/report.json"), "[]").unwrap();
    std::fs::write(s.dir.join("out/shard-notes.txt"), "nor these").unwrap();
    let o = laml(&["merge", "out"], &s.dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("[Summary] 3 shard(s) merged"), "{}", text(&o));
    // the Cucumber Messages of the merge say every scenario's steps as the run's do
    let read = |f: &str| std::fs::read_to_string(s.dir.join(f)).unwrap();
    let (merged, whole) = (
        message_verdicts(&read("merged.ndjson")),
        message_verdicts(&read("whole.ndjson")),
    );
    assert!(
        merged.iter().any(|(_, _, st)| st.iter().any(|s| s == "FAILED")),
        "{merged:?}"
    );
    assert_eq!(merged.len(), whole.len());
    assert_eq!(merged, whole, "the merged stream's verdicts are the run's");
    std::fs::remove_dir_all(&s.dir).ok();
}

#[test]
fn a_merge_refuses_a_missing_a_doubled_or_a_disagreeing_shard() {
    let dir = temp_dir("refused");
    for i in [1, 3] {
        let o = laml(
            &["--tags", "@mute", "--shard", &format!("{i}/3"), "--shard-out", "out"],
            &dir,
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    let o = laml(&["merge", "out", "--junit", "m.xml"], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("shard 2/3 is missing"), "{}", text(&o));
    // the second shard, run with other tags
    let o = laml(&["--tags", "@hold", "--shard", "2/3", "--shard-out", "other"], &dir);
    assert!(o.status.success(), "{}", text(&o));
    let o = laml(&["merge", "out", "other"], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("shard 2/3 was run with --tags '@hold', the others with --tags '@mute'"),
        "{}",
        text(&o)
    );
    // the first shard, given twice
    let o = laml(&["merge", "out", "out/shard-1-of-3.json"], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("shard 1/3 is given twice"), "{}", text(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_shard_that_holds_none_of_a_small_selection_passes_and_the_merge_is_the_selection() {
    let dir = temp_dir("small");
    let whole = laml(&["--tags", "@barge"], &dir);
    assert!(whole.status.success(), "{}", text(&whole));
    let mut empty = 0;
    for i in 1..=7 {
        let o = laml(
            &["--tags", "@barge", "--shard", &format!("{i}/7"), "--shard-out", "out"],
            &dir,
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        empty += usize::from(text(&o).contains("holds none of the"));
    }
    assert!(empty >= 5, "two scenarios leave five of seven shards empty");
    let o = laml(&["merge", "out"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(counts(&text(&o)), counts(&text(&whole)), "{}", text(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_shards_are_one_sentence_and_exit_2() {
    let dir = temp_dir("bad");
    for bad in ["0/3", "4/3", "1/0", "junk"] {
        let o = laml(&["--shard", bad], &dir);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", text(&o));
        let said = String::from_utf8_lossy(&o.stderr);
        assert_eq!(said.lines().count(), 1, "{said}");
        assert!(
            said.contains(&format!("--shard {bad}")) && said.contains("I/N"),
            "{said}"
        );
        assert!(o.stdout.is_empty(), "nothing ran");
    }
    let env = |i: &str, n: &str| {
        vec![
            ("CI_NODE_INDEX".to_string(), i.to_string()),
            ("CI_NODE_TOTAL".to_string(), n.to_string()),
        ]
    };
    let o = run(&[], &env("0", "3"), &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("CI_NODE_INDEX counts from 1"), "{}", text(&o));
    // a selection of nothing is no empty share: nothing ran anywhere
    let o = laml(&["--shard", "1/3", "--name", "^no such scenario$"], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("no scenario ran, so nothing was checked"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains("holds none"), "{}", text(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_ci_variables_name_the_same_shard_as_the_flag() {
    let dir = temp_dir("ci");
    let flag = laml(&["--shard", "2/3", "--junit", "flag.xml"], &dir);
    let env = [("CI_NODE_INDEX", "2"), ("CI_NODE_TOTAL", "3")].map(|(k, v)| (k.to_string(), v.to_string()));
    let ci = run(&["--junit", "ci.xml"], &env, &dir);
    assert!(
        flag.status.success() && ci.status.success(),
        "{}{}",
        text(&flag),
        text(&ci)
    );
    assert!(
        text(&ci).contains("shard 2/3 (from CI_NODE_INDEX and CI_NODE_TOTAL)"),
        "{}",
        text(&ci)
    );
    let read = |f: &str| cases(&std::fs::read_to_string(dir.join(f)).unwrap());
    assert_eq!(read("ci.xml"), read("flag.xml"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_configured_conference_refuses_to_be_sharded() {
    let dir = temp_dir("configured");
    let env = [("LAML_PROJECT_ID", "PN1"), ("LAML_API_TOKEN", "token")].map(|(k, v)| (k.to_string(), v.to_string()));
    let configured = [
        "--target",
        "http://127.0.0.1:9",
        "--conference",
        "CF0123",
        "--participant",
        "agent=CA1",
        "--participant",
        "customer=CA2",
        "--participant",
        "supervisor=CA3",
    ];
    let o = run(&[&configured[..], &["--shard", "1/2"]].concat(), &env, &dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("cannot be run on a configured conference: its participants are shared"),
        "{}",
        text(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explore_seeds_reports_the_first_seed_that_diverges_as_seed_does() {
    let dir = temp_dir("seeds");
    let bound = ["explore", "--fault", "stop-coaching-keeps-target", "--steps", "15"];
    // which seed diverges first, each run alone
    let first = (0..4u64)
        .find(|seed| {
            laml(&[&bound[..], &["--seed", &seed.to_string()]].concat(), &dir)
                .status
                .code()
                == Some(1)
        })
        .expect("a seed of 0..4 diverges within 15 operations");
    let alone = laml(&[&bound[..], &["--seed", &first.to_string()]].concat(), &dir);
    let o = laml(&[&bound[..], &["--seeds", "0..4"]].concat(), &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&alone.stdout),
        "stdout is the feature --seed {first} prints"
    );
    let healthy = laml(&["explore", "--steps", "20", "--seeds", "0..=2"], &dir);
    assert_eq!(healthy.status.code(), Some(0), "{}", text(&healthy));
    let stdout = String::from_utf8_lossy(&healthy.stdout);
    assert_eq!(
        stdout.trim(),
        "no divergence for any of the 3 seeds 0..=2 (60 operations)"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Shards stopped by --fail-fast merge into a report that says the run stopped, with the
/// scenarios the shards ran added up: a merged report never passes for a whole run.
#[test]
fn shards_stopped_early_merge_into_a_report_that_says_so() {
    let dir = temp_dir("fail-fast");
    const STOPPED: &str = "The run stopped at the first failed scenario (--fail-fast): ";
    // "R of T scenarios ran; the other X (C cut short, N not started)": [R, T, C]
    let numbers = |out: &str| -> [usize; 3] {
        let line = out
            .split(STOPPED)
            .nth(1)
            .unwrap_or_else(|| panic!("not stopped: {out}"));
        let line = line.replace('(', " ");
        let words: Vec<&str> = line.split_whitespace().collect();
        [words[0], words[2], words[8]].map(|n| n.parse().unwrap_or_else(|_| panic!("{line}")))
    };
    let mut sum = [0; 3];
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let args = [
            "--shard",
            &shard,
            "--shard-out",
            "out",
            "--fault",
            "ignore-muted",
            "--fail-fast",
        ];
        let o = laml(&args, &dir);
        assert_eq!(o.status.code(), Some(1), "shard {shard}: {}", text(&o));
        let said = numbers(&text(&o));
        sum = [0, 1, 2].map(|k| sum[k] + said[k]);
    }
    let o = laml(&["merge", "out", "--summary-md", "merged.md"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let md = std::fs::read_to_string(dir.join("merged.md")).unwrap();
    assert_eq!(numbers(&md), sum, "the shards' counts added up: {md}");
    std::fs::remove_dir_all(&dir).ok();
}
