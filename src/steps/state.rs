//! Steps about a participant's state: what the last answer says, what a retrieve or a list
//! shows afterwards.

use cucumber::then;
use laml_conformance::check::{Deviation, page, report, shape, snapshot, values};
use laml_conformance::spec::params;
use serde_json::{Value, json};

use super::parameters::{Flag, ListFilter, Participant};
use super::{ConformanceWorld, with_exchange};

/// Checks the values an update controls in the last answer about `name` (only the named
/// fields), with the exchange under any failure.
fn expect_values(world: &ConformanceWorld, name: &str, expected: Value) -> Result<(), String> {
    let body = world.body_about(name)?;
    values::check_values(&body, &expected).map_err(|d| {
        with_exchange(
            report(&format!("{name:?} is not in the expected state"), &d),
            world.answer_about(name).expect("checked by body_about"),
        )
    })
}

#[then(expr = "{participant} is {flag}")]
async fn has_flag(world: &mut ConformanceWorld, name: Participant, flag: Flag) -> Result<(), String> {
    let name = name.0;
    let expected = json!({ "call_sid": world.sid(&name)?, flag.field: flag.set });
    expect_values(world, &name, expected)
}

#[then(expr = "{participant} is coaching {participant}")]
async fn coaching(world: &mut ConformanceWorld, name: Participant, coached: Participant) -> Result<(), String> {
    let (name, coached) = (name.0, coached.0);
    let expected =
        json!({ "call_sid": world.sid(&name)?, "coaching": true, "call_sid_to_coach": world.sid(&coached)? });
    expect_values(world, &name, expected)
}

/// Not coaching, and not naming anyone of the conference as coached any more.
#[then(expr = "{participant} is not coaching anyone")]
async fn not_coaching(world: &mut ConformanceWorld, name: Participant) -> Result<(), String> {
    let name = name.0;
    expect_values(
        world,
        &name,
        json!({ "call_sid": world.sid(&name)?, "coaching": false }),
    )?;
    let body = world.body_about(&name)?;
    let named = body.get("call_sid_to_coach").cloned().unwrap_or(Value::Null);
    if let Some(who) = named.as_str().and_then(|sid| world.name_of(sid)) {
        let d = Deviation {
            path: "call_sid_to_coach".into(),
            expected: "no participant of the conference".into(),
            actual: format!("{} (the call sid of {who:?})", laml_conformance::check::show(&named)),
        };
        return Err(with_exchange(
            report(
                &format!("{name:?} stopped coaching but still names whom it coached"),
                &[d],
            ),
            world.answer_about(&name)?,
        ));
    }
    Ok(())
}

/// A retrieve right after the update shows exactly what the update answered: the update was
/// persisted, not just echoed.
#[then(expr = "a retrieve of {participant} shows the same participant")]
async fn retrieve_same(world: &mut ConformanceWorld, name: Participant) -> Result<(), String> {
    let name = name.0;
    let answered = world.body_about(&name)?;
    let (exchange, retrieved) = world.retrieve(&name).await?;
    values::check_unchanged_except(&answered, &retrieved, &[]).map_err(|d| {
        with_exchange(
            report(
                &format!(
                    "a retrieve of {name:?} differs from what the update answered (expected: the update's answer)"
                ),
                &d,
            ),
            &exchange,
        )
    })
}

/// The update changed nothing but `date_updated` and the fields its parameters set (none for
/// an announcement or an empty update): `Muted` must not touch `hold`, and so on.
#[then(expr = "{participant} is otherwise unchanged")]
async fn otherwise_unchanged(world: &mut ConformanceWorld, name: Participant) -> Result<(), String> {
    let name = name.0;
    let before = world
        .before
        .get(&name)
        .ok_or("the state before the update was not recorded")?;
    let after = world.body_about(&name)?;
    let exchange = world.answer_about(&name)?;
    let sent: Vec<(String, String)> = serde_urlencoded::from_str(&exchange.request.body).unwrap_or_default();
    let mut except = params::fields_set_by(sent.iter().map(|(k, _)| k.as_str()));
    except.push("date_updated");
    values::check_unchanged_except(before, &after, &except).map_err(|d| {
        let set = if except.len() > 1 {
            format!("but for {}", except.join(", "))
        } else {
            "but for date_updated".to_string()
        };
        with_exchange(
            report(
                &format!("the update changed {name:?} (expected: as it was before, {set})"),
                &d,
            ),
            exchange,
        )
    })
}

/// The list filtered by one documented filter names exactly these of the scenario's
/// participants (others of a live conference are not the scenario's business), on a page of the
/// profile's shape, each of the scenario's participants in it a resource of the profile.
#[then(
    regex = r#"^listing the participants with "([A-Za-z]+)" set to "([^"]*)" gives exactly ((?:"[^"]+"(?:, | and )?)*|nobody)$"#
)]
async fn listing(world: &mut ConformanceWorld, filter: String, value: String, list: String) -> Result<(), String> {
    let ListFilter(filter) = filter.parse()?;
    let profile = world.profile();
    if !profile.list.filters.contains(&filter) {
        return Err(format!(
            "the {} profile documents no {filter} filter; its filters are {:?}",
            profile.name, profile.list.filters
        ));
    }
    let conference = world.conference()?;
    let exchange = world
        .client()?
        .list_participants(
            &conference.credentials.project_id,
            &conference.conference_sid,
            &[(&filter, &value)],
        )
        .await
        .map_err(|e| e.to_string())?;
    let body = super::ok_json(&exchange, &format!("listing with {filter}={value}"))?;
    let shape_deviations = page_deviations(world, &body)?;
    if !shape_deviations.is_empty() {
        let title = format!(
            "the page listed with {filter}={value} differs from the {} list page",
            profile.name
        );
        return Err(with_exchange(report(&title, &shape_deviations), &exchange));
    }
    let Some(items) = body.get("participants").and_then(Value::as_array) else {
        return Err(with_exchange(
            "the list has no \"participants\" array".into(),
            &exchange,
        ));
    };
    // Only the participants the scenario named count: a live conference may hold others.
    let mut got: Vec<String> = items
        .iter()
        .filter_map(|item| item.get("call_sid").and_then(Value::as_str))
        .filter_map(|sid| world.name_of(sid).map(str::to_string))
        .collect();
    if let Some(i) = items
        .iter()
        .position(|item| !item.get("call_sid").is_some_and(Value::is_string))
    {
        let d = Deviation {
            path: format!("participants[{i}].call_sid"),
            expected: "a call sid (string)".into(),
            actual: laml_conformance::check::show(items[i].get("call_sid").unwrap_or(&Value::Null)),
        };
        return Err(with_exchange(
            report("a listed participant has no call sid", &[d]),
            &exchange,
        ));
    }
    got.sort();
    let mut want = super::conference::names(&list);
    want.sort();
    if got != want {
        let d = Deviation::values("participants (the scenario's, by name)", &json!(want), &json!(got));
        return Err(with_exchange(
            report(&format!("listing with {filter}={value}"), &[d]),
            &exchange,
        ));
    }
    Ok(())
}

/// How a listed page differs from the profile's list page (`list.snap`, `<profile>_list.snap`),
/// and each of the scenario's participants in it from the profile's resource.
fn page_deviations(world: &ConformanceWorld, body: &Value) -> Result<Vec<Deviation>, String> {
    let profile = world.profile();
    let conference = world.conference()?;
    let subject = page::ListSubject {
        account: &conference.credentials.project_id,
        conference: &conference.conference_sid,
        dialect: world.target.dialect(),
        profile,
    };
    let committed =
        |name: String| snapshot::committed(&name).ok_or(format!("the committed snapshot {name} is missing"));
    let mut deviations = laml_conformance::check::compare(
        &committed(snapshot::name_in(profile, snapshot::LIST))?,
        &page::normalise_page(body, &subject),
    );
    let resource = committed(snapshot::name_in(profile, snapshot::RESOURCE))?;
    for (i, item) in body
        .get("participants")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(name) = item
            .get("call_sid")
            .and_then(Value::as_str)
            .and_then(|sid| world.name_of(sid))
        else {
            continue;
        };
        let actual = shape::resource(&shape::normalise(item, &world.subject(name)?), profile);
        deviations.extend(
            laml_conformance::check::compare(&resource, &actual)
                .into_iter()
                .map(|d| Deviation {
                    path: format!("participants[{i}].{}", d.path),
                    ..d
                }),
        );
    }
    Ok(deviations)
}

/// A refused request changed nobody: every named participant retrieves exactly as it did
/// just before the request, `date_updated` included.
#[then(expr = "no participant has changed")]
async fn nobody_changed(world: &mut ConformanceWorld) -> Result<(), String> {
    unchanged_but(world, None).await
}

/// An update changed only its own participant: every other named participant, in this
/// conference or another, retrieves exactly as before.
#[then(expr = "no participant but {participant} has changed")]
async fn only_one_changed(world: &mut ConformanceWorld, name: Participant) -> Result<(), String> {
    let name = name.0;
    world.sid(&name)?;
    unchanged_but(world, Some(&name)).await
}

async fn unchanged_but(world: &ConformanceWorld, except: Option<&str>) -> Result<(), String> {
    if world.before.is_empty() {
        return Err("no participant state was recorded before the request; this step follows a \"When\" step".into());
    }
    let mut names: Vec<&String> = world.before.keys().filter(|n| Some(n.as_str()) != except).collect();
    names.sort();
    for name in names {
        let (exchange, now) = world.retrieve(name).await?;
        values::check_unchanged_except(&world.before[name], &now, &[]).map_err(|d| {
            let title = match except {
                None => format!("{name:?} changed although the request was refused (expected: as before)"),
                Some(_) => format!("{name:?} changed, but the request was not about it (expected: as before)"),
            };
            with_exchange(report(&title, &d), &exchange)
        })?;
    }
    Ok(())
}
