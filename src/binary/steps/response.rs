//! Steps about the response to a request: a success judged by the resource shape or by a
//! documented example, or a refusal judged by the documented error.

use cucumber::then;
use laml_conformance::check::{Deviation, check_json_content_type, dates, error, shape, snapshot};
use laml_conformance::failure::Failure;
use laml_conformance::spec::{ErrorCode, profile};

use super::{ConformanceWorld, report, with_exchange};

/// A 200 whose body, normalised, is the participant resource of the run's profile
/// (`snapshots/resource.snap`, `snapshots/<profile>_resource.snap`), and whose dates behave.
/// Which values the flags hold is for the value steps that follow.
#[then(expr = "the update succeeds")]
async fn succeeds(world: &mut ConformanceWorld) -> Result<(), Failure> {
    let profile = world.profile();
    let what = format!("the participant resource of the {} profile", profile.name);
    succeeds_as(world, &snapshot::name_in(profile, snapshot::RESOURCE), &what, true)
}

/// A 200 whose body, normalised, is the committed snapshot of a documented example of the
/// run's profile: the resource, and the flags as the example shows them. Only the scenarios
/// that reproduce a documented example use it. A generation that documents no such example
/// (Twilio has no barge example; SignalWire's current description none at all) judges the
/// answer by its resource, as `the update succeeds` does.
#[then(expr = "the update succeeds as in the documented {string} example")]
async fn succeeds_as_example(world: &mut ConformanceWorld, name: String) -> Result<(), Failure> {
    let (snapshot, what, as_resource) = documented_snapshot(world.profile(), &name)?;
    succeeds_as(world, &snapshot, &what, as_resource)
}

/// A retrieve answered as a documented example of the run's profile shows it (Twilio's
/// `fetchByLabel`): the same comparison as an update's, without the dates an update moves.
#[then(expr = "the answer is as in the documented {string} example")]
async fn answer_as_example(world: &mut ConformanceWorld, name: String) -> Result<(), Failure> {
    let (snapshot, what, as_resource) = documented_snapshot(world.profile(), &name)?;
    answered_as(world, &snapshot, &what, as_resource, false)
}

/// The committed snapshot a documented example's name stands for under `profile`, what to call
/// it in a failure, and whether it is the resource (the profile documents no such example).
fn documented_snapshot(profile: &profile::Profile, name: &str) -> Result<(String, String, bool), Failure> {
    if profile.examples.contains_key(name) {
        let what = snapshot::example_what(profile, name);
        return Ok((snapshot::name_in(profile, name), what, false));
    }
    let mut known: Vec<&str> = profile::PROFILES
        .iter()
        .flat_map(|p| p.examples.keys().map(String::as_str))
        .collect();
    known.sort_unstable();
    known.dedup();
    if !known.contains(&name) {
        return Err(format!("there is no documented example {name:?}; the documented examples are {known:?}").into());
    }
    let what = format!("the participant resource of the {} profile", profile.name);
    Ok((snapshot::name_in(profile, snapshot::RESOURCE), what, true))
}

/// The success check, against the committed snapshot `name` (as a resource, the flags are
/// placeholders; as an example, they keep their values).
fn succeeds_as(world: &ConformanceWorld, name: &str, what: &str, as_resource: bool) -> Result<(), Failure> {
    answered_as(world, name, what, as_resource, true)
}

/// [`succeeds_as`] for any request about a participant; `update` says whether it was an
/// update, whose dates are judged by the window it was sent in.
fn answered_as(
    world: &ConformanceWorld,
    name: &str,
    what: &str,
    as_resource: bool,
    update: bool,
) -> Result<(), Failure> {
    let answer = world.last()?;
    let (who, exchange) = (answer.about.clone(), &answer.exchange);
    if exchange.status != 200 {
        let request = if update { "update" } else { "request" };
        return Err(with_exchange(
            format!("the {request} of {who:?} answered {} instead of 200", exchange.status),
            exchange,
        ));
    }
    let body = world.body_about(&who)?;
    let expected = snapshot::committed(name).ok_or_else(|| format!("the committed snapshot {name} is missing"))?;
    let normalised = shape::normalise(&body, &world.subject(&who)?);
    let actual = if as_resource {
        shape::resource(&normalised, world.profile())
    } else {
        normalised
    };
    let mut deviations: Vec<Deviation> = check_json_content_type(exchange.header("content-type"))
        .err()
        .into_iter()
        .collect();
    deviations.extend(laml_conformance::check::compare(
        &expected,
        &actual,
        laml_conformance::check::Scope::Exact,
    ));
    if update {
        let (Some(before), Some(window)) = (world.before.get(&who), world.window) else {
            return Err("the state before the update was not recorded".into());
        };
        deviations.extend(dates::check_dates(before, &body, window).err().unwrap_or_default());
    }
    if deviations.is_empty() {
        return Ok(());
    }
    Err(with_exchange(
        report(&format!("the response differs from {what}"), &deviations).against_shape(),
        exchange,
    ))
}

/// A refusal: the documented status, and an error body whose normalised form is the committed
/// snapshot of the documented code, with `status` equal to the HTTP status.
#[then(regex = r"^the (?:update|removal|listing) is refused with status (\d+) and code (\d+)$")]
async fn refused(world: &mut ConformanceWorld, status: u16, code: u32) -> Result<(), Failure> {
    let documented = ErrorCode::from_code(code).ok_or_else(|| {
        let known: Vec<u32> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        format!("{code} is not a documented error code; the documented codes are {known:?}")
    })?;
    if documented.http_status() != status {
        return Err(format!(
            "the documentation gives code {code} with status {}, not {status}: fix the scenario",
            documented.http_status()
        )
        .into());
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
    let mut deviations: Vec<Deviation> = check_json_content_type(exchange.header("content-type"))
        .err()
        .into_iter()
        .collect();
    deviations.extend(
        error::check_error(exchange.status, &body, documented, world.profile())
            .err()
            .unwrap_or_default(),
    );
    if deviations.is_empty() {
        return Ok(());
    }
    let title = format!("the refusal differs from the documented error {code} with status {status}");
    Err(with_exchange(report(&title, &deviations).against_shape(), exchange))
}

/// A 405 says which methods the resource allows (RFC 9110 section 15.5.6): its `Allow` header
/// names each of these and not the method refused. A server may allow more (HEAD, OPTIONS).
#[then(regex = r"^the refusal names the allowed methods ((?:[A-Z]+(?:, | and )?)+)$")]
async fn allows(world: &mut ConformanceWorld, methods: String) -> Result<(), Failure> {
    let exchange = &world.last()?.exchange;
    let want: Vec<&str> = methods
        .split(", ")
        .flat_map(|m| m.split(" and "))
        .filter(|m| !m.is_empty())
        .collect();
    let header = exchange.header("allow").unwrap_or_default();
    let allowed: Vec<String> = header
        .split(',')
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect();
    let missing: Vec<&str> = want
        .iter()
        .copied()
        .filter(|m| !allowed.iter().any(|a| a == m))
        .collect();
    let refused = allowed.iter().any(|a| a == &exchange.request.method);
    if missing.is_empty() && !refused {
        return Ok(());
    }
    let d = Deviation {
        path: "Allow (header)".into(),
        expected: format!("{} (and not {})", want.join(", "), exchange.request.method),
        actual: if exchange.header("allow").is_none() {
            "absent".into()
        } else {
            format!("{header:?}")
        },
    };
    Err(with_exchange(
        report("the refusal does not name the methods the resource allows", &[d]),
        exchange,
    ))
}
