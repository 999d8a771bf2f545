//! Steps that name a participant by its label instead of its call sid, as Twilio's API allows
//! (its `…ByLabel` examples): the answer must be the participant's own, found by the label.

use cucumber::gherkin::Step;
use cucumber::when;
use laml_conformance::client::ParticipantRef;
use laml_conformance::failure::Failure;
use serde_json::Value;

use super::parameters::Participant;
use super::{Answer, ConformanceWorld, with_exchange};

/// The participant's path with its label where the call sid goes. The label is read from the
/// target (a retrieve by call sid), never guessed: a participant without one cannot be named so.
async fn by_label(world: &ConformanceWorld, name: &str) -> Result<ParticipantRef, Failure> {
    let (exchange, body) = world.retrieve(name).await?;
    match body.get("label") {
        Some(Value::String(label)) if !label.is_empty() => Ok(ParticipantRef {
            call_sid: label.clone(),
            ..world.participant(name)?
        }),
        other => Err(with_exchange(
            format!(
                "{name:?} has no label to be named by (its label is {}); a by-label scenario needs participants that joined with one: the setup endpoint gives each the name it was arranged by",
                other.map_or("missing".to_string(), laml_conformance::check::show)
            ),
            &exchange,
        )),
    }
}

#[when(expr = "{participant} is updated by its label with:")]
async fn updated_by_label(world: &mut ConformanceWorld, name: Participant, step: &Step) -> Result<(), Failure> {
    let update = super::update::from_table(world, step)?;
    let (client, to) = (world.client()?.clone(), by_label(world, &name.0).await?);
    super::update::send(world, &name.0, client, to, update).await
}

#[when(expr = "{participant} is retrieved by its label")]
async fn retrieved_by_label(world: &mut ConformanceWorld, name: Participant) -> Result<(), Failure> {
    let to = by_label(world, &name.0).await?;
    world.remember_everyone().await?;
    let exchange = world
        .client()?
        .retrieve_participant(&to)
        .await
        .map_err(|e| e.to_string())?;
    world.last = Some(Answer {
        about: name.0,
        exchange,
    });
    Ok(())
}
