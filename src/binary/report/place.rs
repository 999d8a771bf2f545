//! Where a scenario is, as the reports and the ledger of known divergences name it: its
//! feature's file (relative to the working or the project's directory), its name and line, and
//! every tag it carries.

use std::path::{Path, PathBuf};

use cucumber::gherkin;

/// A scenario (one row of an outline) as a ledger entry selects it, and as the run names it
/// when it records a ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Its feature's file as the reports show it, or the feature's name when it has none.
    pub feature: String,
    /// Its name, with an outline's values substituted.
    pub name: String,
    /// Its line (an outline row's line for a row of an outline).
    pub line: usize,
    /// Its tags, its feature's and its rule's, without `@`: a tag on a feature is on each of
    /// its scenarios, as `--tags` reads it.
    pub tags: Vec<String>,
}

impl Place {
    /// The place of `sc`, under `rule` if any, in `feature`.
    pub fn of(feature: &gherkin::Feature, rule: Option<&gherkin::Rule>, sc: &gherkin::Scenario) -> Place {
        let tags = sc
            .tags
            .iter()
            .chain(&feature.tags)
            .chain(rule.iter().flat_map(|r| &r.tags))
            .cloned()
            .collect();
        Place {
            feature: feature.path.as_deref().map_or_else(|| feature.name.clone(), shown_path),
            name: sc.name.clone(),
            line: sc.position.line,
            tags,
        }
    }
}

/// A feature's path as the console shows it: relative to the working directory, or to this
/// project's, where it is under one of them.
pub fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let bases = cwd
        .iter()
        .map(PathBuf::as_path)
        .chain([Path::new(env!("CARGO_MANIFEST_DIR"))]);
    for base in bases {
        if let Ok(rel) = path.strip_prefix(base) {
            return rel.display().to_string();
        }
    }
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_carries_its_features_and_its_rules_tags() {
        let feature = gherkin::Feature::parse(
            "@hold\nFeature: Hold\n\n  @serial\n  Rule: music\n\n    @slow\n    Scenario: Put on hold\n      Given a conference\n",
            gherkin::GherkinEnv::default(),
        );
        let feature = feature.unwrap_or_else(|e| panic!("{e}"));
        let rule = &feature.rules[0];
        let sc = &rule.scenarios[0];
        let mut with_path = feature.clone();
        with_path.path = Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("features/hold.feature"));
        let place = Place::of(&with_path, Some(rule), sc);
        assert_eq!(place.feature, "features/hold.feature");
        assert_eq!(place.name, "Put on hold");
        assert_eq!(place.line, 8);
        assert_eq!(place.tags, ["slow", "hold", "serial"]);
        // a feature read from no file is named by its name
        assert_eq!(Place::of(&feature, None, sc).feature, "Hold");
    }
}
