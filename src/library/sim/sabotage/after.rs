//! After the model answered: a fault alters the state the model left, and the answer is
//! rendered again from it.

use serde_json::Value;

use super::{Before, Place, Rewritten};
use crate::sim::faults::Fault;
use crate::sim::http::SimResponse;
use crate::sim::participant::Participant;
use crate::sim::rules::{self, Update};
use crate::sim::state::{self, ConferenceStatus, Space};
use crate::spec::Profile;

/// The faults that alter what the model left behind, and the answer rendered from it.
pub(super) fn update(
    fault: Fault,
    space: &mut Space,
    request: &Rewritten,
    at: &Place,
    before: &Before,
    response: &mut SimResponse,
) {
    let profile = space.profile;
    let Some(account) = space.accounts.get_mut(&at.account) else {
        return;
    };
    let Some(conf) = account.conferences.get_mut(&at.conference) else {
        return;
    };
    if before.reopened {
        conf.status = ConferenceStatus::Completed;
    }
    let (Some(call), Some(was)) = (&at.call, &before.participant) else {
        return;
    };
    if request.method != "POST" {
        return;
    }
    let form = request.form().unwrap_or_default();
    if response.status != 200 {
        if fault == Fault::RefusedUpdatePartlyApplied
            && let Some(p) = conf.participant_mut(call)
        {
            apply_each(p, &form, was, profile);
        }
        return;
    }
    let update = rules::parse_update(&form, profile).unwrap_or_default();
    let now = state::now();
    if fault == Fault::StateLeaksAcrossConferences {
        for other in account.conferences.values_mut().filter(|c| c.sid != at.conference) {
            if let Some(p) = other.participants.get_mut(before.index) {
                rules::apply(p, update.clone(), now);
            }
        }
        return;
    }
    let Some(conf) = account.conferences.get_mut(&at.conference) else {
        return;
    };
    if fault == Fault::WrongParticipantUpdated && conf.participants.len() > 1 {
        let next = (before.index + 1) % conf.participants.len();
        let updated = conf.participants[before.index].date_updated;
        conf.participants[before.index] = Participant {
            date_updated: updated,
            ..was.clone()
        };
        rules::apply(&mut conf.participants[next], update.clone(), now);
    }
    let Some(p) = conf.participant_mut(call) else { return };
    alter(fault, p, was, &update, before);
    response.body = Some(p.to_json(&at.account, &at.conference, profile));
    if fault == Fault::HoldNotPersisted {
        p.hold = was.hold;
    }
    if fault == Fault::EndConferenceOnExitNotStored {
        p.end_conference_on_exit = was.end_conference_on_exit;
    }
}

/// A refused update applied parameter by parameter, each that the model reads alone: the
/// values change, the date does not (what a reader sees does not depend on whether a second
/// passed since the last update).
fn apply_each(p: &mut Participant, form: &[(String, String)], was: &Participant, profile: &Profile) {
    for pair in form {
        if let Ok(one) = rules::parse_update(std::slice::from_ref(pair), profile) {
            rules::apply(p, one, state::now());
            p.date_updated = was.date_updated;
        }
    }
}

/// The faults that alter the participant an update changed, from what it was before.
fn alter(fault: Fault, p: &mut Participant, was: &Participant, update: &Update, before: &Before) {
    match fault {
        Fault::IgnoreMuted => p.muted = was.muted,
        Fault::AnnounceUnmutes if update.announce_url.is_some() => p.muted = false,
        Fault::StopCoachingKeepsTarget if update.coaching == Some(false) => {
            p.call_sid_to_coach = was.call_sid_to_coach.clone();
        }
        Fault::CoachingWithoutTarget if update.call_sid_to_coach.is_some() => {
            p.call_sid_to_coach = was.call_sid_to_coach.clone();
        }
        Fault::CoachingWithoutCallSidAccepted if before.taken.is_some() => p.coaching = true,
        Fault::CoachTargetNotValidated => {
            if let Some(target) = &before.taken {
                p.coaching = true;
                p.call_sid_to_coach = Some(target.clone());
            }
        }
        Fault::CoachingNotStopped if update.coaching == Some(false) => {
            p.coaching = was.coaching;
            p.call_sid_to_coach = was.call_sid_to_coach.clone();
        }
        Fault::MutingEndsTheConference if update.muted.is_some() => p.end_conference_on_exit = true,
        Fault::EndConferenceOnExitIgnored => p.end_conference_on_exit = was.end_conference_on_exit,
        Fault::EndConferenceOnExitSticks if was.end_conference_on_exit => p.end_conference_on_exit = true,
        Fault::DateUpdatedFrozen => p.date_updated = was.date_updated,
        Fault::DateCreatedMoves => p.date_created = p.date_updated,
        _ => {}
    }
}

/// The faults that alter a page of the list the model answered.
pub(super) fn list(fault: Fault, space: &Space, at: &Place, response: &mut SimResponse) {
    let Some(Value::Object(page)) = response.body.as_mut() else {
        return;
    };
    let n = page.get("participants").and_then(Value::as_array).map_or(0, Vec::len) as u64;
    let number = page.get("page").and_then(Value::as_u64).unwrap_or(0);
    match fault {
        Fault::PageCountsWrong => {
            page.insert("start".into(), number.into());
            page.insert("end".into(), (number + n.max(1) - 1).into());
        }
        Fault::PageTokens => {
            for key in ["next_page_uri", "previous_page_uri"] {
                if let Some(Value::String(link)) = page.get_mut(key) {
                    link.push_str(&format!("&PageToken=PA{:032x}", number));
                }
            }
        }
        Fault::NextPageAlwaysLinked => {
            if let Some(first) = page.get("first_page_uri").and_then(Value::as_str) {
                let next = first.replace("Page=0", &format!("Page={}", number + 1));
                page.insert("next_page_uri".into(), next.into());
            }
        }
        Fault::ListShowsOtherConferences => {
            let Some(account) = space.accounts.get(&at.account) else {
                return;
            };
            let others: Vec<Value> = account
                .conferences
                .values()
                .filter(|c| c.sid != at.conference)
                .flat_map(|c| {
                    c.participants
                        .iter()
                        .map(|p| p.to_json(&at.account, &c.sid, space.profile))
                })
                .collect();
            if let Some(Value::Array(items)) = page.get_mut("participants") {
                items.extend(others);
            }
        }
        _ => {}
    }
}
