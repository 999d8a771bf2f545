//! What the lanes of a run learn of the target's accounts. A setup endpoint may hand out a
//! fresh account for each sequence and take it back after it (`serve`), or one account for
//! everything (the user's, or a test account of its own), or a few in turn: an account is given
//! back only where it is known to be one sequence's own.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use laml_conformance::setup::ArrangedConference;

/// What the lanes of a run learn of the target's accounts: whether each sequence's is given
/// back, and the accounts handed out lately, to any lane.
#[derive(Debug)]
pub struct Accounts {
    pub releasing: Cell<Releasing>,
    seen: RefCell<VecDeque<String>>,
}

/// How many of the accounts handed out last are remembered: an account handed out again is
/// no sequence's own (a pool in turn, the user's), whichever lane it went to.
const SEEN: usize = 64;

impl Accounts {
    /// Nothing known yet, or, where `never`, no account to give back (shared participants).
    pub fn new(never: bool) -> Self {
        Accounts {
            releasing: Cell::new(if never { Releasing::No } else { Releasing::Untried }),
            seen: RefCell::new(VecDeque::new()),
        }
    }

    /// Notes the account `arranged` is in; once one is handed out again, none is given back.
    pub fn note(&self, arranged: &ArrangedConference) {
        let account = &arranged.credentials.project_id;
        let mut seen = self.seen.borrow_mut();
        if seen.contains(account) {
            self.releasing.set(Releasing::No);
            return;
        }
        if seen.len() == SEEN {
            seen.pop_front();
        }
        seen.push_back(account.clone());
    }
}

/// Whether each sequence's account is given back after it. A setup endpoint may hand out one
/// account for everything (the user's, or a test account of its own): giving it back would
/// wipe the next sequence's conference and what else lives there. So an account is given back
/// only once the next sequence's came in another account, and no longer once one is handed
/// out again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Releasing {
    /// Not known yet: no two arrangements in a row have been seen.
    Untried,
    /// The target takes accounts back, and hands out a fresh one each time.
    Yes,
    /// Never: a configured conference, a setup endpoint without the release, an account the
    /// user's, or one handed out twice.
    No,
}
