//! Steps that send an update: as documented, with other credentials, to ids that do not exist,
//! or in a form the endpoint does not take.

use cucumber::gherkin::Step;
use cucumber::when;
use laml_conformance::check::dates;
use laml_conformance::client::{ApiClient, Exchange, FORM, ParticipantRef, ParticipantUpdate};
use laml_conformance::credentials::Credentials;
use laml_conformance::failure::Failure;
use laml_conformance::spec::params;
use reqwest::Method;

use super::parameters::{OtherCredentials, Participant, Unknown};
use super::{Answer, ConformanceWorld};

/// The update the refusal scenarios send when the parameters are not the point.
fn mute() -> ParticipantUpdate {
    ParticipantUpdate::new().param("Muted", "true")
}

/// The window of a request by the target's clock (the `Date` of the answer before it and of
/// its own answer) when it gives both, else by the local clock for both: never one clock for
/// one bound and another for the other.
fn window(
    server_before: Option<time::OffsetDateTime>,
    sent_here: time::OffsetDateTime,
    exchange: &Exchange,
) -> dates::Window {
    match (server_before, exchange.server_date()) {
        (Some(sent), Some(answered)) => dates::Window::new(sent, answered),
        _ => dates::Window::new(sent_here, time::OffsetDateTime::now_utc()),
    }
}

/// Sends `update` to `to` with `client`, after keeping every named participant's state, so later
/// steps can tell what the request changed.
pub(super) async fn send(
    world: &mut ConformanceWorld,
    about: &str,
    client: ApiClient,
    to: ParticipantRef,
    update: ParticipantUpdate,
) -> Result<(), Failure> {
    world.remember_everyone().await?;
    let sent_here = time::OffsetDateTime::now_utc();
    let exchange = client
        .update_participant(&to, &update)
        .await
        .map_err(|e| e.to_string())?;
    world.window = Some(window(world.server_now, sent_here, &exchange));
    world.last = Some(Answer {
        about: about.to_string(),
        exchange,
    });
    Ok(())
}

async fn send_as_scenario(world: &mut ConformanceWorld, name: &str, update: ParticipantUpdate) -> Result<(), Failure> {
    let (client, to) = (world.client()?.clone(), world.participant(name)?);
    send(world, name, client, to, update).await
}

#[when(expr = "{participant} is updated with:")]
async fn updated_with(world: &mut ConformanceWorld, name: Participant, step: &Step) -> Result<(), Failure> {
    let update = from_table(world, step)?;
    send_as_scenario(world, &name.0, update).await
}

/// The update a step's `| Parameter | value |` table says, names of participants resolved.
pub(super) fn from_table(world: &ConformanceWorld, step: &Step) -> Result<ParticipantUpdate, Failure> {
    let table = step
        .table
        .as_ref()
        .ok_or("this step needs a table of | Parameter | value | rows")?;
    let mut update = ParticipantUpdate::new();
    for row in &table.rows {
        let [key, value] = row.as_slice() else {
            return Err(
                format!("each row of the table has two cells, | Parameter | value |; this one has {row:?}").into(),
            );
        };
        update = update.param(key.clone(), world.resolve(key, value)?);
    }
    Ok(update)
}

/// A key that is not a documented parameter, sent on purpose; a documented key here is a
/// mistake of the scenario, which the update table is for.
#[when(expr = "{participant} is updated with the undocumented parameter {string} set to {string}")]
async fn updated_with_undocumented(
    world: &mut ConformanceWorld,
    name: Participant,
    key: String,
    value: String,
) -> Result<(), Failure> {
    let name = name.0;
    if params::param(&key).is_some() {
        return Err(format!(
            "{key} is a documented parameter; send it with \"When {name:?} is updated with:\" and a table"
        )
        .into());
    }
    let update = ParticipantUpdate::new().param(key.clone(), world.resolve(&key, &value)?);
    send_as_scenario(world, &name, update).await
}

#[when(expr = "{participant} is updated with no parameters")]
async fn updated_with_nothing(world: &mut ConformanceWorld, name: Participant) -> Result<(), Failure> {
    send_as_scenario(world, &name.0, ParticipantUpdate::new()).await
}

#[when(expr = "{participant} is muted {credentials}")]
async fn with_other_credentials(
    world: &mut ConformanceWorld,
    name: Participant,
    how: OtherCredentials,
) -> Result<(), Failure> {
    let name = name.0;
    let own = world.conference()?.credentials.clone();
    let credentials = match how {
        OtherCredentials::None => None,
        OtherCredentials::WrongToken => Some(Credentials::throwaway(own.project_id, "not-the-token")),
        OtherCredentials::AnotherAccount => {
            super::conference::needs(world, laml_conformance::target::Need::AnotherAccount)?;
            let other = world
                .run
                .target
                .arrange_conference(&["other"])
                .await
                .map_err(|e| e.to_string())?
                .credentials;
            if other.project_id == own.project_id {
                return Err("the target gave the same account twice, so it cannot show how another account's credentials are refused".into());
            }
            Some(other)
        }
    };
    let (client, to) = (world.client()?.with_credentials(credentials), world.participant(&name)?);
    send(world, &name, client, to, mute()).await
}

#[when(expr = "{participant} is muted in an unknown {unknown}")]
async fn in_unknown(world: &mut ConformanceWorld, name: Participant, what: Unknown) -> Result<(), Failure> {
    let name = name.0;
    let mut to = world.participant(&name)?;
    let ids = world.profile();
    match what {
        Unknown::Account => to.account_sid = ids.fresh_id("AC"),
        Unknown::Conference => to.conference_sid = ids.fresh_id("CF"),
    }
    let client = world.client()?.clone();
    let about = format!(
        "{name} in an unknown {}",
        if what == Unknown::Account {
            "account"
        } else {
            "conference"
        }
    );
    send(world, &about, client, to, mute()).await
}

#[when(expr = "a participant that is not in the conference is muted")]
async fn unknown_participant(world: &mut ConformanceWorld) -> Result<(), Failure> {
    let to = world.stranger()?;
    let client = world.client()?.clone();
    send(world, "an unknown participant", client, to, mute()).await
}

/// Sends any method and body to a named participant's URL, for requests an update cannot be.
async fn send_raw(
    world: &mut ConformanceWorld,
    name: String,
    method: Method,
    body: (&str, String),
) -> Result<(), Failure> {
    world.remember_everyone().await?;
    let sent_here = time::OffsetDateTime::now_utc();
    let path = world.client()?.participant_path(&world.participant(&name)?);
    let exchange = world
        .client()?
        .send(method, &path, Some(body))
        .await
        .map_err(|e| e.to_string())?;
    world.window = Some(window(world.server_now, sent_here, &exchange));
    world.last = Some(Answer { about: name, exchange });
    Ok(())
}

/// Sends a body that is not a form, with the content type a client would declare for it.
#[when(expr = "{participant} is updated with a {word} body:")]
async fn updated_with_body(
    world: &mut ConformanceWorld,
    name: Participant,
    kind: String,
    step: &Step,
) -> Result<(), Failure> {
    let text = step
        .docstring
        .clone()
        .ok_or("this step needs the body as a \"\"\" docstring")?;
    let content_type = match kind.as_str() {
        "JSON" => "application/json",
        "text" => "text/plain",
        other => return Err(format!("no body kind {other:?}; use JSON or text").into()),
    };
    send_raw(world, name.0, Method::POST, (content_type, text.trim().to_string())).await
}

/// Sends another HTTP method, with the form of a mute, to a participant's URL.
#[when(expr = "a {word} request is sent to {participant}")]
async fn other_method(world: &mut ConformanceWorld, method: String, name: Participant) -> Result<(), Failure> {
    let name = name.0;
    let method = Method::from_bytes(method.as_bytes()).map_err(|e| format!("{method:?} is no HTTP method: {e}"))?;
    send_raw(world, name, method, (FORM, mute().encode())).await
}
