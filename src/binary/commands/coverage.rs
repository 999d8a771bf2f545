//! `laml-conformance coverage`: the entry point; the matrix itself lives in `crate::coverage`.

use std::process::ExitCode;

pub use crate::coverage::Args as CoverageOptions;

/// Prints or checks the matrix; see `crate::coverage` for the exit codes.
pub fn main(opts: CoverageOptions) -> ExitCode {
    crate::coverage::main(opts)
}
