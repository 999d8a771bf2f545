//! The two dates of a participant across a successful update: `date_created` never moves,
//! `date_updated` moves forward. Their format is the shape's to judge: a date that is not RFC
//! 2822 is reported there, once, and has no order here.

use serde_json::Value;
use time::OffsetDateTime;

use crate::spec::participant;

use super::Deviation;

fn date(body: &Value, key: &str) -> Option<OffsetDateTime> {
    body.get(key).and_then(Value::as_str).and_then(participant::parse_date)
}

/// `date_updated` later than before the update, `date_created` as it was; a pair that does not
/// parse is left to the shape.
pub fn check_dates(before: &Value, after: &Value) -> Result<(), Vec<Deviation>> {
    let mut deviations = Vec::new();
    match (date(before, "date_created"), date(after, "date_created")) {
        (Some(was), Some(now)) if was != now => deviations.push(Deviation {
            path: "date_created".into(),
            expected: format!("{} (unchanged by an update)", super::show(&before["date_created"])),
            actual: super::show(&after["date_created"]),
        }),
        _ => {}
    }
    match (date(before, "date_updated"), date(after, "date_updated")) {
        (Some(was), Some(now)) if now <= was => deviations.push(Deviation {
            path: "date_updated".into(),
            expected: format!(
                "later than {}, as before the update",
                super::show(&before["date_updated"])
            ),
            actual: super::show(&after["date_updated"]),
        }),
        _ => {}
    }
    if deviations.is_empty() { Ok(()) } else { Err(deviations) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state(created: &str, updated: &str) -> Value {
        json!({ "date_created": created, "date_updated": updated })
    }

    const T0: &str = "Mon, 24 Sep 2018 21:00:00 +0000";
    const T1: &str = "Mon, 24 Sep 2018 21:00:01 +0000";

    #[test]
    fn an_update_moves_date_updated_forward_and_keeps_date_created() {
        assert_eq!(check_dates(&state(T0, T0), &state(T0, T1)), Ok(()));
    }

    #[test]
    fn a_frozen_or_backward_date_updated_fails() {
        for after in [T0, "Mon, 24 Sep 2018 20:59:59 +0000"] {
            let d = check_dates(&state(T0, T0), &state(T0, after)).unwrap_err();
            assert_eq!(d.len(), 1);
            assert_eq!(d[0].path, "date_updated");
            assert!(d[0].expected.starts_with("later than"), "{}", d[0].expected);
        }
    }

    #[test]
    fn a_moving_date_created_fails() {
        let d = check_dates(&state(T0, T0), &state(T1, T1)).unwrap_err();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "date_created");
    }

    #[test]
    fn a_date_that_is_not_rfc2822_is_left_to_the_shape() {
        assert_eq!(check_dates(&state(T0, T0), &state(T0, "2018-09-24T21:00:01Z")), Ok(()));
        assert_eq!(check_dates(&json!({}), &state(T0, T1)), Ok(()));
    }
}
