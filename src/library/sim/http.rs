//! The HTTP face of the simulated space: routing, authentication and encoding.
//!
//! [`handle`] is a plain function from a request to a response over the state, so it can be
//! driven without a socket; [`Reply`] is what goes on the wire. The space behind the server,
//! with its journal and its fault, is `responder.rs`, which uses this module and is never used
//! by it: the healthy model knows nothing of faults.

use serde_json::{Value, json};

use crate::spec::request::RequestView;
use crate::spec::{self, ApiPath, ErrorCode, LIST_METHODS, PARTICIPANT_METHODS, Profile, wire};

use super::participant::Participant;
use super::rules::{self, ApiError};
use super::state::{self, Account, Space};

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
    /// The `Allow` header of a 405: the methods the resource allows.
    pub allow: Option<&'static [&'static str]>,
}

impl SimResponse {
    fn ok(body: Value) -> Self {
        SimResponse {
            status: 200,
            body: Some(body),
            allow: None,
        }
    }
}

impl From<ApiError> for SimResponse {
    fn from(e: ApiError) -> Self {
        SimResponse {
            status: e.code.http_status(),
            body: Some(e.body()),
            allow: e.allow,
        }
    }
}

/// Where a path points, once its prefix and account are known (its segments decoded).
enum Route {
    Participant { conference: String, call: String },
    List { conference: String },
}

/// A path segment percent-decoded, as a client of this API sends a label with unsafe
/// characters (Twilio: "must be URL-encoded"), or any sid a client library encodes. A segment
/// whose escapes are broken, or that decodes to no UTF-8, is taken as it came (and matches
/// nothing a setup endpoint names).
pub fn decode_segment(segment: &str) -> String {
    if !segment.contains('%') {
        return segment.to_string();
    }
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let (Some(high), Some(low)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) else {
                return segment.to_string();
            };
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| segment.to_string())
}

fn not_found(what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("The requested resource {what} was not found"),
    )
}

/// Answers one request from the state, as the documentation says a server does; never
/// panics, whatever it is given. (Faults wrap this function from outside: `sabotage.rs`.)
pub fn handle(space: &mut Space, req: &SimRequest<'_>) -> SimResponse {
    match route(space, req) {
        Ok(r) => r,
        Err(e) => e.into(),
    }
}

/// The account a path names and where in it the path points, its segments decoded.
fn route_of(path: &str) -> Option<(String, Route)> {
    match spec::parse_path(path)? {
        ApiPath::List {
            account, conference, ..
        } => Some((
            decode_segment(account),
            Route::List {
                conference: decode_segment(conference),
            },
        )),
        ApiPath::Participant {
            account,
            conference,
            call,
            ..
        } => Some((
            decode_segment(account),
            Route::Participant {
                conference: decode_segment(conference),
                call: decode_segment(call),
            },
        )),
    }
}

fn route(space: &mut Space, req: &SimRequest<'_>) -> Result<SimResponse, ApiError> {
    let profile = space.profile;
    let (account, target) = route_of(req.path).ok_or_else(|| not_found(req.path))?;
    let account = account.as_str();
    let user = authenticate(space, req.authorization)?.to_string();
    space.touch(&user);
    // The same refusal whether or not the path's account exists: a 404 here would tell any
    // holder of credentials which accounts exist.
    if user != account {
        return Err(ApiError::new(
            ErrorCode::AuthenticationFailed,
            "These credentials are not valid for this account",
        ));
    }
    let acct = space
        .accounts
        .get_mut(account)
        .ok_or_else(|| not_found(&format!("Account {account}")))?;
    match target {
        Route::List { conference } => {
            if !LIST_METHODS.contains(&req.method) {
                return Err(method_not_allowed(req.method, LIST_METHODS));
            }
            let conf = acct
                .conferences
                .get(&conference)
                .ok_or_else(|| not_found(&format!("Conference {conference}")))?;
            list(account, conf, req.query, profile)
        }
        Route::Participant { conference, call } => {
            let conference = conference.as_str();
            let conf = acct
                .conferences
                .get_mut(conference)
                .ok_or_else(|| not_found(&format!("Conference {conference}")))?;
            let me = conf
                .find(&call, profile.label_lookup)
                .ok_or_else(|| not_found(&format!("Participant {call}")))?
                .clone();
            let call = me.call_sid.as_str();
            match req.method {
                "GET" => Ok(SimResponse::ok(me.to_json(account, conference, profile))),
                "POST" => update(acct, conference, &me, req, profile),
                "DELETE" => remove(conf, call),
                other => Err(method_not_allowed(other, PARTICIPANT_METHODS)),
            }
        }
    }
}

/// A removal: the participant leaves the conference, and whoever coached it stops.
fn remove(conf: &mut state::Conference, call: &str) -> Result<SimResponse, ApiError> {
    rules::check_running(conf)?;
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
        allow: None,
    })
}

/// An update: validated completely, then applied, then rendered.
fn update(
    acct: &mut Account,
    conference: &str,
    me: &Participant,
    req: &SimRequest<'_>,
    profile: &Profile,
) -> Result<SimResponse, ApiError> {
    let form = read_form(req)?;
    let conf = acct
        .conferences
        .get_mut(conference)
        .ok_or_else(|| not_found(conference))?;
    let update = rules::parse_update(&form, profile)?;
    rules::check_against(&update, conf, me)?;
    let p = conf
        .participant_mut(&me.call_sid)
        .ok_or_else(|| not_found(&me.call_sid))?;
    rules::apply(p, update, state::now());
    Ok(SimResponse::ok(p.to_json(&acct.sid, conference, profile)))
}

fn method_not_allowed(method: &str, allow: &'static [&'static str]) -> ApiError {
    ApiError {
        allow: Some(allow),
        ..ApiError::new(
            ErrorCode::MethodNotAllowed,
            format!(
                "Method {method} is not allowed on this resource; use {}",
                allow.join(", ")
            ),
        )
    }
}

/// The account the credentials belong to, in the scheme the profile documents, or 20003.
pub(crate) fn authenticate<'s>(space: &'s Space, header: Option<&str>) -> Result<&'s str, ApiError> {
    authenticate_as(space, header, space.profile.auth)
}

/// The account the credentials in `scheme` belong to, or 20003: under Basic the pair's user
/// names the account and the token must be its own; under Bearer the key alone names it. (The
/// setup protocol speaks Basic whatever the profile, docs/live.md.)
pub(crate) fn authenticate_as<'s>(
    space: &'s Space,
    header: Option<&str>,
    scheme: wire::AuthScheme,
) -> Result<&'s str, ApiError> {
    let refused = || {
        ApiError::new(
            ErrorCode::AuthenticationFailed,
            match scheme {
                wire::AuthScheme::Basic => "Authentication failed: send Basic auth with your project id and API token",
                wire::AuthScheme::Bearer => "Authentication failed: send your API key as a Bearer token",
            },
        )
    };
    let (user, token) = scheme.credentials(header).ok_or_else(refused)?;
    let account = match user {
        Some(user) => space.accounts.get(&user).ok_or_else(refused)?,
        None => space
            .accounts
            .values()
            .find(|a| a.credentials.token.expose() == token)
            .ok_or_else(refused)?,
    };
    if account.credentials.token.expose() != token {
        return Err(refused());
    }
    Ok(&account.sid)
}

/// The form parameters of a POST; a body in any other encoding is refused, not guessed at.
fn read_form(req: &SimRequest<'_>) -> Result<Vec<(String, String)>, ApiError> {
    if req.body.is_empty() {
        return Ok(Vec::new());
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

/// What a list query asks for: the flags to filter by, the page and its size.
struct ListQuery {
    wanted: Vec<(String, bool)>,
    page: usize,
    size: usize,
}

/// Reads a list query: each key once, the profile's filters, `Page` and `PageSize` in their
/// bounds, and nothing else.
fn list_query(query: Option<&str>, profile: &Profile) -> Result<ListQuery, ApiError> {
    let filters: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, format!("The query cannot be read: {e}")))?;
    let mut wanted: Vec<(String, bool)> = Vec::new();
    let (mut page, mut size) = (0usize, profile.list.page_size.default);
    for (i, (k, _)) in filters.iter().enumerate() {
        if filters[..i].iter().any(|(seen, _)| seen == k) {
            return Err(ApiError::new(
                ErrorCode::InvalidArgument,
                format!("{k} is given more than once"),
            ));
        }
    }
    for (k, v) in &filters {
        if profile.list.filters.contains(k) {
            wanted.push((k.clone(), rules::parse_filter(k, v)?));
        } else if k == "Page" {
            // The documents type Page as int32: a value beyond it is refused, not echoed.
            page = v
                .parse::<i32>()
                .ok()
                .and_then(|p| usize::try_from(p).ok())
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidArgument,
                        format!("Page must be a whole number from 0 to {}, not {v:?}", i32::MAX),
                    )
                })?;
        } else if k == "PageSize" {
            let max = profile.list.page_size.max;
            size = v.parse().ok().filter(|s| (1..=max).contains(s)).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidArgument,
                    format!("PageSize must be from 1 to {max}, not {v:?}"),
                )
            })?;
        } else if !profile.list.paging.contains(k) {
            return Err(ApiError::new(
                ErrorCode::InvalidArgument,
                format!("Unknown filter {k}; use {}", profile.list.filters.join(" or ")),
            ));
        }
    }
    Ok(ListQuery { wanted, page, size })
}

/// A page of a conference's participants, as the query asks.
fn list(
    account: &str,
    conf: &state::Conference,
    query: Option<&str>,
    profile: &Profile,
) -> Result<SimResponse, ApiError> {
    let ListQuery { wanted, page, size } = list_query(query, profile)?;
    let matching: Vec<&Participant> = conf
        .participants
        .iter()
        .filter(|p| wanted.iter().all(|(filter, want)| p.flag(filter) == Some(*want)))
        .collect();
    let start = page.saturating_mul(size);
    let participants: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(size)
        .map(|p| p.to_json(account, &conf.sid, profile))
        .collect();
    // The links take the profile's documented form: SignalWire's have no `.json`; a profile
    // whose `uri`s keep `.json` while its request paths drop it (Telnyx) writes them with it.
    let form = match profile.uri_json {
        crate::spec::profile::UriJson::Required => crate::spec::profile::PathForm::Json,
        crate::spec::profile::UriJson::Optional => profile.paths,
    };
    let path = spec::in_form(spec::participants_path(profile.dialect(), account, &conf.sid), form);
    let filter_query: String = wanted.iter().map(|(k, v)| format!("{k}={v}&")).collect();
    let page_uri = |n: usize| format!("{path}?{filter_query}PageSize={size}&Page={n}");
    let uri = match query {
        Some(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.clone(),
    };
    let more = matching.len() > start.saturating_add(size);
    let end = (start + participants.len()).saturating_sub(1).max(start);
    let mut page = json!({
        "participants": participants,
        "uri": uri,
        "first_page_uri": page_uri(0),
        "next_page_uri": more.then(|| page_uri(page + 1)),
        "previous_page_uri": (page > 0).then(|| page_uri(page - 1)),
        "page": page,
        "page_size": size,
        "start": start,
        "end": end,
        "account_sid": account,
        "conference_sid": conf.sid,
    });
    if let Value::Object(keys) = &mut page {
        keys.retain(|k, _| profile.list.envelope.contains(k));
    }
    Ok(SimResponse::ok(page))
}

/// What goes back on the wire: a status, a content type and the bytes, and an `Allow` header
/// on a 405. The server (`server.rs`), for the embedded target and `serve` alike,
/// send exactly this.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, where there is a body.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Vec<u8>,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static [&'static str]>,
    /// The `Retry-After` header (seconds) of a 503.
    pub retry_after: Option<u64>,
    /// The `Date` header, when it is not the server's clock (a variation's); `None`: hyper
    /// writes the current time.
    pub date: Option<time::OffsetDateTime>,
}

impl Reply {
    /// A JSON body (none for `None`) with its status. Written by serde_json's own writer
    /// (`to_vec`): the same bytes as the `Display` of a `Value`, which goes through the
    /// formatter one piece at a time and cost serve a sixth of its time per request.
    pub(crate) fn json(status: u16, body: Option<Value>) -> Self {
        match body {
            Some(body) => Reply {
                status,
                content_type: Some(spec::wire::JSON),
                body: serde_json::to_vec(&body).unwrap_or_default(),
                allow: None,
                retry_after: None,
                date: None,
            },
            None => Reply {
                status,
                content_type: None,
                body: Vec::new(),
                allow: None,
                retry_after: None,
                date: None,
            },
        }
    }
}

impl From<SimResponse> for Reply {
    /// The healthy space's answer on the wire: its JSON body, and its `Allow` header.
    fn from(response: SimResponse) -> Self {
        Reply {
            allow: response.allow,
            ..Reply::json(response.status, response.body)
        }
    }
}
