//! The ledger of known divergences (`--known FILE`): the scenarios a target is expected to
//! fail, each with why, so that a target that is mostly conformant can keep a green CI that
//! still catches regressions.
//!
//! A listed scenario that fails is *known*: every report says so with its reason, and it does
//! not fail the run. A listed scenario that passes is *fixed*: it fails the run until its entry
//! is removed, so the ledger never hides a gap that is gone (pytest's `xfail(strict=True)`). A
//! scenario not listed fails as usual. How a verdict follows is [`Verdict::of`]; this module
//! holds the ledger, read and checked before the run ([`Ledger::read`]), and written from a
//! run's failures for a first adoption ([`Recording`]).
//!
//! The file is TOML, edited by hand and reviewed in pull requests: one `[[known]]` table per
//! entry, with `feature` and `scenario` (the feature file as the reports name it and the
//! scenario's name) or `tag`, a `reason`, and an optional `link`.

mod read;
mod write;

use std::path::Path;

pub use super::place::Place;
use crate::child::{Ran, Verdict};
pub use write::Recording;

/// A ledger of known divergences, as read and checked.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// The file, as given.
    file: String,
    /// Its entries, in the file's order.
    entries: Vec<Entry>,
}

/// One entry of the ledger (kept in a shard's results with the scenarios it lists).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Where it is written: the ledger's file and the line of its `[[known]]`.
    pub at: String,
    /// The scenarios it lists.
    pub lists: Lists,
    /// Why they are expected to fail.
    pub reason: String,
    /// Where that is tracked (an issue, a vendor's ticket), if given.
    pub link: Option<String>,
}

/// What an entry lists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lists {
    /// One scenario (every row of an outline whose rows share its name).
    Scenario {
        /// The feature file, as the reports name it (`features/mute.feature`).
        feature: String,
        /// The scenario's name.
        name: String,
    },
    /// Every scenario with this tag (without `@`), its feature's and rule's tags included.
    Tag(String),
}

impl Entry {
    /// Whether it lists the scenario at `place`.
    fn lists(&self, place: &Place) -> bool {
        match &self.lists {
            Lists::Scenario { feature, name } => *feature == place.feature && *name == place.name,
            Lists::Tag(tag) => place.tags.iter().any(|t| t == tag),
        }
    }

    /// What it lists, for a sentence.
    pub fn what(&self) -> String {
        self.lists.what()
    }

    /// What every report says of a scenario it lists that failed.
    pub fn known_said(&self) -> String {
        format!("known divergence ({}): {}", self.at, self.why())
    }

    /// What every report says of a scenario it lists that passed.
    pub fn fixed_said(&self) -> String {
        match &self.lists {
            Lists::Scenario { .. } => format!(
                "fixed: remove it from the ledger ({} lists it as a known divergence: {}), since it passed",
                self.at,
                self.why()
            ),
            Lists::Tag(tag) => format!(
                "fixed: it passed, and {} lists every scenario tagged @{tag} as a known divergence ({}); list the ones that still fail instead, or remove the entry",
                self.at,
                self.why()
            ),
        }
    }

    /// What a run says of it when it lists none of the run's scenarios: a mistake when the run
    /// ran `every` scenario (a typo, or a scenario renamed or removed), else a warning, since a
    /// filter may have left its scenario out.
    pub fn unlisting_said(&self, every: bool) -> String {
        if every {
            format!(
                "{}: this entry lists no scenario, and the run ran every one: {} has a typo, or was renamed or removed; correct the entry or remove it",
                self.at,
                self.what()
            )
        } else {
            format!(
                "warning: {}: this entry lists no scenario of this run ({}): --tags, --name or --features left it out, or it has a typo",
                self.at,
                self.what()
            )
        }
    }

    /// Its reason, with its link after it when it has one.
    pub fn why(&self) -> String {
        match &self.link {
            Some(link) => format!("{} ({link})", self.reason),
            None => self.reason.clone(),
        }
    }
}

impl Lists {
    /// What it lists, for a sentence: `features/mute.feature: "Mute a participant"`, or
    /// `@coach`.
    pub fn what(&self) -> String {
        match self {
            Lists::Scenario { feature, name } => format!("{feature}: \"{name}\""),
            Lists::Tag(tag) => format!("@{tag}"),
        }
    }
}

impl Ledger {
    /// The ledger in the file at `path`, checked: a file that cannot be read, is not TOML, has
    /// a key this format does not know, or an entry that lists nothing or gives no reason is
    /// refused with one sentence that names the file and the line.
    pub fn read(path: &Path) -> Result<Ledger, String> {
        Ledger::parse(&path.display().to_string(), &read::text(path)?)
    }

    /// The ledger written in `text`, checked as [`Ledger::read`] checks a file; `file` names
    /// it in a refusal.
    pub fn parse(file: &str, text: &str) -> Result<Ledger, String> {
        read::parse(file, text)
    }

    /// The file, as given.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Its entries, in the file's order.
    #[cfg(test)]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry that lists the scenario at `place`: the one that names it, else the first of
    /// those that list one of its tags (an entry of its own says more about it than a tag's).
    pub fn find(&self, place: &Place) -> Option<&Entry> {
        let listing = || self.entries.iter().filter(|e| e.lists(place));
        listing()
            .find(|e| matches!(e.lists, Lists::Scenario { .. }))
            .or_else(|| listing().next())
    }

    /// The entries that list none of the scenarios at `places` (a run's).
    pub fn unlisting<'a>(&self, places: impl IntoIterator<Item = &'a Place>) -> Vec<&Entry> {
        let places: Vec<&Place> = places.into_iter().collect();
        self.entries
            .iter()
            .filter(|e| !places.iter().any(|p| e.lists(p)))
            .collect()
    }

    /// The verdict of the scenario at `place` that ran as `ran`, with the entry that lists it.
    pub fn judge(&self, place: &Place, ran: Ran) -> (Verdict, Option<&Entry>) {
        let entry = self.find(place);
        (Verdict::of(ran, entry.is_some()), entry)
    }
}

#[cfg(test)]
mod tests;
