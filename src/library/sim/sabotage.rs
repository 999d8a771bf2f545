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
//! Faults that need the model's own reading of an update (applying a refused update in part,
//! applying to another participant) call the model's functions, never copies of them.

use serde_json::Value;

use crate::spec::params::{self, ParamKind};
use crate::spec::{self, ApiPath, ErrorCode, wire};

use super::faults::{Fault, distort_error, distort_participant};
use super::http::{SimRequest, SimResponse, handle};
use super::rules::{self, ApiError};
use super::state::{ConferenceStatus, Participant, Space};

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
pub fn handle_with(fault: Fault, space: &mut Space, req: &SimRequest<'_>) -> SimResponse {
    let mut request = Rewritten::of(req);
    let at = place(&request.path);
    if let Some(refusal) = refuse_before(fault, space, &request) {
        return refusal.into();
    }
    let removal = request.method == "DELETE" && at.as_ref().is_some_and(|p| p.call.is_some());
    if fault == Fault::RemovalNotApplied && removal {
        return SimResponse {
            status: 204,
            body: None,
            wire: None,
            allow: None,
        };
    }
    let mut before = Before::default();
    rewrite(fault, space, &mut request, at.as_ref(), &mut before);
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
        after(fault, space, &request, p, &before, &mut response);
        if p.call.is_none() && response.status == 200 {
            list_after(fault, space, p, &mut response);
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
    if fault == Fault::UriByLabel
        && let Some(call) = at.as_ref().and_then(|p| p.call.as_deref())
    {
        uri_by_label(call, &mut response);
    }
    distort(fault, &mut response);
    if fault == Fault::KeysReversed
        && let Some(body) = response.body.as_mut()
    {
        reverse_keys(body);
    }
    response
}

/// Puts the path's call segment (a label, when it is not the answered participant's call sid)
/// into the answer's `uri` in place of the call sid.
fn uri_by_label(segment: &str, response: &mut SimResponse) {
    let Some(Value::Object(fields)) = response.body.as_mut() else {
        return;
    };
    let Some(sid) = fields.get("call_sid").and_then(Value::as_str).map(str::to_string) else {
        return;
    };
    if sid == segment {
        return;
    }
    if let Some(Value::String(uri)) = fields.get_mut("uri") {
        *uri = uri.replace(&sid, segment);
    }
}

/// Every object's keys in the reverse order, at every depth.
fn reverse_keys(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let mut pairs: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            pairs.reverse();
            for (k, mut v) in pairs {
                reverse_keys(&mut v);
                map.insert(k, v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(reverse_keys),
        _ => {}
    }
}

/// A fault that refuses what the model accepts answers before the model runs.
fn refuse_before(fault: Fault, space: &Space, request: &Rewritten) -> Option<ApiError> {
    let profile = space.profile;
    if matches!(fault, Fault::JsonPathsOnly | Fault::BarePathsOnly) {
        let json = match spec::parse_path(&request.path) {
            Some(ApiPath::Participant { json, .. } | ApiPath::List { json, .. }) => Some(json),
            None => None,
        };
        let served = json.is_none_or(|json| json == (fault == Fault::JsonPathsOnly));
        return (!served).then(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("The requested resource {} was not found", request.path),
            )
        });
    }
    if request.method != "POST" {
        return None;
    }
    let form = request.form()?;
    match fault {
        Fault::UnknownKeysRefused => {
            return form
                .iter()
                .find(|(k, _)| params::param(k).is_none_or(|p| !profile.has_param(p.name)))
                .map(|(k, _)| ApiError::new(ErrorCode::InvalidArgument, format!("Unknown parameter {k:?}")));
        }
        Fault::MutedStrict => {
            return form
                .iter()
                .find(|(k, v)| k == "Muted" && params::parse_bool(v).is_none())
                .map(|_| ApiError::new(ErrorCode::InvalidArgument, "Muted must be true or false"));
        }
        Fault::BooleansCaseSensitive => {}
        _ => return None,
    }
    form.iter().find_map(|(k, v)| {
        let p = params::param(k)?;
        (p.kind == ParamKind::Boolean && v != "true" && v != "false")
            .then(|| ApiError::new(ErrorCode::InvalidArgument, format!("{} must be true or false", p.name)))
    })
}

fn rewrite(fault: Fault, space: &mut Space, request: &mut Rewritten, at: Option<&Place>, before: &mut Before) {
    let is_update = request.method == "POST" && at.is_some_and(|p| p.call.is_some());
    match fault {
        Fault::PutAccepted if matches!(request.method.as_str(), "PUT" | "PATCH") => request.method = "POST".into(),
        Fault::AuthNotChecked => {
            if let Some(account) = at.and_then(|p| space.accounts.get(&p.account)) {
                let c = &account.credentials;
                request.authorization = Some(wire::basic_header(&c.project_id, c.token.expose()));
            }
        }
        Fault::JsonBodyAccepted if is_update => {
            if let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(&request.body) {
                let form: Vec<(String, String)> = fields
                    .into_iter()
                    .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                    .collect();
                request.set_form(&form);
            }
        }
        Fault::ListFilterIgnored if request.method == "GET" && at.is_some_and(|p| p.call.is_none()) => {
            let query: Vec<(String, String)> =
                serde_urlencoded::from_str(request.query.as_deref().unwrap_or_default()).unwrap_or_default();
            let kept: Vec<_> = query.into_iter().filter(|(k, _)| k != "Muted" && k != "Hold").collect();
            request.query = Some(serde_urlencoded::to_string(&kept).unwrap_or_default());
        }
        Fault::DefaultPageSize20 if request.method == "GET" && at.is_some_and(|p| p.call.is_none()) => {
            let mut query: Vec<(String, String)> =
                serde_urlencoded::from_str(request.query.as_deref().unwrap_or_default()).unwrap_or_default();
            if !query.iter().any(|(k, _)| k == "PageSize") {
                query.push(("PageSize".into(), "20".into()));
                request.query = Some(serde_urlencoded::to_string(&query).unwrap_or_default());
            }
        }
        Fault::CoachingFilterIgnored if request.method == "GET" && at.is_some_and(|p| p.call.is_none()) => {
            let query: Vec<(String, String)> =
                serde_urlencoded::from_str(request.query.as_deref().unwrap_or_default()).unwrap_or_default();
            let kept: Vec<_> = query.into_iter().filter(|(k, _)| k != "Coaching").collect();
            request.query = Some(serde_urlencoded::to_string(&kept).unwrap_or_default());
        }
        Fault::CompletedConferenceUpdatable if is_update => {
            if let Some(conf) = at.and_then(|p| {
                space
                    .accounts
                    .get_mut(&p.account)
                    .and_then(|a| a.conferences.get_mut(&p.conference))
            }) && conf.status == ConferenceStatus::Completed
            {
                conf.status = ConferenceStatus::InProgress;
                before.reopened = true;
            }
        }
        _ if is_update => rewrite_form(fault, space, request, at, before),
        _ => {}
    }
}

/// The faults that loosen what the model validates: they take out of the form what the model
/// would refuse, so the model accepts the rest.
fn rewrite_form(fault: Fault, space: &Space, request: &mut Rewritten, at: Option<&Place>, before: &mut Before) {
    let Some(mut form) = request.form() else { return };
    let kind = |k: &str| params::param(k).map(|p| p.kind);
    match fault {
        Fault::UnknownParametersIgnored => form.retain(|(k, _)| params::param(k).is_some()),
        Fault::OtherGenerationsKeysAccepted => {
            form.retain(|(k, _)| params::param(k).is_none_or(|p| space.profile.has_param(p.name)));
        }
        Fault::BooleansNotValidated => {
            for (k, v) in &mut form {
                if kind(k) == Some(ParamKind::Boolean) && params::parse_bool(v).is_none() {
                    *v = "false".into();
                }
            }
        }
        Fault::MethodNotValidated => {
            form.retain(|(k, v)| kind(k) != Some(ParamKind::Method) || ParamKind::Method.accepts(v));
        }
        Fault::UrlNotValidated => form.retain(|(k, v)| kind(k) != Some(ParamKind::Url) || ParamKind::Url.accepts(v)),
        Fault::CoachingWithoutCallSidAccepted => {
            let coaching = form
                .iter()
                .any(|(k, v)| k == "Coaching" && params::parse_bool(v) == Some(true));
            if coaching && !form.iter().any(|(k, _)| k == "CallSidToCoach") {
                form.retain(|(k, _)| k != "Coaching");
                before.taken = Some(String::new());
            }
        }
        Fault::CoachTargetNotValidated => {
            let Some(p) = at else { return };
            let conf = space
                .accounts
                .get(&p.account)
                .and_then(|a| a.conferences.get(&p.conference));
            let target = form.iter().find(|(k, _)| k == "CallSidToCoach").map(|(_, v)| v.clone());
            if let Some(target) = target
                && !target.is_empty()
                && (p.call.as_deref() == Some(target.as_str())
                    || conf.is_some_and(|c| c.participant(&target).is_none()))
            {
                form.retain(|(k, _)| k != "CallSidToCoach" && k != "Coaching");
                before.taken = Some(target);
            }
        }
        _ => return,
    }
    request.set_form(&form);
}

/// The faults that alter what the model left behind, and the answer rendered from it.
fn after(
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
        if fault == Fault::RefusedUpdatePartlyApplied {
            for pair in &form {
                if let Ok(one) = rules::parse_update(std::slice::from_ref(pair), profile)
                    && let Some(p) = conf.participant_mut(call)
                {
                    // The values change, the date does not: what a reader sees does not
                    // depend on whether a second passed since the last update.
                    rules::apply(p, one, rules::now());
                    p.date_updated = was.date_updated;
                }
            }
        }
        return;
    }
    let update = rules::parse_update(&form, profile).unwrap_or_default();
    let now = rules::now();
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
        Fault::DateUpdatedFrozen => p.date_updated = was.date_updated,
        Fault::DateCreatedMoves => p.date_created = p.date_updated,
        _ => {}
    }
    response.body = Some(p.to_json(&at.account, &at.conference, profile));
    if fault == Fault::HoldNotPersisted {
        p.hold = was.hold;
    }
    if fault == Fault::EndConferenceOnExitNotStored {
        p.end_conference_on_exit = was.end_conference_on_exit;
    }
}

/// The faults that alter a page of the list the model answered.
fn list_after(fault: Fault, space: &Space, at: &Place, response: &mut SimResponse) {
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

/// The faults that distort the rendered answer: participants (alone or listed), error bodies,
/// and the bytes on the wire.
fn distort(fault: Fault, response: &mut SimResponse) {
    match fault {
        Fault::ErrorsAsHtml if response.status >= 400 => {
            let page = format!("<html><body><h1>Error {}</h1></body></html>", response.status);
            response.wire = Some(("text/html", page));
            return;
        }
        Fault::ContentTypeNotJson => {
            if let Some(body) = &response.body {
                response.wire = Some(("text/plain", body.to_string()));
            }
            return;
        }
        _ => {}
    }
    let Some(body) = response.body.as_mut() else { return };
    if response.status >= 400 {
        distort_error(fault, &mut response.status, body);
    } else if let Some(Value::Array(items)) = body.get_mut("participants") {
        items.iter_mut().for_each(|p| distort_participant(fault, p));
        if fault == Fault::ListedWithoutUri {
            for item in items.iter_mut() {
                if let Value::Object(fields) = item {
                    fields.remove("uri");
                }
            }
        }
        if fault == Fault::ListedFlagsInverted {
            for item in items {
                if let Some(Value::Bool(muted)) = item.get_mut("muted") {
                    *muted = !*muted;
                }
            }
        }
    } else {
        distort_participant(fault, body);
    }
}
