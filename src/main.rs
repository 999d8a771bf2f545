//! The `laml-conformance` command: runs every feature against a target (the embedded simulated
//! space by default) and prints the cucumber report, or runs one of the commands beside it
//! (`commands`). The exit codes are `laml_conformance::exit::Exit`'s, the same in every command.

/// `println!` that does not panic when the reader went away (`| head`): what is left unread is
/// no error of the run, whose exit code still says how it went.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `print!` likewise.
#[allow(unused_macros)]
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

/// The binary's modules live in `src/binary/`; the library's are `laml_conformance::…`.
mod binary {
    pub mod child;
    pub mod commands;
    pub mod coverage;
    pub mod explore;
    pub mod fail_fast;
    pub mod features;
    pub mod progress;
    pub mod report;
    pub mod shard;
    pub mod steps;
}

use binary::{child, commands, coverage, explore, fail_fast, features, progress, report, shard, steps};

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = commands::parse();
    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => commands::dispatch(cli, &runtime),
        Err(e) => commands::usage_error(&format!("could not start the async runtime: {e}")),
    }
}
