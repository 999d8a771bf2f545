//! The reference side of the lockstep: a [`Space`] of the same profile driven through the same
//! pure [`handle`] as the simulated space (never through a fault: faults wrap the space from
//! outside).

use laml_conformance::sim::http::{SimRequest, handle};
use laml_conformance::sim::state::Space;
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
        Model {
            space,
            roster: Roster { conferences },
        }
    }

    /// The model's answer to `op`.
    pub fn apply(&mut self, op: &Op) -> Answer {
        let profile = self.space.profile;
        let req = request(op, &self.roster, profile.dialect(), profile);
        self.send(&req)
    }

    /// The model's answer to a request built for it.
    pub fn send(&mut self, req: &Request) -> Answer {
        let account = &self.roster.first().credentials;
        let scheme = self.space.profile.auth;
        let authorization = match req.auth {
            Auth::Own => Some(scheme.header(&account.project_id, account.token.expose())),
            Auth::Without => None,
            Auth::WrongToken => Some(scheme.header(&account.project_id, WRONG_TOKEN)),
        };
        let view = SimRequest {
            method: req.method,
            path: &req.path,
            query: req.query.as_deref(),
            authorization: authorization.as_deref(),
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
