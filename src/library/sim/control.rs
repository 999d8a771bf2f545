//! The control plane of the simulated space, under `/__laml/`: the state-setup endpoint a
//! remote run arranges its conferences with, and the request journal with its verdicts.
//!
//! Setup protocol (what any implementation may offer to be tested with fresh state):
//! - `POST {setup}/conferences` with `{"participants": ["agent", …], "account_sid"?: "…"}`
//!   answers 201 `{"account_sid", "api_token", "conference_sid", "participants": {"agent": sid, …}}`;
//!   each participant joins with its name as its label, where the generation has labels;
//!   with `account_sid`, the conference is arranged in that existing account and no token is
//!   answered (the caller has it).
//! - `POST {setup}/conferences/{ConferenceSid}/complete` with `{"account_sid": "…"}` ends the
//!   conference and answers 204.
//! - `DELETE {setup}/accounts/{AccountSid}` forgets the account, with all it holds and its
//!   journal, and answers 204: a caller that is done with what it arranged gives it back, so
//!   the space's budget holds what is in use, however long the caller goes on arranging.
//!
//! `GET /__laml/journal` answers the journal: the last requests, each with its verdict.
//!
//! Each account's part belongs to it: the journal shows a caller only the requests to its own
//! account, and arranging a second conference in an account, ending one or releasing the
//! account needs that account's Basic credentials (a new account needs none: it is the
//! caller's to take).

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use std::time::Duration;

use super::http::{Reply, SimRequest};
use super::journal::Journal;
use super::state::{Full, IN_USE, MAX_ACCOUNTS, SPACE_BUDGET, Space};
use crate::setup::ArrangedConference;
pub use crate::setup::SETUP_PATH;
use crate::spec::ErrorCode;

/// Where the control plane lives.
pub const PREFIX: &str = "/__laml/";
/// The most participants one setup request may ask for.
const MAX_NAMES: usize = 100;
/// The longest name (a participant's label) a setup request may give: the space keeps it.
pub const MAX_NAME: usize = 128;

/// What a control request of an account says without that account's credentials.
const UNAUTHENTICATED: &str = "send Basic auth with the account's project id and API token: the journal, a second conference and the end of one belong to their account";

fn problem(status: u16, message: &str) -> (u16, Option<Value>) {
    (status, Some(json!({ "message": message })))
}

/// The space has no room for the arrangement without forgetting an account in use: 503 with
/// the documented error body (code 20429, too many) and when to ask again.
fn full(retry_after: Duration) -> Reply {
    let code = ErrorCode::TooManyRequests;
    let seconds = retry_after.as_secs().max(1);
    let body = json!({
        "code": code.code(),
        "message": format!(
            "The simulated space holds as much as it keeps ({SPACE_BUDGET} accounts, conferences and participants together, at most {MAX_ACCOUNTS} accounts), every account used in the last {} minutes; try again in {seconds} s, or end what you no longer need",
            IN_USE.as_secs() / 60
        ),
        "more_info": code.more_info(),
        "status": 503,
    });
    Reply {
        retry_after: Some(seconds),
        date: None,
        ..Reply::json(503, Some(body))
    }
}

/// Answers one control request.
pub fn handle(space: &Mutex<Space>, journal: &Arc<Mutex<Journal>>, req: &SimRequest<'_>) -> Reply {
    match route(space, journal, req) {
        Ok((status, body)) => Reply::json(status, body),
        Err(Full { retry_after }) => full(retry_after),
    }
}

fn route(
    space: &Mutex<Space>,
    journal: &Arc<Mutex<Journal>>,
    req: &SimRequest<'_>,
) -> Result<(u16, Option<Value>), Full> {
    let rest = req.path.strip_prefix(PREFIX).unwrap_or_default();
    let segments: Vec<&str> = rest.split('/').collect();
    Ok(match (req.method, segments.as_slice()) {
        ("GET", ["journal"]) => {
            let caller = {
                let space = space.lock().unwrap_or_else(|p| p.into_inner());
                match super::http::authenticate_as(&space, req.authorization, crate::spec::wire::AuthScheme::Basic) {
                    Ok(account) => account.to_string(),
                    Err(_) => return Ok(problem(401, UNAUTHENTICATED)),
                }
            };
            let entries: Vec<Value> = journal
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .of(&caller)
                .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
                .collect();
            (200, Some(json!({ "requests": entries })))
        }
        ("POST", ["setup", "conferences"]) => {
            let Ok(ask) = serde_json::from_slice::<Value>(req.body) else {
                return Ok(problem(400, "send JSON: {\"participants\": [\"agent\", …]}"));
            };
            let Some(names) = ask.get("participants").and_then(Value::as_array) else {
                return Ok(problem(400, "\"participants\" must be an array of names"));
            };
            let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
            if names.len() > MAX_NAMES {
                return Ok(problem(400, "at most 100 participants per conference"));
            }
            if names.iter().any(|n| n.len() > MAX_NAME) {
                return Ok(problem(400, &format!("a name is at most {MAX_NAME} bytes long")));
            }
            if let Some(twice) = names
                .iter()
                .enumerate()
                .find_map(|(i, n)| names[..i].contains(n).then_some(n))
            {
                return Ok(problem(
                    400,
                    &format!("the name {twice:?} is asked for twice; each participant needs a name of its own"),
                ));
            }
            let mut space = space.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(account) = ask.get("account_sid").and_then(Value::as_str)
                && super::http::authenticate_as(&space, req.authorization, crate::spec::wire::AuthScheme::Basic).ok()
                    != Some(account)
            {
                return Ok(problem(401, UNAUTHENTICATED));
            }
            match ask.get("account_sid").and_then(Value::as_str) {
                // The caller has this account's token already: it is not handed out again.
                Some(account) => match space.try_arrange_conference_in(account, &names)? {
                    Some(a) => (201, Some(describe(&a, false))),
                    None => problem(404, "no such account, or it holds 100 conferences already"),
                },
                None => (201, Some(describe(&space.try_arrange_conference(&names)?, true))),
            }
        }
        ("POST", ["setup", "conferences", conference, "complete"]) => {
            let account = serde_json::from_slice::<Value>(req.body)
                .ok()
                .and_then(|v| v.get("account_sid").and_then(Value::as_str).map(str::to_string));
            let Some(account) = account else {
                return Ok(problem(400, "send JSON: {\"account_sid\": \"…\"}"));
            };
            let mut space = space.lock().unwrap_or_else(|p| p.into_inner());
            if super::http::authenticate_as(&space, req.authorization, crate::spec::wire::AuthScheme::Basic).ok()
                != Some(account.as_str())
            {
                return Ok(problem(401, UNAUTHENTICATED));
            }
            if space.complete_conference(&account, conference) {
                (204, None)
            } else {
                problem(404, "no such conference in that account")
            }
        }
        ("DELETE", ["setup", "accounts", account]) => {
            {
                let mut space = space.lock().unwrap_or_else(|p| p.into_inner());
                if super::http::authenticate_as(&space, req.authorization, crate::spec::wire::AuthScheme::Basic).ok()
                    != Some(*account)
                {
                    return Ok(problem(401, UNAUTHENTICATED));
                }
                space.forget(account);
            }
            journal.lock().unwrap_or_else(|p| p.into_inner()).forget(account);
            (204, None)
        }
        _ => problem(
            404,
            "control endpoints: GET /__laml/journal, POST /__laml/setup/conferences, DELETE /__laml/setup/accounts/{AccountSid}",
        ),
    })
}

/// The setup answer: ids, and the token of a new account (loopback only: a test server).
fn describe(a: &ArrangedConference, with_token: bool) -> Value {
    let participants: serde_json::Map<String, Value> = a
        .participants
        .iter()
        .map(|(n, s)| (n.clone(), Value::from(s.as_str())))
        .collect();
    let mut answer = json!({
        "account_sid": a.credentials.project_id,
        "conference_sid": a.conference_sid,
        "participants": participants,
    });
    if with_token {
        answer["api_token"] = Value::from(a.credentials.token.expose());
    }
    answer
}
