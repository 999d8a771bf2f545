//! The documentation of "Update a Participant" as data.
//!
//! Everything the harness and the simulated space know about the endpoint comes from here, so
//! that a disagreement between them and the documentation can only live in one place. The
//! project keeps its own copy of the documentation it implements (`SPEC.md`,
//! `update-participant.seed.txt` and `documented/*.json` beside this file): it must work on a
//! machine that has nothing else.

pub mod documented;
pub mod errors;
pub mod params;
pub mod participant;
pub mod wire;

pub use documented::{DocumentedExample, EXAMPLES};
pub use errors::ErrorCode;
pub use params::{PARAMS, Param, ParamKind};
pub use participant::{FIELDS, Field, FieldFormat};

/// The two path forms clients in the wild use for the same resource (SPEC.md section 5).
///
/// The documentation and hand-written clients put `/api/laml` in front; some official client
/// libraries leave it out. A server of this API is expected to answer both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// `/api/laml/2010-04-01/…`, as the documentation writes it.
    #[default]
    SignalWire,
    /// `/2010-04-01/…`, as Twilio-derived client libraries build it.
    Twilio,
}

impl Dialect {
    /// The path prefix before `/Accounts/…`, so that every path is built from one template.
    pub fn prefix(self) -> &'static str {
        match self {
            Dialect::SignalWire => "/api/laml/2010-04-01",
            Dialect::Twilio => "/2010-04-01",
        }
    }
}

/// The path of one participant, as the documented `uri` field and the request line write it.
///
/// One template for the request path and the `uri` field, so the two cannot drift apart.
pub fn participant_path(dialect: Dialect, account: &str, conference: &str, call: &str) -> String {
    format!(
        "{}/Accounts/{account}/Conferences/{conference}/Participants/{call}.json",
        dialect.prefix()
    )
}

/// The path of a conference's participant list (the List sibling endpoint).
pub fn participants_path(dialect: Dialect, account: &str, conference: &str) -> String {
    format!(
        "{}/Accounts/{account}/Conferences/{conference}/Participants.json",
        dialect.prefix()
    )
}
