//! What each scenario needs arranged, read from its tags, and marking the scenarios the chosen
//! target cannot arrange, so they are reported as skipped with the reason instead of failing
//! (or passing).
//!
//! The needs are tags a reader sees (`@needs-another-conference`, `@needs-completed-conference`,
//! `@needs-another-account`, `@live-safe` for targets whose participants are shared, and
//! `@except-<profile>` where a generation documents otherwise), on a feature, a rule, a
//! scenario or one `Examples` block of an outline. cucumber skips a step only
//! when no definition matches it, so a scenario is skipped by replacing its first step with a
//! sentence that states the reason (which no step matches) and tagging it `@allow.skipped`,
//! which `fail_on_skipped` tolerates. Every other undefined step still fails the run. Renaming a
//! step changes nothing here; a scenario whose tag is missing fails loudly on a target that
//! cannot arrange what it asks for (the arranging steps say which tag to add).

use cucumber::gherkin::{Feature, Scenario};
use cucumber::parser;
use laml_conformance::target::Need;

use super::Run;

/// The tag that lets a scenario run on a target whose participants are shared and live.
pub const LIVE_SAFE: &str = "live-safe";

/// The need a tag declares, if any.
pub fn need_of(tag: &str) -> Option<Need> {
    match tag {
        "needs-another-conference" => Some(Need::AnotherConference),
        "needs-completed-conference" => Some(Need::CompletedConference),
        "needs-another-account" => Some(Need::AnotherAccount),
        "needs-labels" => Some(Need::Labels),
        _ => None,
    }
}

/// The tag that declares `need`, for the arranging steps' messages.
pub fn tag_of(need: &Need) -> &'static str {
    match need {
        Need::AnotherConference => "@needs-another-conference",
        Need::CompletedConference => "@needs-completed-conference",
        Need::AnotherAccount => "@needs-another-account",
        Need::Labels => "@needs-labels",
    }
}

/// Why the run's target cannot run a scenario with these tags, if it cannot.
fn reason(run: &Run, tags: &[String]) -> Option<String> {
    let (target, profile) = (&run.target, run.profile);
    if target.shares_participants() && !tags.iter().any(|t| t == LIVE_SAFE) {
        return Some(
            "this scenario cannot run on this target: it is not tagged @live-safe, and this target's participants are shared and live".into(),
        );
    }
    if tags
        .iter()
        .any(|t| t.strip_prefix("except-") == Some(profile.name.as_str()))
    {
        return Some(format!(
            "the {} profile documents otherwise (see the comments of the feature and the scenario)",
            profile.name
        ));
    }
    tags.iter()
        .filter_map(|t| need_of(t))
        .find_map(|n| target.cannot_arrange(&n))
        .map(|why| format!("this scenario cannot be arranged on this target: it {why}"))
}

fn skip(scenario: &mut Scenario, why: String) {
    scenario.tags.push("allow.skipped".into());
    if let Some(first) = scenario.steps.first_mut() {
        first.value = why;
    }
}

/// Marks the scenarios (and the `Examples` blocks of outlines) the target cannot run; the
/// blocks of an outline that cannot run become a skipped copy of it.
fn mark_scenarios(scenarios: &mut Vec<Scenario>, inherited: &[String], run: &Run) {
    let mut copies = Vec::new();
    for scenario in scenarios.iter_mut() {
        let tags: Vec<String> = inherited.iter().chain(&scenario.tags).cloned().collect();
        if let Some(why) = reason(run, &tags) {
            skip(scenario, why);
            continue;
        }
        let (cannot, can): (Vec<_>, Vec<_>) = std::mem::take(&mut scenario.examples)
            .into_iter()
            .partition(|e| reason(run, &[tags.clone(), e.tags.clone()].concat()).is_some());
        scenario.examples = can;
        for examples in cannot {
            let why = reason(run, &[tags.clone(), examples.tags.clone()].concat()).unwrap_or_default();
            let mut copy = scenario.clone();
            copy.examples = vec![examples];
            skip(&mut copy, why);
            copies.push(copy);
        }
    }
    scenarios.extend(copies);
}

/// Marks the scenarios of one feature that the run's target cannot arrange.
pub fn mark(feature: parser::Result<Feature>) -> parser::Result<Feature> {
    let feature = feature.and_then(checked_tables);
    let Some(run) = Run::current() else {
        return feature;
    };
    feature.map(|mut f| {
        let feature_tags = f.tags.clone();
        mark_scenarios(&mut f.scenarios, &feature_tags, run);
        for rule in &mut f.rules {
            let tags: Vec<String> = feature_tags.iter().chain(&rule.tags).cloned().collect();
            mark_scenarios(&mut rule.scenarios, &tags, run);
        }
        f
    })
}

/// Every `@needs-…` tag of a feature that declares no need this harness knows, as one line
/// each: a misspelt need would otherwise never skip anything.
fn unknown_needs(feature: &Feature) -> Vec<String> {
    let file = feature
        .path
        .as_ref()
        .map_or_else(|| feature.name.clone(), |p| p.display().to_string());
    let scenarios = feature
        .scenarios
        .iter()
        .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()));
    let tagged = scenarios.flat_map(|s| {
        let examples = s
            .examples
            .iter()
            .flat_map(|e| e.tags.iter().map(move |t| (e.position.line, t)));
        s.tags.iter().map(move |t| (s.position.line, t)).chain(examples)
    });
    let feature_tags = feature.tags.iter().map(|t| (feature.position.line, t));
    let rule_tags = feature
        .rules
        .iter()
        .flat_map(|r| r.tags.iter().map(move |t| (r.position.line, t)));
    feature_tags
        .chain(rule_tags)
        .chain(tagged)
        .filter(|(_, t)| t.starts_with("needs-") && need_of(t).is_none())
        .map(|(line, t)| (tag_line(feature, line, t), t))
        .map(|(line, t)| {
            format!(
                "{file}:{line}: @{t} declares no need this harness knows; use {}, {}, {} or {}",
                tag_of(&Need::AnotherConference),
                tag_of(&Need::CompletedConference),
                tag_of(&Need::AnotherAccount),
                tag_of(&Need::Labels)
            )
        })
        .collect()
}

/// The line a tag is written on: gherkin gives tags no position, only the line of what they
/// tag, which is below them; the file, where it can be read, says where the tag is.
fn tag_line(feature: &Feature, tagged: usize, tag: &str) -> usize {
    let Some(text) = feature.path.as_ref().and_then(|p| std::fs::read_to_string(p).ok()) else {
        return tagged;
    };
    let lines: Vec<&str> = text.lines().take(tagged).collect();
    let written = format!("@{tag}");
    lines
        .iter()
        .rposition(|l| l.split_whitespace().any(|w| w == written))
        .map_or(tagged, |i| i + 1)
}

/// A feature whose update tables name only documented parameters and whose `@needs-…` tags are
/// known; otherwise each problem is printed with its line and the feature counts as one that
/// does not parse (exit 2), so no request is sent on a misspelt key.
fn checked_tables(feature: Feature) -> parser::Result<Feature> {
    let mut problems = super::tables::problems(&feature);
    problems.extend(unknown_needs(&feature));
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
    fn a_misspelt_need_is_named_with_its_line() {
        let text = "Feature: f\n  @needs-another-conferenc\n  Scenario: s\n    Given x\n\n  Scenario Outline: o\n    Given <a>\n\n    @needs-another-account\n    Examples:\n      | a |\n      | b |\n";
        let f = Feature::parse(text, cucumber::gherkin::GherkinEnv::default()).expect("valid Gherkin");
        let p = unknown_needs(&f);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains(":3: @needs-another-conferenc declares no need"),
            "{}",
            p[0]
        );
    }

    #[test]
    fn needs_are_read_from_tags_and_name_their_tag() {
        for need in [
            Need::AnotherConference,
            Need::CompletedConference,
            Need::AnotherAccount,
            Need::Labels,
        ] {
            let tag = tag_of(&need);
            assert_eq!(need_of(tag.trim_start_matches('@')), Some(need));
        }
        assert_eq!(need_of(LIVE_SAFE), None);
        assert_eq!(need_of("needs-setup"), None);
    }
}
