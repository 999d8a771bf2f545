//! What the console says of a failure: the [`Failure`] a step raised, the message of any other
//! panic, or cucumber's words for a step no definition (or more than one) matches.

use cucumber::event::{Info, StepError};
use laml_conformance::failure::Failure;

/// What the console says before a failing step's text.
const FAILED: &str = super::super::words::PLAIN;

/// Why a step failed: the [`Failure`] it raised, the text of any other panic, or cucumber's
/// words for a step no definition (or more than one) matches.
pub fn said(err: &StepError) -> String {
    match err {
        StepError::Panic(info) => format!("{FAILED}{}", payload(info)),
        other => other.to_string(),
    }
}

/// A panic's payload as text: a raised [`Failure`] rendered, a message as it is.
pub fn payload(info: &Info) -> String {
    if let Some(failure) = Failure::of_panic(&**info) {
        return failure.to_string();
    }
    info.downcast_ref::<String>()
        .cloned()
        .or_else(|| info.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(Could not resolve panic payload)".to_owned())
}
