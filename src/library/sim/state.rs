//! The simulated space's state: accounts own conferences, conferences own participants.
//!
//! The state is plain data; the rules that change it live in `rules.rs`, so a rule can be
//! read (and broken on purpose) without reading the HTTP plumbing.

use std::collections::HashMap;

use serde_json::Value;
use time::OffsetDateTime;

use crate::credentials::Credentials;
use crate::setup::ArrangedConference;
use crate::spec::Profile;

use super::participant::Participant;

/// How many accounts the space keeps; arranging one more forgets the oldest, so a space serving
/// for days keeps its memory flat.
pub const MAX_ACCOUNTS: usize = 10_000;

/// How long before they are arranged the participants joined: calls in a live conference joined
/// before anyone updates them, and a first update in a later second than the join is what lets
/// a `date_updated` that never moves be caught without waiting for the clock.
pub const JOINED_BEFORE: time::Duration = time::Duration::minutes(1);

/// How long after its last use an account counts as in use, and is never forgotten.
pub const IN_USE: std::time::Duration = std::time::Duration::from_secs(600);

/// How many conferences one account may hold; arranging more is refused.
pub const MAX_CONFERENCES_PER_ACCOUNT: usize = 100;

/// How many accounts, conferences and participants the space holds together, each counting
/// one: with every value an update may set bounded (`rules::MAX_VALUE`), this bounds the
/// state's memory (about 4 KiB a participant at worst, three URLs of 1 KiB and a long name:
/// 20 MiB in all, measured; a few hundred bytes as the suite uses them). A setup request beyond it makes room by forgetting
/// accounts not used for [`IN_USE`], and is refused (503, `Retry-After`) when every account
/// was used since: an account in use is never forgotten for another's.
pub const SPACE_BUDGET: usize = 5_000;

/// The current time at the resolution of an RFC 2822 date: what the space stamps a join and
/// an update with.
pub fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(0).unwrap_or(t)
}

/// Why an arrangement did not fit: every account that could make room is in use, and the
/// first of them stops being in use after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full {
    /// When to ask again.
    pub retry_after: std::time::Duration,
}

/// What one account holds of [`SPACE_BUDGET`]: itself, its conferences and their participants.
fn units_of(account: &Account) -> usize {
    1 + account
        .conferences
        .values()
        .map(|c| 1 + c.participants.len())
        .sum::<usize>()
}

/// Every account of the space, by sid, and the generation of the documentation it serves.
#[derive(Debug)]
pub struct Space {
    /// Accounts by AccountSid (the project id).
    pub accounts: HashMap<String, Account>,
    /// Account sids in the order they were arranged, oldest first (pinned ones left out).
    order: std::collections::VecDeque<String>,
    /// When each account was last arranged or used by an authenticated request.
    used: HashMap<String, std::time::Instant>,
    /// The generation it answers as: its ids, fields, statuses and paths.
    pub profile: &'static Profile,
    /// How it writes the ids it makes: the profile's, unless a fault says otherwise.
    pub ids: crate::spec::profile::IdFormat,
    /// How it writes the call sids it makes: the profile's, unless a fault says otherwise.
    pub call_ids: crate::spec::profile::IdFormat,
}

impl Default for Space {
    fn default() -> Self {
        Space::serving(Profile::seed())
    }
}

impl Space {
    /// A fresh id of the kind `kind` (`AC`, `CF`, `CA`), in the format the space writes.
    fn fresh_id(&self, kind: &str) -> String {
        let format = if kind == "CA" { self.call_ids } else { self.ids };
        format.fresh(self.profile.id_prefix(format, kind))
    }

    /// An empty space that answers as `profile` documents.
    pub fn serving(profile: &'static Profile) -> Self {
        Space {
            accounts: HashMap::new(),
            order: Default::default(),
            used: HashMap::new(),
            profile,
            ids: profile.ids,
            call_ids: profile.id_format("CA"),
        }
    }

    /// Seeds a fresh account with one running conference whose participants have these names;
    /// every id is fresh (in the profile's format), so arrangements never share state. In
    /// process (a run's own arrangements), room is made by forgetting the least recently used
    /// accounts, in use or not.
    pub fn arrange_conference(&mut self, names: &[&str]) -> ArrangedConference {
        let _ = self.make_room(2 + names.len(), true, None, true);
        let sid = self.fresh_id("AC");
        let credentials = Credentials::throwaway(sid.clone(), uuid::Uuid::new_v4().simple().to_string());
        self.add_account(Account {
            sid: sid.clone(),
            credentials,
            conferences: HashMap::new(),
        });
        self.arrange_conference_in(&sid, names)
            .expect("the account was added just above")
    }

    /// How much of [`SPACE_BUDGET`] the space holds.
    pub fn units(&self) -> usize {
        self.accounts.values().map(units_of).sum()
    }

    /// Makes room for `units` more of the budget (and one more account if `new_account`) by
    /// forgetting the least recently used unpinned accounts other than `keep`; only those not
    /// used for [`IN_USE`] unless `evict_in_use` (the in-process arrangements of a run, which
    /// are trusted). `Err` when that is not enough.
    fn make_room(
        &mut self,
        units: usize,
        new_account: bool,
        keep: Option<&str>,
        evict_in_use: bool,
    ) -> Result<(), Full> {
        let mut held = self.units();
        loop {
            let over_budget = held + units > SPACE_BUDGET;
            let over_accounts = new_account && self.order.len() >= MAX_ACCOUNTS;
            if !over_budget && !over_accounts {
                return Ok(());
            }
            let idle = |at: Option<&std::time::Instant>| evict_in_use || at.is_none_or(|at| at.elapsed() >= IN_USE);
            let least = self
                .order
                .iter()
                .enumerate()
                .filter(|(_, sid)| Some(sid.as_str()) != keep && idle(self.used.get(*sid)))
                .min_by_key(|(_, sid)| self.used.get(*sid).copied())
                .map(|(i, _)| i);
            let Some(sid) = least.and_then(|i| self.order.remove(i)) else {
                let soonest = self
                    .order
                    .iter()
                    .filter(|sid| Some(sid.as_str()) != keep)
                    .filter_map(|sid| self.used.get(sid))
                    .map(|at| IN_USE.saturating_sub(at.elapsed()))
                    .min()
                    .unwrap_or(IN_USE);
                return Err(Full {
                    retry_after: soonest.max(std::time::Duration::from_secs(1)),
                });
            };
            self.used.remove(&sid);
            if let Some(gone) = self.accounts.remove(&sid) {
                held -= units_of(&gone);
            }
        }
    }

    /// Seeds a fresh account with one running conference, as the setup endpoint asks: within
    /// [`SPACE_BUDGET`] and [`MAX_ACCOUNTS`], forgetting only accounts not in use.
    pub fn try_arrange_conference(&mut self, names: &[&str]) -> Result<ArrangedConference, Full> {
        self.make_room(2 + names.len(), true, None, false)?;
        Ok(self.arrange_conference(names))
    }

    /// Seeds one more conference in an existing account, as the setup endpoint asks: `Ok(None)`
    /// if there is no such account or it holds [`MAX_CONFERENCES_PER_ACCOUNT`], `Err` if the
    /// budget has no room without forgetting an account in use.
    pub fn try_arrange_conference_in(
        &mut self,
        account_sid: &str,
        names: &[&str],
    ) -> Result<Option<ArrangedConference>, Full> {
        match self.accounts.get(account_sid) {
            Some(a) if a.conferences.len() < MAX_CONFERENCES_PER_ACCOUNT => {}
            _ => return Ok(None),
        }
        self.make_room(1 + names.len(), false, Some(account_sid), false)?;
        Ok(self.arrange_conference_in(account_sid, names))
    }

    /// Keeps an account out of the eviction order, for the one `serve` prints.
    pub fn pin(&mut self, account_sid: &str) {
        self.order.retain(|sid| sid != account_sid);
    }

    /// Adds an account, forgetting the least recently used (unpinned) one beyond
    /// [`MAX_ACCOUNTS`]. Callers from outside ask [`Space::can_take_new_account`] first, so an
    /// account in use is never the one forgotten.
    pub fn add_account(&mut self, account: Account) {
        if self.accounts.contains_key(&account.sid) {
            self.order.retain(|sid| sid != &account.sid);
        }
        while self.order.len() >= MAX_ACCOUNTS {
            let least = self
                .order
                .iter()
                .enumerate()
                .min_by_key(|(_, sid)| self.used.get(*sid).copied())
                .map(|(i, _)| i);
            if let Some(sid) = least.and_then(|i| self.order.remove(i)) {
                self.accounts.remove(&sid);
                self.used.remove(&sid);
            }
        }
        self.order.push_back(account.sid.clone());
        self.used.insert(account.sid.clone(), std::time::Instant::now());
        self.accounts.insert(account.sid.clone(), account);
    }

    /// Forgets an account and everything it holds, at its holder's word (the setup endpoint's
    /// release); false if there was none. A run that arranges a fresh account for each of
    /// thousands of sequences gives each back, and never meets the budget.
    pub fn forget(&mut self, account_sid: &str) -> bool {
        // the account released is most often the newest: looked for from the back
        if let Some(i) = self.order.iter().rposition(|sid| sid == account_sid) {
            self.order.remove(i);
        }
        self.used.remove(account_sid);
        self.accounts.remove(account_sid).is_some()
    }

    /// Records that an account was just used, so it is the last to be forgotten.
    pub fn touch(&mut self, account_sid: &str) {
        if let Some(at) = self.used.get_mut(account_sid) {
            *at = std::time::Instant::now();
        }
    }

    /// Whether one more account fits without forgetting one used within [`IN_USE`]: the setup
    /// endpoint refuses a new account rather than take a live one from its caller.
    pub fn can_take_new_account(&self) -> bool {
        self.order.len() < MAX_ACCOUNTS
            || self
                .order
                .iter()
                .any(|sid| self.used.get(sid).is_none_or(|at| at.elapsed() >= IN_USE))
    }

    /// Seeds one more running conference in an existing account (two conferences of one
    /// account); `None` if there is no such account or it holds [`MAX_CONFERENCES_PER_ACCOUNT`].
    pub fn arrange_conference_in(&mut self, account_sid: &str, names: &[&str]) -> Option<ArrangedConference> {
        let conference_sid = self.fresh_id("CF");
        let participants = names.iter().map(|n| (n.to_string(), self.fresh_id("CA"))).collect();
        self.arrange_conference_as(account_sid, conference_sid, participants)
    }

    /// The same with the given sids: for a space that mirrors another's (explore's reference
    /// model, arranged with the sids its target made).
    pub fn arrange_conference_as(
        &mut self,
        account_sid: &str,
        conference_sid: String,
        participants: Vec<(String, String)>,
    ) -> Option<ArrangedConference> {
        if self.accounts.get(account_sid)?.conferences.len() >= MAX_CONFERENCES_PER_ACCOUNT {
            return None;
        }
        let now = now();
        let conference = Conference {
            sid: conference_sid.clone(),
            status: ConferenceStatus::InProgress,
            participants: participants
                .iter()
                .map(|(name, sid)| Participant::joined(sid.clone(), now - JOINED_BEFORE, self.profile).labelled(name))
                .collect(),
        };
        let account = self.accounts.get_mut(account_sid)?;
        account.conferences.insert(conference_sid.clone(), conference);
        Some(ArrangedConference {
            credentials: account.credentials.clone(),
            conference_sid,
            participants,
        })
    }

    /// Ends a conference: its participants stay readable but refuse updates (code 10000).
    /// Returns false if there is no such conference.
    pub fn complete_conference(&mut self, account_sid: &str, conference_sid: &str) -> bool {
        let conference = self
            .accounts
            .get_mut(account_sid)
            .and_then(|a| a.conferences.get_mut(conference_sid));
        match conference {
            Some(c) => {
                c.status = ConferenceStatus::Completed;
                true
            }
            None => false,
        }
    }

    /// Every participant of these accounts as JSON, sorted: two equal snapshots mean that
    /// nothing changed there, which is how tests prove a refused request changed nothing.
    pub fn snapshot(&self, accounts: &[&str]) -> Vec<Value> {
        let mut all: Vec<Value> = accounts
            .iter()
            .filter_map(|sid| self.accounts.get(*sid))
            .flat_map(|a| {
                a.conferences.values().flat_map(move |c| {
                    c.participants
                        .iter()
                        .map(move |p| p.to_json(&a.sid, &c.sid, self.profile))
                })
            })
            .collect();
        all.sort_by_key(|v| v.to_string());
        all
    }
}

/// One account (a project): its token and its conferences.
#[derive(Debug)]
pub struct Account {
    /// The project id, which is also the AccountSid.
    pub sid: String,
    /// The API token (kept as a [`crate::credentials::Secret`] so the state can be printed).
    pub credentials: Credentials,
    /// Conferences by ConferenceSid.
    pub conferences: HashMap<String, Conference>,
}

/// Whether a conference still runs; a completed one refuses updates (code 10000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConferenceStatus {
    /// Calls are connected; participants can be updated.
    InProgress,
    /// The conference ended; its participants can be read but not changed.
    Completed,
}

/// One conference and the participants in it, in the order they joined.
#[derive(Debug)]
pub struct Conference {
    /// The ConferenceSid.
    pub sid: String,
    /// Running or ended.
    pub status: ConferenceStatus,
    /// Participants in joining order.
    pub participants: Vec<Participant>,
}

impl Conference {
    /// The participant with this call sid, if it is in the conference.
    pub fn participant(&self, call_sid: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.call_sid == call_sid)
    }

    /// The participant a path's `CallSid` names: by its call sid, or by its label where
    /// `by_label` (Twilio's `…ByLabel` examples); a sid wins over a label that reads the same.
    pub fn find(&self, call_sid_or_label: &str, by_label: bool) -> Option<&Participant> {
        self.participant(call_sid_or_label).or_else(|| {
            by_label
                .then(|| {
                    self.participants
                        .iter()
                        .find(|p| p.label.as_deref() == Some(call_sid_or_label))
                })
                .flatten()
        })
    }

    /// The participant with this call sid, to change it.
    pub fn participant_mut(&mut self, call_sid: &str) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| p.call_sid == call_sid)
    }
}

#[cfg(test)]
mod tests;
