//! Invariant 3, every check bites: the suite against each fault of the catalogue fails, and the
//! scenarios declared to catch the fault are among those that fail; the healthy space passes.
//!
//! The failure text a reader of each fault sees first is kept as a reviewed snapshot
//! (`snapshots/fault_<name>.snap`), with the volatile values (ids, ports, dates, timings)
//! replaced and nothing cut, so a change of wording or of what is caught shows up in review.
//!
//! Every `Then` step pinned: a fault counts as caught when *some* `Then` step fails, so a step
//! that another always shadows could state nothing (`Ok(())`) and every fault would still be
//! caught. The second test asks of each `Then` step definition that it be the first failing
//! step of some scenario under some fault, from the same run of the matrix.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

fn normalise(text: &str) -> String {
    let rules = [
        (r"(?m)^(Defined|Matched): .*\n", ""),
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "<uuid>",
        ),
        // Twilio's ids (the twilio profile's faults)
        (r"\b(AC|CF|CA)[0-9a-f]{32}\b", "$1<hex>"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:<port>"),
        // the throwaway token of the scenario's account, which a reproduction carries
        (r"(-u '(?:<uuid>|AC<hex>):)[0-9a-f]{32}'", "$1<token>'"),
        (
            r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}",
            "<rfc2822 date>",
        ),
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "<iso date>"),
        (r"after \d+ ms", "after <n> ms"),
    ];
    rules.iter().fold(text.to_string(), |t, (re, to)| {
        Regex::new(re).unwrap().replace_all(&t, *to).into_owned()
    })
}

/// The `faults --summary` document of one run of the whole matrix, shared by the tests here
/// (a run takes most of this target's time).
fn summary() -> &'static Value {
    static SUMMARY: OnceLock<Value> = OnceLock::new();
    SUMMARY.get_or_init(run_matrix)
}

fn run_matrix() -> Value {
    let summary = std::env::temp_dir().join(format!("laml-fault-summary-{}.json", std::process::id()));
    let o = Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .args(["faults", "--summary", summary.to_str().unwrap()])
        .output()
        .expect("the binary starts");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "the progress line is for a terminal, not a pipe: {:?}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.trim_end()
            .ends_with("Every fault is caught by the scenarios declared to catch it."),
        "a passing matrix says so last: {out}"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    std::fs::remove_file(&summary).ok();
    doc
}

#[test]
fn every_fault_is_caught_by_the_scenarios_declared_to_catch_it() {
    let doc = summary();
    assert_eq!(
        doc["healthy"]["failing"],
        Value::Array(vec![]),
        "the healthy space fails scenarios"
    );
    let faults = doc["faults"].as_array().unwrap();
    assert_eq!(faults.len(), laml_conformance::sim::faults::CATALOGUE.len());
    for fault in faults {
        let name = fault["name"].as_str().unwrap();
        assert_eq!(
            fault["missed"],
            Value::Array(vec![]),
            "{name} is not caught by all its declared scenarios"
        );
        let message = normalise(fault["first_declared_failure"].as_str().unwrap());
        assert!(!message.is_empty(), "{name}: no failure message");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(format!(
            "What the first scenario declared to catch the fault \"{name}\" ({}) reports, normalised.",
            fault["what"].as_str().unwrap()
        ));
        settings.bind(|| insta::assert_snapshot!(format!("fault_{}", name.replace('-', "_")), message));
    }
}

/// `Then` steps that no catalogued fault can make the first to fail, each with the reason.
/// None today: a step added here must say why no fault can reach it before another step.
const UNPINNABLE: &[(&str, &str)] = &[];

/// A `Then` step definition of `src/binary/steps`: its function and the regex its text must match.
struct Definition {
    function: String,
    place: String,
    pattern: Regex,
}

/// The `#[then(expr = …)]` and `#[then(regex = …)]` definitions of `src/binary/steps/*.rs`, read from
/// the source (inventory registers them at link time, with no list a test can ask for).
fn then_definitions() -> Vec<Definition> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/binary/steps");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let sources: Vec<(String, String)> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let params = parameter_regexes(&sources);
    let attribute = Regex::new(r#"#\[then\(\s*(expr|regex)\s*=\s*(r#*)?""#).unwrap();
    let function = Regex::new(r"fn\s+(\w+)").unwrap();
    let mut found = Vec::new();
    for (file, text) in &sources {
        for m in attribute.captures_iter(text) {
            let start = m.get(0).unwrap().end();
            let hashes = m.get(2).map_or(String::new(), |r| r.as_str()[1..].to_string());
            let end = start + text[start..].find(&format!("\"{hashes}")).unwrap();
            let literal = &text[start..end];
            let pattern = if &m[1] == "expr" {
                expression_regex(literal, &params)
            } else {
                literal.to_string()
            };
            let line = text[..start].lines().count();
            found.push(Definition {
                function: function.captures(&text[end..]).unwrap()[1].to_string(),
                place: format!("{file}:{line}"),
                pattern: Regex::new(&pattern).unwrap_or_else(|e| panic!("{file}:{line}: {e}")),
            });
        }
    }
    found
}

/// The regex of each `#[param(name = …, regex = …)]` of the steps, and cucumber's built-ins.
fn parameter_regexes(sources: &[(String, String)]) -> BTreeMap<String, String> {
    let param = Regex::new(r##"#\[param\(\s*name\s*=\s*"(\w+)",\s*regex\s*=\s*(?:r#"(.*?)"#|r?"(.*?)")"##).unwrap();
    let mut known: BTreeMap<String, String> =
        [("string", r#""[^"]*"|'[^']*'"#), ("int", r"-?\d+"), ("word", r"[^\s]+")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    for (_, text) in sources {
        for c in param.captures_iter(text) {
            let regex = c.get(2).or(c.get(3)).unwrap().as_str();
            known.insert(c[1].to_string(), regex.to_string());
        }
    }
    known
}

/// A cucumber expression as a regex: its text literal, each `{name}` its parameter's regex.
fn expression_regex(expr: &str, params: &BTreeMap<String, String>) -> String {
    assert!(
        !expr.contains(['(', '/']),
        "{expr:?}: optional text and alternatives are not read here; teach expression_regex them"
    );
    let placeholder = Regex::new(r"\{(\w+)\}").unwrap();
    let mut out = String::from("^");
    let mut last = 0;
    for c in placeholder.captures_iter(expr) {
        let m = c.get(0).unwrap();
        out.push_str(&regex::escape(&expr[last..m.start()]));
        let regex = params
            .get(&c[1])
            .unwrap_or_else(|| panic!("{expr:?}: no parameter {{{}}}", &c[1]));
        out.push_str(&format!("(?:{regex})"));
        last = m.end();
    }
    out.push_str(&regex::escape(&expr[last..]));
    out.push('$');
    out
}

#[test]
fn every_then_step_is_the_first_failing_step_under_some_fault() {
    let definitions = then_definitions();
    assert!(
        definitions.len() >= 15,
        "only {} Then steps were read from src/binary/steps: is the attribute still #[then(…)]?",
        definitions.len()
    );
    // definition → the (fault, scenario) pairs where its step is the first to fail
    let mut pinned: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for fault in summary()["faults"].as_array().unwrap() {
        let name = fault["name"].as_str().unwrap();
        for (scenario, step) in fault["first_failing_step"].as_object().unwrap() {
            let step = step.as_str().unwrap();
            let matching: Vec<&Definition> = definitions.iter().filter(|d| d.pattern.is_match(step)).collect();
            assert_eq!(
                matching.len(),
                1,
                "{name}, {scenario:?}: the failing step {step:?} matches {:?}, not exactly one Then definition",
                matching.iter().map(|d| &d.place).collect::<Vec<_>>()
            );
            pinned
                .entry(&matching[0].function)
                .or_default()
                .insert((name, scenario));
        }
    }
    for (function, why) in UNPINNABLE {
        assert!(
            definitions.iter().any(|d| d.function == *function),
            "UNPINNABLE names {function}, which is no Then step ({why})"
        );
        assert!(
            !pinned.contains_key(function),
            "{function} is listed as unpinnable ({why}), but it is the first failing step under {:?}: take it off the list",
            pinned[function].first()
        );
    }
    let shadowed: Vec<String> = definitions
        .iter()
        .filter(|d| !pinned.contains_key(d.function.as_str()) && !UNPINNABLE.iter().any(|(f, _)| *f == d.function))
        .map(|d| format!("{} ({}, /{}/)", d.function, d.place, d.pattern))
        .collect();
    assert!(
        shadowed.is_empty(),
        "these Then steps are the first failing step of no scenario under any fault, so no test shows \
         that they can fail: add a fault that breaks what each alone states, or list it in UNPINNABLE \
         with the reason:\n  {}",
        shadowed.join("\n  ")
    );
}
