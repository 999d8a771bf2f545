//! The walk over the features under one profile: the scenarios the profile runs (not those an
//! `@except-<profile>` tag on the feature, rule, scenario or `Examples` block skips), each
//! outline row its own scenario, and for each step the items its declaration sends and judges.

use std::collections::{BTreeMap, BTreeSet};

use cucumber::gherkin::{Feature, Scenario, Step, StepType};
use laml_conformance::spec::profile::Profile;
use serde::Serialize;

use super::context::{self, Context};
use super::declarations;
use super::rows::Item;

/// A scenario (an outline's row is one), where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ScenarioRef {
    /// The feature file, as the features were read.
    pub file: String,
    /// Its line (an outline row's own line).
    pub line: usize,
    /// Its name, placeholders filled.
    pub name: String,
}

/// A `Then` step that judges, in its scenario.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct StepRef {
    /// Its scenario.
    pub scenario: ScenarioRef,
    /// The step's line.
    pub line: usize,
    /// Its text, placeholders filled.
    pub text: String,
}

/// What the features send and judge under one profile, by item.
#[derive(Debug, Default)]
pub struct Walk {
    /// The scenarios that send each item.
    pub sends: BTreeMap<Item, BTreeSet<ScenarioRef>>,
    /// The steps that judge each item.
    pub judges: BTreeMap<Item, BTreeSet<StepRef>>,
    /// How many scenarios the profile runs.
    pub scenarios: usize,
}

/// Whether `tags` skip a scenario under `profile`.
fn skipped<'a>(mut tags: impl Iterator<Item = &'a String>, profile: &Profile) -> bool {
    tags.any(|t| t.strip_prefix("except-") == Some(profile.name.as_str()))
}

/// Walks `features` (parsed, outlines expanded) under `profile`. The errors are the steps that
/// match no declaration, or more than one, with where they are.
pub fn walk(features: &[Feature], profile: &Profile) -> Result<Walk, Vec<String>> {
    let mut out = Walk::default();
    let mut errors = Vec::new();
    for feature in features {
        let file = feature
            .path
            .as_ref()
            .map_or_else(|| feature.name.clone(), |p| p.display().to_string());
        let background = feature.background.iter().flat_map(|b| b.steps.iter());
        let mut groups: Vec<(Vec<&String>, Vec<&Step>, &Vec<Scenario>)> =
            vec![(feature.tags.iter().collect(), background.collect(), &feature.scenarios)];
        for rule in &feature.rules {
            let tags = feature.tags.iter().chain(&rule.tags).collect();
            let steps = feature
                .background
                .iter()
                .chain(&rule.background)
                .flat_map(|b| b.steps.iter())
                .collect();
            groups.push((tags, steps, &rule.scenarios));
        }
        for (tags, background, scenarios) in groups {
            for scenario in scenarios {
                let examples = scenario.examples.iter().flat_map(|e| e.tags.iter());
                let all_tags = tags.iter().copied().chain(&scenario.tags).chain(examples);
                if skipped(all_tags, profile) {
                    continue;
                }
                let at = ScenarioRef {
                    file: file.clone(),
                    line: scenario.position.line,
                    name: scenario.name.clone(),
                };
                let steps: Vec<&Step> = background.iter().copied().chain(&scenario.steps).collect();
                match one_scenario(&steps, profile) {
                    Ok(Covered { sent, judged }) => {
                        out.scenarios += 1;
                        for item in sent {
                            out.sends.entry(item).or_default().insert(at.clone());
                        }
                        for (step, items) in judged {
                            for item in items {
                                out.judges.entry(item).or_default().insert(StepRef {
                                    scenario: at.clone(),
                                    line: step.position.line,
                                    text: step.value.clone(),
                                });
                            }
                        }
                    }
                    Err(e) => errors.extend(e.into_iter().map(|(line, why)| format!("{file}:{line}: {why}"))),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort();
        errors.dedup();
        Err(errors)
    }
}

/// What one scenario sends, and what each of its `Then` steps judges.
struct Covered<'s> {
    sent: BTreeSet<Item>,
    judged: Vec<(&'s Step, Vec<Item>)>,
}

/// The steps no one declaration covers: their lines, and why.
type Unmatched = Vec<(usize, String)>;

/// What one scenario's steps send, and what each `Then` step judges; or the steps that match
/// no one declaration, with their lines.
fn one_scenario<'s>(steps: &[&'s Step], profile: &Profile) -> Result<Covered<'s>, Unmatched> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for step in steps {
        match declarations::find(step.ty, &step.value) {
            Ok((declaration, captures)) => found.push((*step, declaration, captures)),
            Err(why) => errors.push((step.position.line, why)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let marks: Vec<_> = found.iter().flat_map(|(_, d, _)| d.marks.iter().copied()).collect();
    // each step's sends first, with the scenario's marks (a refusal later decides the class of
    // what an earlier update carried)
    let asking = context::Scenario {
        marks: marks.clone(),
        sent: BTreeSet::new(),
    };
    let sends: Vec<Vec<Item>> = found
        .iter()
        .map(|(step, declaration, captures)| (declaration.sends)(&context(profile, step, captures, &asking)))
        .collect();
    // then what each Then step judges, given what the steps up to it sent: a page read before
    // a link is followed judges nothing the link carries
    let mut so_far = context::Scenario {
        marks,
        sent: BTreeSet::new(),
    };
    let mut judged = Vec::new();
    for ((step, declaration, captures), sent) in found.iter().zip(sends) {
        so_far.sent.extend(sent);
        if step.ty == StepType::Then {
            judged.push((*step, (declaration.judges)(&context(profile, step, captures, &so_far))));
        }
    }
    Ok(Covered {
        sent: so_far.sent,
        judged,
    })
}

fn context<'a>(
    profile: &'a Profile,
    step: &'a Step,
    captures: &'a regex::Captures<'a>,
    scenario: &'a context::Scenario,
) -> Context<'a> {
    Context {
        profile,
        captures,
        table: step.table.as_ref().map_or(&[][..], |t| t.rows.as_slice()),
        scenario,
    }
}

#[cfg(test)]
mod tests {
    use cucumber::feature::Ext as _;
    use cucumber::gherkin::GherkinEnv;

    use super::*;
    use crate::coverage::rows::{Form, Judgement, Operation, PathOf, ValueClass};

    fn walked(text: &str, profile: &str) -> Result<Walk, Vec<String>> {
        let mut feature = Feature::parse(text, GherkinEnv::default()).expect("valid Gherkin");
        feature.path = Some("features/t.feature".into());
        let feature = feature.expand_examples().expect("placeholders filled");
        walk(&[feature], Profile::by_name(profile).unwrap())
    }

    fn judges(w: &Walk, item: &Item) -> Vec<String> {
        w.judges
            .get(item)
            .into_iter()
            .flatten()
            .map(|s| s.text.clone())
            .collect()
    }

    fn param(name: &str, class: ValueClass) -> Item {
        Item::Param(name.into(), class)
    }

    const OUTLINE: &str = r#"
Feature: f
  Background:
    Given a conference with participants "a" and "b"

  Scenario Outline: <case>
    When "a" is updated with:
      | <key> | <value> |
    Then the update is refused with status 400 and code <code>

    Examples:
      | case  | key        | value | code  |
      | put   | HoldMethod | PUT   | 13221 |

    @except-twilio
    Examples:
      | case  | key   | value | code  |
      | blank | Muted |       | 10000 |
"#;

    #[test]
    fn an_except_tag_on_an_examples_block_skips_its_rows_under_that_profile_only() {
        let seed = walked(OUTLINE, "seed").unwrap();
        let twilio = walked(OUTLINE, "twilio").unwrap();
        assert_eq!((seed.scenarios, twilio.scenarios), (2, 1));
        assert!(seed.judges.contains_key(&param("Muted", ValueClass::Invalid)));
        assert!(!twilio.judges.contains_key(&param("Muted", ValueClass::Invalid)));
        assert!(twilio.judges.contains_key(&param("HoldMethod", ValueClass::Invalid)));
        assert!(twilio.judges.contains_key(&Item::Error(13221)) && !twilio.judges.contains_key(&Item::Error(10000)));
    }

    #[test]
    fn an_except_tag_on_a_feature_or_rule_skips_its_scenarios() {
        let text = "@except-seed\nFeature: f\n  Scenario: s\n    When \"a\" is updated with no parameters\n    Then the update succeeds\n";
        assert_eq!(walked(text, "seed").unwrap().scenarios, 0);
        assert_eq!(walked(text, "twilio").unwrap().scenarios, 1);
        let rule = "Feature: f\n  @except-twilio\n  Rule: r\n    Scenario: s\n      When \"a\" is updated with no parameters\n      Then the update succeeds\n";
        assert_eq!(walked(rule, "twilio").unwrap().scenarios, 0);
        assert_eq!(walked(rule, "seed").unwrap().scenarios, 1);
    }

    #[test]
    fn a_step_no_declaration_covers_is_named_with_its_place() {
        let text =
            "Feature: f\n  Background:\n    Given the moon is full\n  Scenario: s\n    Then the update succeeds\n";
        let errors = walked(text, "seed").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("features/t.feature:3: no declaration") && errors[0].contains("the moon is full"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_refusal_of_a_combination_blames_the_participant_named() {
        let text = r#"
Feature: f
  Scenario: s
    When "a" is updated with:
      | Coaching       | true     |
      | CallSidToCoach | stranger |
    Then the update is refused with status 400 and code 16002
"#;
        let w = walked(text, "seed").unwrap();
        assert!(w.judges.contains_key(&param("CallSidToCoach", ValueClass::Invalid)));
        assert!(!w.judges.contains_key(&param("Coaching", ValueClass::Invalid)));
        assert!(w.sends.contains_key(&param("Coaching", ValueClass::Valid)));
        let alone = "Feature: f\n  Scenario: s\n    When \"a\" is updated with:\n      | Coaching | true |\n    Then the update is refused with status 400 and code 16002\n";
        assert!(
            walked(alone, "seed")
                .unwrap()
                .judges
                .contains_key(&param("Coaching", ValueClass::Invalid))
        );
    }

    #[test]
    fn a_refusal_for_the_conference_s_state_blames_no_parameter() {
        let text = "Feature: f\n  Scenario: s\n    Given the conference has completed\n    When \"a\" is updated with:\n      | Muted | true |\n    Then the update is refused with status 400 and code 10000\n";
        let w = walked(text, "seed").unwrap();
        assert!(w.judges.contains_key(&Item::Error(10000)));
        assert!(!w.judges.contains_key(&param("Muted", ValueClass::Invalid)));
        assert!(w.sends.contains_key(&param("Muted", ValueClass::Valid)));
    }

    #[test]
    fn a_value_outside_the_kind_that_succeeds_judges_the_invalid_class_by_the_profile_s_rule() {
        // Twilio reads any Muted other than true or false as false
        let text = "Feature: f\n  Scenario: s\n    When \"a\" is updated with:\n      | Muted | yes |\n    Then the update succeeds\n    And \"a\" is not muted\n";
        let w = walked(text, "twilio").unwrap();
        assert_eq!(
            judges(&w, &param("Muted", ValueClass::Invalid)),
            ["the update succeeds"]
        );
        assert_eq!(
            judges(&w, &Item::Field("muted".into(), Judgement::Value)),
            ["\"a\" is not muted"]
        );
    }

    #[test]
    fn otherwise_unchanged_judges_every_parameter_not_sent_as_absent() {
        let text = "Feature: f\n  Scenario: s\n    When \"a\" is updated with:\n      | Muted | true |\n    Then the update succeeds\n    And \"a\" is otherwise unchanged\n";
        let w = walked(text, "twilio").unwrap();
        assert!(!w.judges.contains_key(&param("Muted", ValueClass::Absent)));
        for p in ["Hold", "WaitUrl", "EndConferenceOnExit"] {
            assert_eq!(
                judges(&w, &param(p, ValueClass::Absent)),
                ["\"a\" is otherwise unchanged"],
                "{p}"
            );
        }
    }

    #[test]
    fn a_listing_judges_its_filters_paging_page_keys_and_the_flags_listed() {
        let text = r#"
Feature: f
  Scenario: s
    When the participants are listed with:
      | Muted    | true |
      | PageSize | 2    |
      | Volume   | 3    |
    Then the page lists 2 participants
"#;
        let w = walked(text, "twilio").unwrap();
        for item in [
            Item::Operation(Operation::List),
            Item::Filter("Muted".into()),
            Item::Paging("PageSize".into()),
            Item::Envelope("next_page_uri".into()),
            Item::Field("muted".into(), Judgement::Value),
            Item::Path(PathOf::List, Form::Json),
        ] {
            assert_eq!(judges(&w, &item), ["the page lists 2 participants"], "{item}");
        }
        assert!(!w.sends.contains_key(&Item::Paging("Page".into())));
        let bare = walked(text, "signalwire").unwrap();
        assert!(bare.judges.contains_key(&Item::Path(PathOf::List, Form::Bare)));
    }

    #[test]
    fn a_removal_and_its_absence_judge_delete_retrieve_and_not_found() {
        let text = "Feature: f\n  Scenario: s\n    When \"a\" is removed from the conference\n    Then the removal succeeds with no body\n    And \"a\" is gone from the conference\n";
        let w = walked(text, "seed").unwrap();
        assert_eq!(
            judges(&w, &Item::Operation(Operation::Delete)),
            ["the removal succeeds with no body", "\"a\" is gone from the conference"]
        );
        assert!(
            w.judges.contains_key(&Item::Error(20404)) && w.judges.contains_key(&Item::Operation(Operation::Retrieve))
        );
    }

    #[test]
    fn a_then_step_judges_only_what_the_steps_before_it_sent() {
        let text = r#"
Feature: f
  Scenario: s
    When the participants are listed with:
      | PageSize | 1 |
    Then the page has a next page
    When the next page is followed
    Then the page has a previous page
"#;
        let w = walked(text, "twilio").unwrap();
        assert_eq!(
            judges(&w, &Item::Paging("PageToken".into())),
            ["the page has a previous page"]
        );
        assert_eq!(judges(&w, &Item::Paging("PageSize".into())).len(), 2);
    }
}
