//! Comparisons of what a target answered with what the documentation says.
//!
//! Checks return [`Deviation`]s instead of panicking, so a step can report every differing field
//! at once, with the rule that was broken, and then show the exchange that produced it.

pub mod error;
pub mod request;
pub mod shape;
pub mod snapshot;
pub mod values;

use std::fmt;

use serde_json::Value;

/// One way an answer differs from the documentation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
}

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

/// A JSON answer must say it is JSON: client libraries choose their parser by `Content-Type`.
pub fn check_json_content_type(content_type: Option<&str>) -> Result<(), Deviation> {
    let media = content_type.and_then(|c| c.split(';').next()).map(str::trim);
    if media.is_some_and(|m| m.eq_ignore_ascii_case("application/json")) {
        return Ok(());
    }
    Err(Deviation {
        path: "(header Content-Type)".into(),
        expected: "application/json".into(),
        actual: content_type.map_or("missing".to_string(), |c| format!("<{c}>")),
    })
}

/// Renders deviations under a title, one block per field path, for a step's failure message.
pub fn report(title: &str, deviations: &[Deviation]) -> String {
    let mut text = format!("{title}: {} field(s) differ\n", deviations.len());
    for d in deviations {
        text.push_str(&d.to_string());
        text.push('\n');
    }
    text
}
