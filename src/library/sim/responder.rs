//! The space behind the server: its state, its journal and the fault that wraps it.
//!
//! It joins what the healthy model (`http.rs`), the control plane (`control.rs`) and the faults
//! (`sabotage.rs`) each answer, and keeps the journal; none of them knows it.

use std::sync::{Arc, Mutex};

use crate::spec::Profile;
use crate::spec::request::check_request;

use super::control;
use super::faults::Fault;
use super::http::{Reply, SimRequest, authenticate, handle};
use super::journal::{Journal, JournalEntry};
use super::sabotage;
use super::state::Space;

/// The space behind either adapter: its state, its journal and the fault that wraps it.
#[derive(Debug, Clone)]
pub struct SimResponder {
    /// The shared state.
    pub space: Arc<Mutex<Space>>,
    /// The shared journal.
    pub journal: Arc<Mutex<Journal>>,
    /// The fault that wraps the healthy space, if it was started broken.
    pub fault: Option<Fault>,
    /// The scheme its profile authenticates with: what a 401 challenges for.
    pub scheme: crate::spec::wire::AuthScheme,
}

impl SimResponder {
    /// An empty space answering as `profile` documents, with its journal, broken by `fault`.
    pub fn new(fault: Option<Fault>, profile: &'static Profile) -> Self {
        let mut space = Space::serving(profile);
        if let Some(fault) = fault {
            sabotage::seed(fault, &mut space);
        }
        SimResponder {
            space: Arc::new(Mutex::new(space)),
            journal: Arc::new(Mutex::new(Journal::default())),
            fault,
            scheme: profile.auth,
        }
    }

    /// Answers one request: the control plane under `/__laml/`, else the space (wrapped by the
    /// fault, if any), recorded with its verdict in the journal of the account its credentials
    /// prove (none if they prove none). HEAD is answered as GET (the server sends no body).
    pub fn answer(&self, req: &SimRequest<'_>) -> Reply {
        if req.path.starts_with(control::PREFIX) {
            return control::handle(&self.space, &self.journal, req);
        }
        let routed = SimRequest {
            method: if req.method == "HEAD" { "GET" } else { req.method },
            ..*req
        };
        let (reply, proven, profile) = {
            let mut space = self.space.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let proven = authenticate(&space, req.authorization).ok().map(str::to_string);
            let reply = match self.fault {
                None => handle(&mut space, &routed).into(),
                Some(fault) => sabotage::handle_with(fault, &mut space, &routed),
            };
            (reply, proven, space.profile)
        };
        let reply = enveloped(reply, profile);
        if proven.is_some() {
            let deviations = check_request(req, profile);
            let entry = JournalEntry::capped(
                proven,
                req.method,
                req.path,
                req.query,
                req.body,
                reply.status,
                deviations,
            );
            self.journal.lock().unwrap_or_else(|p| p.into_inner()).record(entry);
        }
        reply
    }
}

/// A JSON refusal in the error envelope `profile` documents (the flat one: as it came).
pub(crate) fn enveloped(reply: Reply, profile: &Profile) -> Reply {
    if reply.status < 400 || reply.content_type != Some(crate::spec::wire::JSON) {
        return reply;
    }
    match serde_json::from_slice(&reply.body) {
        Ok(flat) => Reply {
            body: crate::spec::envelope::wrap(flat, &profile.error_envelope)
                .to_string()
                .into_bytes(),
            ..reply
        },
        Err(_) => reply,
    }
}
