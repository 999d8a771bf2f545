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
