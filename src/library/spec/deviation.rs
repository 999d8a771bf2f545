//! A deviation: one way something differs from the documentation, with the words a failure
//! shows. It lives with the documentation as data because both sides judge by it: the checks
//! (what a target answered) and the simulated space's journal (what a client sent).

use std::fmt;

use serde_json::Value;

/// One way an answer differs from the documentation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Deviation {
    /// The JSON path of the field (`muted`, `participants[0].hold`), or `(body)`.
    pub path: String,
    /// What the documentation expects, as `<value> (type)` or a sentence.
    pub expected: String,
    /// What came, in the same form.
    pub actual: String,
}

impl Deviation {
    /// A deviation between two JSON values at `path`.
    pub fn values(path: impl Into<String>, expected: &Value, actual: &Value) -> Self {
        Deviation {
            path: path.into(),
            expected: show(expected),
            actual: show(actual),
        }
    }

    /// A field `expected` holds and the answer lacks.
    pub fn missing(path: impl Into<String>, expected: &Value) -> Self {
        Deviation {
            path: path.into(),
            expected: show(expected),
            actual: MISSING.into(),
        }
    }

    /// A field the answer holds and `expected` does not name.
    pub fn unexpected(path: impl Into<String>, actual: &Value) -> Self {
        Deviation {
            path: path.into(),
            expected: UNEXPECTED.into(),
            actual: show(actual),
        }
    }

    /// Whether the answer lacks the field (see [`Deviation::missing`]).
    pub fn is_missing(&self) -> bool {
        self.actual == MISSING
    }

    /// Whether the field is one the expectation does not name (see [`Deviation::unexpected`]).
    pub fn is_unexpected(&self) -> bool {
        self.expected == UNEXPECTED
    }
}

/// What a deviation says came, for a field that did not: one wording, owned here, so a reader
/// of deviations asks [`Deviation::is_missing`] instead of matching the word.
pub const MISSING: &str = "missing";
/// What a deviation says was expected of a field the expectation does not name.
pub const UNEXPECTED: &str = "absent: not a field of the expected shape";

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "  {}\n    expected: {}\n    actual:   {}",
            self.path, self.expected, self.actual
        )
    }
}

/// A JSON value as failure messages show it: `<value> (type)`.
pub fn show(v: &Value) -> String {
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let mut text = v.to_string();
    if text.len() > 200 {
        text = format!("{}…", text.chars().take(200).collect::<String>());
    }
    format!("<{text}> ({kind})")
}
