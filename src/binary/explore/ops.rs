//! The operations `explore` sends (how they are drawn is `draw.rs`).
//!
//! Operations name participants, never sids: each side resolves a name to its own sid, and the
//! printed scenario writes the name, as the features do.

use std::fmt;

/// The participants of the first conference, as the features name them.
pub const FIRST: [&str; 3] = ["agent", "customer", "supervisor"];
/// The participants of the second conference of the same account, as `update.feature` names them.
pub const SECOND: [&str; 2] = ["caller", "host"];

/// A parameter value as a scenario's table writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// Sent as written.
    Text(String),
    /// The call sid of the participant of this name, each side its own.
    Sid(String),
    /// A call sid no participant has (`unknown sid` in a table).
    UnknownSid,
}

impl Val {
    pub(super) fn text(s: &str) -> Self {
        Val::Text(s.to_string())
    }

    /// The value as a table cell writes it: names stand for sids.
    pub fn written(&self) -> &str {
        match self {
            Val::Text(t) => t,
            Val::Sid(name) => name,
            Val::UnknownSid => "unknown sid",
        }
    }
}

/// Which credentials a refused mute is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creds {
    /// No `Authorization` header.
    Without,
    /// The account's id with a token that is not its own.
    WrongToken,
}

/// Which part of a participant's path names nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An account no one has.
    Account,
    /// A conference the account does not have.
    Conference,
}

/// One request of a sequence, with the name of the participant it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// A POST of these documented (in some generation) parameters, in this order; none is the
    /// update with no parameters.
    Update {
        /// Whom.
        who: String,
        /// `(key, value)` pairs.
        params: Vec<(String, Val)>,
    },
    /// A POST of one key no generation documents (or a documented one misspelt).
    Undocumented {
        /// Whom.
        who: String,
        /// The key.
        key: String,
        /// Its value.
        value: Val,
    },
    /// Another method on the participant's URL, with the form of a mute (as the step sends it).
    Method {
        /// Whom.
        who: String,
        /// `PUT`, `PATCH` or `DELETE`.
        method: &'static str,
    },
    /// A mute sent without the account's credentials.
    Credentials {
        /// Whom.
        who: String,
        /// Which credentials.
        how: Creds,
    },
    /// A mute of a participant in an account or conference that does not exist.
    UnknownPlace {
        /// Whose path.
        who: String,
        /// What is unknown.
        what: Place,
    },
    /// A mute of a call sid that is not in the first conference.
    UnknownParticipant,
    /// A POST whose body is not a form: JSON, or a form's text labelled `text/plain`.
    Body {
        /// Whom.
        who: String,
        /// True for JSON, false for text.
        json: bool,
        /// The body.
        text: String,
    },
    /// A GET of one participant.
    Retrieve {
        /// Whom.
        who: String,
    },
    /// A GET of the first conference's list with one filter.
    List {
        /// The filter (`Muted`, `Hold`, `Coaching`).
        filter: String,
        /// Its value.
        value: String,
    },
}

impl Op {
    /// The participant the operation is about, if one.
    pub fn who(&self) -> Option<&str> {
        match self {
            Op::Update { who, .. }
            | Op::Undocumented { who, .. }
            | Op::Method { who, .. }
            | Op::Credentials { who, .. }
            | Op::UnknownPlace { who, .. }
            | Op::Body { who, .. }
            | Op::Retrieve { who } => Some(who),
            Op::UnknownParticipant | Op::List { .. } => None,
        }
    }

    /// Every participant name the operation mentions (whom, and names in its values).
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.who().into_iter().collect();
        let values: Vec<&Val> = match self {
            Op::Update { params, .. } => params.iter().map(|(_, v)| v).collect(),
            Op::Undocumented { value, .. } => vec![value],
            _ => Vec::new(),
        };
        out.extend(values.into_iter().filter_map(|v| match v {
            Val::Sid(n) => Some(n.as_str()),
            _ => None,
        }));
        out
    }
}

impl Op {
    /// The same operation with each participant name mapped by `rename`.
    pub fn renamed(&self, rename: &dyn Fn(&str) -> String) -> Op {
        let val = |v: &Val| match v {
            Val::Sid(n) => Val::Sid(rename(n)),
            other => other.clone(),
        };
        let mut op = self.clone();
        match &mut op {
            Op::Update { who, params } => {
                *who = rename(who);
                params.iter_mut().for_each(|(_, v)| *v = val(v));
            }
            Op::Undocumented { who, value, .. } => {
                *who = rename(who);
                *value = val(value);
            }
            Op::Method { who, .. }
            | Op::Credentials { who, .. }
            | Op::UnknownPlace { who, .. }
            | Op::Body { who, .. }
            | Op::Retrieve { who } => *who = rename(who),
            Op::UnknownParticipant | Op::List { .. } => {}
        }
        op
    }
}

impl fmt::Display for Op {
    /// One line, for the comments above a printed scenario.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Update { who, params } if params.is_empty() => write!(f, "{who:?} updated with no parameters"),
            Op::Update { who, params } => {
                let pairs: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", v.written())).collect();
                write!(f, "{who:?} updated with {}", pairs.join(", "))
            }
            Op::Undocumented { who, key, value } => {
                write!(f, "{who:?} updated with the undocumented {key}={}", value.written())
            }
            Op::Method { who, method } => write!(f, "a {method} request to {who:?}"),
            Op::Credentials { who, how } => write!(f, "{who:?} muted {}", creds_words(*how)),
            Op::UnknownPlace { who, what } => write!(f, "{who:?} muted in an unknown {}", place_word(*what)),
            Op::UnknownParticipant => write!(f, "a participant not in the conference muted"),
            Op::Body { who, json, text } => {
                write!(
                    f,
                    "{who:?} updated with a {} body {text}",
                    if *json { "JSON" } else { "text" }
                )
            }
            Op::Retrieve { who } => write!(f, "{who:?} retrieved"),
            Op::List { filter, value } => write!(f, "the list with {filter}={value}"),
        }
    }
}

/// The words of the step that sends with these credentials.
pub fn creds_words(how: Creds) -> &'static str {
    match how {
        Creds::Without => "without credentials",
        Creds::WrongToken => "with a wrong token",
    }
}

/// The word of the step for an unknown place.
pub fn place_word(what: Place) -> &'static str {
    match what {
        Place::Account => "account",
        Place::Conference => "conference",
    }
}

/// A sequence from fresh conferences: what is arranged, then the operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Whether a second conference of the same account ([`SECOND`]) is arranged.
    pub second: bool,
    /// Whether the first conference has completed before the first operation.
    pub completed: bool,
    /// The operations, in order.
    pub ops: Vec<Op>,
}
