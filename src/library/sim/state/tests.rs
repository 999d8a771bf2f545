//! The space's eviction, its budget and its snapshot.

use super::*;

fn account(sid: &str) -> Account {
    Account {
        sid: sid.into(),
        credentials: Credentials::new(sid, "token"),
        conferences: HashMap::new(),
    }
}

#[test]
fn a_pinned_account_outlives_eviction_and_the_oldest_goes_first() {
    let mut space = Space::default();
    let kept = space.arrange_conference(&["a"]);
    space.pin(&kept.credentials.project_id);
    let oldest = space.arrange_conference(&["b"]);
    let next = space.arrange_conference(&["c"]);
    for i in 0..MAX_ACCOUNTS - 1 {
        space.add_account(account(&format!("x{i}")));
    }
    assert!(
        space.accounts.contains_key(&kept.credentials.project_id),
        "the pinned account"
    );
    assert!(
        !space.accounts.contains_key(&oldest.credentials.project_id),
        "the oldest is forgotten"
    );
    assert!(
        space.accounts.contains_key(&next.credentials.project_id),
        "only the oldest"
    );
    assert_eq!(space.accounts.len(), MAX_ACCOUNTS + 1);
    assert!(!space.can_take_new_account(), "every account was used just now");
    let filler = "x0".to_string();
    space.used.insert(filler.clone(), std::time::Instant::now() - IN_USE);
    assert!(space.can_take_new_account(), "one was not used for a while");
    space.touch(&filler);
    assert!(!space.can_take_new_account(), "a request uses it again");
}

#[test]
fn the_least_recently_used_account_is_forgotten_first() {
    let mut space = Space::default();
    space.add_account(account("first"));
    for i in 0..MAX_ACCOUNTS - 1 {
        space.add_account(account(&format!("x{i}")));
    }
    space.touch("first");
    space.add_account(account("one more"));
    assert!(space.accounts.contains_key("first"), "used just now");
    assert!(!space.accounts.contains_key("x0"), "the least recently used");
}

#[test]
fn an_account_added_again_is_counted_once() {
    let mut space = Space::default();
    space.add_account(account("a"));
    space.add_account(account("b"));
    space.add_account(account("a"));
    assert_eq!(space.order, ["b", "a"]);
    assert_eq!(space.accounts.len(), 2);
}

#[test]
fn a_snapshot_holds_every_participant_of_the_accounts_asked_and_no_other() {
    let mut space = Space::default();
    let asked = space.arrange_conference(&["a", "b"]);
    space.arrange_conference(&["c"]);
    let snapshot = space.snapshot(&[&asked.credentials.project_id]);
    let mut sids: Vec<&str> = snapshot.iter().map(|p| p["call_sid"].as_str().unwrap()).collect();
    sids.sort();
    let mut want: Vec<&str> = asked.participants.iter().map(|(_, s)| s.as_str()).collect();
    want.sort();
    assert_eq!(sids, want);
}
