//! The errors callers of this library branch on.

/// What went wrong talking to a target or setting a run up; every message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The target did not answer at all.
    #[error("could not reach the target at {url}: {reason}; check that it is running and that the target URL is right")]
    Unreachable {
        /// Where the request went (no credentials in it).
        url: String,
        /// What the HTTP stack said.
        reason: String,
    },
    /// The target did not answer within the timeout.
    #[error("the target at {url} did not answer within {seconds} s; check that it is healthy, or raise --timeout")]
    Timeout {
        /// Where the request went.
        url: String,
        /// The timeout that passed.
        seconds: f64,
    },
    /// The target sent a body larger than the harness reads.
    #[error(
        "the target at {url} sent a body larger than {limit} bytes; a participant is a few hundred bytes, so the target is misbehaving"
    )]
    BodyTooLarge {
        /// Where the request went.
        url: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// The target answered but not with JSON where JSON was expected.
    #[error(
        "the target answered {status} with a body that is not JSON ({detail}): {snippet:?}; a server of this API must answer JSON"
    )]
    NotJson {
        /// The HTTP status it answered with.
        status: u16,
        /// What the parser said.
        detail: String,
        /// The start of the body, for recognising an HTML error page.
        snippet: String,
    },
    /// The state-setup endpoint refused or answered nonsense.
    #[error(
        "the state-setup endpoint {url} could not arrange the scenario: {detail}; check its implementation against the setup protocol in docs/live.md"
    )]
    Setup {
        /// The endpoint.
        url: String,
        /// What went wrong.
        detail: String,
    },
    /// A setting of the run is wrong.
    #[error("{0}")]
    Config(String),
    /// The simulated space could not be started.
    #[error("could not start the simulated space: {0}; check that loopback ports can be bound")]
    SimStart(String),
}
