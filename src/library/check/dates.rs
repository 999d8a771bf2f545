//! The two dates of a participant across a successful update, judged by bounds instead of by
//! waiting for the clock: `date_created` never moves; `date_updated` lies within the window of
//! the request (not before the second it was sent in, not after the answer's `Date`, each with
//! one second of slack, since a server may stamp its `Date` header from a clock read a moment
//! before or after the one that stamps `date_updated`, or from another host), and moves forward
//! wherever more than a second lay between the previous update and this request. A correct
//! server with one-second dates passes two updates in the same second without any sleep; a
//! frozen, backward or future `date_updated` still fails.
//!
//! Their format is the shape's to judge: a date that is not RFC 2822 is reported there, once,
//! and has no order here.

use serde_json::Value;
use time::OffsetDateTime;

use crate::spec::participant;

use super::Deviation;

/// When the request was sent and answered, by the target's clock (its `Date` header) where it
/// gives one, else by the local clock; both at the one-second resolution of the dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The second in which the request was sent.
    pub sent: OffsetDateTime,
    /// The second of the answer.
    pub answered: OffsetDateTime,
}

impl Window {
    /// A window from two instants, cut to whole seconds.
    pub fn new(sent: OffsetDateTime, answered: OffsetDateTime) -> Self {
        let second = |t: OffsetDateTime| t.replace_nanosecond(0).unwrap_or(t);
        Window {
            sent: second(sent),
            answered: second(answered),
        }
    }
}

/// How far two clocks of one server may disagree: one tick of its one-second dates.
const SLACK: time::Duration = time::Duration::SECOND;

fn date(body: &Value, key: &str) -> Option<OffsetDateTime> {
    body.get(key).and_then(Value::as_str).and_then(participant::parse_date)
}

/// `date_created` as it was; `date_updated` later than before wherever a second boundary lay
/// between the previous update and this request (else not earlier), and within `window`.
pub fn check_dates(before: &Value, after: &Value, window: Window) -> Result<(), Vec<Deviation>> {
    let mut deviations = Vec::new();
    if let (Some(was), Some(now)) = (date(before, "date_created"), date(after, "date_created"))
        && was != now
    {
        deviations.push(Deviation {
            path: "date_created".into(),
            expected: format!("{} (unchanged by an update)", super::show(&before["date_created"])),
            actual: super::show(&after["date_created"]),
        });
    }
    let (Some(was), Some(now)) = (date(before, "date_updated"), date(after, "date_updated")) else {
        return if deviations.is_empty() { Ok(()) } else { Err(deviations) };
    };
    let boundary_passed = was + SLACK < window.sent;
    let moved_enough = if boundary_passed { now > was } else { now >= was };
    if !moved_enough {
        deviations.push(Deviation {
            path: "date_updated".into(),
            expected: format!(
                "later than {}, as before the update",
                super::show(&before["date_updated"])
            ),
            actual: super::show(&after["date_updated"]),
        });
    } else if now + SLACK < window.sent {
        deviations.push(Deviation {
            path: "date_updated".into(),
            expected: format!(
                "not earlier than {}, the second the request was sent",
                participant::format_date(window.sent)
            ),
            actual: super::show(&after["date_updated"]),
        });
    } else if now > window.answered + SLACK {
        deviations.push(Deviation {
            path: "date_updated".into(),
            expected: format!(
                "not later than {}, the time of the answer",
                participant::format_date(window.answered)
            ),
            actual: super::show(&after["date_updated"]),
        });
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
    const T2: &str = "Mon, 24 Sep 2018 21:00:02 +0000";
    const T3: &str = "Mon, 24 Sep 2018 21:00:03 +0000";
    const T5: &str = "Mon, 24 Sep 2018 21:00:05 +0000";

    fn at(s: &str) -> OffsetDateTime {
        participant::parse_date(s).unwrap()
    }

    fn window(sent: &str, answered: &str) -> Window {
        Window::new(at(sent), at(answered))
    }

    #[test]
    fn an_update_in_a_later_second_moves_date_updated_forward() {
        assert_eq!(check_dates(&state(T0, T0), &state(T0, T2), window(T2, T2)), Ok(()));
        assert_eq!(check_dates(&state(T0, T0), &state(T0, T3), window(T2, T3)), Ok(()));
    }

    #[test]
    fn two_updates_in_the_same_second_may_show_the_same_date() {
        assert_eq!(check_dates(&state(T0, T1), &state(T0, T1), window(T1, T1)), Ok(()));
    }

    #[test]
    fn clocks_a_second_apart_are_no_fault() {
        // the previous answer's Date a second ahead of the stamp of the update
        assert_eq!(check_dates(&state(T0, T1), &state(T0, T1), window(T2, T2)), Ok(()));
        // the answer's Date read a moment before the update was stamped
        assert_eq!(check_dates(&state(T0, T0), &state(T0, T2), window(T1, T1)), Ok(()));
    }

    #[test]
    fn a_frozen_date_updated_fails_once_more_than_a_second_has_passed() {
        let d = check_dates(&state(T0, T0), &state(T0, T0), window(T2, T2)).unwrap_err();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "date_updated");
        assert!(d[0].expected.starts_with("later than"), "{}", d[0].expected);
    }

    #[test]
    fn a_backward_date_updated_fails_even_within_a_second() {
        let d = check_dates(&state(T0, T1), &state(T0, T0), window(T1, T1)).unwrap_err();
        assert!(d[0].expected.starts_with("later than"), "{}", d[0].expected);
    }

    #[test]
    fn a_date_updated_before_the_request_or_after_the_answer_fails() {
        let d = check_dates(&state(T0, T0), &state(T0, T1), window(T3, T3)).unwrap_err();
        assert!(d[0].expected.starts_with("not earlier than"), "{}", d[0].expected);
        let d = check_dates(&state(T0, T0), &state(T0, T5), window(T1, T2)).unwrap_err();
        assert!(d[0].expected.starts_with("not later than"), "{}", d[0].expected);
        assert_eq!(check_dates(&state(T0, T0), &state(T0, T3), window(T1, T2)), Ok(()));
    }

    #[test]
    fn a_moving_date_created_fails() {
        let d = check_dates(&state(T0, T0), &state(T1, T1), window(T1, T1)).unwrap_err();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "date_created");
    }

    #[test]
    fn a_date_that_is_not_rfc2822_is_left_to_the_shape() {
        let w = window(T1, T1);
        assert_eq!(
            check_dates(&state(T0, T0), &state(T0, "2018-09-24T21:00:01Z"), w),
            Ok(())
        );
        assert_eq!(check_dates(&json!({}), &state(T0, T1), w), Ok(()));
    }

    #[test]
    fn a_window_is_cut_to_whole_seconds() {
        let t = at(T1) + time::Duration::milliseconds(900);
        assert_eq!(Window::new(t, t), window(T1, T1));
    }
}
