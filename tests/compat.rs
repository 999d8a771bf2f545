//! `laml-conformance compat`: the vendors' documents side by side, each cell against Twilio's,
//! and with `--target --profile` the suite's verdict per documented item; docs/compat.md is the
//! command's own output.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;

use common::{Serve, text};

fn run(args: &[&str]) -> Output {
    common::run(args, &[], &std::env::temp_dir())
}

fn json(args: &[&str]) -> Value {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    serde_json::from_slice(&o.stdout).expect("compat --format json prints JSON")
}

/// The row `item` of a JSON table.
fn row<'a>(doc: &'a Value, item: &str) -> &'a Value {
    doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["item"] == item)
        .unwrap_or_else(|| panic!("no row {item}"))
}

#[test]
fn the_table_has_a_column_per_vendor_and_says_how_each_differs_from_twilio() {
    let o = run(&["compat"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let md = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        md.starts_with("| item | seed | signalwire | twilio | telnyx |\n"),
        "{md}"
    );
    let doc = json(&["compat", "--format", "json"]);
    let vs = |item: &str, vendor: &str| {
        row(&doc, item)["vendors"][vendor]["vs_twilio"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(vs("auth", "telnyx"), "differs");
    assert_eq!(vs("auth", "signalwire"), "same");
    assert_eq!(vs("error envelope", "telnyx"), "differs");
    assert_eq!(vs("param.HoldMethod", "telnyx"), "differs", "no documented default");
    assert_eq!(vs("param.WaitMethod", "telnyx"), "missing");
    assert_eq!(vs("param.Beep", "seed"), "added");
    assert_eq!(vs("filter.Coaching", "telnyx"), "missing");
    assert_eq!(vs("field.coaching_call_sid", "telnyx"), "added");
    assert_eq!(vs("field.label", "telnyx"), "missing");
    assert_eq!(vs("path.participant", "telnyx"), "differs");
    assert_eq!(vs("operation.update", "telnyx"), "same");
    assert_eq!(row(&doc, "auth")["vendors"]["telnyx"]["documented"], "Bearer (API key)");
    assert!(
        md.contains("| `param.WaitMethod` |") && md.contains("– (not documented)"),
        "{md}"
    );
}

#[test]
fn measured_against_its_own_space_every_judged_item_behaves_as_documented() {
    let doc = json(&[
        "compat",
        "--format",
        "json",
        "--target",
        "embedded",
        "--profile",
        "telnyx",
    ]);
    assert_eq!(doc["measured_profile"], "telnyx");
    assert_eq!(row(&doc, "param.Muted")["measured"], "as documented");
    assert_eq!(row(&doc, "error.20404")["measured"], "as documented");
    assert!(
        row(&doc, "param.WaitMethod")["measured"].is_null(),
        "telnyx documents none"
    );
    let failed: Vec<&Value> = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["measured"] == "FAILED")
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
}

#[test]
fn measured_against_another_vendor_s_space_the_items_it_breaks_fail() {
    let served = Serve::start_with(&["--profile", "signalwire"], &[]);
    let o = run(&["compat", "--target", &served.base, "--profile", "telnyx"]);
    drop(served);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let md = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(md.contains("| telnyx: the target |"), "{md}");
    let failed = md.lines().filter(|l| l.ends_with("| FAILED |")).count();
    assert!(failed > 5, "{md}");
    assert!(
        md.lines()
            .any(|l| l.starts_with("| `field.api_version` |") && l.ends_with("| FAILED |")),
        "{md}"
    );
}

#[test]
fn the_target_and_the_profile_go_together() {
    let o = run(&["compat", "--target", "embedded"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// docs/compat.md holds the table as the command prints it, not a copy that goes stale when a
/// profile changes.
#[test]
fn the_docs_show_the_table_as_the_command_prints_it() {
    let o = run(&["compat"]);
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/compat.md")).unwrap();
    assert!(
        docs.contains(String::from_utf8_lossy(&o.stdout).as_ref()),
        "docs/compat.md's table is not `laml-conformance compat`"
    );
}
