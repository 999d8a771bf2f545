//! The simulated space: a model of a server of this API, computed from state and rules.
//!
//! It never serves a documented file: every response is rendered from its state, so a wrong
//! rule shows up as a failed scenario. [`Sim::start`] serves it on a loopback port through the
//! plain server of `server.rs` (the embedded target and `serve` alike); [`Sim::arrange_conference`]
//! seeds it in-process with fresh ids, so scenarios never share state.

mod coalesce;
pub mod control;
pub mod faults;
mod framework_errors;
pub mod http;
pub mod journal;
pub mod participant;
pub mod responder;
pub mod rules;
pub mod sabotage;
pub mod server;
pub mod state;

use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::Error;
use crate::spec::Profile;

use self::faults::Fault;
use self::journal::{Journal, JournalEntry};
use self::state::{Account, Space};
use crate::credentials::Credentials;

pub use crate::setup::ArrangedConference;

/// What serves the space: the plain server's accept loop, stopped when the `Sim` is dropped.
#[derive(Debug)]
struct Server {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A running simulated space and the handles to its state.
#[derive(Debug)]
pub struct Sim {
    server: Server,
    space: Arc<Mutex<Space>>,
    journal: Arc<Mutex<Journal>>,
    /// Whether its participants carry a label, once `Target::probe_labels` has looked: the
    /// same look as at a remote target, so a space varied to have none is judged the same way.
    pub(crate) labels: std::sync::OnceLock<bool>,
}

impl Sim {
    /// Starts the space on a free loopback port, broken by `fault` if one is given.
    pub async fn start_with(fault: Option<Fault>) -> Result<Self, Error> {
        Self::start_serving(fault, Profile::seed()).await
    }

    /// Starts the space on a free loopback port, answering as `profile` documents, broken by
    /// `fault` if one is given.
    pub async fn start_serving(fault: Option<Fault>, profile: &'static Profile) -> Result<Self, Error> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| Error::SimStart(e.to_string()))?;
        Self::standalone(listener, fault, profile)
    }

    /// Starts the space on a free loopback port.
    pub async fn start() -> Result<Self, Error> {
        Self::start_with(None).await
    }

    /// Starts the space on a listener the caller bound (a fixed port for `serve`), behind the
    /// plain server (see [`server`]): no request is kept but in the bounded journal, bodies and slow clients
    /// are bounded. The server runs on the caller's runtime until the `Sim` is dropped.
    pub fn standalone(
        listener: std::net::TcpListener,
        fault: Option<Fault>,
        profile: &'static Profile,
    ) -> Result<Self, Error> {
        let addr = listener.local_addr().map_err(|e| Error::SimStart(e.to_string()))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::SimStart(e.to_string()))?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| Error::SimStart(e.to_string()))?;
        let responder = responder::SimResponder::new(fault, profile);
        let (space, journal) = (responder.space.clone(), responder.journal.clone());
        let task = tokio::spawn(server::run(listener, responder));
        Ok(Sim {
            server: Server {
                base: format!("http://{addr}"),
                task,
            },
            space,
            journal,
            labels: std::sync::OnceLock::new(),
        })
    }

    /// The generation of the documentation the space answers as.
    pub fn profile(&self) -> &'static Profile {
        self.space().profile
    }

    /// The base URL (`http://127.0.0.1:PORT`), without a path.
    pub fn base_url(&self) -> String {
        self.server.base.clone()
    }

    /// Seeds a fresh account with one running conference whose participants have these names.
    pub fn arrange_conference(&self, names: &[&str]) -> ArrangedConference {
        self.space().arrange_conference(names)
    }

    /// Seeds an account with the given credentials (replacing one of the same id, and never
    /// forgotten) and one running conference, for a server whose clients bring their own
    /// configuration.
    pub fn arrange_conference_for(&self, credentials: Credentials, names: &[&str]) -> ArrangedConference {
        let mut space = self.space();
        let sid = credentials.project_id.clone();
        space.add_account(Account {
            sid: sid.clone(),
            credentials,
            conferences: Default::default(),
        });
        space.pin(&sid);
        space
            .arrange_conference_in(&sid, names)
            .expect("the account was added just above")
    }

    /// Seeds one more running conference in an existing account; `None` if there is no such
    /// account.
    pub fn arrange_conference_in(&self, account_sid: &str, names: &[&str]) -> Option<ArrangedConference> {
        self.space().arrange_conference_in(account_sid, names)
    }

    /// Forgets an account, with all it holds and its journal; false if there was none.
    pub fn release(&self, account_sid: &str) -> bool {
        let forgot = self.space().forget(account_sid);
        self.journal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .forget(account_sid);
        forgot
    }

    /// Ends a conference; false if there is no such conference.
    pub fn complete_conference(&self, account_sid: &str, conference_sid: &str) -> bool {
        self.space().complete_conference(account_sid, conference_sid)
    }

    /// The state, to arrange or inspect it in-process.
    pub fn space(&self) -> MutexGuard<'_, Space> {
        self.space.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The requests received with credentials that prove an account, every account's,
    /// oldest first (at most [`journal::JOURNAL_CAPACITY`] of each account).
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.journal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries()
            .into_iter()
            .cloned()
            .collect()
    }
}
