//! `laml-conformance serve`: the simulated space as a standalone loopback server, for running
//! the suite out of process and for pointing a client library at it.

use std::process::ExitCode;

use laml_conformance::exit::Exit;

use laml_conformance::credentials::Credentials;
use laml_conformance::sim::control::SETUP_PATH;
use laml_conformance::sim::{Sim, faults};
use laml_conformance::spec::profile::{self, Profile};

/// Serve the simulated space on loopback until interrupted. Its first account uses
/// LAML_PROJECT_ID and LAML_API_TOKEN when both are set, so a client keeps its configuration.
#[derive(clap::Args, Debug)]
pub struct ServeOptions {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Serve a space broken by this fault (`laml-conformance faults` lists them).
    #[arg(long, value_name = "NAME")]
    fault: Option<String>,
    /// Answer as this generation of the documentation documents: `seed` (the default),
    /// `signalwire` or `twilio` (LAML_PROFILE).
    #[arg(long, value_name = "NAME", env = "LAML_PROFILE")]
    profile: Option<String>,
}

/// Runs the server until Ctrl-C; exit 2 if the port cannot be bound.
pub async fn main(opts: ServeOptions) -> ExitCode {
    let listener = match std::net::TcpListener::bind(("127.0.0.1", opts.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "laml-conformance serve: cannot listen on 127.0.0.1:{}: {e}; choose another --port",
                opts.port
            );
            return ExitCode::from(Exit::Usage);
        }
    };
    let fault = match opts.fault.as_deref().map(faults::by_name).transpose() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("laml-conformance serve: {e}");
            return ExitCode::from(Exit::Usage);
        }
    };
    // `.env` as the suite reads it: a LAML_PROFILE there makes both sides the same generation
    // (the flag, then the environment, then `.env`)
    let dotenv_profile = match laml_conformance::config::lookup() {
        Ok(var) => var("LAML_PROFILE").filter(|p| !p.trim().is_empty()),
        Err(e) => {
            eprintln!("laml-conformance serve: {e}");
            return ExitCode::from(Exit::Usage);
        }
    };
    let chosen = opts.profile.clone().or(dotenv_profile);
    let profile = match Profile::by_name(chosen.as_deref().unwrap_or(profile::DEFAULT)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("laml-conformance serve: {e}: give --profile one of them");
            return ExitCode::from(Exit::Usage);
        }
    };
    let sim = match Sim::standalone(listener, fault, profile) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("laml-conformance serve: {e}");
            return ExitCode::from(Exit::Usage);
        }
    };
    if let Some(name) = &opts.fault {
        say!("laml-conformance serve: broken on purpose by the fault {name}");
    }
    let base = sim.base_url();
    let names = ["agent", "customer", "supervisor"];
    // A token from the environment may be a real one: it is used, never printed.
    let (conference, token_line) = match (std::env::var("LAML_PROJECT_ID"), std::env::var("LAML_API_TOKEN")) {
        (Ok(project), Ok(token)) if !project.is_empty() && !token.is_empty() => (
            sim.arrange_conference_for(Credentials::new(project, token), &names),
            "# LAML_API_TOKEN is the one in your environment (not printed)".to_string(),
        ),
        _ => {
            let conference = sim.arrange_conference(&names);
            let line = format!("LAML_API_TOKEN={}", conference.credentials.token.expose());
            (conference, line)
        }
    };
    let participants: Vec<String> = conference
        .participants
        .iter()
        .map(|(n, s)| format!("{n}={s}"))
        .collect();
    // Ctrl-C is listened for before anything is printed: a caller that reads "Ctrl-C stops it"
    // and sends SIGINT at once must meet the handler, not the default that kills the process.
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    let early = futures::FutureExt::now_or_never(&mut ctrl_c);
    say!("laml-conformance serve: the simulated space listens on {base}");
    say!(
        "  it answers as the {} profile documents: {}",
        profile.name,
        profile.title
    );
    say!("  setup endpoint: {base}{SETUP_PATH}");
    say!("  request journal with verdicts (your account's requests, with its credentials): {base}/__laml/journal");
    say!("  a conference to point a client at (these lines work as a .env file):");
    say!("LAML_PROJECT_ID={}", conference.credentials.project_id);
    say!("{token_line}");
    say!("LAML_CONFERENCE_SID={}", conference.conference_sid);
    say!("LAML_PARTICIPANTS={}", participants.join(","));
    say!("  run the suite against it:");
    say!(
        "    laml-conformance --target {base} --profile {}     (the setup endpoint is found on loopback)",
        profile.name
    );
    say!("  Ctrl-C stops it.");
    let stopped = match early {
        Some(result) => result,
        None => ctrl_c.await,
    };
    match stopped {
        Ok(()) => {
            say!("laml-conformance serve: stopped");
            ExitCode::from(Exit::Passed)
        }
        Err(e) => {
            eprintln!("laml-conformance serve: cannot wait for Ctrl-C: {e}");
            ExitCode::from(Exit::Usage)
        }
    }
}
