//! `laml-conformance explore`: the entry point; the exploration itself lives in `crate::explore`.

use std::process::ExitCode;

pub use crate::explore::ExploreOptions;

/// Explores; see `crate::explore` for the exit codes.
pub async fn main(opts: ExploreOptions) -> ExitCode {
    crate::explore::main(opts).await
}
