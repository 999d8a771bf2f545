//! The target a run talks to, and how participant state is arranged on it.
//!
//! Steps ask the target for a conference with named participants and get back ids and
//! credentials; they never know whether a simulated space or another server answers.

use std::time::Duration;

use crate::client::ApiClient;
use crate::error::Error;
use crate::sim::{ArrangedConference, Sim};
use crate::spec::Dialect;

/// How long a request may take before it counts as a failure of the target.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The server the suite runs against.
#[derive(Debug)]
pub enum Target {
    /// The simulated space, started in this process on a loopback port.
    Embedded(Sim),
}

impl Target {
    /// Starts the simulated space as the target.
    pub async fn embedded() -> Result<Self, Error> {
        Ok(Target::Embedded(Sim::start().await?))
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> String {
        match self {
            Target::Embedded(sim) => sim.base_url(),
        }
    }

    /// The path dialect this target is spoken to in.
    pub fn dialect(&self) -> Dialect {
        match self {
            Target::Embedded(_) => Dialect::SignalWire,
        }
    }

    /// Arranges a running conference with participants of these names, isolated from every
    /// other scenario's.
    pub async fn arrange_conference(&self, names: &[&str]) -> Result<ArrangedConference, Error> {
        match self {
            Target::Embedded(sim) => Ok(sim.arrange_conference(names)),
        }
    }

    /// Arranges one more running conference in the account of `arranged`, for scenarios about
    /// participants of two conferences.
    pub async fn arrange_another_conference(
        &self,
        arranged: &ArrangedConference,
        names: &[&str],
    ) -> Result<ArrangedConference, Error> {
        match self {
            Target::Embedded(sim) => sim
                .arrange_conference_in(&arranged.credentials.project_id, names)
                .ok_or_else(|| Error::Config("the arranged account is gone from the simulated space".into())),
        }
    }

    /// Ends the arranged conference, so its participants refuse updates.
    pub async fn complete_conference(&self, arranged: &ArrangedConference) -> Result<(), Error> {
        match self {
            Target::Embedded(sim) => {
                if sim.complete_conference(&arranged.credentials.project_id, &arranged.conference_sid) {
                    Ok(())
                } else {
                    Err(Error::Config(
                        "the arranged conference is gone from the simulated space".into(),
                    ))
                }
            }
        }
    }

    /// A client of this target that authenticates as the arranged account.
    pub fn client(&self, arranged: &ArrangedConference) -> ApiClient {
        ApiClient::new(
            &self.base_url(),
            self.dialect(),
            Some(arranged.credentials.clone()),
            DEFAULT_TIMEOUT,
        )
    }
}
