//! What the integration tests that run the binary share: a run with its environment and
//! folder under control, and its output as one text.

// Not every test crate uses every helper.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_laml-conformance");

/// Runs the binary with `args` and `env` in `dir`, with no colour and none of the caller's tag
/// filter or profile.
pub fn run(args: &[&str], env: &[(String, String)], dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("CUCUMBER_COLOR", "never")
        .env_remove("CUCUMBER_FILTER_TAGS")
        .env_remove("LAML_PROFILE")
        .current_dir(dir)
        .output()
        .expect("the binary starts")
}

/// Standard output then standard error, for assertions and their messages.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
