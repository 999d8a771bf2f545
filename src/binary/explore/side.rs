//! The words both sides of the lockstep, and the comparison of their answers, share: where
//! each named participant is on a side ([`Roster`]), the request an operation stands for there
//! ([`Request`]), and what the side answered ([`Answer`]).

use laml_conformance::client::{ParticipantRef, ParticipantUpdate};
use laml_conformance::setup::ArrangedConference;
use laml_conformance::spec::{self, Dialect, Profile, wire};
use serde_json::Value;
use time::OffsetDateTime;

use super::ops::{Creds, Op, Place, Val};

/// The token of the `with a wrong token` step.
pub const WRONG_TOKEN: &str = "not-the-token";

/// Where each named participant is on one side.
#[derive(Debug, Clone)]
pub struct Roster {
    /// The first conference, then the second if arranged.
    pub conferences: Vec<ArrangedConference>,
}

impl Roster {
    /// The first conference (every roster has one).
    pub fn first(&self) -> &ArrangedConference {
        &self.conferences[0]
    }

    /// The named participant's ids.
    pub fn at(&self, name: &str) -> Option<ParticipantRef> {
        self.conferences.iter().find_map(|c| {
            c.participants
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, sid)| ParticipantRef {
                    account_sid: c.credentials.project_id.clone(),
                    conference_sid: c.conference_sid.clone(),
                    call_sid: sid.clone(),
                })
        })
    }

    /// The name of the participant with this call sid.
    pub fn name_of(&self, sid: &str) -> Option<&str> {
        self.conferences
            .iter()
            .flat_map(|c| &c.participants)
            .find(|(_, s)| s == sid)
            .map(|(n, _)| n.as_str())
    }

    /// Every name, conference by conference, in the order arranged.
    pub fn names(&self) -> Vec<String> {
        self.conferences
            .iter()
            .flat_map(|c| c.participants.iter().map(|(n, _)| n.clone()))
            .collect()
    }

    /// The call sids of the other participants of `name`'s conference.
    pub fn others(&self, name: &str) -> Vec<String> {
        self.conferences
            .iter()
            .find(|c| c.participants.iter().any(|(n, _)| n == name))
            .map(|c| {
                c.participants
                    .iter()
                    .filter(|(n, _)| n != name)
                    .map(|(_, s)| s.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Which credentials a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The account's own.
    Own,
    /// None.
    Without,
    /// The account's id with another token.
    WrongToken,
}

/// One request, built for one side from an operation: the same for both but for the sids.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method.
    pub method: &'static str,
    /// The path, without query.
    pub path: String,
    /// The query, without `?`.
    pub query: Option<String>,
    /// The credentials.
    pub auth: Auth,
    /// `(content type, text)`.
    pub body: Option<(&'static str, String)>,
}

/// The request `op` stands for on the side whose participants `roster` holds.
pub fn request(op: &Op, roster: &Roster, dialect: Dialect, profile: &Profile) -> Request {
    let at = |name: &str| {
        roster.at(name).unwrap_or_else(|| ParticipantRef {
            call_sid: profile.fresh_id("CA"),
            ..place_of(roster.first())
        })
    };
    let resolve = |v: &Val| match v {
        Val::Text(t) => t.clone(),
        Val::Sid(name) => at(name).call_sid,
        Val::UnknownSid => profile.fresh_id("CA"),
    };
    let mute = || Some((wire::FORM, ParticipantUpdate::new().param("Muted", "true").encode()));
    let post = |path: String, body, auth| Request {
        method: "POST",
        path,
        query: None,
        auth,
        body,
    };
    match op {
        Op::Update { who, params } => {
            let update = params
                .iter()
                .fold(ParticipantUpdate::new(), |u, (k, v)| u.param(k.clone(), resolve(v)));
            post(
                spec::in_form(at(who).path(dialect), profile.paths),
                Some((wire::FORM, update.encode())),
                Auth::Own,
            )
        }
        Op::Undocumented { who, key, value } => {
            let update = ParticipantUpdate::new().param(key.clone(), resolve(value));
            post(
                spec::in_form(at(who).path(dialect), profile.paths),
                Some((wire::FORM, update.encode())),
                Auth::Own,
            )
        }
        Op::Method { who, method } => Request {
            method,
            ..post(spec::in_form(at(who).path(dialect), profile.paths), mute(), Auth::Own)
        },
        Op::Credentials { who, how } => {
            let auth = match how {
                Creds::Without => Auth::Without,
                Creds::WrongToken => Auth::WrongToken,
            };
            post(spec::in_form(at(who).path(dialect), profile.paths), mute(), auth)
        }
        Op::UnknownPlace { who, what } => {
            let mut to = at(who);
            match what {
                Place::Account => to.account_sid = profile.fresh_id("AC"),
                Place::Conference => to.conference_sid = profile.fresh_id("CF"),
            }
            post(spec::in_form(to.path(dialect), profile.paths), mute(), Auth::Own)
        }
        Op::UnknownParticipant => {
            let to = ParticipantRef {
                call_sid: profile.fresh_id("CA"),
                ..place_of(roster.first())
            };
            post(spec::in_form(to.path(dialect), profile.paths), mute(), Auth::Own)
        }
        Op::Body { who, json, text } => {
            let content_type = if *json { "application/json" } else { "text/plain" };
            post(
                spec::in_form(at(who).path(dialect), profile.paths),
                Some((content_type, text.clone())),
                Auth::Own,
            )
        }
        Op::Retrieve { who } => Request {
            method: "GET",
            ..post(spec::in_form(at(who).path(dialect), profile.paths), None, Auth::Own)
        },
        Op::List { filter, value } => {
            let first = roster.first();
            Request {
                method: "GET",
                query: Some(serde_urlencoded::to_string([(filter, value)]).unwrap_or_default()),
                ..post(
                    spec::in_form(
                        spec::participants_path(dialect, &first.credentials.project_id, &first.conference_sid),
                        profile.paths,
                    ),
                    None,
                    Auth::Own,
                )
            }
        }
    }
}

/// A conference's account and sid, with no call.
fn place_of(conference: &ArrangedConference) -> ParticipantRef {
    ParticipantRef {
        account_sid: conference.credentials.project_id.clone(),
        conference_sid: conference.conference_sid.clone(),
        call_sid: String::new(),
    }
}

/// What one side answered.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The body, read once: JSON, or the text that is not JSON (empty for no body).
    pub body: Result<Value, String>,
    /// The side's clock when it answered (the target's `Date`), if it says.
    pub date: Option<OffsetDateTime>,
}

impl Answer {
    pub fn read(status: u16, content_type: Option<String>, text: String, date: Option<OffsetDateTime>) -> Self {
        let body = serde_json::from_str(&text).map_err(|_| text);
        Answer {
            status,
            content_type,
            body,
            date,
        }
    }

    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<&Value> {
        self.body.as_ref().ok()
    }

    /// The body of a 200, if it is JSON.
    pub fn ok(&self) -> Option<&Value> {
        self.json().filter(|_| self.status == 200)
    }
}
