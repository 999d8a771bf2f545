//! `laml-conformance explore`: model-based exploration. Random sequences of operations (updates
//! with every parameter of the profile, valid and invalid, retrieves, lists with each filter,
//! other methods, other credentials, rarely a kick) go to the target and, in lockstep, to the
//! reference model: a [`Space`](laml_conformance::sim::state::Space) of the same profile driven
//! through the simulated space's own pure `handle`. After each operation the answers are
//! compared, normalised, then every participant's full state. The first divergence is shrunk
//! (delta debugging, each candidate replayed from fresh conferences) and printed on stdout as
//! a feature in the features' own steps, with the seed and the command that finds it again,
//! once the suite, run on it as a child process, confirmed that it fails against the target
//! and passes against the healthy space (a divergence no scenario can show is set aside).
//!
//! Scenarios check what someone thought to write down; this finds the sequences nobody did.
//!
//! Exit codes: 0 no divergence within the bounds; 1 a divergence (the feature is on stdout);
//! 2 a usage or configuration error; 3 the target cannot be reached; 4 a shared live
//! participant could not be put back as it was.

mod accounts;
mod alike;
mod compare;
mod confirm;
mod draw;
mod gherkin;
mod lanes;
mod lines;
mod lockstep;
mod model;
mod ops;
mod pair;
mod remote;
mod seeds;
mod shrink;
mod side;

use std::io::Write as _;
use std::process::ExitCode;

use laml_conformance::exit::Exit;
use std::time::{Duration, Instant};

use laml_conformance::config::{self, TargetFlags};
use laml_conformance::error::Error;
use laml_conformance::sim::faults;
use laml_conformance::spec::Profile;
use laml_conformance::target::{Need, Target};

use self::draw::{Generator, Limits};
use self::lanes::{Flight, Lanes};
use self::lockstep::Lockstep;
use self::seeds::Seeds;

/// Explore sequences of operations against a target and the reference model in lockstep, and
/// print the first divergence, shrunk, as a scenario to paste into features/.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: 0 no divergence within the bounds, 1 a divergence (its scenario on stdout), 2 usage or configuration error, 3 target unreachable, 4 a shared participant not put back."
)]
pub struct ExploreOptions {
    #[command(flatten)]
    target: TargetFlags,
    /// The seed of the sequences (by default one from the clock; it is printed either way).
    #[arg(long, value_name = "N", conflicts_with = "seeds")]
    seed: Option<u64>,
    /// Explore each seed of this range in turn, each as --seed would (with its own --steps and
    /// --time), until one diverges: A..B (B left out) or A..=B, so the machines of a CI matrix
    /// can split one campaign.
    #[arg(long, value_name = "A..B")]
    seeds: Option<String>,
    /// Stop after this many operations without a divergence.
    #[arg(long, value_name = "N", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..))]
    steps: u64,
    /// Stop exploring after this many seconds (shrinking and confirming a divergence are not
    /// counted).
    #[arg(long, value_name = "SECONDS")]
    time: Option<f64>,
    /// Break the embedded simulated space with this fault (`laml-conformance faults` lists them).
    #[arg(long, value_name = "NAME")]
    fault: Option<String>,
}

/// The most replays shrinking may take: a few hundred short sequences, seconds on loopback.
const MAX_REPLAYS: usize = 400;

/// How many divergences are shrunk in search of one whose scenario shows it, before the first
/// is printed as it is.
const MAX_CANDIDATES: usize = 3;

/// A divergence, shrunk and printed, and what running its scenario showed.
struct Candidate {
    feature: String,
    operations: usize,
    confirmation: confirm::Confirmation,
}

/// Runs `explore`; see the module docs for the exit codes.
pub async fn main(opts: ExploreOptions) -> ExitCode {
    // A week is more than any exploration needs, and keeps the deadline a time the clock has.
    if let Some(t) = opts.time.filter(|t| !(t.is_finite() && *t > 0.0 && *t <= MAX_TIME)) {
        return usage(&format!(
            "--time {t} makes no sense; give a number of seconds above 0 and at most {MAX_TIME}"
        ));
    }
    let seeds = match Seeds::chosen(opts.seed, opts.seeds.as_deref()) {
        Ok(seeds) => seeds,
        Err(e) => return usage(&e),
    };
    let settings = match config::lookup()
        .and_then(|var| config::settings(&opts.target, &var))
        .map_err(|e| e.to_string())
    {
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    match &settings.mode {
        Some(config::ModeNote::Configured { conference, .. }) => eprintln!(
            "laml-conformance explore: configured mode: the participants of conference {conference} are shared, so only live-safe operations are sent, each sequence starts from their state before the run, and the run puts it back"
        ),
        Some(note) => {
            let origin = |key: &str| {
                if std::env::var_os(key).is_some() {
                    "the environment"
                } else {
                    ".env"
                }
            };
            eprintln!("laml-conformance explore: {}", note.say(&origin));
        }
        None => {}
    }
    let fault = match opts.fault.as_deref().map(faults::by_name).transpose() {
        Ok(f) => f,
        Err(e) => return usage(&e),
    };
    let target = match Target::from_settings(&settings, fault).await {
        Ok(t) => t,
        Err(e) => return usage(&e.to_string()),
    };
    if let Err(e) = laml_conformance::target::reachable(&target).await {
        eprintln!("laml-conformance explore: {e}");
        return ExitCode::from(Exit::Unreachable);
    }
    let live = settings.remote.as_ref().is_some_and(|r| !r.loopback) || target.shares_participants();
    let lanes = match Lanes::new(&target, settings.profile).await {
        Ok(l) => l,
        Err(e) => return failed(&e),
    };
    let lockstep = &lanes.first;
    let limits = Limits {
        live,
        fresh: !target.shares_participants(),
        second: lockstep.can(&Need::AnotherConference),
        complete: lockstep.can(&Need::CompletedConference),
    };
    let described = match &target {
        Target::Embedded(_) => match &opts.fault {
            Some(f) => format!("the embedded simulated space, broken by the fault {f}"),
            None => "the embedded simulated space".to_string(),
        },
        Target::Remote(_) => target.base_url(),
    };
    let run = Run {
        opts: &opts,
        seeds,
        lanes: &lanes,
        lockstep,
        profile: settings.profile,
        limits,
        described,
    };
    let code = run.explore().await;
    if let Err(e) = lanes.restore().await {
        eprintln!("laml-conformance explore: could not put the shared participants back as they were: {e}");
        return ExitCode::from(Exit::NotRestored);
    }
    code
}

fn usage(message: &str) -> ExitCode {
    eprintln!("laml-conformance explore: {message}");
    ExitCode::from(Exit::Usage)
}

/// An error during the run: 3 when the target stopped answering, 2 otherwise.
fn failed(e: &Error) -> ExitCode {
    eprintln!("laml-conformance explore: {e}");
    match e {
        Error::Unreachable { .. } | Error::Timeout { .. } => ExitCode::from(Exit::Unreachable),
        _ => ExitCode::from(Exit::Usage),
    }
}

/// One exploration and what it needs.
struct Run<'a> {
    opts: &'a ExploreOptions,
    seeds: Seeds,
    /// Where sequences run, one or two at once.
    lanes: &'a Lanes<'a>,
    /// The lane replays and shrinking go through.
    lockstep: &'a Lockstep<'a>,
    profile: &'static Profile,
    limits: Limits,
    described: String,
}

/// The longest `--time`, in seconds: a week.
const MAX_TIME: f64 = 7.0 * 24.0 * 3600.0;

impl Run<'_> {
    /// Each seed in turn, until one diverges (or cannot be run). With several, stdout holds
    /// only the divergence's feature, or one line that none diverged; each seed's line goes to
    /// stderr.
    async fn explore(&self) -> ExitCode {
        let mut operations = 0;
        for seed in self.seeds.iter() {
            match self.explore_seed(seed).await {
                Ok(ran) => operations += ran,
                Err(code) => return code,
            }
        }
        if self.seeds.count() > 1 {
            let _ = writeln!(
                std::io::stdout(),
                "no divergence for any of the {} seeds {} ({operations} operations)",
                self.seeds.count(),
                self.seeds.said()
            );
        }
        ExitCode::from(Exit::Passed)
    }

    /// One seed explored: the operations it ran without a divergence, or the exit code of one
    /// (printed) or of an error.
    async fn explore_seed(&self, seed: u64) -> Result<u64, ExitCode> {
        let mut generator = Generator::new(seed, self.profile, self.limits);
        let started = Instant::now();
        let deadline = self
            .opts
            .time
            .and_then(|t| Duration::try_from_secs_f64(t).ok())
            .and_then(|t| started.checked_add(t));
        // "explore: 1200/2000 (85 sequences), 3 s" on stderr, when it is a terminal
        let mut progress = crate::progress::Line::stderr("explore");
        let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let (mut total, mut sequences) = (0u64, 0u64);
        let mut unshown: Vec<Candidate> = Vec::new();
        let mut flight = Flight::new(self.lanes);
        while total < self.opts.steps && deadline.is_none_or(|d| Instant::now() < d) {
            let Some((plan, outcome)) = flight.next(&mut generator, total, self.opts.steps, deadline).await else {
                break;
            };
            let outcome = match outcome {
                Ok(o) if o.divergence.is_none() && o.ran == plan.ops.len() => o,
                // the sequences drawn after this one are not the ones a single lane would run next
                Ok(o) => {
                    flight.rewind(&mut generator).await;
                    o
                }
                Err(e) => {
                    flight.rewind(&mut generator).await;
                    progress.clear();
                    return Err(failed(&e));
                }
            };
            sequences += 1;
            let before = total;
            total += outcome.ran as u64;
            progress.update(
                count(total),
                Some(count(self.opts.steps)),
                &format!("{sequences} sequences"),
            );
            if let Some(found) = outcome.divergence {
                progress.update(
                    count(total),
                    Some(count(self.opts.steps)),
                    "a divergence: shrinking it, then the suite runs its scenario",
                );
                let reproduce = before + outcome.ran.max(1) as u64;
                let candidate = match self.candidate(seed, plan, found, total, reproduce).await {
                    Ok(c) => c,
                    Err(e) => {
                        progress.clear();
                        return Err(failed(&e));
                    }
                };
                if !matches!(candidate.confirmation, confirm::Confirmation::Refuted(_)) {
                    progress.clear();
                    return Err(self.print(seed, total, &candidate));
                }
                unshown.push(candidate);
                if unshown.len() >= MAX_CANDIDATES {
                    break;
                }
                continue;
            }
            if outcome.ran < plan.ops.len() {
                break; // the time is up
            }
        }
        // the time may be up with a sequence still in flight on another lane: no lane is left
        // in the middle of one (the next seed's sequences go on the same connections)
        flight.rewind(&mut generator).await;
        progress.clear();
        if let Some(first) = unshown.first() {
            return Err(self.print(seed, total, first));
        }
        let secs = started.elapsed().as_secs_f64();
        let start = if self.limits.fresh {
            "from fresh conferences"
        } else {
            "from the shared participants' state before the run"
        };
        let line = format!(
            "no divergence in {total} operations ({sequences} sequences {start}) against {} under the {} profile; seed {seed}; {secs:.1} s, {:.0} operations/s",
            self.described,
            self.profile.name,
            total as f64 / secs.max(1e-9)
        );
        if self.seeds.count() == 1 {
            // a reader that stops early (`| head`) is no error
            let _ = writeln!(std::io::stdout(), "{line}");
        } else {
            eprintln!("laml-conformance explore: {line}");
        }
        Ok(total)
    }

    /// Finds where a divergence first showed (the sequence replayed with every participant
    /// watched), shrinks it, prints its scenario and has the suite run it.
    async fn candidate(
        &self,
        seed: u64,
        plan: ops::Plan,
        found: lockstep::Divergence,
        total: u64,
        reproduce: u64,
    ) -> Result<Candidate, Error> {
        let divergence = self
            .lockstep
            .replay(&plan, &mut || false)
            .await?
            .divergence
            .unwrap_or(found);
        let original = divergence.step.min(plan.ops.len());
        let shrunk = shrink::shrink(self.lockstep, plan, divergence, MAX_REPLAYS).await?;
        let found = gherkin::Provenance {
            seed,
            steps: total,
            original,
            replays: shrunk.replays,
            capped: shrunk.capped,
            command: seeds::command(seed, reproduce),
            target: self.described.clone(),
        };
        let start = gherkin::Start {
            profile: self.profile,
            baseline: self.lockstep.baseline(),
            live_safe: self.limits.live,
        };
        let feature = gherkin::feature(&shrunk.plan, &shrunk.divergence, start, &found);
        let confirmation = if gherkin::showable(&shrunk.plan, &shrunk.divergence) {
            confirm::confirm(&feature, &seeds::run_args(), &self.profile.name)
        } else {
            confirm::Confirmation::Refuted(
                "no step can show a participant after a kick, since every later step retrieves each participant first"
                    .into(),
            )
        };
        let note = match &confirmation {
            confirm::Confirmation::Confirmed(step) => format!(
                "Confirmed: the suite fails it against the target (at `{step}`) and passes it against the embedded simulated space under the {} profile.",
                self.profile.name
            ),
            confirm::Confirmation::Refuted(why) => format!("Not confirmed: {why}."),
            confirm::Confirmation::Unavailable(why) => format!("Not confirmed: the suite could not run it ({why})."),
        };
        Ok(Candidate {
            feature: gherkin::noted(&feature, &note),
            operations: shrunk.plan.ops.len(),
            confirmation,
        })
    }

    /// Prints a candidate's feature on stdout and a line about it on stderr; exit 1.
    fn print(&self, seed: u64, total: u64, candidate: &Candidate) -> ExitCode {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(candidate.feature.as_bytes()).and_then(|()| out.flush());
        let shown = match candidate.confirmation {
            confirm::Confirmation::Confirmed(_) => "it fails against the target",
            _ => "no scenario was confirmed to show it (see its header)",
        };
        // Diverging before any operation is what a server of another generation of the
        // documentation does: the first answer already has another shape.
        let generation = if candidate.operations == 0 {
            format!(
                "; a divergence before any operation is what a target of another generation of the documentation shows: `laml-conformance profiles --target …` says which profile it conforms to (this run judged by {}), and --profile NAME explores as that one",
                self.profile.name
            )
        } else {
            String::new()
        };
        eprintln!(
            "laml-conformance explore: the target diverged from the model within {total} operation(s) (seed {seed}); the shrunk scenario ({} operation(s)) is on stdout, and {shown}{generation}",
            candidate.operations
        );
        ExitCode::from(Exit::Failed)
    }
}
