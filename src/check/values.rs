//! Values a scenario controls, compared with assert-json-diff in inclusive mode: the expected
//! object names only the fields the update controls, and every differing path is reported.

use assert_json_diff::{CompareMode, Config, assert_json_matches_no_panic};
use serde_json::Value;

use super::Deviation;

/// Checks that `actual` holds every field of `expected` with the same value.
pub fn check_values(actual: &Value, expected: &Value) -> Result<(), String> {
    assert_json_matches_no_panic(actual, expected, Config::new(CompareMode::Inclusive))
}

/// Every field that differs between two states of the same participant, except those in
/// `except`: an update must change only what it was asked to (and `date_updated`).
pub fn check_unchanged_except(before: &Value, after: &Value, except: &[&str]) -> Result<(), Vec<Deviation>> {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return Err(vec![Deviation::values("(body)", before, after)]);
    };
    let mut deviations = Vec::new();
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        if except.contains(&key.as_str()) {
            continue;
        }
        let (was, now) = (b.get(key).unwrap_or(&Value::Null), a.get(key).unwrap_or(&Value::Null));
        if was != now {
            deviations.push(Deviation::values(key.clone(), was, now));
        }
    }
    if deviations.is_empty() { Ok(()) } else { Err(deviations) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inclusive_comparison_names_each_path() {
        let err = check_values(
            &json!({"muted": false, "hold": true, "x": 1}),
            &json!({"muted": true, "hold": false}),
        )
        .unwrap_err();
        assert!(err.contains(".muted") && err.contains(".hold"), "{err}");
        assert!(check_values(&json!({"muted": true, "x": 1}), &json!({"muted": true})).is_ok());
    }

    #[test]
    fn unchanged_except_ignores_only_the_named_fields() {
        let before = json!({"muted": false, "date_updated": "a"});
        assert!(
            check_unchanged_except(
                &before,
                &json!({"muted": false, "date_updated": "b"}),
                &["date_updated"]
            )
            .is_ok()
        );
        let d = check_unchanged_except(&before, &json!({"muted": true, "date_updated": "b"}), &["date_updated"])
            .unwrap_err();
        assert_eq!(d[0].path, "muted");
    }
}
