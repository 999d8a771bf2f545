//! One profile's matrix: its rows, each with the scenarios that send it, the steps that judge
//! it, and its verdict.

use std::collections::BTreeMap;

use laml_conformance::spec::profile::Profile;

use super::rows::{Row, rows};
use super::walk::{ScenarioRef, StepRef, Walk};

/// Where a row stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No step judges it and the profile gives no reason: a scenario is missing.
    Unjudged,
    /// No step judges it, on purpose, for this reason.
    OutOfScope(String),
    /// A step judges it.
    Judged,
    /// A step judges it although the profile says it is out of scope: the reason is stale.
    JudgedButOutOfScope(String),
}

impl Verdict {
    /// Whether `coverage --check` fails on it.
    pub fn fails_check(&self) -> bool {
        matches!(self, Verdict::Unjudged | Verdict::JudgedButOutOfScope(_))
    }

    /// The order of the matrix: what needs a scenario first.
    fn rank(&self) -> u8 {
        match self {
            Verdict::Unjudged => 0,
            Verdict::JudgedButOutOfScope(_) => 1,
            Verdict::OutOfScope(_) => 2,
            Verdict::Judged => 3,
        }
    }
}

/// One row and what covers it.
#[derive(Debug, Clone)]
pub struct Line {
    /// The documented item.
    pub row: Row,
    /// Where it stands.
    pub verdict: Verdict,
    /// The scenarios that send it.
    pub sent_by: Vec<ScenarioRef>,
    /// The `Then` steps that judge it.
    pub judged_by: Vec<StepRef>,
}

/// A profile's matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// The profile's name.
    pub profile: String,
    /// How many scenarios run under it.
    pub scenarios: usize,
    /// Its rows, those no step judges first, then in the profile's order.
    pub lines: Vec<Line>,
}

impl Matrix {
    /// The matrix of `profile` from a walk of the features under it, with the reasons of its
    /// out-of-scope rows.
    pub fn new(profile: &Profile, walk: &Walk, out_of_scope: &BTreeMap<String, String>) -> Matrix {
        let mut lines: Vec<Line> = rows(profile)
            .into_iter()
            .map(|row| {
                let sent_by: Vec<ScenarioRef> = walk.sends.get(&row.item).into_iter().flatten().cloned().collect();
                let judged_by: Vec<StepRef> = walk.judges.get(&row.item).into_iter().flatten().cloned().collect();
                let reason = out_of_scope.get(&row.item.to_string()).cloned();
                let verdict = match (judged_by.is_empty(), reason) {
                    (true, None) => Verdict::Unjudged,
                    (true, Some(r)) => Verdict::OutOfScope(r),
                    (false, None) => Verdict::Judged,
                    (false, Some(r)) => Verdict::JudgedButOutOfScope(r),
                };
                Line {
                    row,
                    verdict,
                    sent_by,
                    judged_by,
                }
            })
            .collect();
        lines.sort_by_key(|l| l.verdict.rank());
        Matrix {
            profile: profile.name.clone(),
            scenarios: walk.scenarios,
            lines,
        }
    }

    /// The rows `coverage --check` fails on.
    pub fn failing(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.verdict.fails_check())
    }
}

#[cfg(test)]
mod tests {
    use laml_conformance::spec::profile::PROFILES;

    use super::*;

    #[test]
    fn every_out_of_scope_reason_names_one_of_its_profile_s_rows() {
        for p in PROFILES.iter() {
            let ids: Vec<String> = rows(p).iter().map(|r| r.item.to_string()).collect();
            for (id, reason) in &p.out_of_scope {
                assert!(ids.contains(id), "{}: out_of_scope names {id}, which is no row", p.name);
                assert!(!reason.trim().is_empty(), "{}: {id} needs its reason", p.name);
            }
        }
        assert!(
            PROFILES.iter().any(|p| !p.out_of_scope.is_empty()),
            "the profiles' out_of_scope maps are read"
        );
    }
}
