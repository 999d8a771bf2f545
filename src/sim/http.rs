//! The HTTP face of the simulated space: routing, authentication and encoding.
//!
//! [`handle`] is a plain function from a request to a response over the state, so it can be
//! driven without a socket; [`SimResponder`] adapts it to wiremock.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::check::request::{RequestView, check_request};
use crate::spec::{self, ApiPath, Dialect, ErrorCode, wire};

use super::control;
use super::faults::{self, Fault};
use super::journal::{JOURNAL_BODY, Journal, JournalEntry};
use super::rules::{self, ApiError};
use super::state::{Account, Participant, Space};

/// A request as the space needs it, independent of the HTTP library: the same view the
/// request check reads.
pub type SimRequest<'a> = RequestView<'a>;

/// A response of the space: a status and a JSON body (none for 204).
#[derive(Debug, Clone, PartialEq)]
pub struct SimResponse {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body; `None` only for 204.
    pub body: Option<Value>,
}

impl SimResponse {
    fn ok(body: Value) -> Self {
        SimResponse {
            status: 200,
            body: Some(body),
        }
    }
}

impl From<ApiError> for SimResponse {
    fn from(e: ApiError) -> Self {
        SimResponse {
            status: e.code.http_status(),
            body: Some(e.body()),
        }
    }
}

/// Where a path points, once its prefix and account are known.
enum Route<'a> {
    Participant { conference: &'a str, call: &'a str },
    List { conference: &'a str },
}

fn not_found(what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("The requested resource {what} was not found"),
    )
}

/// Answers one request from the state; never panics, whatever it is given.
pub fn handle(space: &mut Space, req: &SimRequest<'_>) -> SimResponse {
    let mut response = match route(space, req) {
        Ok(r) => r,
        Err(e) => e.into(),
    };
    if let Some(fault) = space.fault {
        distort(fault, &mut response);
    }
    response
}

/// Applies a fault's distortion of the rendered answer: participants (alone or listed) and
/// error bodies.
fn distort(fault: Fault, response: &mut SimResponse) {
    let Some(body) = response.body.as_mut() else { return };
    if response.status >= 400 {
        faults::distort_error(fault, &mut response.status, body);
    } else if let Some(Value::Array(items)) = body.get_mut("participants") {
        items.iter_mut().for_each(|p| faults::distort_participant(fault, p));
    } else {
        faults::distort_participant(fault, body);
    }
}

fn route(space: &mut Space, req: &SimRequest<'_>) -> Result<SimResponse, ApiError> {
    let fault = space.fault;
    let (account, target) = match spec::parse_path(req.path) {
        Some(ApiPath::List { account, conference }) => (account, Route::List { conference }),
        Some(ApiPath::Participant {
            account,
            conference,
            call,
            ..
        }) => (account, Route::Participant { conference, call }),
        None => return Err(not_found(req.path)),
    };
    let user = if fault == Some(Fault::AuthNotChecked) {
        account
    } else {
        authenticate(space, req.authorization)?
    };
    if user != account {
        return Err(if space.accounts.contains_key(account) {
            ApiError::new(
                ErrorCode::AuthenticationFailed,
                "These credentials are not valid for this account",
            )
        } else {
            not_found(&format!("Account {account}"))
        });
    }
    let acct = space
        .accounts
        .get_mut(account)
        .ok_or_else(|| not_found(&format!("Account {account}")))?;
    match target {
        Route::List { conference } => {
            if req.method != "GET" {
                return Err(method_not_allowed(req.method, "GET"));
            }
            let conf = acct
                .conferences
                .get(conference)
                .ok_or_else(|| not_found(&format!("Conference {conference}")))?;
            list(account, conf, req.query, fault)
        }
        Route::Participant { conference, call } => {
            let conf = acct
                .conferences
                .get_mut(conference)
                .ok_or_else(|| not_found(&format!("Conference {conference}")))?;
            let me = conf
                .participant(call)
                .ok_or_else(|| not_found(&format!("Participant {call}")))?
                .clone();
            let method = match req.method {
                "PUT" | "PATCH" if fault == Some(Fault::PutAccepted) => "POST",
                m => m,
            };
            match method {
                "GET" => Ok(SimResponse::ok(me.to_json(account, conference))),
                "POST" => update(acct, conference, &me, req, fault),
                "DELETE" => {
                    conf.participants.retain(|p| p.call_sid != call);
                    for coach in conf
                        .participants
                        .iter_mut()
                        .filter(|p| p.call_sid_to_coach.as_deref() == Some(call))
                    {
                        coach.coaching = false;
                        coach.call_sid_to_coach = None;
                    }
                    Ok(SimResponse {
                        status: 204,
                        body: None,
                    })
                }
                other => Err(method_not_allowed(other, "GET, POST, DELETE")),
            }
        }
    }
}

/// An update: validated completely, then applied (to the right participant, unless a fault
/// says otherwise), then rendered.
fn update(
    acct: &mut Account,
    conference: &str,
    me: &Participant,
    req: &SimRequest<'_>,
    fault: Option<Fault>,
) -> Result<SimResponse, ApiError> {
    let form = read_form(req, fault)?;
    let conf = acct
        .conferences
        .get_mut(conference)
        .ok_or_else(|| not_found(conference))?;
    let update = rules::parse_update(&form, fault)
        .and_then(|update| rules::check_against(&update, conf, me, fault).map(|()| update));
    let update = match update {
        Ok(update) => update,
        Err(refusal) => {
            if fault == Some(Fault::RefusedUpdatePartlyApplied) {
                partly_apply(conf, me, &form);
            }
            return Err(refusal);
        }
    };
    let place = conf
        .participants
        .iter()
        .position(|p| p.call_sid == me.call_sid)
        .unwrap_or_default();
    let target = match fault {
        Some(Fault::WrongParticipantUpdated) => (place + 1) % conf.participants.len(),
        _ => place,
    };
    let now = rules::now();
    rules::apply(&mut conf.participants[target], update.clone(), now, fault);
    if target != place {
        rules::apply(&mut conf.participants[place], rules::Update::default(), now, fault);
    }
    let answer = conf.participants[place].to_json(&acct.sid, conference);
    if fault == Some(Fault::HoldNotPersisted) {
        conf.participants[place].hold = me.hold;
    }
    if fault == Some(Fault::StateLeaksAcrossConferences) {
        for other in acct.conferences.values_mut().filter(|c| c.sid != conference) {
            if let Some(p) = other.participants.get_mut(place) {
                rules::apply(p, update.clone(), now, fault);
            }
        }
    }
    Ok(SimResponse::ok(answer))
}

/// The fault of applying, one by one, the parameters of a refused update that are valid alone.
fn partly_apply(conf: &mut super::state::Conference, me: &Participant, form: &[(String, String)]) {
    for pair in form {
        if let Ok(one) = rules::parse_update(std::slice::from_ref(pair), None)
            && let Some(p) = conf.participant_mut(&me.call_sid)
        {
            rules::apply(p, one, rules::now(), None);
        }
    }
}

fn method_not_allowed(method: &str, allow: &'static str) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("Method {method} is not allowed on this resource; use {allow}"),
    )
}

/// The account the Basic credentials belong to, or 20003.
fn authenticate<'s>(space: &'s Space, header: Option<&str>) -> Result<&'s str, ApiError> {
    let refused = || {
        ApiError::new(
            ErrorCode::AuthenticationFailed,
            "Authentication failed: send Basic auth with your project id and API token",
        )
    };
    let (user, token) = wire::basic_credentials(header).ok_or_else(refused)?;
    let account = space.accounts.get(&user).ok_or_else(refused)?;
    if account.credentials.token.expose() != token {
        return Err(refused());
    }
    Ok(&account.sid)
}

/// The form parameters of a POST; a body in any other encoding is refused, not guessed at.
fn read_form(req: &SimRequest<'_>, fault: Option<Fault>) -> Result<Vec<(String, String)>, ApiError> {
    if req.body.is_empty() {
        return Ok(Vec::new());
    }
    if fault == Some(Fault::JsonBodyAccepted)
        && let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(req.body)
    {
        return Ok(fields
            .into_iter()
            .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect());
    }
    if !wire::is_form(req.content_type) {
        return Err(ApiError::new(
            ErrorCode::InvalidArgument,
            format!(
                "The body must be application/x-www-form-urlencoded, not {}",
                req.content_type.unwrap_or("a body without Content-Type")
            ),
        ));
    }
    serde_urlencoded::from_bytes(req.body)
        .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, format!("The form body cannot be read: {e}")))
}

fn list(
    account: &str,
    conf: &super::state::Conference,
    query: Option<&str>,
    fault: Option<Fault>,
) -> Result<SimResponse, ApiError> {
    let filters: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, format!("The query cannot be read: {e}")))?;
    let mut muted = None;
    let mut hold = None;
    for (k, v) in &filters {
        match k.as_str() {
            "Muted" => muted = Some(rules::parse_filter(k, v)?),
            "Hold" => hold = Some(rules::parse_filter(k, v)?),
            "Page" | "PageSize" | "PageToken" => {}
            other => {
                return Err(ApiError::new(
                    ErrorCode::InvalidArgument,
                    format!("Unknown filter {other}; use Muted or Hold"),
                ));
            }
        }
    }
    let participants: Vec<Value> = conf
        .participants
        .iter()
        .filter(|p| {
            fault == Some(Fault::ListFilterIgnored)
                || (muted.is_none_or(|m| p.muted == m) && hold.is_none_or(|h| p.hold == h))
        })
        .map(|p| p.to_json(account, &conf.sid))
        .collect();
    let path = spec::participants_path(Dialect::SignalWire, account, &conf.sid);
    let uri = match query {
        Some(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.clone(),
    };
    let end = participants.len().saturating_sub(1);
    Ok(SimResponse::ok(json!({
        "participants": participants,
        "uri": uri,
        "first_page_uri": format!("{path}?Page=0&PageSize=50"),
        "next_page_uri": null,
        "previous_page_uri": null,
        "page": 0,
        "page_size": 50,
        "start": 0,
        "end": end,
        "account_sid": account,
        "conference_sid": conf.sid,
    })))
}

/// The wiremock adapter: one responder for every request, over the shared state.
#[derive(Debug, Clone)]
pub struct SimResponder {
    /// The shared state.
    pub space: Arc<Mutex<Space>>,
    /// The shared journal.
    pub journal: Arc<Mutex<Journal>>,
}

impl Respond for SimResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        let req = SimRequest {
            method: request.method.as_str(),
            path: request.url.path(),
            query: request.url.query(),
            authorization: header("authorization"),
            content_type: header("content-type"),
            body: &request.body,
        };
        if req.path.starts_with(control::PREFIX) {
            let (status, body) = control::handle(&self.space, &self.journal, &req);
            return json_template(status, body);
        }
        let (response, fault) = {
            let mut space = self.space.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            (handle(&mut space, &req), space.fault)
        };
        let mut path = req.path.to_string();
        if let Some(q) = req.query {
            path.push('?');
            path.push_str(q);
        }
        self.journal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .record(JournalEntry {
                method: req.method.to_string(),
                path,
                body: String::from_utf8_lossy(&req.body[..req.body.len().min(JOURNAL_BODY)]).into_owned(),
                status: response.status,
                deviations: check_request(&req),
            });
        if fault == Some(Fault::ErrorsAsHtml) && response.status >= 400 {
            let page = format!("<html><body><h1>Error {}</h1></body></html>", response.status);
            return ResponseTemplate::new(response.status).set_body_raw(page.into_bytes(), "text/html");
        }
        let content_type = if fault == Some(Fault::ContentTypeNotJson) {
            "text/plain"
        } else {
            "application/json"
        };
        json_template_as(response.status, response.body, content_type)
    }
}

fn json_template(status: u16, body: Option<Value>) -> ResponseTemplate {
    json_template_as(status, body, "application/json")
}

fn json_template_as(status: u16, body: Option<Value>, content_type: &str) -> ResponseTemplate {
    let template = ResponseTemplate::new(status);
    match body {
        Some(body) => template.set_body_raw(body.to_string().into_bytes(), content_type),
        None => template,
    }
}
