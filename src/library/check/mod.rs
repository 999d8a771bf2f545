//! Comparisons of what a target answered with what the documentation says.
//!
//! Checks return [`Deviation`]s instead of panicking, so a step can report every differing field
//! at once, with the rule that was broken, and then show the exchange that produced it. One
//! engine, [`compare`] with its [`Scope`], finds them for every check:
//! the documented shapes, the values, the error bodies, the states before and after; so the
//! console and every report show the same field-level text.

pub mod dates;
pub mod documented;
pub mod error;
pub mod page;
pub mod placeholder;
pub mod shape;
pub mod snapshot;
pub mod values;

use serde_json::Value;

pub use crate::spec::deviation::{Deviation, MISSING, UNEXPECTED, show};
use crate::spec::wire;

/// How far [`compare`] looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every top-level field of `expected` (missing, another value or type), and every field of
    /// `actual` that `expected` does not name: for a documented shape.
    Exact,
    /// Only the top-level fields `expected` names; others in `actual` are not looked at: for
    /// the values a step states.
    Fields,
    /// Like [`Scope::Exact`] at any depth of objects (an array is one value): for two answers of
    /// the same kind (a baseline and a later run, the model and a target), where a whole-field
    /// diff would hide which leaf moved.
    Deep,
}

/// The one comparison engine: every place where `actual` differs from `expected`, as far as
/// `mode` looks. A field is [`Deviation::missing`], [`Deviation::unexpected`] (worded the same
/// in every mode), or of another value or type. Two values that are not both objects differ as
/// a whole, at `(body)`.
pub fn compare(expected: &Value, actual: &Value, mode: Scope) -> Vec<Deviation> {
    let mut out = Vec::new();
    walk("", expected, actual, mode, &mut out);
    out
}

fn walk(path: &str, expected: &Value, actual: &Value, mode: Scope, out: &mut Vec<Deviation>) {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, want) in e {
                match a.get(key) {
                    Some(got) if mode == Scope::Deep => walk(&at(key), want, got, mode, out),
                    Some(got) if got != want => out.push(Deviation::values(at(key), want, got)),
                    Some(_) => {}
                    None => out.push(Deviation::missing(at(key), want)),
                }
            }
            if mode != Scope::Fields {
                for (key, got) in a.iter().filter(|(k, _)| !e.contains_key(*k)) {
                    out.push(Deviation::unexpected(at(key), got));
                }
            }
        }
        _ if expected != actual => out.push(Deviation::values(
            if path.is_empty() { "(body)" } else { path },
            expected,
            actual,
        )),
        _ => {}
    }
}

/// A JSON answer must say it is JSON: client libraries choose their parser by `Content-Type`.
pub fn check_json_content_type(content_type: Option<&str>) -> Result<(), Deviation> {
    let media = content_type.and_then(|c| c.split(';').next()).map(str::trim);
    if media.is_some_and(|m| m.eq_ignore_ascii_case(wire::JSON)) {
        return Ok(());
    }
    Err(Deviation {
        path: "(header Content-Type)".into(),
        expected: wire::JSON.into(),
        actual: content_type.map_or(MISSING.to_string(), |c| format!("<{c}>")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compare_names_missing_differing_and_extra_fields_in_that_order() {
        let d = compare(
            &json!({"a": 1, "b": true}),
            &json!({"b": "true", "c": null}),
            Scope::Exact,
        );
        let got: Vec<(&str, &str, &str)> = d
            .iter()
            .map(|d| (d.path.as_str(), d.expected.as_str(), d.actual.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "<1> (number)", "missing"),
                ("b", "<true> (boolean)", "<\"true\"> (string)"),
                ("c", "absent: not a field of the expected shape", "<null> (null)"),
            ]
        );
        assert!(compare(&json!({"a": [1]}), &json!({"a": [1]}), Scope::Exact).is_empty());
    }

    #[test]
    fn compare_deep_names_the_leaf_that_moved() {
        let d = compare(
            &json!({"body": {"muted": true, "hold": false}, "status": 200}),
            &json!({"body": {"muted": false, "extra": 1}, "status": 200}),
            Scope::Deep,
        );
        let got: Vec<(&str, &str)> = d.iter().map(|d| (d.path.as_str(), d.actual.as_str())).collect();
        assert_eq!(
            got,
            [
                ("body.muted", "<false> (boolean)"),
                ("body.hold", "missing"),
                ("body.extra", "<1> (number)")
            ]
        );
        assert!(compare(&json!([1, 2]), &json!([1, 2]), Scope::Deep).is_empty());
        assert_eq!(compare(&json!(1), &json!(2), Scope::Deep)[0].path, "(body)");
        assert!(d[2].is_unexpected() && d[1].is_missing(), "{d:?}");
    }

    #[test]
    fn compare_fields_ignores_what_it_is_not_asked_about() {
        assert!(compare(&json!({"a": 1}), &json!({"a": 1, "b": 2}), Scope::Fields).is_empty());
        assert!(compare(&json!({"a": 1}), &json!({"b": 2}), Scope::Fields)[0].is_missing());
        assert_eq!(
            compare(&json!({"a": {"b": 1}}), &json!({"a": {"c": 1}}), Scope::Fields)[0].path,
            "a"
        );
    }

    #[test]
    fn bodies_that_are_not_objects_differ_as_a_whole() {
        assert_eq!(
            compare(&json!({"a": 1}), &json!("html"), Scope::Exact)[0].path,
            "(body)"
        );
        assert_eq!(compare(&json!({"a": 1}), &json!([]), Scope::Fields)[0].path, "(body)");
        assert!(compare(&json!(1), &json!(1), Scope::Exact).is_empty());
    }

    #[test]
    fn long_values_are_cut_with_a_marker_and_short_ones_are_not() {
        let long = Value::from("x".repeat(500));
        let shown = show(&long);
        assert!(shown.ends_with("…> (string)") && shown.chars().count() < 230, "{shown}");
        let exact = Value::from("x".repeat(198));
        assert_eq!(show(&exact), format!("<\"{}\"> (string)", "x".repeat(198)));
    }

    #[test]
    fn content_types_other_than_json_are_deviations() {
        assert!(check_json_content_type(Some("application/json; charset=utf-8")).is_ok());
        assert!(check_json_content_type(Some("Application/JSON")).is_ok());
        assert_eq!(check_json_content_type(None).unwrap_err().actual, "missing");
        assert!(check_json_content_type(Some("text/html")).is_err());
    }
}
