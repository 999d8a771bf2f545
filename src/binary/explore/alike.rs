//! Answers alike but for their dates, whose views need not be made.
//!
//! Making the two views of an answer (normalising each side's body, placeholders and names)
//! was most of explore's work per operation, and a sound target's answers all agree. Where
//! the model took the target's sids as its own ([`super::model::Model::adopting`]), the two
//! sides answer with the same bytes but for the dates. Two answers alike here (the same
//! status, content type and body, but for each date of a participant, which reads as a date
//! on both sides, and the same dates moved on both since each side last showed it) have
//! equal views: a view differs only where its inputs do, and each such date becomes the same
//! placeholder. Any other pair is compared by its views, as before.

use laml_conformance::spec::participant::parse_date;
use laml_conformance::spec::{FieldFormat, Profile};
use serde_json::Value;

use super::compare::{Kind, movement};
use super::side::Answer;

/// Whether the model's and the target's answers are alike, `seen` being the participant as
/// each side showed it last (where the view says which dates moved), and `known` whether
/// the answer is about a named participant (whose body the views normalise; any other body
/// they take as it came).
pub fn alike(
    model: &Answer,
    target: &Answer,
    kind: Kind<'_>,
    known: bool,
    profile: &Profile,
    seen: (Option<&Value>, Option<&Value>),
) -> bool {
    if model.status != target.status || model.content_type != target.content_type {
        return false;
    }
    let (m, t) = match (&model.body, &target.body) {
        (Err(m), Err(t)) => return m == t,
        (Ok(m), Ok(t)) if model.status >= 400 => return m == t,
        (Ok(m), Ok(t)) => (m, t),
        _ => return false,
    };
    match kind {
        Kind::Participant(_) if !known => m == t,
        Kind::Participant(_) => {
            let moved_alike = match seen {
                (Some(sm), Some(st)) => movement(sm, m) == movement(st, t),
                (None, None) => true,
                _ => false,
            };
            moved_alike && participant(m, t, profile)
        }
        Kind::List => list(m, t, profile),
    }
}

/// Two participants alike but for dates that read as dates on both sides.
fn participant(m: &Value, t: &Value, profile: &Profile) -> bool {
    let (Value::Object(m), Value::Object(t)) = (m, t) else {
        return m == t;
    };
    let is_date = |key: &str| {
        profile
            .fields
            .iter()
            .chain(&profile.optional_fields)
            .any(|f| f.format == FieldFormat::Rfc2822 && f.name == key)
    };
    let dated = |v: &Value| v.as_str().is_some_and(|s| parse_date(s).is_some());
    m.len() == t.len()
        && m.iter().all(|(key, mv)| {
            t.get(key)
                .is_some_and(|tv| mv == tv || (is_date(key) && dated(mv) && dated(tv)))
        })
}

/// Two pages alike: the same envelope, and the same participants in the same order, each
/// alike but for its dates.
fn list(m: &Value, t: &Value, profile: &Profile) -> bool {
    let (Value::Object(m), Value::Object(t)) = (m, t) else {
        return m == t;
    };
    let envelope_alike = m.len() == t.len()
        && m.iter()
            .all(|(key, mv)| key == "participants" || t.get(key) == Some(mv));
    envelope_alike
        && match (m.get("participants"), t.get("participants")) {
            (Some(Value::Array(ma)), Some(Value::Array(ta))) => {
                ma.len() == ta.len() && ma.iter().zip(ta).all(|(a, b)| participant(a, b, profile))
            }
            (mp, tp) => mp == tp,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(status: u16, body: Value) -> Answer {
        Answer {
            status,
            content_type: Some("application/json".into()),
            body: Ok(body),
            date: None,
        }
    }

    const ONE: &str = "Thu, 03 Dec 2026 16:25:40 +0000";
    const TWO: &str = "Thu, 03 Dec 2026 16:25:41 +0000";

    #[test]
    fn only_dates_that_read_as_dates_on_both_sides_may_differ() {
        let seed = Profile::seed();
        let who = |date: &str, muted: bool| json!({"muted": muted, "date_updated": date, "date_created": ONE});
        let kind = Kind::Participant("agent");
        let same = |m: Value, t: Value| alike(&answer(200, m), &answer(200, t), kind, true, seed, (None, None));
        assert!(same(who(ONE, true), who(TWO, true)));
        assert!(!same(who(ONE, true), who(TWO, false)), "another value");
        assert!(
            !same(who(ONE, true), who("2026-12-03T16:25:41Z", true)),
            "a date in another form"
        );
        assert!(
            !same(json!({"note": ONE}), json!({"note": TWO})),
            "a key that is no date field"
        );
        assert!(
            !same(who(ONE, true), json!({"muted": true, "date_updated": ONE})),
            "a key missing"
        );
        let unknown = alike(
            &answer(200, who(ONE, true)),
            &answer(200, who(TWO, true)),
            kind,
            false,
            seed,
            (None, None),
        );
        assert!(!unknown, "a body the views take as it came");
        let refused = |b: Value| answer(404, b);
        assert!(!alike(
            &refused(json!({"m": ONE})),
            &refused(json!({"m": TWO})),
            kind,
            true,
            seed,
            (None, None)
        ));
    }

    #[test]
    fn the_dates_must_have_moved_alike_since_each_side_last_showed_them() {
        let seed = Profile::seed();
        let kind = Kind::Participant("agent");
        let at = |updated: &str| json!({"date_created": ONE, "date_updated": updated});
        let moved = |seen_m: &Value, seen_t: &Value| {
            alike(
                &answer(200, at(TWO)),
                &answer(200, at(TWO)),
                kind,
                true,
                seed,
                (Some(seen_m), Some(seen_t)),
            )
        };
        assert!(moved(&at(ONE), &at(ONE)));
        assert!(!moved(&at(ONE), &at(TWO)), "moved on one side only");
        let one_side = alike(
            &answer(200, at(TWO)),
            &answer(200, at(TWO)),
            kind,
            true,
            seed,
            (Some(&at(ONE)), None),
        );
        assert!(!one_side);
    }

    #[test]
    fn pages_are_alike_item_by_item_in_order() {
        let seed = Profile::seed();
        let page = |a: &str, b: &str| json!({"page": 0, "participants": [{"call_sid": "x", "date_updated": a}, {"call_sid": "y", "date_updated": b}]});
        let same = |m: Value, t: Value| alike(&answer(200, m), &answer(200, t), Kind::List, true, seed, (None, None));
        assert!(same(page(ONE, ONE), page(TWO, ONE)));
        let swapped = json!({"page": 0, "participants": [{"call_sid": "y", "date_updated": ONE}, {"call_sid": "x", "date_updated": ONE}]});
        assert!(
            !same(page(ONE, ONE), swapped),
            "another order goes to the views, which sort"
        );
        assert!(!same(page(ONE, ONE), json!({"page": 1, "participants": []})));
    }
}
