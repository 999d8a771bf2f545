//! Steps about a participant's state: what the last answer says, what a retrieve or a list
//! shows afterwards.

use cucumber::then;
use laml_conformance::check::{Deviation, values};
use laml_conformance::failure::Failure;
use laml_conformance::spec::params;
use serde_json::{Value, json};

use super::parameters::{Flag, Participant};
use super::{ConformanceWorld, report, with_exchange};

/// Checks the values an update controls in the last answer about `name` (only the named
/// fields), with the exchange under any failure.
fn expect_values(world: &ConformanceWorld, name: &str, expected: Value) -> Result<(), Failure> {
    let body = world.body_about(name)?;
    values::check_values(&body, &expected).map_err(|d| {
        with_exchange(
            report(&format!("{name:?} is not in the expected state"), &d),
            world.answer_about(name).expect("checked by body_about"),
        )
    })
}

#[then(expr = "{participant} is {flag}")]
async fn has_flag(world: &mut ConformanceWorld, name: Participant, flag: Flag) -> Result<(), Failure> {
    let name = name.0;
    let expected = json!({ "call_sid": world.sid(&name)?, flag.field: flag.set });
    expect_values(world, &name, expected)
}

#[then(expr = "{participant} is coaching {participant}")]
async fn coaching(world: &mut ConformanceWorld, name: Participant, coached: Participant) -> Result<(), Failure> {
    let (name, coached) = (name.0, coached.0);
    let mut expected = json!({ "call_sid": world.sid(&name)?, "coaching": true });
    for field in world.profile().names_of("call_sid_to_coach") {
        expected[field] = Value::from(world.sid(&coached)?);
    }
    expect_values(world, &name, expected)
}

/// `end_conference_on_exit`, which `EndConferenceOnExit` sets (Twilio's API).
#[then(regex = r#"^"([^"]+)" (ends|does not end) the conference when it leaves$"#)]
async fn ends_on_exit(world: &mut ConformanceWorld, name: String, ends: String) -> Result<(), Failure> {
    let expected = json!({ "call_sid": world.sid(&name)?, "end_conference_on_exit": ends == "ends" });
    expect_values(world, &name, expected)
}

/// Not coaching, and not naming anyone of the conference as coached any more.
#[then(expr = "{participant} is not coaching anyone")]
async fn not_coaching(world: &mut ConformanceWorld, name: Participant) -> Result<(), Failure> {
    let name = name.0;
    expect_values(
        world,
        &name,
        json!({ "call_sid": world.sid(&name)?, "coaching": false }),
    )?;
    let body = world.body_about(&name)?;
    let field = world.profile().name_of("call_sid_to_coach");
    let named = body.get(field).cloned().unwrap_or(Value::Null);
    if let Some(who) = named.as_str().and_then(|sid| world.name_of(sid)) {
        let d = Deviation {
            path: field.into(),
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
async fn retrieve_same(world: &mut ConformanceWorld, name: Participant) -> Result<(), Failure> {
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
async fn otherwise_unchanged(world: &mut ConformanceWorld, name: Participant) -> Result<(), Failure> {
    let name = name.0;
    let before = world
        .before
        .get(&name)
        .ok_or("the state before the update was not recorded")?;
    let after = world.body_about(&name)?;
    let exchange = world.answer_about(&name)?;
    let sent: Vec<(String, String)> = serde_urlencoded::from_str(&exchange.request.body).unwrap_or_default();
    let profile = world.profile();
    let mut except: Vec<&str> = params::fields_set_by(sent.iter().map(|(k, _)| k.as_str()))
        .into_iter()
        .flat_map(|f| profile.names_of(f))
        .collect();
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

/// A refused request changed nobody: every named participant retrieves exactly as it did
/// just before the request, `date_updated` included.
#[then(expr = "no participant has changed")]
async fn nobody_changed(world: &mut ConformanceWorld) -> Result<(), Failure> {
    unchanged_but(world, None).await
}

/// An update changed only its own participant: every other named participant, in this
/// conference or another, retrieves exactly as before.
#[then(expr = "no participant but {participant} has changed")]
async fn only_one_changed(world: &mut ConformanceWorld, name: Participant) -> Result<(), Failure> {
    let name = name.0;
    world.sid(&name)?;
    unchanged_but(world, Some(&name)).await
}

async fn unchanged_but(world: &ConformanceWorld, except: Option<&str>) -> Result<(), Failure> {
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
