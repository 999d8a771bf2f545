//! `laml-conformance features [--export DIR]`: the features compiled into the binary, listed or
//! written out as a start for one's own.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use laml_conformance::exit::Exit;

use crate::features::{EMBEDDED, export};

/// The options of the command (its description is on `commands::Command`).
#[derive(clap::Args, Debug)]
pub struct FeaturesOptions {
    /// Write the features into this folder instead of listing them; a file already there is
    /// kept, and the export refused.
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
}

/// Lists or exports; exit 2 when the folder cannot be written.
pub fn main(opts: FeaturesOptions) -> ExitCode {
    let Some(dir) = opts.export else {
        let mut out = std::io::stdout().lock();
        for (name, _) in EMBEDDED {
            // a reader that stops early (`| head`) is no error
            if writeln!(out, "features/{name}").is_err() {
                break;
            }
        }
        return Exit::Passed.into();
    };
    match export(&dir) {
        Ok(written) => {
            let dir = dir.display();
            say!(
                "wrote {} features into {dir}; run them with --features {dir}",
                written.len()
            );
            Exit::Passed.into()
        }
        Err(e) => super::usage_error(&e),
    }
}
