//! The `laml-conformance` command: runs every feature against the embedded simulated space and
//! prints the cucumber report.
//!
//! Exit codes: 0 every scenario passed; 1 a scenario failed; 2 a usage or configuration error.

mod steps;

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use cucumber::writer::{Coloring, Stats as _};
use cucumber::{World as _, WriterExt as _, cli, writer};
use laml_conformance::target::Target;

use steps::ConformanceWorld;

/// Where the features are unless `--features` says otherwise.
const FEATURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/features");

/// Options of a run, beside cucumber's own (`--tags`, `--name`, `--concurrency`, `-v`, …).
#[derive(clap::Args, Debug, Clone)]
struct RunOptions {
    /// Folder (or single file) of `.feature` files to run.
    #[arg(long, value_name = "PATH", default_value = FEATURES)]
    features: PathBuf,
    /// Also write a JUnit XML report to this file.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Also write a Cucumber JSON report to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return config_error(&format!("could not start the async runtime: {e}")),
    };
    runtime.block_on(run())
}

fn config_error(message: &str) -> ExitCode {
    eprintln!("laml-conformance: {message}");
    ExitCode::from(2)
}

fn report_file(path: &Option<PathBuf>, what: &str) -> Result<Box<dyn io::Write>, String> {
    match path {
        None => Ok(Box::new(io::sink())),
        Some(p) => File::create(p).map(|f| Box::new(f) as Box<dyn io::Write>).map_err(|e| {
            format!(
                "cannot write the {what} report to {}: {e}; choose a writable path",
                p.display()
            )
        }),
    }
}

async fn run() -> ExitCode {
    let opts = cli::Opts::<_, _, _, RunOptions>::parsed();
    let custom = opts.custom.clone();
    if !custom.features.exists() {
        return config_error(&format!(
            "no features at {}; pass --features with the folder of .feature files",
            custom.features.display()
        ));
    }
    let (junit, json) = match (report_file(&custom.junit, "JUnit"), report_file(&custom.json, "JSON")) {
        (Ok(j), Ok(s)) => (j, s),
        (Err(e), _) | (_, Err(e)) => return config_error(&e),
    };
    let target = match Target::embedded().await {
        Ok(t) => t,
        Err(e) => return config_error(&e.to_string()),
    };
    if steps::TARGET.set(target).is_err() {
        return config_error("the target was set twice; this is a bug of laml-conformance");
    }
    let result = ConformanceWorld::cucumber()
        .with_writer(
            writer::Basic::raw(io::stdout(), Coloring::Auto, 0)
                .summarized()
                .tee::<ConformanceWorld, _>(writer::JUnit::for_tee(junit, 0))
                .tee::<ConformanceWorld, _>(writer::Json::for_tee(json))
                .normalized(),
        )
        .fail_on_skipped()
        .with_cli(opts)
        .run(custom.features)
        .await;
    if result.execution_has_failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
