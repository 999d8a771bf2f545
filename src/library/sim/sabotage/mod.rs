//! How each fault of the catalogue breaks the healthy space, from the outside.
//!
//! The model (`rules.rs`, `state.rs`, `http.rs`) knows nothing of faults: it reads as the
//! documentation. A fault wraps it in one of three ways:
//! - **before** the model reads the request: it rewrites the request (a method, a body, a
//!   credential, a parameter), or answers in the model's place;
//! - **after** the model answered: it alters the state the model left (what was persisted,
//!   which participant changed) and renders the answer again from it;
//! - **on the answer**: it distorts the rendered body, the status or the bytes on the wire.
//!
//! One module for each: `before.rs`, `after.rs`, `answer.rs`.
//!
//! Faults that need the model's own reading of an update (applying a refused update in part,
//! applying to another participant) call the model's functions, never copies of them.

mod after;
mod answer;
mod before;

use crate::spec::{self, ApiPath, wire};

use super::faults::Fault;
use super::http::{Reply, SimRequest, SimResponse, handle};
use super::participant::Participant;
use super::state::Space;

/// What a fault changes in the space before any request: the ids it hands out.
pub fn seed(fault: Fault, space: &mut Space) {
    if fault == Fault::SidsInAnotherFormat {
        space.ids = space.profile.ids.other();
        space.call_ids = space.profile.id_format("CA").other();
    }
}

/// A request the fault may rewrite before the model reads it.
#[derive(Debug, Clone)]
struct Rewritten {
    method: String,
    path: String,
    query: Option<String>,
    authorization: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Rewritten {
    fn of(req: &SimRequest<'_>) -> Self {
        Rewritten {
            method: req.method.to_string(),
            path: req.path.to_string(),
            query: req.query.map(str::to_string),
            authorization: req.authorization.map(str::to_string),
            content_type: req.content_type.map(str::to_string),
            body: req.body.to_vec(),
        }
    }

    fn view(&self) -> SimRequest<'_> {
        SimRequest {
            method: &self.method,
            path: &self.path,
            query: self.query.as_deref(),
            authorization: self.authorization.as_deref(),
            content_type: self.content_type.as_deref(),
            body: &self.body,
        }
    }

    /// The form of a form-encoded body; `None` for any other body.
    fn form(&self) -> Option<Vec<(String, String)>> {
        if self.body.is_empty() {
            return Some(Vec::new());
        }
        wire::is_form(self.content_type.as_deref())
            .then(|| serde_urlencoded::from_bytes(&self.body).ok())
            .flatten()
    }

    fn set_form(&mut self, form: &[(String, String)]) {
        self.body = serde_urlencoded::to_string(form).unwrap_or_default().into_bytes();
        self.content_type = Some(wire::FORM.to_string());
    }
}

/// Where a request points: its account, conference and (for a participant) call.
struct Place {
    account: String,
    conference: String,
    call: Option<String>,
}

fn place(path: &str) -> Option<Place> {
    match spec::parse_path(path)? {
        ApiPath::Participant {
            account,
            conference,
            call,
            ..
        } => Some(Place {
            account: account.into(),
            conference: conference.into(),
            call: Some(call.into()),
        }),
        ApiPath::List {
            account, conference, ..
        } => Some(Place {
            account: account.into(),
            conference: conference.into(),
            call: None,
        }),
    }
}

/// What a fault remembers from before the model ran, to alter what it left.
#[derive(Default)]
struct Before {
    /// The participant the request names, as it was.
    participant: Option<Participant>,
    /// Its index in its conference.
    index: usize,
    /// A value the rewrite took out of the request, to put back into the state afterwards.
    taken: Option<String>,
    /// The conference was completed and the fault reopened it.
    reopened: bool,
}

/// Answers `req` as the healthy space broken by `fault` would.
pub fn handle_with(fault: Fault, space: &mut Space, req: &SimRequest<'_>) -> Reply {
    let mut request = Rewritten::of(req);
    let at = place(&request.path);
    if let Some(refusal) = before::refuse(fault, space, &request) {
        return SimResponse::from(refusal).into();
    }
    let removal = request.method == "DELETE" && at.as_ref().is_some_and(|p| p.call.is_some());
    if fault == Fault::RemovalNotApplied && removal {
        return Reply::json(204, None);
    }
    let mut before = Before::default();
    before::rewrite(fault, space, &mut request, at.as_ref(), &mut before);
    if let Some(p) = &at
        && let Some(call) = &p.call
        && let Some(conf) = space
            .accounts
            .get(&p.account)
            .and_then(|a| a.conferences.get(&p.conference))
    {
        before.index = conf.participants.iter().position(|x| &x.call_sid == call).unwrap_or(0);
        before.participant = conf.participant(call).cloned();
    }
    let mut response = handle(space, &request.view());
    if let Some(p) = &at {
        after::update(fault, space, &request, p, &before, &mut response);
        if p.call.is_none() && response.status == 200 {
            after::list(fault, space, p, &mut response);
        }
    }
    if fault == Fault::RemovalAnswers200
        && removal
        && response.status == 204
        && let (Some(p), Some(was)) = (&at, &before.participant)
    {
        response.status = 200;
        response.body = Some(was.to_json(&p.account, &p.conference, space.profile));
    }
    if fault == Fault::NoAllowHeader {
        response.allow = None;
    }
    if fault == Fault::AllowWithoutDelete && response.allow.is_some_and(|a| a.contains(&"DELETE")) {
        response.allow = Some(&["GET", "POST"]);
    }
    if fault == Fault::UriByLabel
        && let Some(call) = at.as_ref().and_then(|p| p.call.as_deref())
    {
        answer::uri_by_label(call, &mut response);
    }
    if let Some(wire) = answer::on_the_wire(fault, &response) {
        return wire;
    }
    answer::distort(fault, &mut response);
    if fault == Fault::KeysReversed
        && let Some(body) = response.body.as_mut()
    {
        answer::reverse_keys(body);
    }
    if fault == Fault::ClockAnHourAhead {
        if let Some(body) = response.body.as_mut() {
            answer::dates_ahead(body, answer::AN_HOUR);
        }
        let mut reply: Reply = response.into();
        reply.date = Some(super::state::now() + answer::AN_HOUR);
        return reply;
    }
    response.into()
}
