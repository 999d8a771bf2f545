//! Steps about a participant's state: what the last answer says, what a retrieve or a list
//! shows afterwards.

use cucumber::then;
use laml_conformance::check::{report, values};
use serde_json::{Value, json};

use super::{ConformanceWorld, with_exchange};

/// Checks the values an update controls in the last answer about `name` (inclusive: only the
/// named fields), with the exchange under any failure.
fn expect_values(world: &ConformanceWorld, name: &str, expected: Value) -> Result<(), String> {
    let body = world.body_about(name)?;
    values::check_values(&body, &expected).map_err(|diff| {
        with_exchange(
            format!("{name:?} is not in the expected state:\n{diff}"),
            world.answer_about(name).expect("checked by body_about"),
        )
    })
}

#[then(regex = r#"^"([^"]+)" is (not )?(muted|on hold)$"#)]
async fn flag(world: &mut ConformanceWorld, name: String, not: String, which: String) -> Result<(), String> {
    let key = if which == "muted" { "muted" } else { "hold" };
    let expected = json!({ "call_sid": world.sid(&name)?, key: not.is_empty() });
    expect_values(world, &name, expected)
}

#[then(expr = "{string} is coaching {string}")]
async fn coaching(world: &mut ConformanceWorld, name: String, coached: String) -> Result<(), String> {
    let expected =
        json!({ "call_sid": world.sid(&name)?, "coaching": true, "call_sid_to_coach": world.sid(&coached)? });
    expect_values(world, &name, expected)
}

/// Not coaching, and not naming anyone of the conference as coached any more.
#[then(expr = "{string} is not coaching anyone")]
async fn not_coaching(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    expect_values(
        world,
        &name,
        json!({ "call_sid": world.sid(&name)?, "coaching": false }),
    )?;
    let body = world.body_about(&name)?;
    let named = body
        .get("call_sid_to_coach")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(who) = world.name_of(named) {
        let exchange = world.answer_about(&name)?;
        return Err(with_exchange(
            format!(
                "{name:?} stopped coaching but call_sid_to_coach still names {who:?}\n  call_sid_to_coach\n    expected: no participant of the conference\n    actual:   <{named:?}> ({who})"
            ),
            exchange,
        ));
    }
    Ok(())
}

/// A retrieve right after the update shows exactly what the update answered: the update was
/// persisted, not just echoed.
#[then(expr = "a retrieve of {string} shows the same participant")]
async fn retrieve_same(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
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

/// The update changed nothing but `date_updated` (whose move the success step checks).
#[then(expr = "{string} is unchanged but for its update date")]
async fn unchanged(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    let before = world
        .before
        .get(&name)
        .ok_or("the state before the update was not recorded")?;
    let after = world.body_about(&name)?;
    values::check_unchanged_except(before, &after, &["date_updated"]).map_err(|d| {
        with_exchange(
            report(&format!("the update changed {name:?} (expected: as it was before)"), &d),
            world.answer_about(&name).expect("checked by body_about"),
        )
    })
}

/// The list filtered by one documented filter names exactly these of the scenario's
/// participants (others of a live conference are not the scenario's business).
#[then(
    regex = r#"^listing the participants with "(Muted|Hold)" set to "([^"]*)" gives exactly ((?:"[^"]+"(?:, | and )?)*|nobody)$"#
)]
async fn listing(world: &mut ConformanceWorld, filter: String, value: String, list: String) -> Result<(), String> {
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
    if items
        .iter()
        .any(|item| !item.get("call_sid").is_some_and(Value::is_string))
    {
        return Err(with_exchange(
            "a listed participant has no string call_sid".into(),
            &exchange,
        ));
    }
    got.sort();
    let mut want = super::conference::names(&list);
    want.sort();
    if got != want {
        return Err(with_exchange(
            format!("listing with {filter}={value}\n  participants\n    expected: {want:?}\n    actual:   {got:?}"),
            &exchange,
        ));
    }
    Ok(())
}

/// A refused request changed nobody: every named participant retrieves exactly as it did
/// just before the request, `date_updated` included.
#[then(expr = "no participant has changed")]
async fn nobody_changed(world: &mut ConformanceWorld) -> Result<(), String> {
    unchanged_but(world, None).await
}

/// An update changed only its own participant: every other named participant, in this
/// conference or another, retrieves exactly as before.
#[then(expr = "no participant but {string} has changed")]
async fn only_one_changed(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
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
