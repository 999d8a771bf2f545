//! The cucumber World and the step definitions: thin glue from Gherkin to the library.
//!
//! One file per thing a step acts on: the conference and its participants (`conference.rs`),
//! an update request (`update.rs`), a participant named by its label (`label.rs`), the parameter tables of the features (`tables.rs`), the response and its
//! documented shape (`response.rs`), the participant's state (`state.rs`). Steps return
//! `Result<(), Failure>`: the value names the fields, the expectation, what came, and the
//! exchange; cucumber renders it with its `Display` (the exchange as a curl command) at the edge.
//!
//! What every scenario of one run shares, the target, the profile, the baseline mode and the
//! run's tallies, is one value, [`Run`] (`run.rs`), set once by the run command.

/// cucumber's step macros turn a step's `Err(failure)` into `panic!("{}", failure)`, which
/// keeps only the text; this `panic!`, in scope of the step modules below, raises the value
/// itself, so every report renders the failure, not its text (see `report`).
macro_rules! panic {
    ("{}", $failure:expr) => {
        laml_conformance::failure::Failure::raise($failure)
    };
    ($($other:tt)*) => {
        ::std::panic!($($other)*)
    };
}

mod conference;
mod label;
mod list;
pub mod needs;
mod parameters;
mod record;
mod remove;
mod response;
mod restore;
mod run;
mod state;
mod tables;
mod update;

pub use restore::restore_shared;
pub use run::Run;

use std::collections::HashMap;
use std::fmt;

use laml_conformance::check::{dates, shape};
use laml_conformance::client::{ApiClient, Exchange, ParticipantRef, ParticipantUpdate};
use laml_conformance::error::Error;
use laml_conformance::failure::Failure;
use laml_conformance::setup::ArrangedConference;
use laml_conformance::spec::{Profile, params};
use serde_json::Value;

/// The prefix of a literal call sid in a table (`sid:CA…`): written out, never guessed.
pub const LITERAL_SID: &str = "sid:";
/// A call sid that no participant has, written where a scenario means one.
pub const UNKNOWN_SID: &str = "unknown sid";

/// A participant the scenario named, and where it is.
pub struct Named {
    name: String,
    at: ParticipantRef,
}

/// The last answer, and whom it was about (a participant's name, or what was asked for).
pub struct Answer {
    about: String,
    exchange: Exchange,
}

/// What one scenario knows: its conferences and participants, what it sent and what came back.
#[derive(cucumber::World)]
#[world(init = Self::new)]
pub struct ConformanceWorld {
    /// The run: its target, its profile, its baseline mode.
    run: &'static Run,
    /// The scenario's first conference ("the conference"), then any other.
    conferences: Vec<ArrangedConference>,
    client: Option<ApiClient>,
    participants: Vec<Named>,
    last: Option<Answer>,
    /// Every named participant as retrieved just before the last update.
    before: HashMap<String, Value>,
    /// On a target whose participants are shared, each one as it was when the scenario began,
    /// to restore afterwards.
    initial: Vec<(String, Value)>,
    /// The target's clock (its `Date` header) when the states in `before` were read: the
    /// second the next request is sent in, for the date bounds.
    server_now: Option<time::OffsetDateTime>,
    /// When the last request was sent and answered, by the target's clock where it tells it.
    window: Option<dates::Window>,
    /// Every exchange of the scenario, in order, where the run records or compares baselines.
    recorder: laml_conformance::client::Recorder,
    /// The last page of the participant list asked for.
    listing: Option<list::Listing>,
    /// The names listed on the pages before it, since the participants were last listed.
    listed: Vec<String>,
}

impl fmt::Debug for ConformanceWorld {
    /// Printed by cucumber on failure (`-vv`): ids, names and the last exchange, never the
    /// target's state or a token (credentials redact themselves).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ConformanceWorld");
        if let Some(c) = self.conferences.first() {
            d.field("account", &c.credentials);
        }
        let conferences: Vec<&str> = self.conferences.iter().map(|c| c.conference_sid.as_str()).collect();
        let names: Vec<(&str, &str)> = self
            .participants
            .iter()
            .map(|n| (n.name.as_str(), n.at.call_sid.as_str()))
            .collect();
        d.field("conferences", &conferences).field("participants", &names);
        if let Some(a) = &self.last {
            d.field("last_answer_about", &a.about)
                .field("last_exchange", &a.exchange.describe());
        }
        d.finish()
    }
}

impl ConformanceWorld {
    fn new() -> Result<Self, Error> {
        let run = Run::current().ok_or_else(|| {
            Error::Config("no run was started before the first scenario; this is a bug of laml-conformance".into())
        })?;
        // The run stops after a participant could not be restored; a scenario that the runner
        // started meanwhile must not touch the live conference (it is dropped unreported).
        if run.restore_failed() {
            return Err(Error::Config(
                "not started: a participant of the shared conference could not be restored".into(),
            ));
        }
        Ok(ConformanceWorld {
            run,
            conferences: Vec::new(),
            client: None,
            participants: Vec::new(),
            last: None,
            before: HashMap::new(),
            initial: Vec::new(),
            server_now: None,
            window: None,
            recorder: Default::default(),
            listing: None,
            listed: Vec::new(),
        })
    }

    /// The scenario's (first) conference.
    fn conference(&self) -> Result<&ArrangedConference, Failure> {
        self.conferences.first().ok_or_else(|| {
            Failure::new("no conference was arranged: start the scenario (or its Background) with \"Given a conference with participants …\"")
        })
    }

    fn client(&self) -> Result<&ApiClient, Failure> {
        self.client
            .as_ref()
            .ok_or_else(|| Failure::new("no conference was arranged, so there is no account to send as"))
    }

    /// Keeps an arranged conference and names its participants; on a target whose participants
    /// are shared, also keeps their state to restore after the scenario.
    async fn add_conference(&mut self, arranged: ArrangedConference) -> Result<(), Failure> {
        for (name, sid) in &arranged.participants {
            self.participants.push(Named {
                name: name.clone(),
                at: ParticipantRef {
                    account_sid: arranged.credentials.project_id.clone(),
                    conference_sid: arranged.conference_sid.clone(),
                    call_sid: sid.clone(),
                },
            });
        }
        if self.client.is_none() {
            let client = self.run.target.client(&arranged).with_paths(self.profile().paths);
            self.client = Some(if self.run.baseline.is_some() {
                client.recording_into(self.recorder.clone())
            } else {
                client
            });
        }
        let names: Vec<String> = arranged.participants.iter().map(|(n, _)| n.clone()).collect();
        self.conferences.push(arranged);
        if self.run.target.shares_participants() {
            // What it takes to read and reset shared participants depends on the state the run
            // found them in, so it stays out of a baseline recording.
            let recorded = self.recorder.lock().unwrap_or_else(|p| p.into_inner()).len();
            for name in names {
                let (_, state) = self.retrieve(&name).await?;
                self.bring_to_start(&name, &state).await?;
                self.initial.push((name, state));
            }
            self.recorder
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .truncate(recorded);
        }
        Ok(())
    }

    /// A shared, live participant as every scenario starts from: unmuted, not on hold, not
    /// coaching (the state the `Given` steps build on), so a participant that was muted when
    /// the run began does not fail a scenario about hold. Only what differs is sent; the
    /// participant's state before is restored after the scenario.
    async fn bring_to_start(&self, name: &str, state: &Value) -> Result<(), Failure> {
        let mut update = ParticipantUpdate::new();
        for (field, key) in [("muted", "Muted"), ("hold", "Hold"), ("coaching", "Coaching")] {
            if state.get(field).and_then(Value::as_bool) == Some(true) {
                update = update.param(key, "false");
            }
        }
        if update.encode().is_empty() {
            return Ok(());
        }
        self.update_ok(
            name,
            &update,
            &format!("bringing {name:?} to the state scenarios start from (unmuted, not on hold, not coaching)"),
        )
        .await
    }

    /// Where a named participant is, with the known names in the error.
    fn participant(&self, name: &str) -> Result<ParticipantRef, Failure> {
        self.participants
            .iter()
            .find(|n| n.name == name)
            .map(|n| n.at.clone())
            .ok_or_else(|| {
                let known: Vec<&str> = self.participants.iter().map(|n| n.name.as_str()).collect();
                Failure::new(format!(
                    "no participant is named {name:?} in this scenario; the names are {known:?}"
                ))
            })
    }

    /// What the normaliser needs to judge an answer about `name`: its ids, the path form in use,
    /// and the other participants of its conference (whom it may coach).
    fn subject(&self, name: &str) -> Result<shape::Subject, Failure> {
        let who = self.participant(name)?;
        let others = self
            .participants
            .iter()
            .filter(|n| n.at.conference_sid == who.conference_sid && n.at.call_sid != who.call_sid)
            .map(|n| n.at.call_sid.clone())
            .collect();
        Ok(shape::Subject {
            who,
            dialect: self.run.target.dialect(),
            others,
            profile: self.profile(),
        })
    }

    /// The generation of the documentation this run judges by.
    fn profile(&self) -> &'static Profile {
        self.run.profile
    }

    /// A participant path in the scenario's conference with a call sid nobody has there.
    fn stranger(&self) -> Result<ParticipantRef, Failure> {
        let conference = self.conference()?;
        Ok(ParticipantRef {
            account_sid: conference.credentials.project_id.clone(),
            conference_sid: conference.conference_sid.clone(),
            call_sid: self.profile().fresh_id("CA"),
        })
    }

    /// The call sid of a named participant.
    fn sid(&self, name: &str) -> Result<String, Failure> {
        Ok(self.participant(name)?.call_sid)
    }

    /// The name of the participant with this call sid, if the scenario named it.
    fn name_of(&self, sid: &str) -> Option<&str> {
        self.participants
            .iter()
            .find(|n| n.at.call_sid == sid)
            .map(|n| n.name.as_str())
    }

    /// A table value as sent. For a parameter that takes a call sid (`CallSidToCoach`, in any
    /// spelling) the value must be a name the scenario defined, `sid:…` for a literal sid,
    /// `unknown sid` for a sid no participant has, or blank; a name is never guessed, so a
    /// misspelt name fails here instead of being sent as text. Other values are sent as written.
    fn resolve(&self, key: &str, value: &str) -> Result<String, Failure> {
        if !params::takes_call_sid(key) || value.is_empty() {
            return Ok(value.to_string());
        }
        if let Some(literal) = value.strip_prefix(LITERAL_SID) {
            return Ok(literal.to_string());
        }
        if value == UNKNOWN_SID {
            return Ok(self.profile().fresh_id("CA"));
        }
        self.sid(value).map_err(|e| {
            Failure::new(format!(
                "{key} takes a call sid: {e}; write a participant's name, `{LITERAL_SID}…` for a literal sid, or `{UNKNOWN_SID}`"
            ))
        })
    }

    /// The last exchange, whatever it was about.
    fn last(&self) -> Result<&Answer, Failure> {
        self.last
            .as_ref()
            .ok_or_else(|| Failure::new("nothing was sent yet; add a \"When … is updated …\" step"))
    }

    /// The last exchange, which must be about `name`.
    fn answer_about(&self, name: &str) -> Result<&Exchange, Failure> {
        match &self.last {
            Some(a) if a.about == name => Ok(&a.exchange),
            Some(a) => Err(format!(
                "the last request was about {:?}, not {name:?}; update {name:?} first",
                a.about
            )
            .into()),
            None => {
                Err(format!("nothing was sent about {name:?} yet; add a \"When {name:?} is updated …\" step").into())
            }
        }
    }

    /// The JSON body of the last exchange about `name`, or a message showing what came instead.
    fn body_about(&self, name: &str) -> Result<Value, Failure> {
        let exchange = self.answer_about(name)?;
        exchange.json().map_err(|e| with_exchange(e.to_string(), exchange))
    }

    /// Retrieves a participant; the exchange must be a 200 with JSON.
    async fn retrieve(&self, name: &str) -> Result<(Exchange, Value), Failure> {
        let exchange = self
            .client()?
            .retrieve_participant(&self.participant(name)?)
            .await
            .map_err(|e| e.to_string())?;
        let body = ok_json(&exchange, &format!("retrieving {name:?}"))?;
        Ok((exchange, body))
    }

    /// Sends an update that must succeed (arranging or restoring state, not the behaviour under
    /// test); `why` says what it was for in the failure message.
    async fn update_ok(&self, name: &str, update: &ParticipantUpdate, why: &str) -> Result<(), Failure> {
        let to = self.participant(name)?;
        let exchange = self
            .client()?
            .update_participant(&to, update)
            .await
            .map_err(|e| e.to_string())?;
        ok_json(&exchange, why).map(drop)
    }

    /// Keeps every named participant's state, so later steps can tell what a request changed.
    async fn remember_everyone(&mut self) -> Result<(), Failure> {
        let mut before = HashMap::new();
        let mut server_now = None;
        for named in &self.participants {
            let (exchange, body) = self.retrieve(&named.name).await?;
            server_now = exchange.server_date();
            before.insert(named.name.clone(), body);
        }
        self.before = before;
        self.server_now = server_now;
        Ok(())
    }
}

/// The JSON body of an exchange that must be a 200; `what` names the request in the failure.
fn ok_json(exchange: &Exchange, what: &str) -> Result<Value, Failure> {
    if exchange.status != 200 {
        return Err(with_exchange(
            format!("{what} answered {} instead of 200", exchange.status),
            exchange,
        ));
    }
    exchange
        .json()
        .map_err(|e| with_exchange(format!("{what}: {e}"), exchange))
}

/// The failure with the exchange that produced it, so every failure shows what was sent and
/// received.
fn with_exchange(failure: impl Into<Failure>, exchange: &Exchange) -> Failure {
    failure.into().with_exchange(exchange)
}

/// A failure of the fields in `deviations`, under `title`.
fn report(title: &str, deviations: &[laml_conformance::check::Deviation]) -> Failure {
    Failure::deviating(title, deviations.to_vec())
}
