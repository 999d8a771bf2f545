//! Steps that remove a participant from its conference (a DELETE of its own path): the
//! removal answers 204 with no body, and the participant is then gone, from a retrieve and
//! from the list.

use cucumber::{then, when};
use laml_conformance::check::{Deviation, error};
use laml_conformance::client::ParticipantRef;
use laml_conformance::failure::Failure;
use laml_conformance::spec::ErrorCode;

use super::parameters::Participant;
use super::{Answer, ConformanceWorld, report, with_exchange};

/// Sends the DELETE, after keeping every named participant's state.
async fn remove(world: &mut ConformanceWorld, about: String, who: ParticipantRef) -> Result<(), Failure> {
    world.remember_everyone().await?;
    let exchange = world
        .client()?
        .delete_participant(&who)
        .await
        .map_err(|e| e.to_string())?;
    world.last = Some(Answer { about, exchange });
    Ok(())
}

#[when(expr = "{participant} is removed from the conference")]
async fn removed(world: &mut ConformanceWorld, name: Participant) -> Result<(), Failure> {
    let who = world.participant(&name.0)?;
    remove(world, name.0, who).await
}

#[when(expr = "a participant that is not in the conference is removed")]
async fn unknown_removed(world: &mut ConformanceWorld) -> Result<(), Failure> {
    let who = world.stranger()?;
    remove(world, "an unknown participant".into(), who).await
}

/// 204 No Content, as every generation documents a removal: no body at all.
#[then(expr = "the removal succeeds with no body")]
async fn removal_succeeds(world: &mut ConformanceWorld) -> Result<(), Failure> {
    let exchange = &world.last()?.exchange;
    let mut deviations = Vec::new();
    if exchange.status != 204 {
        deviations.push(Deviation::values("status", &204.into(), &exchange.status.into()));
    }
    if !exchange.body.is_empty() {
        deviations.push(Deviation {
            path: "body".into(),
            expected: "none (204 No Content)".into(),
            actual: format!("{} bytes", exchange.body.len()),
        });
    }
    if deviations.is_empty() {
        return Ok(());
    }
    Err(with_exchange(
        report("the removal differs from the documented 204 with no body", &deviations).against_shape(),
        exchange,
    ))
}

/// A removed participant retrieves as not found (404, code 20404, the documented error body)
/// and is on no page of the list.
#[then(expr = "{participant} is gone from the conference")]
async fn gone(world: &mut ConformanceWorld, name: Participant) -> Result<(), Failure> {
    let name = name.0;
    let exchange = world
        .client()?
        .retrieve_participant(&world.participant(&name)?)
        .await
        .map_err(|e| e.to_string())?;
    let deviations = match exchange.json() {
        _ if exchange.status != 404 => vec![Deviation::values("status", &404.into(), &exchange.status.into())],
        Ok(body) => error::check_error(exchange.status, &body, ErrorCode::NotFound, world.profile())
            .err()
            .unwrap_or_default(),
        Err(e) => vec![Deviation {
            path: "body".into(),
            expected: "the documented error body".into(),
            actual: e.to_string(),
        }],
    };
    if !deviations.is_empty() {
        return Err(with_exchange(
            report(
                &format!("a retrieve of the removed {name:?} is not refused as not found"),
                &deviations,
            ),
            &exchange,
        ));
    }
    world.list_all().await?;
    let (listing, items) = world.judged_page()?;
    if world.names_on(&items).contains(&name) {
        let d = Deviation {
            path: "participants".into(),
            expected: format!("no {name:?} (it was removed)"),
            actual: format!("{name:?} listed"),
        };
        return Err(with_exchange(
            report(&format!("the removed {name:?} is still listed"), &[d]),
            &listing.exchange,
        ));
    }
    Ok(())
}
