//! The form parameters an update may carry (SPEC.md section 1).
//!
//! The table is what both the simulated space validates against and the request check compares
//! a sent request with, so a parameter added here is known to both at once.

use super::ErrorCode;

/// What kind of value a parameter takes, which decides how it is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// `true` or `false`, in any case: the documentation writes lowercase, its cURL examples
    /// send `True`/`False`, and clients in the wild send both.
    Boolean,
    /// The sid of another participant of the same conference.
    Sid,
    /// A fully qualified `http` or `https` URL.
    Url,
    /// `GET` or `POST`.
    Method,
}

impl ParamKind {
    /// What a value of this kind must be, in the words failure messages use.
    pub fn expectation(self) -> &'static str {
        match self {
            ParamKind::Boolean => "true or false (any case)",
            ParamKind::Sid => "the sid of another participant of the same conference",
            ParamKind::Url => "a fully qualified http or https URL",
            ParamKind::Method => "GET or POST",
        }
    }

    /// Whether `value` is a valid value of this kind; a blank value never is.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            ParamKind::Boolean => parse_bool(value).is_some(),
            ParamKind::Sid => !value.is_empty(),
            ParamKind::Url => is_absolute_url(value),
            ParamKind::Method => is_method(value),
        }
    }

    /// The documented code a server answers for a value of this kind that is not blank but
    /// wrong (a blank value is always 10000).
    pub fn error_code(self) -> ErrorCode {
        match self {
            ParamKind::Method => ErrorCode::InvalidMethod,
            ParamKind::Url => ErrorCode::InvalidUrl,
            ParamKind::Boolean | ParamKind::Sid => ErrorCode::InvalidArgument,
        }
    }
}

/// One documented form parameter of the update request.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The PascalCase form key, exactly as the documentation spells it.
    pub name: &'static str,
    /// How its value is validated.
    pub kind: ParamKind,
    /// Whether the seed's parameter table has it: not `Beep`, which its examples send but the
    /// table omits (errata 1), nor the later generations' parameters.
    pub in_table: bool,
    /// The documentation's own sentence, so failure messages can quote it.
    pub meaning: &'static str,
    /// The fields of the resource an update with this parameter may change; every other field
    /// but `date_updated` must stay as it was. `Coaching` and `CallSidToCoach` each may move
    /// both coaching fields (stopping clears whom; naming whom may start coaching); `Hold` and
    /// `HoldUrl` the seed's optional `hold_url`, which its hold example echoes.
    pub sets: &'static [&'static str],
}

/// Every parameter an update may carry in some generation of the documentation: the seed's
/// table in its order, then the later generations' (each profile names those it documents).
pub const PARAMS: &[Param] = &[
    Param {
        name: "CallSidToCoach",
        kind: ParamKind::Sid,
        in_table: true,
        meaning: "The participant being coached; only they hear the coach.",
        sets: &["call_sid_to_coach", "coaching"],
    },
    Param {
        name: "Coaching",
        kind: ParamKind::Boolean,
        in_table: true,
        meaning: "Whether the participant is coaching another call; if true, CallSidToCoach must be set.",
        sets: &["coaching", "call_sid_to_coach"],
    },
    Param {
        name: "AnnounceMethod",
        kind: ParamKind::Method,
        in_table: true,
        meaning: "Whether the request to AnnounceUrl is a GET or a POST. Default POST.",
        sets: &[],
    },
    Param {
        name: "AnnounceUrl",
        kind: ParamKind::Url,
        in_table: true,
        meaning: "The URL to send participant announcements to.",
        sets: &[],
    },
    Param {
        name: "Hold",
        kind: ParamKind::Boolean,
        in_table: true,
        meaning: "Whether the participant is on hold.",
        sets: &["hold", "hold_url"],
    },
    Param {
        name: "HoldMethod",
        kind: ParamKind::Method,
        in_table: true,
        meaning: "Whether the request to HoldUrl is a GET or a POST. Default POST.",
        sets: &[],
    },
    Param {
        name: "HoldUrl",
        kind: ParamKind::Url,
        in_table: true,
        meaning: "The URL of hold music played while the participant is on hold.",
        sets: &["hold_url"],
    },
    Param {
        name: "Muted",
        kind: ParamKind::Boolean,
        in_table: true,
        meaning: "Whether the participant is muted.",
        sets: &["muted"],
    },
    Param {
        name: "WaitUrl",
        kind: ParamKind::Url,
        in_table: false,
        meaning: "The URL of the music played while the participant waits (SignalWire's current description, Twilio).",
        sets: &[],
    },
    Param {
        name: "WaitMethod",
        kind: ParamKind::Method,
        in_table: false,
        meaning: "Whether the request to WaitUrl is a GET or a POST (SignalWire's current description, Twilio).",
        sets: &[],
    },
    Param {
        name: "BeepOnExit",
        kind: ParamKind::Boolean,
        in_table: false,
        meaning: "Whether a beep plays when the participant leaves (Twilio).",
        sets: &[],
    },
    Param {
        name: "EndConferenceOnExit",
        kind: ParamKind::Boolean,
        in_table: false,
        meaning: "Whether the conference ends when the participant leaves (Twilio).",
        sets: &["end_conference_on_exit"],
    },
    Param {
        name: "Beep",
        kind: ParamKind::Boolean,
        in_table: false,
        meaning: "Sent by the coaching and monitoring examples; not in the table (errata 1).",
        sets: &[],
    },
];

/// The documented parameter with exactly this key, if any: keys are case-sensitive PascalCase.
pub fn param(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.name == name)
}

/// The documented key that `name` was probably meant to be (same letters, other case), so an
/// error can say "did you mean …".
pub fn suggest(name: &str) -> Option<&'static str> {
    PARAMS
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name) || p.name.eq_ignore_ascii_case(&name.replace('_', "")))
        .map(|p| p.name)
}

/// Whether `key`, in any spelling a client might use, is a parameter whose value is a call sid:
/// scenarios write participants' names there, which the steps turn into sids.
pub fn takes_call_sid(key: &str) -> bool {
    suggest(key).and_then(param).is_some_and(|p| p.kind == ParamKind::Sid)
}

/// The resource fields that an update with these form keys may change (keys that are not
/// documented parameters change nothing).
pub fn fields_set_by<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut fields: Vec<&'static str> = keys
        .into_iter()
        .filter_map(param)
        .flat_map(|p| p.sets.iter().copied())
        .collect();
    fields.sort_unstable();
    fields.dedup();
    fields
}

/// Parses a documented boolean value: `true`/`false` in any case, nothing else.
pub fn parse_bool(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Whether `value` is one of the two documented HTTP methods for a callback URL, spelled as the
/// documentation spells them (uppercase).
pub fn is_method(value: &str) -> bool {
    value == "GET" || value == "POST"
}

/// Whether `value` is a fully qualified http(s) URL, as `HoldUrl` and `AnnounceUrl` must be.
pub fn is_absolute_url(value: &str) -> bool {
    url::Url::parse(value)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_update_may_change_only_the_fields_its_keys_set() {
        assert_eq!(super::fields_set_by(["Muted"]), ["muted"]);
        assert_eq!(super::fields_set_by(["Hold", "HoldUrl"]), ["hold", "hold_url"]);
        assert_eq!(
            super::fields_set_by(["CallSidToCoach"]),
            ["call_sid_to_coach", "coaching"]
        );
        assert!(super::fields_set_by(["AnnounceUrl", "Volume", "Beep"]).is_empty());
    }

    use super::*;

    #[test]
    fn booleans_are_case_insensitive_and_nothing_else() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool("1"), None);
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(parse_bool(""), None);
    }

    #[test]
    fn urls_must_be_fully_qualified_http() {
        assert!(is_absolute_url("http://www.your-application.com/hold"));
        assert!(is_absolute_url("https://example.com"));
        assert!(!is_absolute_url("/hold"));
        assert!(!is_absolute_url("www.your-application.com/hold"));
        assert!(!is_absolute_url("ftp://example.com/hold"));
    }

    #[test]
    fn keys_are_pascal_case_with_suggestions() {
        assert!(param("Muted").is_some());
        assert!(param("muted").is_none());
        assert_eq!(suggest("callSidToCoach"), Some("CallSidToCoach"));
        assert_eq!(suggest("hold_url"), Some("HoldUrl"));
        assert_eq!(suggest("Volume"), None);
    }
}
