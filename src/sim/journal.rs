//! A bounded record of the requests the simulated space received.
//!
//! Bounded so that a space serving for days keeps its memory flat; the oldest entries go first.

use std::collections::VecDeque;

use crate::spec::deviation::Deviation;

/// How many bytes of each request body the journal keeps.
pub const JOURNAL_BODY: usize = 4096;

/// How many requests the journal keeps before it forgets the oldest.
pub const JOURNAL_CAPACITY: usize = 1000;

/// How many deviations an entry keeps, and how long each of their texts may be: a body of
/// thousands of bad keys, or one huge value, cannot make an entry large.
pub const JOURNAL_DEVIATIONS: usize = 20;
/// See [`JOURNAL_DEVIATIONS`].
pub const JOURNAL_TEXT: usize = 256;

/// `text` cut to at most `max` bytes (at a character boundary), with a marker saying how long
/// it was.
fn cut(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let total = text.len();
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(&format!("… [cut: {total} bytes in all]"));
}

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
    /// The body as received, at most [`JOURNAL_BODY`] bytes of it, a cut marked.
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
    /// Records one request, cut to the journal's bounds (path and body at [`JOURNAL_BODY`],
    /// at most [`JOURNAL_DEVIATIONS`] deviations of [`JOURNAL_TEXT`] each, each cut marked),
    /// forgetting the oldest when full.
    pub fn record(&mut self, mut entry: JournalEntry) {
        cut(&mut entry.path, JOURNAL_BODY);
        cut(&mut entry.body, JOURNAL_BODY);
        let more = entry.deviations.len().saturating_sub(JOURNAL_DEVIATIONS);
        entry.deviations.truncate(JOURNAL_DEVIATIONS);
        for d in &mut entry.deviations {
            cut(&mut d.path, JOURNAL_TEXT);
            cut(&mut d.expected, JOURNAL_TEXT);
            cut(&mut d.actual, JOURNAL_TEXT);
        }
        if more > 0 {
            entry.deviations.push(Deviation {
                path: "(journal)".into(),
                expected: format!("at most {JOURNAL_DEVIATIONS} deviations kept"),
                actual: format!("{more} more, not kept"),
            });
        }
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

    #[test]
    fn an_entry_is_cut_to_its_bounds_and_says_so() {
        let mut journal = Journal::default();
        let huge = "é".repeat(JOURNAL_BODY);
        journal.record(JournalEntry {
            account: None,
            method: "POST".into(),
            path: huge.clone(),
            body: huge.clone(),
            status: 400,
            deviations: (0..100)
                .map(|i| Deviation {
                    path: format!("form K{i}"),
                    expected: "x".into(),
                    actual: huge.clone(),
                })
                .collect(),
        });
        let e = journal.entries().next().unwrap();
        assert!(e.body.len() < JOURNAL_BODY + 40 && e.body.ends_with(&format!("[cut: {} bytes in all]", huge.len())));
        assert!(e.path.len() < JOURNAL_BODY + 40);
        assert_eq!(e.deviations.len(), JOURNAL_DEVIATIONS + 1);
        assert!(e.deviations[0].actual.len() < JOURNAL_TEXT + 40);
        assert_eq!(e.deviations[JOURNAL_DEVIATIONS].actual, "80 more, not kept");
    }
}
