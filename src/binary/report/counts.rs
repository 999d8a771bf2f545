//! Scenarios counted by verdict, for the totals of every report.

use crate::child::Verdict;

/// Scenarios by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Passed.
    pub passed: usize,
    /// Failed (and not listed in the ledger of known divergences).
    pub failed: usize,
    /// Skipped.
    pub skipped: usize,
    /// Failed as the ledger of known divergences expects.
    pub known: usize,
    /// Listed in the ledger of known divergences, and passed.
    pub fixed: usize,
}

impl Counts {
    /// How many of `verdicts` are of each.
    pub fn of(verdicts: impl Iterator<Item = Verdict>) -> Counts {
        verdicts.fold(Counts::default(), |mut c, v| {
            match v {
                Verdict::Passed => c.passed += 1,
                Verdict::Failed => c.failed += 1,
                Verdict::Skipped => c.skipped += 1,
                Verdict::Known => c.known += 1,
                Verdict::Fixed => c.fixed += 1,
            }
            c
        })
    }

    /// All of them.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped + self.known + self.fixed
    }

    /// Whether a scenario fails the run: one failed, or one the ledger lists passed.
    pub fn failing(&self) -> bool {
        self.failed > 0 || self.fixed > 0
    }

    /// How the scenarios went, in one line: what fails the run first (failed, else fixed
    /// scenarios), then the others that did not pass.
    pub fn headline(&self) -> String {
        let c = self;
        let total = c.total();
        let others = |parts: &[(usize, &str)]| -> String {
            parts
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, word)| format!(", {n} {word}"))
                .collect()
        };
        if c.failed > 0 {
            let rest = others(&[(c.fixed, "fixed"), (c.known, "known"), (c.skipped, "skipped")]);
            format!("{} of {total} scenarios failed{rest}", c.failed)
        } else if c.fixed > 0 {
            let rest = others(&[(c.known, "known"), (c.skipped, "skipped")]);
            format!(
                "{} of {total} scenarios fixed: remove them from the ledger{rest}",
                c.fixed
            )
        } else {
            let rest = others(&[(c.known, "known"), (c.skipped, "skipped")]);
            format!("{} of {total} scenarios passed{rest}", c.passed)
        }
    }
}
