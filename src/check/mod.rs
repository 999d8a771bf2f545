//! Comparisons of what a target answered with what the documentation says.
//!
//! Checks return [`Deviation`]s instead of panicking, so a step can report every differing field
//! at once, with the rule that was broken, and then show the exchange that produced it. One
//! engine, [`compare`] (and its inclusive form, [`compare_fields`]), finds them for every check:
//! the documented shapes, the values, the error bodies, the states before and after; so the
//! console and every report show the same field-level text.

pub mod dates;
pub mod error;
pub mod page;
pub mod shape;
pub mod snapshot;
pub mod values;

use serde_json::Value;

pub use crate::spec::deviation::{Deviation, show};
use crate::spec::wire;

/// Every field where `actual` differs from `expected`: missing, another value or type, or
/// there but not expected. Two values that are not both objects differ as a whole, at `(body)`.
pub fn compare(expected: &Value, actual: &Value) -> Vec<Deviation> {
    let (Value::Object(e), Value::Object(a)) = (expected, actual) else {
        return if expected == actual {
            Vec::new()
        } else {
            vec![Deviation::values("(body)", expected, actual)]
        };
    };
    let mut deviations = compare_fields(expected, actual);
    for (key, got) in a {
        if !e.contains_key(key) {
            deviations.push(Deviation {
                path: key.clone(),
                expected: "absent: not a field of the expected shape".into(),
                actual: show(got),
            });
        }
    }
    deviations
}

/// Every field of `expected` that `actual` lacks or holds with another value or type; fields
/// of `actual` that `expected` does not name are not looked at.
pub fn compare_fields(expected: &Value, actual: &Value) -> Vec<Deviation> {
    let (Value::Object(e), Value::Object(a)) = (expected, actual) else {
        return if expected == actual {
            Vec::new()
        } else {
            vec![Deviation::values("(body)", expected, actual)]
        };
    };
    let mut deviations = Vec::new();
    for (key, want) in e {
        match a.get(key) {
            None => deviations.push(Deviation {
                path: key.clone(),
                expected: show(want),
                actual: "missing".into(),
            }),
            Some(got) if got != want => deviations.push(Deviation::values(key.clone(), want, got)),
            Some(_) => {}
        }
    }
    deviations
}

/// Every place where `actual` differs from `expected`, at any depth of objects (an array is one
/// value): a field `missing`, one not expected (`absent`), another value or type. For comparing two answers of the same kind (a baseline with a later run, the
/// reference model with a target), where a whole-field diff would hide which leaf moved.
pub fn compare_deep(expected: &Value, actual: &Value) -> Vec<Deviation> {
    let mut out = Vec::new();
    walk("", expected, actual, &mut out);
    out
}

fn walk(path: &str, expected: &Value, actual: &Value, out: &mut Vec<Deviation>) {
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
                    Some(got) => walk(&at(key), want, got, out),
                    None => out.push(Deviation {
                        path: at(key),
                        expected: show(want),
                        actual: "missing".into(),
                    }),
                }
            }
            for (key, got) in a.iter().filter(|(k, _)| !e.contains_key(*k)) {
                out.push(Deviation {
                    path: at(key),
                    expected: "absent".into(),
                    actual: show(got),
                });
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compare_names_missing_differing_and_extra_fields_in_that_order() {
        let d = compare(&json!({"a": 1, "b": true}), &json!({"b": "true", "c": null}));
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
        assert!(compare(&json!({"a": [1]}), &json!({"a": [1]})).is_empty());
    }

    #[test]
    fn compare_deep_names_the_leaf_that_moved() {
        let d = compare_deep(
            &json!({"body": {"muted": true, "hold": false}, "status": 200}),
            &json!({"body": {"muted": false, "extra": 1}, "status": 200}),
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
        assert!(compare_deep(&json!([1, 2]), &json!([1, 2])).is_empty());
        assert_eq!(compare_deep(&json!(1), &json!(2))[0].path, "(body)");
    }

    #[test]
    fn compare_fields_ignores_what_it_is_not_asked_about() {
        assert!(compare_fields(&json!({"a": 1}), &json!({"a": 1, "b": 2})).is_empty());
        assert_eq!(compare_fields(&json!({"a": 1}), &json!({"b": 2}))[0].actual, "missing");
    }

    #[test]
    fn bodies_that_are_not_objects_differ_as_a_whole() {
        assert_eq!(compare(&json!({"a": 1}), &json!("html"))[0].path, "(body)");
        assert_eq!(compare_fields(&json!({"a": 1}), &json!([]))[0].path, "(body)");
        assert!(compare(&json!(1), &json!(1)).is_empty());
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
