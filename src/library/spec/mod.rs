//! The documentation of "Update a Participant" as data.
//!
//! Everything the harness and the simulated space know about the endpoint comes from here, so
//! that a disagreement between them and the documentation can only live in one place. The
//! project keeps its own copy of the documentation it implements (`SPEC.md`,
//! `update-participant.seed.txt` and `documented/*.json` beside this file): it must work on a
//! machine that has nothing else.

pub mod deviation;
pub mod documented;
pub mod envelope;
pub mod errors;
pub mod ids;
pub mod params;
pub mod participant;
pub mod profile;
pub mod request;
pub mod wire;

pub use documented::DocumentedExample;
pub use errors::ErrorCode;
pub use params::{PARAMS, Param, ParamKind};
pub use participant::FieldFormat;
pub use profile::Profile;

/// A path form: the prefix before `/Accounts/…` (SPEC.md section 5).
///
/// The documentation and hand-written clients put `/api/laml` in front; some official client
/// libraries leave it out, and a server of this API is expected to answer both. Every other
/// prefix is a profile's `base_path` (data), so a generation with paths of its own needs no
/// code here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect(&'static str);

#[allow(non_upper_case_globals)]
impl Dialect {
    /// `/api/laml/2010-04-01/…`, as the documentation writes it.
    pub const SignalWire: Dialect = Dialect("/api/laml/2010-04-01");
    /// `/2010-04-01/…`, as Twilio-derived client libraries build it.
    pub const Twilio: Dialect = Dialect("/2010-04-01");
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect::SignalWire
    }
}

impl Dialect {
    /// The path prefix before `/Accounts/…`, so that every path is built from one template.
    pub fn prefix(self) -> &'static str {
        self.0
    }

    /// The path form whose prefix is `prefix`: one of the two above or a profile's base path.
    pub fn of(prefix: &str) -> Option<Dialect> {
        Dialect::all().iter().copied().find(|d| d.0 == prefix)
    }

    /// Every path form the harness knows: the two above and each profile's base path, longest
    /// first, so that a path is read by the most specific prefix it has. Gathered once: the
    /// simulated space reads every request's path by them.
    pub fn all() -> &'static [Dialect] {
        static ALL: std::sync::OnceLock<Vec<Dialect>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| {
            let mut all = vec![Dialect::SignalWire, Dialect::Twilio];
            for p in profile::PROFILES.iter() {
                if !all.iter().any(|d| d.0 == p.base_path) {
                    all.push(Dialect(p.base_path.as_str()));
                }
            }
            all.sort_by_key(|d| std::cmp::Reverse(d.0.len()));
            all
        })
    }
}

/// The path form of `path`: the most specific known prefix it starts with.
pub fn path_form(path: &str) -> Option<Dialect> {
    Dialect::all()
        .iter()
        .copied()
        .find(|d| path.strip_prefix(d.prefix()).is_some_and(|rest| rest.starts_with('/')))
}

/// The three sids that name one participant: its account, its conference and its call. They
/// make its path, and they decide which values of an answer are "its own".
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ParticipantRef {
    /// The AccountSid (the project id).
    pub account_sid: String,
    /// The ConferenceSid.
    pub conference_sid: String,
    /// The participant's CallSid.
    pub call_sid: String,
}

impl ParticipantRef {
    /// The participant's own path in `dialect`.
    pub fn path(&self, dialect: Dialect) -> String {
        participant_path(dialect, &self.account_sid, &self.conference_sid, &self.call_sid)
    }
}

/// The path of one participant, as the documented `uri` field and the request line write it.
///
/// One template for the request path and the `uri` field, so the two cannot drift apart.
pub fn participant_path(dialect: Dialect, account: &str, conference: &str, call: &str) -> String {
    format!(
        "{}/Accounts/{account}/Conferences/{conference}/Participants/{call}.json",
        dialect.prefix()
    )
}

/// `path` (a participant's or a list's, built with `.json`) in the path form `form`.
pub fn in_form(path: String, form: profile::PathForm) -> String {
    match form {
        profile::PathForm::Json => path,
        profile::PathForm::Bare => path.strip_suffix(".json").map_or(path.clone(), str::to_string),
    }
}

/// The methods the participant resource allows: retrieve, update, delete.
pub const PARTICIPANT_METHODS: &[&str] = &["GET", "POST", "DELETE"];

/// The methods the participant list allows.
pub const LIST_METHODS: &[&str] = &["GET"];

/// The path of a conference's participant list (the List sibling endpoint).
pub fn participants_path(dialect: Dialect, account: &str, conference: &str) -> String {
    format!(
        "{}/Accounts/{account}/Conferences/{conference}/Participants.json",
        dialect.prefix()
    )
}

/// A path of this API, taken apart: one reading for the simulated space, which routes by it,
/// and for the request check, which judges clients by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiPath<'a> {
    /// `…/Participants/{CallSid}.json`; `json` is false when the suffix is missing.
    Participant {
        /// The AccountSid.
        account: &'a str,
        /// The ConferenceSid.
        conference: &'a str,
        /// The CallSid, without `.json`.
        call: &'a str,
        /// Whether the path ends in `.json`, as the documentation writes it.
        json: bool,
    },
    /// `…/Conferences/{ConferenceSid}/Participants.json`; `json` is false when the suffix is
    /// missing.
    List {
        /// The AccountSid.
        account: &'a str,
        /// The ConferenceSid.
        conference: &'a str,
        /// Whether the path ends in `.json`.
        json: bool,
    },
}

/// Reads a path of either dialect; `None` for anything that is not a participant or a list.
pub fn parse_path(path: &str) -> Option<ApiPath<'_>> {
    let rest = Dialect::all().iter().find_map(|d| path.strip_prefix(d.prefix()))?;
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        [
            "",
            "Accounts",
            account,
            "Conferences",
            conference,
            list @ ("Participants.json" | "Participants"),
        ] if !account.is_empty() && !conference.is_empty() => Some(ApiPath::List {
            account,
            conference,
            json: *list == "Participants.json",
        }),
        ["", "Accounts", account, "Conferences", conference, "Participants", call]
            if !account.is_empty() && !conference.is_empty() =>
        {
            let (call, json) = match call.strip_suffix(".json") {
                Some(c) => (c, true),
                None => (*call, false),
            };
            (!call.is_empty()).then_some(ApiPath::Participant {
                account,
                conference,
                call,
                json,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dialects_and_the_missing_suffix_are_read() {
        assert_eq!(
            parse_path("/2010-04-01/Accounts/a/Conferences/c/Participants/p.json"),
            Some(ApiPath::Participant {
                account: "a",
                conference: "c",
                call: "p",
                json: true
            })
        );
        assert_eq!(
            parse_path("/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p"),
            Some(ApiPath::Participant {
                account: "a",
                conference: "c",
                call: "p",
                json: false
            })
        );
        assert_eq!(
            parse_path("/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants.json"),
            Some(ApiPath::List {
                account: "a",
                conference: "c",
                json: true
            })
        );
        assert_eq!(
            parse_path("/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants"),
            Some(ApiPath::List {
                account: "a",
                conference: "c",
                json: false
            }),
            "SignalWire's current description lists without .json"
        );
        assert_eq!(
            parse_path("/api/laml/2010-04-01/Accounts//Conferences/c/Participants/p.json"),
            None
        );
        assert_eq!(parse_path("/Accounts/a/Conferences/c/Participants/p.json"), None);
    }
}
