//! The rules of the simulated space: how an update is validated and applied, and the errors it
//! answers with.
//!
//! An update is validated completely before anything changes, so a refused update leaves the
//! participant exactly as it was (SPEC.md section 4).

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::spec::ErrorCode;
use crate::spec::Profile;
use crate::spec::params;
use crate::spec::profile::UnknownParams;

use super::participant::Participant;
use super::state::{Conference, ConferenceStatus};

/// A refusal: the documented code and a message that says what to send instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The documented code, which fixes the HTTP status.
    pub code: ErrorCode,
    /// A sentence for the client's developer.
    pub message: String,
    /// For a method the resource does not allow, the methods it does: the `Allow` header RFC
    /// 9110 requires on a 405.
    pub allow: Option<&'static [&'static str]>,
}

impl ApiError {
    /// A refusal with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            allow: None,
        }
    }

    /// The documented error body `{code, message, more_info, status}`.
    pub fn body(&self) -> Value {
        json!({
            "code": self.code.code(),
            "message": self.message,
            "more_info": self.code.more_info(),
            "status": self.code.http_status(),
        })
    }
}

/// An update that passed validation of its own values; every field is what the request set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// `Muted`.
    pub muted: Option<bool>,
    /// `Hold`.
    pub hold: Option<bool>,
    /// `HoldUrl`.
    pub hold_url: Option<String>,
    /// `HoldMethod`.
    pub hold_method: Option<String>,
    /// `AnnounceUrl`.
    pub announce_url: Option<String>,
    /// `AnnounceMethod`.
    pub announce_method: Option<String>,
    /// `Coaching`.
    pub coaching: Option<bool>,
    /// `CallSidToCoach`.
    pub call_sid_to_coach: Option<String>,
    /// `Beep`.
    pub beep: Option<bool>,
    /// `WaitUrl`.
    pub wait_url: Option<String>,
    /// `WaitMethod`.
    pub wait_method: Option<String>,
    /// `BeepOnExit`.
    pub beep_on_exit: Option<bool>,
    /// `EndConferenceOnExit`.
    pub end_conference_on_exit: Option<bool>,
}

/// The longest value an update may set. The space keeps what an update sets (a URL, say) for
/// as long as the participant lives: bounded, so that its budget (`state::SPACE_BUDGET`)
/// bounds its memory too.
pub const MAX_VALUE: usize = 1024;

/// Reads the form parameters of an update as `profile` documents them, refusing repeated keys,
/// values of the wrong kind or over [`MAX_VALUE`] bytes, and refusing or leaving out (as the
/// profile says) keys it does not document.
pub fn parse_update(form: &[(String, String)], profile: &Profile) -> Result<Update, ApiError> {
    let mut update = Update::default();
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in form {
        let documented = params::param(key).filter(|p| profile.has_param(p.name));
        if documented.is_none() && profile.unknown_params == UnknownParams::Ignore {
            continue;
        }
        let Some(param) = documented else {
            let hint = match params::suggest(key) {
                // A key of another generation: naming it back would be no help.
                Some(name) if name == key => format!(
                    "; the {} generation does not take it, its keys are {}",
                    profile.name,
                    profile.params.join(", ")
                ),
                Some(name) => format!("; did you mean {name}? Keys are PascalCase"),
                None => "; see the documented parameter table".to_string(),
            };
            return Err(ApiError::new(
                ErrorCode::InvalidArgument,
                format!("Unknown parameter {key:?}{hint}"),
            ));
        };
        if seen.contains(&param.name) {
            return Err(ApiError::new(
                ErrorCode::InvalidArgument,
                format!("{} is given more than once", param.name),
            ));
        }
        seen.push(param.name);
        // A generation may read a boolean that is neither true nor false as false (Twilio's
        // Muted) instead of refusing it.
        let lenient = profile.false_unless_true.iter().any(|p| p == param.name);
        let value = &if lenient && params::parse_bool(value).is_none() {
            "false".to_string()
        } else {
            value.clone()
        };
        if value.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidArgument,
                format!("{} is blank; omit it or give a value", param.name),
            ));
        }
        if !param.kind.accepts(value) {
            return Err(ApiError::new(
                param.kind.error_code(),
                format!("{} must be {}, not {value:?}", param.name, param.kind.expectation()),
            ));
        }
        if value.len() > MAX_VALUE {
            return Err(ApiError::new(
                param.kind.error_code(),
                format!(
                    "{} is {} bytes long; the simulated space keeps values of at most {MAX_VALUE} bytes",
                    param.name,
                    value.len()
                ),
            ));
        }
        let value = value.clone();
        match param.name {
            "Muted" => update.muted = read_bool(&value),
            "Hold" => update.hold = read_bool(&value),
            "Coaching" => update.coaching = read_bool(&value),
            "Beep" => update.beep = read_bool(&value),
            "HoldMethod" => update.hold_method = Some(value),
            "AnnounceMethod" => update.announce_method = Some(value),
            "HoldUrl" => update.hold_url = Some(value),
            "AnnounceUrl" => update.announce_url = Some(value),
            "CallSidToCoach" => update.call_sid_to_coach = Some(value),
            "WaitUrl" => update.wait_url = Some(value),
            "WaitMethod" => update.wait_method = Some(value),
            "BeepOnExit" => update.beep_on_exit = read_bool(&value),
            "EndConferenceOnExit" => update.end_conference_on_exit = read_bool(&value),
            other => {
                return Err(ApiError::new(
                    ErrorCode::InvalidArgument,
                    format!("{other} is documented but this simulated space does not implement it"),
                ));
            }
        }
    }
    Ok(update)
}

/// A boolean already validated.
fn read_bool(value: &str) -> Option<bool> {
    params::parse_bool(value)
}

/// A completed conference's participants can be read but not changed: not updated (SPEC.md
/// section 4, code 10000), and not removed either.
pub fn check_running(conference: &Conference) -> Result<(), ApiError> {
    if conference.status == ConferenceStatus::Completed {
        return Err(ApiError::new(
            ErrorCode::InvalidArgument,
            format!(
                "Conference {} is completed; its participants can no longer be changed",
                conference.sid
            ),
        ));
    }
    Ok(())
}

/// Checks what an update asks against the conference: the conference is running, and a coach
/// coaches another participant of the same conference.
pub fn check_against(update: &Update, conference: &Conference, me: &Participant) -> Result<(), ApiError> {
    check_running(conference)?;
    if update.coaching == Some(true) && update.call_sid_to_coach.is_none() {
        return Err(ApiError::new(
            ErrorCode::InvalidConferenceAttributes,
            "Coaching=true needs CallSidToCoach: name the participant to coach",
        ));
    }
    if let Some(target) = &update.call_sid_to_coach {
        if update.coaching == Some(false) {
            return Err(ApiError::new(
                ErrorCode::InvalidConferenceAttributes,
                "CallSidToCoach names whom to coach, but Coaching=false stops coaching; send one or the other",
            ));
        }
        if target == &me.call_sid {
            return Err(ApiError::new(
                ErrorCode::InvalidConferenceAttributes,
                "A participant cannot coach itself",
            ));
        }
        if conference.participant(target).is_none() {
            return Err(ApiError::new(
                ErrorCode::InvalidConferenceAttributes,
                format!(
                    "The participant to be coached ({target}) is not in conference {}",
                    conference.sid
                ),
            ));
        }
    }
    Ok(())
}

/// Applies a validated update. `date_updated` becomes the time of the update (never earlier
/// than it was): at the one-second resolution of RFC 2822, two updates in the same second show
/// the same date, which the harness allows: it judges `date_updated` by bounds (`check::dates`).
pub fn apply(p: &mut Participant, update: Update, now: OffsetDateTime) {
    if let Some(m) = update.muted {
        p.muted = m;
    }
    if let Some(h) = update.hold {
        p.hold = h;
    }
    if let Some(u) = update.hold_url {
        p.hold_url = Some(u);
    }
    if let Some(m) = update.hold_method {
        p.hold_method = m;
    }
    if let Some(u) = update.announce_url {
        p.announce_url = Some(u);
    }
    if let Some(m) = update.announce_method {
        p.announce_method = m;
    }
    if let Some(b) = update.beep {
        p.beep = b;
    }
    if let Some(u) = update.wait_url {
        p.wait_url = Some(u);
    }
    if let Some(m) = update.wait_method {
        p.wait_method = m;
    }
    if let Some(b) = update.beep_on_exit {
        p.beep_on_exit = b;
    }
    if let Some(e) = update.end_conference_on_exit {
        p.end_conference_on_exit = e;
    }
    // "Coaching defaults to false unless call_sid_to_coach is defined" (all three generations):
    // naming whom to coach starts coaching.
    match update.coaching {
        Some(false) => {
            p.coaching = false;
            p.call_sid_to_coach = None;
        }
        Some(true) => p.coaching = true,
        None if update.call_sid_to_coach.is_some() => p.coaching = true,
        None => {}
    }
    if let Some(target) = update.call_sid_to_coach {
        p.call_sid_to_coach = Some(target);
    }
    p.date_updated = later_of(now, p.date_updated);
}

fn later_of(a: OffsetDateTime, b: OffsetDateTime) -> OffsetDateTime {
    if a > b { a } else { b }
}

/// Reads a `Muted` / `Hold` list filter.
pub fn parse_filter(name: &str, value: &str) -> Result<bool, ApiError> {
    params::parse_bool(value).ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidArgument,
            format!("The {name} filter must be true or false, not {value:?}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::state::now;
    use time::Duration;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn twilio_reads_a_muted_that_is_neither_true_nor_false_as_false() {
        let profile = |n| Profile::by_name(n).unwrap();
        for value in ["yes", "", "1"] {
            let muted = form(&[("Muted", value)]);
            assert_eq!(
                parse_update(&muted, profile("twilio")).unwrap().muted,
                Some(false),
                "{value:?}"
            );
            assert!(parse_update(&muted, profile("seed")).is_err(), "{value:?}");
        }
        assert!(parse_update(&form(&[("Hold", "yes")]), profile("twilio")).is_err());
    }

    #[test]
    fn documented_examples_parse() {
        let u = parse_update(
            &form(&[
                ("Muted", "False"),
                ("Coaching", "True"),
                ("Beep", "False"),
                ("CallSidToCoach", "x"),
            ]),
            Profile::seed(),
        )
        .unwrap();
        assert_eq!(u.muted, Some(false));
        assert_eq!(u.coaching, Some(true));
        assert_eq!(u.call_sid_to_coach.as_deref(), Some("x"));
    }

    #[test]
    fn each_generation_takes_its_own_parameters() {
        let profile = |n| Profile::by_name(n).unwrap();
        let wait = form(&[("WaitUrl", "http://a.b/wait"), ("WaitMethod", "GET")]);
        assert!(
            parse_update(&wait, Profile::seed()).is_err(),
            "the seed documents no WaitUrl"
        );
        assert_eq!(
            parse_update(&wait, profile("signalwire")).unwrap().wait_url.as_deref(),
            Some("http://a.b/wait")
        );
        let beep = form(&[("Beep", "false"), ("Muted", "true")]);
        assert_eq!(
            parse_update(&beep, profile("signalwire")).unwrap_err().code,
            ErrorCode::InvalidArgument
        );
        let exit = parse_update(&form(&[("BeepOnExit", "false")]), profile("signalwire")).unwrap_err();
        assert!(
            !exit.message.contains("did you mean") && exit.message.contains("does not take it"),
            "a key of another generation is not suggested back: {}",
            exit.message
        );
        let twilio = parse_update(&beep, profile("twilio")).unwrap();
        assert_eq!(
            (twilio.beep, twilio.muted),
            (None, Some(true)),
            "Twilio leaves out what it does not know"
        );
        let end = form(&[("EndConferenceOnExit", "true")]);
        assert_eq!(
            parse_update(&end, profile("twilio")).unwrap().end_conference_on_exit,
            Some(true)
        );
    }

    #[test]
    fn refusals_carry_their_documented_code() {
        let code = |pairs: &[(&str, &str)]| parse_update(&form(pairs), Profile::seed()).unwrap_err().code;
        assert_eq!(code(&[("muted", "true")]), ErrorCode::InvalidArgument);
        assert_eq!(code(&[("Muted", "yes")]), ErrorCode::InvalidArgument);
        assert_eq!(code(&[("HoldMethod", "PUT")]), ErrorCode::InvalidMethod);
        assert_eq!(code(&[("HoldUrl", "/hold")]), ErrorCode::InvalidUrl);
        assert_eq!(code(&[("CallSidToCoach", "")]), ErrorCode::InvalidArgument);
        assert_eq!(
            code(&[("Muted", "true"), ("Muted", "false")]),
            ErrorCode::InvalidArgument
        );
    }

    #[test]
    fn date_updated_takes_the_time_of_the_update_and_never_goes_back() {
        let t = now();
        let mut p = Participant::joined("a".into(), t, crate::spec::Profile::seed());
        apply(&mut p, Update::default(), t + Duration::SECOND);
        assert_eq!(p.date_updated, t + Duration::SECOND);
        apply(&mut p, Update::default(), t);
        assert_eq!(p.date_updated, t + Duration::SECOND);
        assert_eq!(p.date_created, t);
    }
}
