//! The cucumber World and the step definitions: thin glue from Gherkin to the library.
//!
//! One file per thing a step acts on: the conference (`conference.rs`), an update request
//! (`update.rs`), the response's documented shape (`response.rs`), the participant's state
//! (`state.rs`). Steps return `Result<(), String>`: the message is the failure a reader sees, so
//! it names the field, the expectation, what came, and the exchange as a curl command.

mod conference;
mod response;
mod state;
mod update;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use laml_conformance::check::shape::Identity;
use laml_conformance::client::{ApiClient, Exchange, ParticipantRef};
use laml_conformance::error::Error;
use laml_conformance::sim::ArrangedConference;
use laml_conformance::target::Target;
use serde_json::Value;

/// The target of this run, set once by `main` before the first scenario starts.
pub static TARGET: OnceLock<Target> = OnceLock::new();

/// A scenario's conference: the arrangement and a client authenticated for it.
pub struct Conference {
    arranged: ArrangedConference,
    client: ApiClient,
}

/// The last answer about a participant, with the participant's name.
pub struct Answer {
    name: String,
    exchange: Exchange,
}

/// What one scenario knows: its conference, what it sent and what came back.
#[derive(cucumber::World)]
#[world(init = Self::new)]
pub struct ConformanceWorld {
    target: &'static Target,
    conference: Option<Conference>,
    last: Option<Answer>,
    before: HashMap<String, Value>,
}

impl fmt::Debug for ConformanceWorld {
    /// Printed by cucumber on failure (`-vv`): ids, names and the last exchange, never the target's
    /// state or a token (credentials redact themselves).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ConformanceWorld");
        if let Some(c) = &self.conference {
            d.field("account", &c.arranged.credentials)
                .field("conference_sid", &c.arranged.conference_sid)
                .field("participants", &c.arranged.participants);
        }
        if let Some(a) = &self.last {
            d.field("last_answer_about", &a.name)
                .field("last_exchange", &a.exchange.describe());
        }
        d.finish()
    }
}

impl ConformanceWorld {
    fn new() -> Result<Self, Error> {
        let target = TARGET.get().ok_or_else(|| {
            Error::Config("no target was set before the run; this is a bug of laml-conformance".into())
        })?;
        Ok(ConformanceWorld {
            target,
            conference: None,
            last: None,
            before: HashMap::new(),
        })
    }

    fn conference(&self) -> Result<&Conference, String> {
        self.conference
            .as_ref()
            .ok_or_else(|| "no conference was arranged: start the scenario (or its Background) with \"Given a conference with participants …\"".to_string())
    }

    fn client(&self) -> Result<&ApiClient, String> {
        Ok(&self.conference()?.client)
    }

    /// The call sid of a named participant, with the known names in the error.
    fn sid(&self, name: &str) -> Result<String, String> {
        let c = self.conference()?;
        c.arranged
            .participants
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, sid)| sid.clone())
            .ok_or_else(|| {
                let known: Vec<&str> = c.arranged.participants.iter().map(|(n, _)| n.as_str()).collect();
                format!("no participant is named {name:?} in this conference; the names are {known:?}")
            })
    }

    /// A table value as sent: a participant's name stands for its sid.
    fn resolve(&self, value: &str) -> String {
        self.sid(value).unwrap_or_else(|_| value.to_string())
    }

    fn participant(&self, name: &str) -> Result<ParticipantRef, String> {
        let c = self.conference()?;
        Ok(ParticipantRef {
            account_sid: c.arranged.credentials.project_id.clone(),
            conference_sid: c.arranged.conference_sid.clone(),
            call_sid: self.sid(name)?,
        })
    }

    fn identity(&self, name: &str) -> Result<Identity, String> {
        let p = self.participant(name)?;
        Ok(Identity {
            account_sid: p.account_sid,
            conference_sid: p.conference_sid,
            call_sid: p.call_sid,
        })
    }

    /// The last exchange, which must be about `name`.
    fn answer_about(&self, name: &str) -> Result<&Exchange, String> {
        match &self.last {
            Some(a) if a.name == name => Ok(&a.exchange),
            Some(a) => Err(format!(
                "the last request was about {:?}, not {name:?}; update {name:?} first",
                a.name
            )),
            None => Err(format!(
                "nothing was sent about {name:?} yet; add a \"When {name:?} is updated …\" step"
            )),
        }
    }

    /// The JSON body of the last exchange about `name`, or a message showing what came instead.
    fn body_about(&self, name: &str) -> Result<Value, String> {
        let exchange = self.answer_about(name)?;
        exchange.json().map_err(|e| format!("{e}\n{}", exchange.describe()))
    }

    /// Retrieves a participant; the exchange must be a 200 with JSON.
    async fn retrieve(&self, name: &str) -> Result<(Exchange, Value), String> {
        let exchange = self
            .client()?
            .retrieve_participant(&self.participant(name)?)
            .await
            .map_err(|e| e.to_string())?;
        if exchange.status != 200 {
            return Err(format!(
                "retrieving {name:?} answered {} instead of 200\n{}",
                exchange.status,
                exchange.describe()
            ));
        }
        let body = exchange.json().map_err(|e| format!("{e}\n{}", exchange.describe()))?;
        Ok((exchange, body))
    }
}

/// Appends the exchange to a failure message, so every failure shows what was sent and received.
fn with_exchange(message: String, exchange: &Exchange) -> String {
    format!("{message}\n{}", exchange.describe())
}
