//! Steps about the response to an update: its status and its documented shape.

use cucumber::then;
use laml_conformance::check::{check_json_content_type, error, report, shape, snapshot};
use laml_conformance::spec::{EXAMPLES, ErrorCode, documented, participant};
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
    let answer = world.last()?;
    let (who, exchange) = (answer.about.clone(), &answer.exchange);
    if exchange.status != 200 {
        return Err(with_exchange(
            format!("the update of {who:?} answered {} instead of 200", exchange.status),
            exchange,
        ));
    }
    let body = world.body_about(&who)?;
    let actual = shape::normalise(&body, &world.participant(&who)?);
    let expected = shape::documented_shape(example);
    let mut deviations = shape::check_shape(&actual, &expected).err().unwrap_or_default();
    if let Err(d) = check_json_content_type(exchange.header("content-type")) {
        deviations.insert(0, d);
    }
    if !deviations.is_empty() {
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

/// A refusal: the documented status, and an error body of the documented shape whose `code` is
/// the documented one and whose `status` equals the HTTP status.
#[then(expr = "the update is refused with status {int} and code {int}")]
async fn refused(world: &mut ConformanceWorld, status: u16, code: u32) -> Result<(), String> {
    let documented = ErrorCode::from_code(code).ok_or_else(|| {
        let known: Vec<u32> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        format!("{code} is not a documented error code; the documented codes are {known:?}")
    })?;
    if documented.http_status() != status {
        return Err(format!(
            "the documentation gives code {code} with status {}, not {status}: fix the scenario",
            documented.http_status()
        ));
    }
    let exchange = &world.last()?.exchange;
    if exchange.status < 400 {
        let title = format!(
            "the request was answered {} where the documentation refuses it with status {status} and code {code}",
            exchange.status
        );
        return Err(with_exchange(title, exchange));
    }
    let body = exchange.json().map_err(|e| with_exchange(e.to_string(), exchange))?;
    let mut deviations = error::check_error(exchange.status, &body, documented)
        .err()
        .unwrap_or_default();
    if let Err(d) = check_json_content_type(exchange.header("content-type")) {
        deviations.insert(0, d);
    }
    if !deviations.is_empty() {
        let title = format!("the refusal differs from the documented error {code} with status {status}");
        return Err(with_exchange(report(&title, &deviations), exchange));
    }
    snapshot::assert_error_snapshot(documented, &error::normalise_error(&body));
    Ok(())
}
