//! Runs every feature against the embedded simulated space, through the real binary.
//!
//! The step definitions live in the binary (see the crate docs for why), so this target runs
//! that binary rather than linking the steps. Arguments that `cargo test -- …` and
//! `cargo insta test` pass (libtest flags, name filters) are accepted and ignored; select
//! scenarios with `CUCUMBER_FILTER_TAGS` instead.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let status = Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .env("CUCUMBER_COLOR", "never")
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("the conformance suite failed ({s}); the report above names each failing step");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("could not start the laml-conformance binary: {e}");
            ExitCode::FAILURE
        }
    }
}
