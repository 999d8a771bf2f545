//! The simulated space: a model of a server of this API, computed from state and rules.
//!
//! It never serves a documented file: every response is rendered from its state, so a wrong
//! rule shows up as a failed scenario. [`Sim::start`] serves it on a loopback port through
//! wiremock; [`Sim::arrange_conference`] seeds it in-process with fresh ids, so scenarios never
//! share state.

pub mod http;
pub mod journal;
pub mod rules;
pub mod state;

use std::sync::{Arc, Mutex, MutexGuard};

use wiremock::{Mock, MockServer, matchers};

use crate::credentials::Credentials;
use crate::error::Error;

use self::journal::{Journal, JournalEntry};
use self::state::{Account, Conference, ConferenceStatus, Participant, Space};

/// A conference seeded for one scenario: its own account, token and participants.
#[derive(Debug, Clone)]
pub struct ArrangedConference {
    /// The credentials of the fresh account.
    pub credentials: Credentials,
    /// The ConferenceSid.
    pub conference_sid: String,
    /// `(name, call sid)` of each participant, in the order asked.
    pub participants: Vec<(String, String)>,
}

/// A running simulated space and the handles to its state.
#[derive(Debug)]
pub struct Sim {
    server: MockServer,
    space: Arc<Mutex<Space>>,
    journal: Arc<Mutex<Journal>>,
}

impl Sim {
    /// Starts the space on a free loopback port.
    pub async fn start() -> Result<Self, Error> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| Error::SimStart(e.to_string()))?;
        Self::on(listener).await
    }

    /// Starts the space on a listener the caller bound (a fixed port for `serve`).
    pub async fn on(listener: std::net::TcpListener) -> Result<Self, Error> {
        let server = MockServer::builder()
            .listener(listener)
            .disable_request_recording()
            .start()
            .await;
        let space = Arc::new(Mutex::new(Space::default()));
        let journal = Arc::new(Mutex::new(Journal::default()));
        let responder = http::SimResponder {
            space: space.clone(),
            journal: journal.clone(),
        };
        Mock::given(matchers::any())
            .respond_with(responder)
            .mount(&server)
            .await;
        Ok(Sim { server, space, journal })
    }

    /// The base URL (`http://127.0.0.1:PORT`), without a path.
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// Seeds a fresh account with one running conference whose participants have these names.
    pub fn arrange_conference(&self, names: &[&str]) -> ArrangedConference {
        let account_sid = uuid::Uuid::new_v4().to_string();
        let credentials = Credentials::new(account_sid.clone(), uuid::Uuid::new_v4().simple().to_string());
        let account = Account {
            sid: account_sid.clone(),
            credentials,
            conferences: Default::default(),
        };
        self.space().accounts.insert(account_sid.clone(), account);
        self.arrange_conference_in(&account_sid, names)
            .expect("the account was inserted just above")
    }

    /// Seeds one more running conference in an existing account, for scenarios that need two
    /// conferences of the same account; `None` if there is no such account.
    pub fn arrange_conference_in(&self, account_sid: &str, names: &[&str]) -> Option<ArrangedConference> {
        let now = rules::now();
        let conference_sid = uuid::Uuid::new_v4().to_string();
        let participants: Vec<(String, String)> = names
            .iter()
            .map(|n| (n.to_string(), uuid::Uuid::new_v4().to_string()))
            .collect();
        let conference = Conference {
            sid: conference_sid.clone(),
            status: ConferenceStatus::InProgress,
            participants: participants
                .iter()
                .map(|(_, sid)| Participant::joined(sid.clone(), now))
                .collect(),
        };
        let mut space = self.space();
        let account = space.accounts.get_mut(account_sid)?;
        account.conferences.insert(conference_sid.clone(), conference);
        Some(ArrangedConference {
            credentials: account.credentials.clone(),
            conference_sid,
            participants,
        })
    }

    /// Ends a conference: its participants stay readable but refuse updates (code 10000).
    /// Returns false if there is no such conference.
    pub fn complete_conference(&self, account_sid: &str, conference_sid: &str) -> bool {
        let mut space = self.space();
        let conference = space
            .accounts
            .get_mut(account_sid)
            .and_then(|a| a.conferences.get_mut(conference_sid));
        match conference {
            Some(c) => {
                c.status = ConferenceStatus::Completed;
                true
            }
            None => false,
        }
    }

    /// The state, to arrange or inspect it in-process.
    pub fn space(&self) -> MutexGuard<'_, Space> {
        self.space.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The requests received, oldest first (at most [`journal::JOURNAL_CAPACITY`]).
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.journal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries()
            .cloned()
            .collect()
    }
}
