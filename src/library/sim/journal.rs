//! A bounded record of the requests the simulated space received, one journal per account.
//!
//! Bounded so that a space serving for days keeps its memory flat whatever its clients send:
//! - an entry is built from capped copies of the request (never a whole body cut afterwards:
//!   a cut `String` or `Vec` keeps the capacity of what it held, which is how 1,000 junk bodies
//!   of 64 KiB once held 2.4 GB);
//! - each account's journal keeps at most [`JOURNAL_CAPACITY`] entries and
//!   [`JOURNAL_ACCOUNT_BYTES`], its oldest going first;
//! - all journals together keep at most [`JOURNAL_BYTES`]; beyond it, the journal that holds
//!   the most loses its oldest entries, so one account's traffic pushes out its own entries,
//!   never those of an account that sends less;
//! - a request is journalled only to the account its credentials prove: one without valid
//!   credentials (or with another's path) cannot fill anyone's journal.

use std::collections::{HashMap, VecDeque};

use crate::spec::deviation::Deviation;

/// How many bytes of each request body, and of its path and query, the journal keeps.
pub const JOURNAL_BODY: usize = 4096;

/// How many requests one account's journal keeps before it forgets its oldest.
pub const JOURNAL_CAPACITY: usize = 1000;

/// How many bytes (as estimated by the entries' allocations) one account's journal keeps.
pub const JOURNAL_ACCOUNT_BYTES: usize = 1 << 20;

/// How many bytes all journals together keep.
pub const JOURNAL_BYTES: usize = 8 << 20;

/// How many deviations an entry keeps, and how long each of their texts may be: a body of
/// thousands of bad keys, or one huge value, cannot make an entry large.
pub const JOURNAL_DEVIATIONS: usize = 20;
/// See [`JOURNAL_DEVIATIONS`].
pub const JOURNAL_TEXT: usize = 256;

/// A copy of at most `max` bytes of `text` (cut at a character boundary, the cut marked with
/// how long it was), allocated at its own size.
fn capped(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut copy = format!("{}… [cut: {} bytes in all]", &text[..end], text.len());
    copy.shrink_to_fit();
    copy
}

/// One request as received (never its `Authorization` header), the status it was answered
/// with, and its verdict: how it deviates from the documented request, empty if it conforms.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JournalEntry {
    /// The account whose credentials the request carried: the journal it is kept in, and
    /// the only account shown it.
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
    /// The order entries were recorded in, across accounts.
    #[serde(skip)]
    seq: u64,
}

impl JournalEntry {
    /// An entry built from capped copies of what arrived: the path (with its query) and the
    /// body at [`JOURNAL_BODY`] bytes, at most [`JOURNAL_DEVIATIONS`] deviations of
    /// [`JOURNAL_TEXT`] per text, each cut marked. Nothing of the request is copied whole.
    pub fn capped(
        account: Option<String>,
        method: &str,
        path: &str,
        query: Option<&str>,
        body: &[u8],
        status: u16,
        deviations: Vec<Deviation>,
    ) -> Self {
        let path = match query {
            Some(q) => capped(
                &format!("{}?{}", capped(path, JOURNAL_BODY), capped(q, JOURNAL_BODY)),
                JOURNAL_BODY,
            ),
            None => capped(path, JOURNAL_BODY),
        };
        let head = &body[..body.len().min(JOURNAL_BODY)];
        let mut text = capped(&String::from_utf8_lossy(head), JOURNAL_BODY);
        if body.len() > JOURNAL_BODY && !text.contains("[cut: ") {
            text.push_str(&format!("… [cut: {} bytes in all]", body.len()));
            text.shrink_to_fit();
        }
        let more = deviations.len().saturating_sub(JOURNAL_DEVIATIONS);
        let mut kept: Vec<Deviation> = Vec::with_capacity(JOURNAL_DEVIATIONS.min(deviations.len()) + 1);
        kept.extend(deviations.iter().take(JOURNAL_DEVIATIONS).map(|d| Deviation {
            path: capped(&d.path, JOURNAL_TEXT),
            expected: capped(&d.expected, JOURNAL_TEXT),
            actual: capped(&d.actual, JOURNAL_TEXT),
        }));
        if more > 0 {
            kept.push(Deviation {
                path: "(journal)".into(),
                expected: format!("at most {JOURNAL_DEVIATIONS} deviations kept"),
                actual: format!("{more} more, not kept"),
            });
        }
        JournalEntry {
            account,
            method: capped(method, 32),
            path,
            body: text,
            status,
            deviations: kept,
            seq: 0,
        }
    }

    /// Whether the request conformed to the documentation.
    pub fn conforms(&self) -> bool {
        self.deviations.is_empty()
    }

    /// The bytes the entry holds, its allocations included: what the budgets count.
    fn weight(&self) -> usize {
        let strings = [&self.method, &self.path, &self.body]
            .iter()
            .map(|s| s.capacity())
            .sum::<usize>()
            + self.account.as_ref().map_or(0, String::capacity);
        let deviations = self.deviations.capacity() * std::mem::size_of::<Deviation>()
            + self
                .deviations
                .iter()
                .map(|d| d.path.capacity() + d.expected.capacity() + d.actual.capacity())
                .sum::<usize>();
        std::mem::size_of::<Self>() + strings + deviations
    }
}

/// One account's entries, oldest first, and the bytes they hold.
#[derive(Debug, Default)]
struct AccountJournal {
    entries: VecDeque<JournalEntry>,
    bytes: usize,
}

impl AccountJournal {
    fn pop_oldest(&mut self) -> usize {
        let freed = self.entries.pop_front().map_or(0, |e| e.weight());
        self.bytes -= freed;
        freed
    }
}

/// The journals of every account, each bounded, and all of them bounded together.
#[derive(Debug, Default)]
pub struct Journal {
    accounts: HashMap<String, AccountJournal>,
    bytes: usize,
    next: u64,
}

impl Journal {
    /// Records one entry in the journal of its account, forgetting that journal's oldest
    /// beyond [`JOURNAL_CAPACITY`] or [`JOURNAL_ACCOUNT_BYTES`], and the oldest of the largest
    /// journal beyond [`JOURNAL_BYTES`]. An entry of no account is not kept: no one could be
    /// shown it, and anyone could send it.
    pub fn record(&mut self, mut entry: JournalEntry) {
        let Some(account) = entry.account.clone() else {
            return;
        };
        entry.seq = self.next;
        self.next += 1;
        let weight = entry.weight();
        let own = self.accounts.entry(account).or_default();
        while !own.entries.is_empty()
            && (own.entries.len() >= JOURNAL_CAPACITY || own.bytes + weight > JOURNAL_ACCOUNT_BYTES)
        {
            self.bytes -= own.pop_oldest();
        }
        own.bytes += weight;
        self.bytes += weight;
        own.entries.push_back(entry);
        while self.bytes > JOURNAL_BYTES {
            let Some((sid, largest)) = self.accounts.iter_mut().max_by_key(|(_, j)| j.bytes) else {
                break;
            };
            self.bytes -= largest.pop_oldest();
            if largest.entries.is_empty() {
                let sid = sid.clone();
                self.accounts.remove(&sid);
            }
        }
    }

    /// One account's entries, oldest first.
    pub fn of(&self, account: &str) -> impl Iterator<Item = &JournalEntry> {
        self.accounts.get(account).into_iter().flat_map(|j| j.entries.iter())
    }

    /// Every entry kept, oldest first, across accounts.
    pub fn entries(&self) -> Vec<&JournalEntry> {
        let mut all: Vec<&JournalEntry> = self.accounts.values().flat_map(|j| j.entries.iter()).collect();
        all.sort_by_key(|e| e.seq);
        all
    }

    /// Forgets one account's entries (the account was released).
    pub fn forget(&mut self, account: &str) {
        if let Some(gone) = self.accounts.remove(account) {
            self.bytes -= gone.bytes;
        }
    }

    /// The bytes all journals hold, as the budgets count them.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(account: &str, path: &str, body: &[u8]) -> JournalEntry {
        JournalEntry::capped(Some(account.into()), "POST", path, None, body, 200, vec![])
    }

    #[test]
    fn keeps_only_the_newest() {
        let mut j = Journal::default();
        for i in 0..JOURNAL_CAPACITY + 5 {
            j.record(entry("AC1", &i.to_string(), b""));
        }
        assert_eq!(j.of("AC1").count(), JOURNAL_CAPACITY);
        assert_eq!(j.of("AC1").next().unwrap().path, "5");
    }

    #[test]
    fn an_entry_is_a_capped_copy_and_says_so() {
        let huge = "é".repeat(JOURNAL_BODY);
        let e = JournalEntry::capped(
            Some("AC1".into()),
            "POST",
            &huge,
            Some(&huge),
            huge.as_bytes(),
            400,
            (0..100)
                .map(|i| Deviation {
                    path: format!("form K{i}"),
                    expected: "x".into(),
                    actual: huge.clone(),
                })
                .collect(),
        );
        assert!(e.body.len() < JOURNAL_BODY + 40, "{}", e.body.len());
        assert!(
            e.body.ends_with(&format!("[cut: {} bytes in all]", huge.len())),
            "{}",
            &e.body[e.body.len() - 40..]
        );
        assert!(e.path.len() < JOURNAL_BODY + 40);
        assert_eq!(e.deviations.len(), JOURNAL_DEVIATIONS + 1);
        assert!(e.deviations[0].actual.len() < JOURNAL_TEXT + 40);
        assert_eq!(e.deviations[JOURNAL_DEVIATIONS].actual, "80 more, not kept");
        // copies, not cut originals: no text holds the capacity of what it was cut from
        assert!(e.body.capacity() < JOURNAL_BODY + 64, "{}", e.body.capacity());
        assert!(e.deviations.capacity() <= JOURNAL_DEVIATIONS + 1);
        assert!(e.weight() < 4 * JOURNAL_BODY + (JOURNAL_DEVIATIONS + 1) * 3 * (JOURNAL_TEXT + 64));
    }

    #[test]
    fn a_request_of_no_account_is_not_kept() {
        let mut j = Journal::default();
        j.record(JournalEntry::capped(None, "POST", "/x", None, b"x", 401, vec![]));
        assert!(j.entries().is_empty());
        assert_eq!(j.bytes(), 0);
    }

    #[test]
    fn one_account_s_flood_pushes_out_its_own_entries_only() {
        let mut j = Journal::default();
        j.record(entry("quiet", "/mine", b"Muted=true"));
        let junk = vec![b'x'; 64 * 1024];
        for i in 0..20_000 {
            j.record(entry(&format!("flood{}", i % 40), "/junk", &junk));
        }
        assert!(j.bytes() <= JOURNAL_BYTES, "{} bytes", j.bytes());
        for i in 0..40 {
            let flood = j.accounts.get(&format!("flood{i}")).map_or(0, |a| a.bytes);
            assert!(flood <= JOURNAL_ACCOUNT_BYTES, "flood{i}: {flood}");
        }
        assert_eq!(j.of("quiet").count(), 1, "the quiet account's journal was pushed out");
        let counted: usize = j.accounts.values().map(|a| a.bytes).sum();
        assert_eq!(counted, j.bytes());
    }
}
