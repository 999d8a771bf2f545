//! A profile is data: what a generation of the documentation differs in (its fields, its
//! examples, its snapshots' prefix, what it leaves out of scope) lives in its
//! `src/library/spec/profiles/<name>.json`, and no code outside `src/library/spec` tells the
//! generations apart by name. A fourth profile is then one more file, not a hunt for the places
//! that know the seed by heart.
//!
//! This reads the source: a comparison with a profile's name (a literal name, or
//! `profile::DEFAULT`) outside `src/library/spec` fails it. `profile::DEFAULT` stays the name of
//! the profile a run or `serve` takes when none is chosen, in the two places that choose it.

mod common;

use std::path::Path;

use laml_conformance::spec::profile::PROFILES;
use regex::Regex;

/// The files that may name `profile::DEFAULT`: where a run's and `serve`'s profile is chosen.
const CHOOSE_THE_DEFAULT: &[&str] = &[
    "src/library/config/mod.rs",
    "src/binary/commands/serve.rs",
    // the healthy run of the fault matrix, whatever the environment says
    "src/binary/commands/faults.rs",
];

/// Whether a line of code compares something with a profile's name: `x == "seed"`,
/// `"twilio" != x`, `.eq("seed")`, `profile.name == …`, `match profile.name.as_str()`.
fn compares_by_name(code: &str) -> bool {
    static PATTERNS: std::sync::LazyLock<[Regex; 2]> = std::sync::LazyLock::new(|| {
        let names: Vec<String> = PROFILES.iter().map(|p| regex::escape(&p.name)).collect();
        let literal = format!(r#""(?:{})""#, names.join("|"));
        [
            Regex::new(&format!(
                r#"(?:==|!=)\s*&?{literal}|{literal}\s*(?:==|!=)|\.eq\(&?{literal}\)"#
            ))
            .unwrap(),
            Regex::new(r"\bprofile\w*\.name\b(?:\.as_str\(\))?\s*(?:==|!=)|match\s+[^{]*\bprofile\w*\.name\b").unwrap(),
        ]
    });
    PATTERNS.iter().any(|p| p.is_match(code))
}

/// Every line of `src/` outside `src/library/spec` that compares something with a profile's
/// name, or names the default profile outside the places that choose it, as `path:line: text`.
fn comparisons_by_name() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = common::rust_sources(&root.join("src"));
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with("src/library/spec/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let may_name_default = CHOOSE_THE_DEFAULT.contains(&relative.as_str());
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let names_default = code.contains("profile::DEFAULT") || code.contains("profile::{DEFAULT");
            if (names_default && !may_name_default) || compares_by_name(code) {
                found.push(format!("{relative}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_code_outside_the_spec_compares_a_profile_s_name() {
    let found = comparisons_by_name();
    assert!(
        found.is_empty(),
        "these lines tell a profile by its name; put what the profile differs in into its JSON file:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_a_comparison_by_name() {
    assert!(compares_by_name(r#"if p.name == "twilio" {"#));
    assert!(compares_by_name(r#"if "seed" != name {"#));
    assert!(compares_by_name("if profile.name == profile::DEFAULT"));
    assert!(compares_by_name("match profile.name.as_str() {"));
    assert!(!compares_by_name(r#"Some("twilio") => Dialect::Twilio,"#));
    assert!(!compares_by_name(r#"format!("{}", profile.name)"#));
}

#[test]
fn the_default_is_named_only_where_it_is_chosen() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in CHOOSE_THE_DEFAULT {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            text.contains("unwrap_or(profile::DEFAULT)"),
            "{file} no longer chooses the default profile: take it off CHOOSE_THE_DEFAULT"
        );
    }
}
