//! The parameter tables of the features, checked against the documented parameter table when
//! the features load: a misspelt key stops the run before any request is sent, instead of being
//! sent, refused by the target, and read as the target's fault (or, worse, as a refusal the
//! scenario expected). A key sent off the documentation on purpose uses its own step,
//! `… is updated with the undocumented parameter "…" set to "…"`.

use std::sync::LazyLock;

use cucumber::gherkin::{Examples, Feature, Scenario, Step};
use laml_conformance::spec::params;
use regex::Regex;

/// The step whose table rows are `| Parameter | value |` of a documented update.
static UPDATED_WITH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^"[^"]+" is updated with:$"#).expect("valid regex"));
/// An outline placeholder such as `<parameter>`.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<([^<>]+)>").expect("valid regex"));

/// Every key of a parameter table in `feature` that is not a documented parameter, as one line
/// each (`file:line: …`); empty when every table is sound.
pub fn problems(feature: &Feature) -> Vec<String> {
    let file = feature
        .path
        .as_ref()
        .map_or_else(|| feature.name.clone(), |p| p.display().to_string());
    let mut out = Vec::new();
    let backgrounds = feature
        .background
        .iter()
        .chain(feature.rules.iter().filter_map(|r| r.background.as_ref()));
    for background in backgrounds {
        for step in &background.steps {
            check_step(&file, step, &[], &mut out);
        }
    }
    let scenarios = feature
        .scenarios
        .iter()
        .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()));
    for scenario in scenarios {
        check_scenario(&file, scenario, &mut out);
    }
    out
}

fn check_scenario(file: &str, scenario: &Scenario, out: &mut Vec<String>) {
    for step in &scenario.steps {
        check_step(file, step, &scenario.examples, out);
    }
}

fn check_step(file: &str, step: &Step, examples: &[Examples], out: &mut Vec<String>) {
    if !UPDATED_WITH.is_match(&step.value) {
        return;
    }
    let Some(table) = &step.table else { return };
    for (i, row) in table.rows.iter().enumerate() {
        let Some(key) = row.first() else { continue };
        for key in expand(key, examples) {
            if params::param(&key).is_none() {
                let hint = params::suggest(&key).map_or_else(String::new, |s| format!("; did you mean {s}?"));
                out.push(format!(
                    "{file}:{}: the update table has the key {key:?}, which is not a documented parameter{hint} (to send an undocumented key on purpose, write `When \"…\" is updated with the undocumented parameter \"{key}\" set to \"…\"`)",
                    step.position.line + 1 + i
                ));
            }
        }
    }
}

/// The texts a cell stands for: itself, or, in an outline, one per row of its examples.
fn expand(cell: &str, examples: &[Examples]) -> Vec<String> {
    if !PLACEHOLDER.is_match(cell) {
        return vec![cell.to_string()];
    }
    let mut out = Vec::new();
    for table in examples.iter().filter_map(|e| e.table.as_ref()) {
        let Some((header, rows)) = table.rows.split_first() else {
            continue;
        };
        for row in rows {
            let text = PLACEHOLDER.replace_all(cell, |c: &regex::Captures<'_>| {
                header
                    .iter()
                    .position(|h| h == &c[1])
                    .and_then(|i| row.get(i))
                    .cloned()
                    .unwrap_or_else(|| c[0].to_string())
            });
            out.push(text.into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(text: &str) -> Feature {
        Feature::parse(text, cucumber::gherkin::GherkinEnv::default()).expect("valid Gherkin")
    }

    #[test]
    fn a_misspelt_key_is_named_with_its_line_and_a_suggestion() {
        let f = feature(
            "Feature: f\n  Scenario: s\n    When \"a\" is updated with:\n      | Muted | true |\n      | hold  | true |\n",
        );
        let p = problems(&f);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains(":5:") && p[0].contains("\"hold\"") && p[0].contains("did you mean Hold?"),
            "{}",
            p[0]
        );
    }

    #[test]
    fn outline_keys_are_checked_row_by_row() {
        let f = feature(
            "Feature: f\n  Scenario Outline: s\n    When \"a\" is updated with:\n      | <p> | <v> |\n\n    Examples:\n      | p     | v |\n      | Muted | x |\n      | Volum | 5 |\n",
        );
        let p = problems(&f);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("\"Volum\""), "{}", p[0]);
    }

    #[test]
    fn documented_keys_and_other_steps_pass() {
        let f = feature(
            "Feature: f\n  Background:\n    Given \"a\" is updated with:\n      | CallSidToCoach | b |\n  Scenario: s\n    When \"a\" is updated with the undocumented parameter \"Volume\" set to \"5\"\n",
        );
        assert!(problems(&f).is_empty());
    }
}
