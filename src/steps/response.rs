//! Steps about the response to an update: its status and its documented shape.

use cucumber::then;
use laml_conformance::check::{report, shape, snapshot};
use laml_conformance::spec::{EXAMPLES, documented, participant};
use serde_json::Value;

use super::{ConformanceWorld, with_exchange};

/// A 200 whose body, normalised, is the documented example's shape (first compared field by
/// field for a readable failure, then with the committed snapshot), and whose dates behave:
/// `date_updated` later than before the update, `date_created` unchanged.
#[then(expr = "the update succeeds with the documented {string} shape")]
async fn succeeds_with_shape(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    let example = documented::example(&name).ok_or_else(|| {
        let known: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
        format!("there is no documented example {name:?}; the documented examples are {known:?}")
    })?;
    let answer = world
        .last
        .as_ref()
        .ok_or("nothing was sent yet; add a \"When … is updated …\" step")?;
    let (who, exchange) = (answer.name.clone(), &answer.exchange);
    if exchange.status != 200 {
        return Err(with_exchange(
            format!("the update of {who:?} answered {} instead of 200", exchange.status),
            exchange,
        ));
    }
    let body = world.body_about(&who)?;
    let actual = shape::normalise(&body, &world.identity(&who)?);
    let expected = shape::documented_shape(example);
    if let Err(deviations) = shape::check_shape(&actual, &expected) {
        let title = format!(
            "the response differs from the documented \"{}\" shape ({})",
            example.name, example.title
        );
        return Err(with_exchange(report(&title, &deviations), exchange));
    }
    snapshot::assert_documented_snapshot(example, &actual);
    let before = world
        .before
        .get(&who)
        .ok_or("the state before the update was not recorded")?;
    check_dates(before, &body).map_err(|m| with_exchange(m, exchange))
}

/// `date_updated` moved forward, `date_created` did not move.
fn check_dates(before: &Value, after: &Value) -> Result<(), String> {
    let date = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .and_then(participant::parse_date)
            .ok_or_else(|| format!("{key} is not an RFC 2822 date: {}", v.get(key).unwrap_or(&Value::Null)))
    };
    let (created_before, created_after) = (date(before, "date_created")?, date(after, "date_created")?);
    if created_before != created_after {
        return Err(format!(
            "date_created changed on update\n  date_created\n    expected: <{}> (unchanged)\n    actual:   <{}>",
            before["date_created"], after["date_created"]
        ));
    }
    let (updated_before, updated_after) = (date(before, "date_updated")?, date(after, "date_updated")?);
    if updated_after <= updated_before {
        return Err(format!(
            "date_updated did not move forward on a successful update\n  date_updated\n    expected: later than <{}>\n    actual:   <{}>",
            before["date_updated"], after["date_updated"]
        ));
    }
    Ok(())
}
