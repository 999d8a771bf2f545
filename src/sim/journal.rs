//! A bounded record of the requests the simulated space received.
//!
//! Bounded so that a space serving for days keeps its memory flat; the oldest entries go first.

use std::collections::VecDeque;

use crate::spec::deviation::Deviation;

/// How many bytes of each request body the journal keeps.
pub const JOURNAL_BODY: usize = 4096;

/// How many requests the journal keeps before it forgets the oldest.
pub const JOURNAL_CAPACITY: usize = 1000;

/// One request as received (never its `Authorization` header), the status it was answered
/// with, and its verdict: how it deviates from the documented request, empty if it conforms.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JournalEntry {
    /// The account in the path, if the path names one: the journal shows each account only its
    /// own requests.
    pub account: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The body as received, at most [`JOURNAL_BODY`] bytes of it.
    pub body: String,
    /// The status answered.
    pub status: u16,
    /// How the request deviates from the documentation; empty when it conforms.
    pub deviations: Vec<Deviation>,
}

impl JournalEntry {
    /// Whether the request conformed to the documentation.
    pub fn conforms(&self) -> bool {
        self.deviations.is_empty()
    }
}

/// The last [`JOURNAL_CAPACITY`] requests, oldest first.
#[derive(Debug, Default)]
pub struct Journal {
    entries: VecDeque<JournalEntry>,
}

impl Journal {
    /// Records one request, forgetting the oldest when full.
    pub fn record(&mut self, entry: JournalEntry) {
        if self.entries.len() == JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The entries kept, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &JournalEntry> {
        self.entries.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_newest() {
        let mut j = Journal::default();
        for i in 0..JOURNAL_CAPACITY + 5 {
            j.record(JournalEntry {
                account: None,
                method: "GET".into(),
                path: i.to_string(),
                body: String::new(),
                status: 200,
                deviations: vec![],
            });
        }
        assert_eq!(j.entries().count(), JOURNAL_CAPACITY);
        assert_eq!(j.entries().next().unwrap().path, "5");
    }
}
