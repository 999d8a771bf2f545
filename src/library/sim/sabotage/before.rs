//! Before the model reads the request: a fault refuses what the model accepts, or rewrites
//! the request so the model accepts what it would refuse.

use serde_json::Value;

use crate::spec::params::{self, ParamKind};
use crate::spec::{self, ApiPath, ErrorCode};

use super::{Before, Place, Rewritten};
use crate::sim::faults::Fault;
use crate::sim::rules::ApiError;
use crate::sim::state::{ConferenceStatus, Space};

/// A fault that refuses what the model accepts answers before the model runs.
pub(super) fn refuse(fault: Fault, space: &Space, request: &Rewritten) -> Option<ApiError> {
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

pub(super) fn rewrite(
    fault: Fault,
    space: &mut Space,
    request: &mut Rewritten,
    at: Option<&Place>,
    before: &mut Before,
) {
    let is_update = request.method == "POST" && at.is_some_and(|p| p.call.is_some());
    match fault {
        Fault::PutAccepted if matches!(request.method.as_str(), "PUT" | "PATCH") => request.method = "POST".into(),
        Fault::AuthNotChecked => {
            if let Some(account) = at.and_then(|p| space.accounts.get(&p.account)) {
                let c = &account.credentials;
                request.authorization = Some(space.profile.auth.header(&c.project_id, c.token.expose()));
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
