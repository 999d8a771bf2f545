//! The command line: one clap tree over the suite's run (the default) and the commands beside it,
//! so that did-you-mean, `--version`, `help` and each command's `--help` are clap's, and every
//! command exits with the same [`Exit`] codes.

pub mod compat;
pub mod coverage;
pub mod explore;
pub mod faults;
pub mod features;
pub mod merge;
pub mod profiles;
pub mod run;
pub mod serve;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _};
use laml_conformance::exit::Exit;

const ABOUT: &str = "Runs the conformance suite of the LaML \"Update a Participant\" endpoint against a target (the embedded simulated space by default).";

const EXIT_CODES: &str = "Exit codes: 0 passed, 1 a scenario failed, 2 usage or configuration error, 3 target unreachable or not LaML, 4 a live participant not restored.";

/// `laml-conformance [COMMAND] [OPTIONS]`: without a command, the options are those of `run`.
#[derive(clap::Parser, Debug)]
#[command(
    name = "laml-conformance",
    version,
    args_conflicts_with_subcommands = true,
    after_help = EXIT_CODES
)]
pub struct Cli {
    /// What to do; the suite's run when none is named.
    #[command(subcommand)]
    command: Option<Command>,
    /// The options of `run`, given without the word.
    #[command(flatten)]
    run: Box<run::Opts>,
}

/// The commands; each takes `--help`. The first line of a command's doc is its line in
/// `help`, the rest is added to its own `--help`.
#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Run the suite against a target (the default when no command is named).
    Run(Box<run::Opts>),
    /// The simulated space alone, on loopback, until Ctrl-C.
    ///
    /// Its first account uses LAML_PROJECT_ID and LAML_API_TOKEN when both are set, so a client
    /// keeps its configuration; it prints the lines a client needs (they work as a .env file).
    Serve(serve::ServeOptions),
    /// The matrix of faults and the scenarios that catch them.
    ///
    /// Runs the suite against the healthy simulated space, then against every fault of the
    /// catalogue, each as a child process, and prints which scenarios catch which fault.
    Faults(faults::FaultsOptions),
    /// Which generations of the documentation the target conforms to.
    ///
    /// Runs the suite once per profile (seed, signalwire, twilio) against the target the run
    /// options name (--target URL, --setup-url, --conference, …; the embedded space by default),
    /// and prints a matrix profile × feature, then the profiles the target conforms to.
    Profiles(profiles::ProfilesOptions),
    /// The features compiled in, listed or written out.
    ///
    /// Lists the features compiled into the binary; with --export DIR, writes them into DIR as a
    /// start for your own (run them with `laml-conformance --features DIR`).
    Features(features::FeaturesOptions),
    /// Random sequences against the target and the model in lockstep; a divergence printed as a
    /// scenario.
    Explore(explore::ExploreOptions),
    /// The documentation coverage matrix: every documented item, the scenarios that send it and
    /// the steps that judge it.
    Coverage(coverage::CoverageOptions),
    /// The vendors' documents side by side, each against Twilio's; with --target and --profile,
    /// whether the target behaved as its document says, item by item.
    Compat(compat::CompatOptions),
    /// The results of a run cut into shards (--shard I/N --shard-out DIR), merged into its
    /// reports.
    ///
    /// Reads every shard's results from the folders given, refuses them when a shard is missing,
    /// is given twice or was run on another plan (features, --tags, --name, the number of
    /// shards, the profile), and writes the reports one run would have written, with its exit
    /// code.
    Merge(merge::MergeOptions),
}

/// The tree with the words cucumber's own options cannot carry: ours for the run's description,
/// and for `--fail-fast`, whose "Run tests until the first failure" undersells what it does.
fn command() -> clap::Command {
    let run = |c: clap::Command| {
        c.about(ABOUT).long_about(ABOUT).mut_arg("fail_fast", |a| {
            a.help("Stop at the first failed scenario: the scenarios under way stop too, and no other starts")
        })
    };
    let top = local(run(Cli::command()));
    let top = top.mut_subcommand("run", |c| {
        local(run(c)).about("Run the suite against a target (the default)")
    });
    empty_is_unset(top)
}

/// `command` reading no variable that is set but empty, as [`config::settings`] reads the rest:
/// `LAML_TARGET=` (a CI secret that is missing) is no target, not a target "" to refuse.
///
/// [`config::settings`]: laml_conformance::config::settings
fn empty_is_unset(mut command: clap::Command) -> clap::Command {
    let empty: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| a.get_env().and_then(std::env::var_os).is_some_and(|v| v.is_empty()))
        .map(|a| a.get_id().clone())
        .collect();
    for id in empty {
        command = command.mut_arg(id, |a| a.env(None));
    }
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in names {
        command = command.mut_subcommand(name, empty_is_unset);
    }
    command
}

/// `command` with its own options kept to itself: cucumber marks its options global (for
/// subcommands of its own), which would offer `--tags` to `serve` and to every other command.
fn local(mut command: clap::Command) -> clap::Command {
    let global: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().clone())
        .collect();
    for id in global {
        command = command.mut_arg(id, |a| a.global(false));
    }
    command
}

/// The command line of this process; a usage error, `--help` and `--version` end it here, as
/// clap ends them (2 for an error, 0 otherwise).
pub fn parse() -> Cli {
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Runs the command named, or the suite's run.
pub fn dispatch(cli: Cli, runtime: &tokio::runtime::Runtime) -> ExitCode {
    match cli.command {
        None => runtime.block_on(run::main(*cli.run)),
        Some(Command::Run(opts)) => runtime.block_on(run::main(*opts)),
        Some(Command::Serve(opts)) => runtime.block_on(serve::main(opts)),
        Some(Command::Faults(opts)) => faults::main(opts),
        Some(Command::Profiles(opts)) => profiles::main(opts),
        Some(Command::Features(opts)) => features::main(opts),
        Some(Command::Explore(opts)) => runtime.block_on(explore::main(opts)),
        Some(Command::Coverage(opts)) => coverage::main(opts),
        Some(Command::Compat(opts)) => compat::main(opts),
        Some(Command::Merge(opts)) => merge::main(opts),
    }
}

/// The long help of the command `name`, for a command that meets `--help` where clap cannot see
/// it (among the run options `profiles` passes on).
pub fn print_help(name: &str) -> ExitCode {
    let mut command = command();
    command.build(); // names each command as `laml-conformance NAME` in its usage line
    if let Some(sub) = command.find_subcommand_mut(name) {
        let _ = sub.print_long_help();
    }
    Exit::Passed.into()
}

/// A usage or configuration error: said in one sentence on stderr, exit 2.
pub fn usage_error(message: &str) -> ExitCode {
    eprintln!("laml-conformance: {message}");
    Exit::Usage.into()
}
