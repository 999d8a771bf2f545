//! The placeholders: one syntax, `[words]`, for every value that a normalised answer (the
//! committed snapshots), a regression recording (the baselines) or an explore view writes in
//! place of what differs from one run, one server or one side to the other.
//!
//! One type, one rendering ([`Placeholder`]'s `Display`) and one reading ([`Placeholder::parse`]),
//! so a reader asks what a value stands for instead of matching its words, and the snapshots,
//! the recordings and explore cannot drift into three spellings again.

use std::fmt;

use serde_json::Value;

/// What a normalised value stands for. A checked placeholder (a sid, a date, a boolean…) is
/// written only after the value was found to have that form or identity, so a placeholder never
/// hides a wrong value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// The account's own sid.
    AccountSid,
    /// The conference's own sid.
    ConferenceSid,
    /// The participant's own call sid.
    CallSid,
    /// `call_sid_to_coach` where it agrees with `coaching`.
    CoachTarget,
    /// An RFC 2822 date.
    Date,
    /// A boolean: a join flag, or, in the resource shape, any flag.
    Boolean,
    /// A status a participant in the conference may have.
    Status,
    /// The participant's own path in a form the request's path form allows, with `.json`.
    OwnUri,
    /// The participant's own path where the profile lets `.json` go.
    OwnPath,
    /// A string.
    Text,
    /// An absolute URL.
    Url,
    /// A non-empty error message.
    Message,
    /// The participants of a list page, which are judged one by one.
    Participants,
    /// A path of the conference's participant list (with any query).
    ListPath,
    /// A page number or a position in the list.
    Count,
    /// A page size.
    Size,
    /// An envelope key the profile lists without a form of its own.
    Undocumented,
    /// The sid a scenario named (a participant's call sid, its account's, its conference's),
    /// by that name: two runs or two sides agree on whom, not on which sid.
    SidOf(String),
    /// A sid that no name of the scenario stands for.
    NobodysSid,
    /// An empty body.
    EmptyBody,
    /// A body that is not JSON, by its first characters.
    NotJson(String),
    /// A header the answer does not carry.
    NoHeader,
    /// The inner placeholder, or `null` where the profile allows it.
    OrNull(Box<Placeholder>),
}

/// The placeholders written with fixed words, in the order [`Placeholder::parse`] tries them.
const FIXED: &[Placeholder] = &[
    Placeholder::AccountSid,
    Placeholder::ConferenceSid,
    Placeholder::CallSid,
    Placeholder::CoachTarget,
    Placeholder::Date,
    Placeholder::Boolean,
    Placeholder::Status,
    Placeholder::OwnUri,
    Placeholder::OwnPath,
    Placeholder::Text,
    Placeholder::Url,
    Placeholder::Message,
    Placeholder::Participants,
    Placeholder::ListPath,
    Placeholder::Count,
    Placeholder::Size,
    Placeholder::Undocumented,
    Placeholder::NobodysSid,
    Placeholder::EmptyBody,
    Placeholder::NoHeader,
];

const SID_OF: &str = "the sid of ";
const NOT_JSON: &str = "not JSON: ";
const OR_NULL: &str = ", or null";

impl Placeholder {
    /// The same placeholder, or `null`.
    pub fn or_null(self) -> Placeholder {
        Placeholder::OrNull(Box::new(self))
    }

    /// The name of whom the placeholder stands for, where it stands for someone named.
    pub fn names(&self) -> Option<&str> {
        match self {
            Placeholder::SidOf(name) => Some(name),
            _ => None,
        }
    }

    /// The placeholder `text` is written as, if it is one.
    pub fn parse(text: &str) -> Option<Placeholder> {
        let inner = text.strip_prefix('[')?.strip_suffix(']')?;
        if let Some(name) = inner.strip_prefix(SID_OF) {
            return Some(Placeholder::SidOf(name.to_string()));
        }
        if let Some(start) = inner.strip_prefix(NOT_JSON) {
            return Some(Placeholder::NotJson(start.to_string()));
        }
        if let Some(base) = inner.strip_suffix(OR_NULL) {
            return FIXED.iter().find(|p| p.words() == base).map(|p| p.clone().or_null());
        }
        FIXED.iter().find(|p| p.words() == inner).cloned()
    }

    /// The words between the brackets.
    fn words(&self) -> String {
        let fixed = match self {
            Placeholder::AccountSid => "the account's sid",
            Placeholder::ConferenceSid => "the conference's sid",
            Placeholder::CallSid => "the participant's call sid",
            Placeholder::CoachTarget => {
                "while coaching, the call sid of another participant of the conference; else no participant of it"
            }
            Placeholder::Date => "an RFC 2822 date",
            Placeholder::Boolean => "a boolean",
            Placeholder::Status => "the status of a participant in the conference",
            Placeholder::OwnUri => {
                "the participant's own path, in a form the request's path form allows, ending in .json"
            }
            Placeholder::OwnPath => {
                "the participant's own path, in a form the request's path form allows, with or without .json"
            }
            Placeholder::Text => "a string",
            Placeholder::Url => "an absolute URL",
            Placeholder::Message => "a message",
            Placeholder::Participants => "the participants of the page, each judged as a resource",
            Placeholder::ListPath => "a path of the conference's participant list",
            Placeholder::Count => "a whole number from 0",
            Placeholder::Size => "a whole number from 1",
            Placeholder::Undocumented => "undocumented",
            Placeholder::NobodysSid => "a sid of nobody",
            Placeholder::EmptyBody => "empty",
            Placeholder::NoHeader => "no such header",
            Placeholder::SidOf(name) => return format!("{SID_OF}{name}"),
            Placeholder::NotJson(start) => return format!("{NOT_JSON}{start}"),
            Placeholder::OrNull(inner) => return format!("{}{OR_NULL}", inner.words()),
        };
        fixed.to_string()
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.words())
    }
}

impl From<Placeholder> for Value {
    fn from(p: Placeholder) -> Value {
        Value::String(p.to_string())
    }
}

/// A JSON value is a placeholder when it is a string that reads as it: a value compared with a
/// placeholder, not with its words.
impl PartialEq<Placeholder> for Value {
    fn eq(&self, p: &Placeholder) -> bool {
        self.as_str().and_then(Placeholder::parse).as_ref() == Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_reads_back_as_itself() {
        let mut all: Vec<Placeholder> = FIXED.to_vec();
        all.extend(FIXED.iter().map(|p| p.clone().or_null()));
        all.extend([
            Placeholder::SidOf("agent".into()),
            Placeholder::SidOf("account 2".into()),
            Placeholder::NotJson("<html>".into()),
        ]);
        for p in all {
            assert_eq!(Placeholder::parse(&p.to_string()), Some(p.clone()), "{p}");
        }
    }

    #[test]
    fn the_syntax_is_words_in_brackets() {
        assert_eq!(Placeholder::Boolean.to_string(), "[a boolean]");
        assert_eq!(Placeholder::Boolean.or_null().to_string(), "[a boolean, or null]");
        assert_eq!(Placeholder::SidOf("agent".into()).to_string(), "[the sid of agent]");
        assert_eq!(Value::from(Placeholder::Date), Value::from("[an RFC 2822 date]"));
    }

    #[test]
    fn other_text_is_no_placeholder() {
        for text in [
            "a boolean",
            "[a bool]",
            "[a boolean",
            "{agent}",
            "[]",
            "[the account's sid, or null",
        ] {
            assert_eq!(Placeholder::parse(text), None, "{text}");
        }
        assert_eq!(
            Placeholder::parse("[the sid of agent]")
                .as_ref()
                .and_then(Placeholder::names),
            Some("agent")
        );
        assert_eq!(Placeholder::Date.names(), None);
    }
}
