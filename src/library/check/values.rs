//! Values a scenario controls and states before and after, compared field by field with the
//! one engine of [`super::compare`], so their failures read like every other.

use serde_json::Value;

use super::Deviation;

/// Checks that `actual` holds every field of `expected` with the same value (other fields are
/// not looked at).
pub fn check_values(actual: &Value, expected: &Value) -> Result<(), Vec<Deviation>> {
    let deviations = super::compare(expected, actual, super::Scope::Fields);
    if deviations.is_empty() { Ok(()) } else { Err(deviations) }
}

/// Every field that differs between two states of the same participant, except those in
/// `except`: an update must change only what it was asked to (and `date_updated`).
pub fn check_unchanged_except(before: &Value, after: &Value, except: &[&str]) -> Result<(), Vec<Deviation>> {
    let keep = |v: &Value| match v {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(k, _)| !except.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    };
    let deviations = super::compare(&keep(before), &keep(after), super::Scope::Exact);
    if deviations.is_empty() { Ok(()) } else { Err(deviations) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_name_each_differing_path() {
        let d = check_values(
            &json!({"muted": false, "hold": true, "x": 1}),
            &json!({"muted": true, "hold": false}),
        )
        .unwrap_err();
        let paths: Vec<_> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["muted", "hold"]);
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
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "muted");
        let gone = check_unchanged_except(&before, &json!({"date_updated": "a"}), &[]).unwrap_err();
        assert_eq!((gone[0].path.as_str(), gone[0].actual.as_str()), ("muted", "missing"));
        let added = check_unchanged_except(&before, &json!({"muted": false, "date_updated": "a", "x": 1}), &[]);
        assert_eq!(added.unwrap_err()[0].path, "x");
    }
}
