//! # laml-conformance
//!
//! A conformance harness for the LaML (Twilio-compatible) "Update a Conference Participant"
//! endpoint. Gherkin scenarios in `features/` send real HTTP to a target (the embedded simulated
//! space by default) and compare the answers with the documented JSON shapes.
//!
//! Map: [`spec`] the documentation as data · [`sim`] the simulated space · [`client`] the typed
//! client and its [`client::Exchange`]s · [`check`] one comparison engine: normaliser, shapes, values, dates, errors, snapshots ·
//! [`target`] where a run sends its requests · [`config`] choosing and checking a target ·
//! [`credentials`] secrets that redact themselves · [`setup`] the state-setup protocol both the
//! space and remote targets speak · [`error`] what callers branch on. The
//! simulated space's fault catalogue is [`sim::faults`]; each fault wraps the healthy space from
//! outside ([`sim::sabotage`]).
//!
//! ## A scenario, by hand
//!
//! ```
//! use laml_conformance::check::{self, shape, snapshot};
//! use laml_conformance::client::{ParticipantRef, ParticipantUpdate};
//! use laml_conformance::target::Target;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), laml_conformance::error::Error> {
//! // 1. a target, and a conference with named participants on it
//! let target = Target::embedded().await?;
//! let conf = target.arrange_conference(&["agent", "supervisor"]).await?;
//! let (account, supervisor) = (&conf.credentials.project_id, &conf.participants[1].1);
//!
//! // 2. an update, sent as a client in the wild sends it
//! let who = ParticipantRef {
//!     account_sid: account.clone(),
//!     conference_sid: conf.conference_sid.clone(),
//!     call_sid: supervisor.clone(),
//! };
//! let exchange = target
//!     .client(&conf)
//!     .update_participant(&who, &ParticipantUpdate::new().param("Muted", "True"))
//!     .await?;
//! assert_eq!(exchange.status, 200);
//!
//! // 3. the answer, normalised, is the committed snapshot of the documented "mute" example
//! let subject = shape::Subject {
//!     who,
//!     dialect: target.dialect(),
//!     others: vec![conf.participants[0].1.clone()],
//!     profile: laml_conformance::spec::Profile::seed(),
//! };
//! let actual = shape::normalise(&exchange.json()?, &subject);
//! let expected = snapshot::committed("mute").unwrap();
//! assert_eq!(check::compare(&expected, &actual, check::Scope::Exact), vec![]);
//! # Ok(())
//! # }
//! ```
//!
//! ## Where the steps live, and why
//!
//! cucumber registers steps through `inventory`, and the linker may drop registrations that
//! live in a library crate (cucumber-rs #271, #304, #347). The step definitions therefore live
//! in the binary's own module tree (`src/binary/steps`, declared by `main.rs`), whose object code is
//! always linked; `tests/conformance.rs` drives that same binary. Both runs also use
//! `fail_on_skipped`, so an undefined step fails the run instead of being skipped.

//! ## Layers
//!
//! One way, as `ARCHITECTURE.md` (at the root of the repository) draws them, and enforced by
//! `tests/layers.rs`: [`spec`],
//! [`credentials`] and [`error`] use nothing; [`setup`] uses credentials; [`check`] uses only
//! spec; [`client`] and [`sim`] use spec, credentials, error (and sim, setup); [`config`] uses
//! spec, credentials and setup; [`target`] uses them all; [`baseline`] (regression baselines)
//! uses client and check. Three choices, the first two to keep the layers one way:
//! - [`spec::deviation::Deviation`] lives in `spec`, not `check`: the simulated space's journal
//!   judges what clients send by the spec's rules ([`spec::request`]) and must not reach into
//!   the checks, which judge what targets answer; `check` re-exports it.
//! - [`setup`] is a layer of its own: the state-setup protocol, and the [`ArrangedConference`]
//!   it yields, are spoken by the simulated space (which answers it) and by remote targets
//!   (which ask it), so they belong to neither.
//!
//! - One HTTP server for the simulated space, embedded or `serve` ([`sim::server`]), instead of
//!   wiremock, which keeps every request it matched; wiremock serves only the misbehaving
//!   targets of the tests.
//! - The features are compiled into the binary and read by the run's own parser
//!   (`src/binary/features.rs`), which also keeps a `Scenario Outline` linear in its rows.
//!
//! [`ArrangedConference`]: setup::ArrangedConference

/// The library's modules live in `src/library/`, the binary's in `src/binary/`: the folder says
/// which side a module is on. Each is re-exported here under its own name (`crate::spec`, …).
mod library {
    pub mod baseline;
    pub mod check;
    pub mod client;
    pub mod config;
    pub mod credentials;
    pub mod error;
    pub mod exit;
    pub mod failure;
    pub mod setup;
    pub mod sim;
    pub mod spec;
    pub mod target;
}

pub use library::{baseline, check, client, config, credentials, error, exit, failure, setup, sim, spec, target};
