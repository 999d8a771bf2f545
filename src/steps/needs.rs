//! What each scenario needs arranged, and marking the scenarios the chosen target cannot
//! arrange, so they are reported as skipped with the reason instead of failing (or passing).
//!
//! cucumber skips a step only when no definition matches it, so a scenario is skipped by
//! rewriting its first unarrangeable step into a sentence that states the reason (which no
//! step matches) and tagging it `@allow.skipped`, which `fail_on_skipped` tolerates. Every other
//! undefined step still fails the run. The phrases below mirror the step definitions of
//! `conference.rs` and `update.rs`.

use std::sync::LazyLock;

use cucumber::gherkin::{Feature, Scenario, Step};
use cucumber::parser;
use laml_conformance::target::{Need, Target};
use regex::Regex;

use super::TARGET;

static A_CONFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^a conference with participants? ((?:"[^"]+"(?:, | and )?)+)$"#).expect("valid regex")
});

/// The need a step text expresses, if any.
pub fn need_of(step: &str) -> Option<Need> {
    if let Some(c) = A_CONFERENCE.captures(step) {
        return Some(Need::Participants(super::conference::names(&c[1])));
    }
    if step.starts_with("another conference of the same account") {
        return Some(Need::AnotherConference);
    }
    if step == "the conference has completed" {
        return Some(Need::CompletedConference);
    }
    if step.ends_with("with the credentials of another account") {
        return Some(Need::AnotherAccount);
    }
    None
}

/// The reason the target cannot run a scenario with these steps and tags, if any.
fn reason(target: &Target, steps: &[Step], tags: &[String]) -> Option<String> {
    if target.shares_participants() && !tags.iter().any(|t| t == "live-safe") {
        return Some("it is not tagged @live-safe, and this target's participants are shared and live".into());
    }
    steps
        .iter()
        .filter_map(|s| need_of(&s.value))
        .find_map(|n| target.cannot_arrange(&n))
}

fn mark_step(steps: &mut [Step], target: &Target) -> bool {
    for step in steps {
        if let Some(why) = need_of(&step.value).and_then(|n| target.cannot_arrange(&n)) {
            step.value = format!("this scenario cannot be arranged on this target: it {why}");
            return true;
        }
    }
    false
}

fn mark_scenario(scenario: &mut Scenario, background_skipped: bool, target: &Target) {
    let unsafe_here = reason(target, &[], &scenario.tags);
    if background_skipped || unsafe_here.is_some() || reason(target, &scenario.steps, &scenario.tags).is_some() {
        scenario.tags.push("allow.skipped".into());
        if let Some(why) = unsafe_here {
            if let Some(first) = scenario.steps.first_mut() {
                first.value = format!("this scenario cannot run on this target: {why}");
            }
        } else if !background_skipped {
            mark_step(&mut scenario.steps, target);
        }
    }
}

/// Marks the scenarios of one feature that the run's target cannot arrange.
pub fn mark(feature: parser::Result<Feature>) -> parser::Result<Feature> {
    let feature = feature.and_then(checked_tables);
    let Some(target) = TARGET.get() else {
        return feature;
    };
    feature.map(|mut f| {
        let skipped = f.background.as_mut().is_some_and(|b| mark_step(&mut b.steps, target));
        for scenario in &mut f.scenarios {
            mark_scenario(scenario, skipped, target);
        }
        for rule in &mut f.rules {
            let rule_skipped = skipped
                || rule
                    .background
                    .as_mut()
                    .is_some_and(|b| mark_step(&mut b.steps, target));
            for scenario in &mut rule.scenarios {
                mark_scenario(scenario, rule_skipped, target);
            }
        }
        f
    })
}

/// A feature whose update tables name only documented parameters; otherwise each problem is
/// printed with its line and the feature counts as one that does not parse (exit 2), so no
/// request is sent on a misspelt key.
fn checked_tables(feature: Feature) -> parser::Result<Feature> {
    let problems = super::tables::problems(&feature);
    if problems.is_empty() {
        return Ok(feature);
    }
    for p in &problems {
        eprintln!("laml-conformance: {p}");
    }
    let path = feature.path.clone().unwrap_or_default();
    let source = std::io::Error::other(problems.join("; "));
    Err(parser::Error::Parsing(std::sync::Arc::new(
        cucumber::gherkin::ParseFileError::Reading { path, source },
    )))
}

/// The parser of a run: cucumber's own, then [`mark`].
pub struct Marking<P>(pub P);

impl<I, P: cucumber::Parser<I>> cucumber::Parser<I> for Marking<P> {
    type Cli = P::Cli;
    type Output = futures::stream::Map<P::Output, fn(parser::Result<Feature>) -> parser::Result<Feature>>;

    fn parse(self, input: I, cli: Self::Cli) -> Self::Output {
        use futures::StreamExt as _;
        self.0.parse(input, cli).map(mark as fn(_) -> _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_are_read_from_the_steps_that_arrange() {
        assert_eq!(
            need_of(r#"a conference with participants "agent" and "customer""#),
            Some(Need::Participants(vec!["agent".into(), "customer".into()]))
        );
        assert_eq!(
            need_of(r#"another conference of the same account with participant "x""#),
            Some(Need::AnotherConference)
        );
        assert_eq!(need_of("the conference has completed"), Some(Need::CompletedConference));
        assert_eq!(
            need_of(r#""agent" is muted with the credentials of another account"#),
            Some(Need::AnotherAccount)
        );
        assert_eq!(need_of(r#""agent" is muted"#), None);
    }
}
