//! Steps that send an update to a participant.

use cucumber::gherkin::Step;
use cucumber::when;
use laml_conformance::client::ParticipantUpdate;

use super::{Answer, ConformanceWorld};

/// Sends `update` to `name`, after keeping the participant's state from just before, so that
/// later steps can tell what the update changed.
async fn send(world: &mut ConformanceWorld, name: &str, update: ParticipantUpdate) -> Result<(), String> {
    let (_, before) = world.retrieve(name).await?;
    world.before.insert(name.to_string(), before);
    let exchange = world
        .client()?
        .update_participant(&world.participant(name)?, &update)
        .await
        .map_err(|e| e.to_string())?;
    world.last = Some(Answer {
        name: name.to_string(),
        exchange,
    });
    Ok(())
}

#[when(expr = "{string} is updated with:")]
async fn updated_with(world: &mut ConformanceWorld, name: String, step: &Step) -> Result<(), String> {
    let table = step
        .table
        .as_ref()
        .ok_or("this step needs a table of | Parameter | value | rows")?;
    let mut update = ParticipantUpdate::new();
    for row in &table.rows {
        let [key, value] = row.as_slice() else {
            return Err(format!(
                "each row of the table has two cells, | Parameter | value |; this one has {}: {row:?}",
                row.len()
            ));
        };
        update = update.param(key.clone(), world.resolve(value));
    }
    send(world, &name, update).await
}

#[when(expr = "{string} is updated with no parameters")]
async fn updated_with_nothing(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    send(world, &name, ParticipantUpdate::new()).await
}
