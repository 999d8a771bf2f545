//! The reference side of the lockstep: a [`Space`] of the same profile driven through the same
//! pure [`handle`] as the simulated space (never through a fault: faults wrap the space from
//! outside).

use laml_conformance::sim::http::{SimRequest, handle};
use laml_conformance::sim::state::{Account, Space};
use laml_conformance::spec::participant::{is_call_sid, is_uuid};
use laml_conformance::spec::{Profile, wire};
use serde_json::Value;

use super::ops::{FIRST, Op, Plan, SECOND};
use super::side::{Answer, Auth, Request, Roster, WRONG_TOKEN, request};

/// The reference model of one sequence: a fresh space of the profile.
#[derive(Debug)]
pub struct Model {
    space: Space,
    /// Its named participants.
    pub roster: Roster,
    /// The `Authorization` header of the account's own credentials, and of a wrong token.
    own: String,
    wrong: String,
}

impl Model {
    /// A fresh space with the plan's conferences, arranged as the target's are.
    pub fn arrange(profile: &'static Profile, plan: &Plan) -> Self {
        let mut space = Space::serving(profile);
        let first = space.arrange_conference(&FIRST);
        let mut conferences = vec![first.clone()];
        if plan.second
            && let Some(second) = space.arrange_conference_in(&first.credentials.project_id, &SECOND)
        {
            conferences.push(second);
        }
        if plan.completed {
            space.complete_conference(&first.credentials.project_id, &first.conference_sid);
        }
        Model::of(space, Roster { conferences })
    }

    /// A model of `space`, whose named participants `roster` holds.
    fn of(space: Space, roster: Roster) -> Self {
        let account = &roster.first().credentials;
        let scheme = space.profile.auth;
        Model {
            own: scheme.header(&account.project_id, account.token.expose()),
            wrong: scheme.header(&account.project_id, WRONG_TOKEN),
            space,
            roster,
        }
    }

    /// A fresh space with the conferences the target arranged, under the target's own sids
    /// and credentials, where each of its sids is one the model could have made (see
    /// [`adoptable`]); `None` otherwise. Both sides then send the same requests and give the
    /// same answers but for the dates, which lets the comparison skip the views of answers
    /// that are alike ([`super::compare::alike`]).
    pub fn adopting(profile: &'static Profile, plan: &Plan, target: &Roster) -> Option<Self> {
        if !adoptable(target, profile) {
            return None;
        }
        let mut space = Space::serving(profile);
        let first = target.first();
        let account = first.credentials.project_id.clone();
        space.add_account(Account {
            sid: account.clone(),
            credentials: first.credentials.clone(),
            conferences: Default::default(),
        });
        for c in &target.conferences {
            space.arrange_conference_as(&account, c.conference_sid.clone(), c.participants.clone())?;
        }
        if plan.completed {
            space.complete_conference(&account, &first.conference_sid);
        }
        Some(Model::of(space, target.clone()))
    }

    /// The model's answer to `op`.
    pub fn apply(&mut self, op: &Op) -> Answer {
        let profile = self.space.profile;
        let req = request(op, &self.roster, profile.dialect(), profile);
        self.send(&req)
    }

    /// The model's answer to a request built for it.
    pub fn send(&mut self, req: &Request) -> Answer {
        let authorization = match req.auth {
            Auth::Own => Some(self.own.as_str()),
            Auth::Without => None,
            Auth::WrongToken => Some(self.wrong.as_str()),
        };
        let view = SimRequest {
            method: req.method,
            path: &req.path,
            query: req.query.as_deref(),
            authorization,
            content_type: req.body.as_ref().map(|(c, _)| *c),
            body: req.body.as_ref().map_or(&[][..], |(_, b)| b.as_bytes()),
        };
        let response = handle(&mut self.space, &view);
        match response.body {
            Some(body) => Answer {
                status: response.status,
                content_type: Some(wire::JSON.to_string()),
                body: Ok(body),
                date: None,
            },
            None => Answer::read(response.status, None, String::new(), None),
        }
    }

    /// A named participant as the model holds it now, `None` once it is gone.
    pub fn state(&mut self, name: &str) -> Option<Value> {
        let answer = self.apply(&Op::Retrieve { who: name.into() });
        answer.ok().cloned()
    }
}

/// Whether the model may take the target's sids as its own: one account, every sid distinct,
/// and each alike to a fresh one of its kind by every test the model and the normaliser put a
/// sid to (the profile's format of each kind, the uuid and call sid forms, the documented
/// examples). A target whose sids look otherwise keeps the model to sids of its own, so its
/// answers are judged against sids the model made, as before.
fn adoptable(target: &Roster, profile: &Profile) -> bool {
    let documented = |id: &str| {
        profile.documented_ids.as_ref().is_some_and(|d| {
            [&d.account, &d.conference, &d.call, &d.coached]
                .iter()
                .any(|d| *d == id)
        })
    };
    let traits = |id: &str| {
        [
            profile.id_fits(id, "AC"),
            profile.id_fits(id, "CF"),
            profile.id_fits(id, "CA"),
            is_call_sid(id),
            is_uuid(id),
            documented(id),
        ]
    };
    let alike = |id: &str, kind: &str| traits(id) == traits(&profile.fresh_id(kind));
    let account = &target.first().credentials.project_id;
    let mut ids = vec![(account.as_str(), "AC")];
    for c in &target.conferences {
        if &c.credentials.project_id != account {
            return false;
        }
        ids.push((c.conference_sid.as_str(), "CF"));
        ids.extend(c.participants.iter().map(|(_, sid)| (sid.as_str(), "CA")));
    }
    let distinct = ids
        .iter()
        .enumerate()
        .all(|(i, (id, _))| ids[..i].iter().all(|(o, _)| o != id));
    distinct && ids.iter().all(|(id, kind)| alike(id, kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use laml_conformance::credentials::Credentials;
    use laml_conformance::setup::ArrangedConference;

    fn roster(profile: &Profile, calls: Vec<String>) -> Roster {
        let named = FIRST.iter().map(|n| n.to_string()).zip(calls).collect();
        Roster {
            conferences: vec![ArrangedConference {
                credentials: Credentials::new(profile.fresh_id("AC"), "token"),
                conference_sid: profile.fresh_id("CF"),
                participants: named,
            }],
        }
    }

    #[test]
    fn the_model_takes_the_target_s_sids_only_where_it_could_have_made_them() {
        for profile in ["seed", "signalwire", "twilio"].map(|p| Profile::by_name(p).unwrap()) {
            let fresh = || FIRST.iter().map(|_| profile.fresh_id("CA")).collect::<Vec<_>>();
            assert!(adoptable(&roster(profile, fresh()), profile), "{}", profile.name);
            let mut twice = fresh();
            twice[1] = twice[0].clone();
            assert!(
                !adoptable(&roster(profile, twice), profile),
                "{}: a sid twice",
                profile.name
            );
            let mut other = fresh();
            other[2] = format!("{}x", other[2]);
            assert!(
                !adoptable(&roster(profile, other), profile),
                "{}: another form",
                profile.name
            );
        }
        let seed = Profile::seed();
        let twilio_like = (0..FIRST.len()).map(|i| format!("CA{i:032x}")).collect();
        assert!(
            !adoptable(&roster(seed, twilio_like), seed),
            "a call sid in Twilio's form under the seed"
        );
    }
}
