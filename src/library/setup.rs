//! The state-setup protocol ("provider states"): what arranging a conference gives a scenario,
//! and where the simulated space offers it. Both sides of the protocol read it from here: the
//! simulated space's control plane, which answers it, and remote targets, which ask it (or
//! stand in for it with a configured conference), so neither reaches into the other.

use crate::credentials::Credentials;

/// The setup endpoint's path under a base URL, where `serve` offers it and where a loopback
/// target without `--setup-url` is looked for.
pub const SETUP_PATH: &str = "/__laml/setup";

/// A conference arranged for one scenario: the account to act as, its conference and its
/// named participants, whoever arranged it.
#[derive(Debug, Clone)]
pub struct ArrangedConference {
    /// The credentials of the account.
    pub credentials: Credentials,
    /// The ConferenceSid.
    pub conference_sid: String,
    /// `(name, call sid)` of each participant, in the order asked.
    pub participants: Vec<(String, String)>,
}
