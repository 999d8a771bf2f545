//! The target a run talks to, and how participant state is arranged on it.
//!
//! Steps ask the target for a conference with named participants and get back ids and
//! credentials; they never know whether the embedded simulated space, a setup endpoint or a
//! configured live conference answers. What a target cannot arrange it says up front
//! ([`Target::cannot_arrange`]), so such scenarios are reported as skipped with the reason.

mod probe;
mod remote;

pub use probe::{reachable, speaks_http, usable};
pub use remote::Remote;

use std::time::Duration;

use crate::client::ApiClient;
use crate::config::{Arrangement, RemoteConfig, Settings};
use crate::error::Error;
use crate::exit::Exit;
use crate::setup::ArrangedConference;
use crate::sim::Sim;
use crate::sim::faults::Fault;
use crate::spec::Dialect;

pub use crate::config::DEFAULT_TIMEOUT;

/// A state a scenario needs arranged before it can say anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// A second conference in the same account.
    AnotherConference,
    /// A conference that has ended.
    CompletedConference,
    /// Valid credentials of a second account.
    AnotherAccount,
    /// Participants that joined with a label (optional in Twilio's API), to be named by it.
    Labels,
}

/// Why a target cannot be used at all, found before any scenario ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    /// [`Exit::Usage`] for a setting to fix, [`Exit::Unreachable`] for a target that does not
    /// answer as one.
    pub code: Exit,
    /// One sentence: what is wrong and what to do.
    pub message: String,
}

impl Unusable {
    fn config(message: String) -> Self {
        Unusable {
            code: Exit::Usage,
            message,
        }
    }

    fn target(message: String) -> Self {
        Unusable {
            code: Exit::Unreachable,
            message,
        }
    }
}

/// The server the suite runs against.
#[derive(Debug)]
pub enum Target {
    /// The simulated space, started in this process on a loopback port.
    Embedded(Sim),
    /// An implementation elsewhere.
    Remote(Remote),
}

impl Target {
    /// Starts the simulated space as the target.
    pub async fn embedded() -> Result<Self, Error> {
        Ok(Target::Embedded(Sim::start().await?))
    }

    /// The target the settings name: the embedded space (broken by `fault`, if given), or a
    /// remote one.
    pub async fn from_settings(settings: &Settings, fault: Option<Fault>) -> Result<Self, Error> {
        match &settings.remote {
            None => Ok(Target::Embedded(Sim::start_serving(fault, settings.profile).await?)),
            Some(_) if fault.is_some() => Err(Error::Config(
                "--fault breaks the embedded simulated space; it cannot be used with --target".into(),
            )),
            Some(config) => Ok(Target::Remote(Remote {
                config: config.clone(),
                timeout: settings.timeout,
                plain: Default::default(),
                labels: std::sync::OnceLock::new(),
            })),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> String {
        match self {
            Target::Embedded(sim) => sim.base_url(),
            Target::Remote(r) => r.config.base_url.clone(),
        }
    }

    /// The path dialect this target is spoken to in.
    pub fn dialect(&self) -> Dialect {
        match self {
            Target::Embedded(sim) => sim.profile().dialect(),
            Target::Remote(r) => r.config.dialect,
        }
    }

    /// How credentials travel to this target: its profile's scheme.
    pub fn auth(&self) -> crate::spec::wire::AuthScheme {
        match self {
            Target::Embedded(sim) => sim.profile().auth,
            Target::Remote(r) => r.config.auth,
        }
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        match self {
            Target::Embedded(_) => DEFAULT_TIMEOUT,
            Target::Remote(r) => r.timeout,
        }
    }

    /// Whether scenarios share participants here (a configured conference): they must then run
    /// one at a time and restore what they change.
    pub fn shares_participants(&self) -> bool {
        matches!(
            self,
            Target::Remote(Remote {
                config: RemoteConfig {
                    arrangement: Arrangement::Configured { .. },
                    ..
                },
                ..
            })
        )
    }

    /// Looks, before the run, at whether a remote target's participants carry a label, when
    /// `profile` lets a label stand for the call sid: labels are optional in Twilio's API, so a
    /// server whose participants have none skips the by-label scenarios instead of failing
    /// them. One throwaway arrangement (or the configured conference's first participant) is
    /// retrieved; if that cannot be done, nothing is decided and the scenarios say why.
    pub async fn probe_labels(&self, profile: &crate::spec::Profile) {
        if !profile.label_lookup {
            return;
        }
        let names = match self {
            Target::Remote(Remote {
                config:
                    RemoteConfig {
                        arrangement: Arrangement::Configured { participants, .. },
                        ..
                    },
                ..
            }) => match participants.first() {
                Some((name, _)) => vec![name.as_str()],
                None => return,
            },
            _ => vec!["probe"],
        };
        let Ok(arranged) = self.arrange_conference(&names).await else {
            return;
        };
        let Some((_, call_sid)) = arranged.participants.first() else {
            return;
        };
        let who = crate::spec::ParticipantRef {
            account_sid: arranged.credentials.project_id.clone(),
            conference_sid: arranged.conference_sid.clone(),
            call_sid: call_sid.clone(),
        };
        let client = self.client(&arranged).with_paths(profile.paths);
        let Ok(exchange) = client.retrieve_participant(&who).await else {
            return;
        };
        let Ok(body) = exchange.json() else { return };
        if exchange.status == 200 {
            let labelled = body
                .get("label")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|l| !l.is_empty());
            let _ = self.labels().set(labelled);
        }
    }

    /// What [`Target::probe_labels`] found.
    fn labels(&self) -> &std::sync::OnceLock<bool> {
        match self {
            Target::Embedded(sim) => &sim.labels,
            Target::Remote(r) => &r.labels,
        }
    }

    /// Why this target cannot arrange `need`, or `None` if it can.
    pub fn cannot_arrange(&self, need: &Need) -> Option<String> {
        if *need == Need::Labels {
            return (self.labels().get() == Some(&false)).then(|| {
                "needs participants that carry a label: this target's participants have none (labels are optional in Twilio's API)".into()
            });
        }
        let Target::Remote(Remote {
            config:
                RemoteConfig {
                    arrangement: Arrangement::Configured { .. },
                    ..
                },
            ..
        }) = self
        else {
            return None;
        };
        match need {
            Need::AnotherConference => {
                Some("needs a second conference: only a setup endpoint (--setup-url) gives one".into())
            }
            Need::CompletedConference => {
                Some("needs a completed conference: only a setup endpoint (--setup-url) can end one".into())
            }
            Need::AnotherAccount => {
                Some("needs a second account: only a setup endpoint (--setup-url) gives one".into())
            }
            Need::Labels => None,
        }
    }

    /// Arranges a running conference with participants of these names, isolated from every
    /// other scenario's (except on a configured conference, which they share).
    pub async fn arrange_conference(&self, names: &[&str]) -> Result<ArrangedConference, Error> {
        match self {
            Target::Embedded(sim) => Ok(sim.arrange_conference(names)),
            Target::Remote(r) => r.arrange(names, None).await,
        }
    }

    /// Arranges one more running conference in the account of `arranged`.
    pub async fn arrange_another_conference(
        &self,
        arranged: &ArrangedConference,
        names: &[&str],
    ) -> Result<ArrangedConference, Error> {
        match self {
            Target::Embedded(sim) => sim
                .arrange_conference_in(&arranged.credentials.project_id, names)
                .ok_or_else(|| Error::Config("the arranged account is gone from the simulated space".into())),
            Target::Remote(r) => r.arrange(names, Some(arranged)).await,
        }
    }

    /// Gives back the account `arranged` is in, with all it holds, where the target takes it
    /// back (the setup endpoint's `DELETE {setup}/accounts/{AccountSid}`, docs/live.md): a
    /// run that arranges thousands of accounts keeps the target's state to what is in use.
    /// `Ok(false)` where it does not (a configured conference; a setup endpoint without it),
    /// and, without asking, for an account that is the user's (its project id or token): only
    /// what the setup endpoint made with a token of its own is the run's to give back.
    pub async fn release(&self, arranged: &ArrangedConference) -> Result<bool, Error> {
        match self {
            Target::Embedded(sim) => Ok(sim.release(&arranged.credentials.project_id)),
            Target::Remote(r) => r.release(arranged).await,
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
            Target::Remote(r) => r.complete(arranged).await,
        }
    }

    /// Checks, once before the scenarios, what every scenario relies on: that the state can be
    /// arranged (the setup endpoint answers, or the configured participants exist) and that the
    /// API answers a retrieve of an arranged participant with JSON. A target-wide problem (not
    /// LaML, a wrong path prefix, a missing participant, wrong credentials) is then one
    /// sentence instead of the same failure in every scenario. The embedded space is fine.
    pub async fn preflight(&self) -> Result<(), Unusable> {
        let Target::Remote(r) = self else { return Ok(()) };
        let names: Vec<&str> = match &r.config.arrangement {
            Arrangement::Configured { participants, .. } => participants.iter().map(|(n, _)| n.as_str()).collect(),
            Arrangement::Setup { .. } => vec!["agent"],
        };
        let arranged = self.arrange_conference(&names).await.map_err(|e| match e {
            Error::Config(_) => Unusable::config(e.to_string()),
            Error::Setup { url, detail } => Unusable::target(format!(
                "the setup endpoint {url} could not arrange a conference before the scenarios ({detail}); check --target and --setup-url: `laml-conformance serve` offers one, or implement the protocol in docs/live.md"
            )),
            other => Unusable::target(other.to_string()),
        })?;
        let client = self.client(&arranged);
        let prefix = r.config.dialect.prefix();
        for (name, sid) in &arranged.participants {
            let at = crate::spec::ParticipantRef {
                account_sid: arranged.credentials.project_id.clone(),
                conference_sid: arranged.conference_sid.clone(),
                call_sid: sid.clone(),
            };
            let exchange = client
                .retrieve_participant(&at)
                .await
                .map_err(|e| Unusable::target(e.to_string()))?;
            let path = exchange.request.path();
            match exchange.status {
                200 if exchange.json().is_ok_and(|v| v.is_object()) => {}
                // The credentials are good in another generation's scheme: the target speaks
                // another profile, which the scenarios, not the probe, are there to say.
                401 | 403 if admitted_otherwise(&client, &at).await => {}
                401 | 403 => {
                    return Err(Unusable::config(format!(
                        "the target refused the account's credentials ({} on GET {path}); check LAML_PROJECT_ID and LAML_API_TOKEN",
                        exchange.status
                    )));
                }
                404 if matches!(r.config.arrangement, Arrangement::Configured { .. }) => {
                    return Err(Unusable::config(format!(
                        "participant {name:?} ({sid}) is not in conference {} (404 on GET {path}); check --participant {name}=SID and --conference",
                        arranged.conference_sid
                    )));
                }
                404 => {
                    return Err(Unusable::config(format!(
                        "the target answered 404 for the participant its setup endpoint had just arranged (GET {path}); the path prefix is likely wrong: this run sends {prefix}/… under --target, so check --target's path and --dialect"
                    )));
                }
                status => {
                    let body: String = exchange.body.chars().take(80).collect();
                    return Err(Unusable::target(format!(
                        "the target does not answer as a LaML endpoint: GET {path} for an arranged participant answered {status} {body:?} instead of its JSON; point --target at the implementation's base URL"
                    )));
                }
            }
        }
        Ok(())
    }

    /// A client of this target that authenticates as the arranged account.
    pub fn client(&self, arranged: &ArrangedConference) -> ApiClient {
        ApiClient::new(
            &self.base_url(),
            self.dialect(),
            Some(arranged.credentials.clone()),
            self.timeout(),
        )
        .with_auth(self.auth())
    }
}

/// Whether the arranged credentials open `at` when sent in a scheme other than the client's.
async fn admitted_otherwise(client: &ApiClient, at: &crate::spec::ParticipantRef) -> bool {
    for scheme in [
        crate::spec::wire::AuthScheme::Basic,
        crate::spec::wire::AuthScheme::Bearer,
    ] {
        if scheme == client.auth() {
            continue;
        }
        let other = client.clone().with_auth(scheme);
        if other.retrieve_participant(at).await.is_ok_and(|e| e.status == 200) {
            return true;
        }
    }
    false
}
