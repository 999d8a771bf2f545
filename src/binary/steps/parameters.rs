//! The typed words of the steps: who, which flag, which credentials, which list filter. Each is a
//! cucumber `Parameter`, so a step reads `{participant} is {flag}` instead of repeating regex
//! alternatives, and a word outside the documented ones fails where it is parsed.

use std::str::FromStr;

use cucumber::Parameter;
use laml_conformance::spec::profile::PROFILES;

/// A participant's name as a scenario writes it, in quotes: `"agent"`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Parameter)]
#[param(name = "participant", regex = r#""([^"]+)""#)]
pub struct Participant(pub String);

impl FromStr for Participant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(Participant(s.to_string()))
    }
}

/// A flag an update controls, set or not: `muted`, `not muted`, `on hold`, `not on hold`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Parameter)]
#[param(name = "flag", regex = "(?:not )?(?:muted|on hold)")]
pub struct Flag {
    /// The resource field.
    pub field: &'static str,
    /// Whether the flag is set.
    pub set: bool,
}

impl FromStr for Flag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (set, word) = match s.strip_prefix("not ") {
            Some(rest) => (false, rest),
            None => (true, s),
        };
        let field = match word {
            "muted" => "muted",
            "on hold" => "hold",
            other => return Err(format!("no flag {other:?}: muted or on hold")),
        };
        Ok(Flag { field, set })
    }
}

/// Credentials that are not the scenario's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Parameter)]
#[param(
    name = "credentials",
    regex = "without credentials|with a wrong token|with the credentials of another account"
)]
pub enum OtherCredentials {
    /// No `Authorization` header.
    #[default]
    None,
    /// The right account, a wrong token.
    WrongToken,
    /// Valid credentials of another account.
    AnotherAccount,
}

impl FromStr for OtherCredentials {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "without credentials" => Ok(OtherCredentials::None),
            "with a wrong token" => Ok(OtherCredentials::WrongToken),
            "with the credentials of another account" => Ok(OtherCredentials::AnotherAccount),
            other => Err(format!("no credentials {other:?}")),
        }
    }
}

/// What of a participant's place is unknown: its account or its conference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Parameter)]
#[param(name = "unknown", regex = "account|conference")]
pub enum Unknown {
    /// The account in the path does not exist.
    #[default]
    Account,
    /// The conference in the path does not exist.
    Conference,
}

impl FromStr for Unknown {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "account" => Ok(Unknown::Account),
            "conference" => Ok(Unknown::Conference),
            other => Err(format!("no place {other:?}: account or conference")),
        }
    }
}

/// A list filter some generation documents, in quotes: `"Muted"`, `"Hold"`, `"Coaching"`
/// (whether the run's profile has it is for the step to say).
#[derive(Debug, Clone, Default, PartialEq, Eq, Parameter)]
#[param(name = "filter", regex = r#""([A-Za-z]+)""#)]
pub struct ListFilter(pub String);

impl FromStr for ListFilter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let known: Vec<&str> = PROFILES
            .iter()
            .flat_map(|p| p.list.filters.iter().map(String::as_str))
            .collect();
        if known.contains(&s) {
            Ok(ListFilter(s.to_string()))
        } else {
            Err(format!(
                "{s:?} is not a list filter any generation documents; the filters are {known:?}"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_their_field_and_whether_set() {
        assert_eq!(
            "muted".parse(),
            Ok(Flag {
                field: "muted",
                set: true
            })
        );
        assert_eq!(
            "not on hold".parse(),
            Ok(Flag {
                field: "hold",
                set: false
            })
        );
        assert!("not coaching".parse::<Flag>().is_err());
    }

    #[test]
    fn only_documented_filters_parse() {
        assert_eq!("Hold".parse(), Ok(ListFilter("Hold".into())));
        assert_eq!("Coaching".parse(), Ok(ListFilter("Coaching".into())));
        assert!(
            "Volume"
                .parse::<ListFilter>()
                .unwrap_err()
                .contains("not a list filter")
        );
    }

    #[test]
    fn credentials_and_places_parse_their_words() {
        assert_eq!(
            "with the credentials of another account".parse(),
            Ok(OtherCredentials::AnotherAccount)
        );
        assert_eq!("conference".parse(), Ok(Unknown::Conference));
    }
}
