//! `laml-conformance explore`: the healthy space shows no divergence, every fault of the
//! catalogue shows one within a bounded number of operations, and the scenario printed for a
//! divergence fails against its fault and passes against the healthy space.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Serve, run, text};
use laml_conformance::sim::faults::CATALOGUE;

/// The most operations a fault of the catalogue may take to show (with seed 1 the slowest
/// needs a few hundred).
const FAULT_BOUND: &str = "2000";

fn explore(args: &[&str]) -> Output {
    let mut all = vec!["explore"];
    all.extend_from_slice(args);
    run(&all, &[], &scratch("runs"))
}

/// A folder of this test process under the system's temporary folder.
fn scratch(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-explore-{}-{what}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The number after `prefix` in `text`.
fn number_after(text: &str, prefix: &str) -> u64 {
    let rest = &text[text.find(prefix).unwrap_or_else(|| panic!("{prefix:?} in {text}")) + prefix.len()..];
    rest.split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn healthy(profile: &str, steps: &str) {
    let o = explore(&["--profile", profile, "--steps", steps, "--seed", "1"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        number_after(&out, "no divergence in "),
        steps.parse::<u64>().unwrap(),
        "{out}"
    );
    assert!(
        o.stderr.is_empty(),
        "no progress when stderr is no terminal: {}",
        text(&o)
    );
}

#[test]
fn the_healthy_space_shows_no_divergence_under_the_seed_profile() {
    healthy("seed", "3000");
}

#[test]
fn the_healthy_space_shows_no_divergence_under_the_later_generations() {
    healthy("signalwire", "1000");
    healthy("twilio", "1000");
}

/// The long run the README quotes: `cargo test --release --test explore -- --ignored`
/// (`LAML_EXPLORE_STEPS` to change its 100,000 operations).
#[test]
#[ignore = "a long run; use a release build"]
fn a_long_run_against_the_healthy_space_shows_no_divergence() {
    let steps = std::env::var("LAML_EXPLORE_STEPS").unwrap_or_else(|_| "100000".into());
    healthy("seed", &steps);
}

/// The faults of the catalogue that explore's operations cannot show, and why; the suite's own
/// scenarios catch each (`tests/faults.rs`).
const OUT_OF_REACH: &[(&str, &str)] = &[
    (
        "page-counts-wrong",
        "explore lists one page of the default size: it never pages",
    ),
    (
        "next-page-always-linked",
        "explore lists one page of the default size: it never pages",
    ),
    (
        "no-allow-header",
        "explore compares status, body and content type, not the Allow header",
    ),
    (
        "allow-without-delete",
        "explore compares status, body and content type, not the Allow header",
    ),
    (
        "end-conference-on-exit-not-stored",
        "explore compares participants as the checks normalise them, where end_conference_on_exit is a join flag shown as a placeholder: its stored value is not compared (exit.feature's retrieve catches it)",
    ),
    (
        "end-conference-on-exit-ignored",
        "explore compares end_conference_on_exit as a placeholder (a join flag), as for the fault above",
    ),
    (
        "end-conference-on-exit-sticks",
        "explore compares end_conference_on_exit as a placeholder (a join flag), as for the two faults above",
    ),
    (
        "muting-ends-the-conference",
        "what it changes is end_conference_on_exit, which explore compares as a placeholder (a join flag)",
    ),
    ("uri-by-label", "explore never names a participant by its label"),
];

#[test]
fn every_fault_of_the_catalogue_shows_a_divergence_within_the_bound() {
    let names: Vec<(&str, &str)> = CATALOGUE
        .iter()
        .filter(|f| !OUT_OF_REACH.iter().any(|(n, _)| *n == f.name))
        .map(|f| (f.name, f.profile))
        .collect();
    let results: Vec<(String, Result<u64, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .chunks(names.len().div_ceil(2))
            .map(|batch| {
                scope.spawn(move || {
                    batch
                        .iter()
                        .map(|(name, profile)| {
                            let o = explore(&[
                                "--fault",
                                name,
                                "--profile",
                                profile,
                                "--steps",
                                FAULT_BOUND,
                                "--seed",
                                "1",
                            ]);
                            let out = stdout(&o);
                            let confirmed = out.lines().any(|l| l.starts_with("# Confirmed: the suite fails it"));
                            let found = if o.status.code() == Some(1) && out.contains("\nFeature: ") && confirmed {
                                Ok(number_after(&out, "the divergence showed after "))
                            } else {
                                Err(text(&o))
                            };
                            (name.to_string(), found)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let missed: Vec<String> = results
        .iter()
        .filter_map(|(n, r)| r.as_ref().err().map(|e| format!("{n}: {e}")))
        .collect();
    assert!(
        missed.is_empty(),
        "faults explore did not find, or found without a scenario the suite confirmed:\n{}",
        missed.join("\n")
    );
    let slowest = results
        .iter()
        .filter_map(|(n, r)| r.as_ref().ok().map(|s| (s, n)))
        .max();
    eprintln!("the slowest fault to show: {slowest:?}");
}

/// Explores against `fault`, writes the printed feature, and runs it against the fault and
/// against the healthy space.
fn printed_scenario_catches(fault: &str, dir: &Path) {
    let o = explore(&["--fault", fault, "--steps", FAULT_BOUND, "--seed", "1"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let feature = dir.join(format!("{fault}.feature"));
    std::fs::write(&feature, &o.stdout).unwrap();
    let file = feature.to_str().unwrap();
    let broken = run(&["--features", file, "--fault", fault], &[], dir);
    assert_eq!(
        broken.status.code(),
        Some(1),
        "the scenario printed for {fault} passes against it:\n{}\n{}",
        stdout(&o),
        text(&broken)
    );
    assert!(text(&broken).contains("1 scenario (1 failed)"), "{}", text(&broken));
    let sound = run(&["--features", file], &[], dir);
    assert_eq!(
        sound.status.code(),
        Some(0),
        "the scenario printed for {fault} fails against the healthy space:\n{}\n{}",
        stdout(&o),
        text(&sound)
    );
}

#[test]
fn the_printed_scenario_fails_against_its_fault_and_passes_against_the_healthy_space() {
    let dir = scratch("features");
    for fault in [
        "hold-not-persisted",             // persistence: shows in a retrieve, not in the answer
        "stop-coaching-keeps-target",     // a sequence: coach, then stop
        "errors-as-html",                 // the wire: a refusal that is no JSON
        "state-leaks-across-conferences", // a second conference of the account
        "completed-conference-updatable", // a completed conference
        "list-filter-ignored",            // a list
        "date-updated-frozen",            // dates, judged by bounds
        "drop-hold",                      // a rendering the participants show right after arranging
    ] {
        printed_scenario_catches(fault, &dir);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_seed_finds_the_same_scenario_again_with_the_printed_command() {
    let o = explore(&["--fault", "announce-unmutes", "--seed", "1"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = stdout(&o);
    let command = out
        .lines()
        .find_map(|l| l.strip_prefix("# Reproduce: laml-conformance "))
        .unwrap_or_else(|| panic!("no command to reproduce in {out}"));
    let args: Vec<&str> = command.split(' ').collect();
    assert!(args.contains(&"--fault") && args.contains(&"--steps"), "{command}");
    let again = run(&args, &[], &scratch("runs"));
    assert_eq!(stdout(&again), out, "the printed command finds the same scenario");
}

#[test]
fn the_time_bounds_a_run() {
    let started = std::time::Instant::now();
    let o = explore(&["--steps", "100000000", "--time", "1", "--seed", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(stdout(&o).starts_with("no divergence in "), "{}", text(&o));
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn usage_errors_exit_2_with_one_sentence() {
    for (args, said) in [
        (&["--steps", "0"][..], "--steps"),
        (&["--fault", "no-such-fault"][..], "drop-hold"),
        (&["--time", "0"][..], "--time"),
        (&["--time", "1e20"][..], "at most 604800"),
        (&["--profile", "plivo"][..], "seed, signalwire, twilio"),
        (&["--target", "https://example.invalid"][..], "--allow-live-changes"),
        (
            &["--fault", "ignore-muted", "--target", "http://127.0.0.1:1"][..],
            "--fault",
        ),
    ] {
        let o = explore(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(said), "{args:?}: {}", text(&o));
        assert!(o.stdout.is_empty(), "{args:?}: {}", text(&o));
    }
}

#[test]
fn an_unreachable_target_exits_3() {
    let o = explore(&["--target", "http://127.0.0.1:1", "--steps", "10"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("127.0.0.1:1"), "{}", text(&o));
}

/// A conference `serve` printed, configured by name as on a live conference, with "agent"
/// muted and "supervisor" coaching "agent" before the run; and a way to read a participant.
struct Configured {
    serve: Serve,
    user: String,
}

impl Configured {
    fn start(args: &[&str]) -> Configured {
        let serve = Serve::start_with(args, &[]);
        let user = format!("{}:{}", serve.var("LAML_PROJECT_ID"), serve.var("LAML_API_TOKEN"));
        let c = Configured { serve, user };
        c.curl(&["-d", "Muted=true", &c.path("agent")]);
        c.curl(&[
            "-d",
            &format!("CallSidToCoach={}", c.sid("agent")),
            &c.path("supervisor"),
        ]);
        c
    }

    fn sid(&self, name: &str) -> String {
        self.serve.participant(name)
    }

    fn path(&self, name: &str) -> String {
        format!(
            "{}/api/laml/2010-04-01/Accounts/{}/Conferences/{}/Participants/{}.json",
            self.serve.base,
            self.serve.var("LAML_PROJECT_ID"),
            self.serve.var("LAML_CONFERENCE_SID"),
            self.sid(name)
        )
    }

    fn curl(&self, args: &[&str]) -> serde_json::Value {
        let o = std::process::Command::new("curl")
            .args(["-s", "-u", &self.user])
            .args(args)
            .output()
            .expect("curl runs");
        serde_json::from_slice(&o.stdout).unwrap()
    }

    /// Explores the conference by its sid (`--conference`: on loopback the sid in the
    /// environment alone leaves a run in setup mode).
    fn explore(&self, steps: &str) -> Output {
        let conference = self.serve.var("LAML_CONFERENCE_SID");
        let args = [
            "explore",
            "--target",
            &self.serve.base,
            "--conference",
            &conference,
            "--steps",
            steps,
            "--seed",
            "4",
        ];
        run(&args, &self.serve.env, &scratch("shared"))
    }
}

/// A target whose participants are configured (shared, as on a live conference): every
/// sequence starts from their state before the run, and the run puts it back.
#[test]
fn shared_participants_are_explored_from_their_state_and_put_back() {
    let c = Configured::start(&[]);
    let o = c.explore("300");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(stdout(&o).contains("state before the run"), "{}", text(&o));
    let agent = c.curl(&[&c.path("agent")]);
    let supervisor = c.curl(&[&c.path("supervisor")]);
    assert_eq!(
        (agent["muted"].as_bool(), agent["hold"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(supervisor["coaching"].as_bool(), Some(true));
    assert_eq!(supervisor["call_sid_to_coach"].as_str(), Some(c.sid("agent").as_str()));
}

/// On shared participants the scenario starts from their state (its Given steps say it), is
/// tagged to run there, and the suite confirms it against them.
#[test]
fn a_divergence_on_shared_participants_is_printed_from_their_state() {
    let c = Configured::start(&["--fault", "hold-not-persisted"]);
    let o = c.explore(FAULT_BOUND);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    for line in [
        "  @live-safe",
        "    And \"agent\" is muted",
        "    And \"supervisor\" is coaching \"agent\"",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} in {out}");
    }
    assert!(out.contains("\n# Confirmed: the suite fails it"), "{out}");
    assert_eq!(c.curl(&[&c.path("agent")])["muted"].as_bool(), Some(true), "put back");
}

#[test]
fn serve_is_explored_over_http_and_a_broken_serve_diverges() {
    let healthy = Serve::start(&[]);
    let o = explore(&["--target", &healthy.base, "--steps", "300", "--seed", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let broken = Serve::start_with(&["--fault", "refused-update-partly-applied"], &[]);
    let o = explore(&["--target", &broken.base, "--steps", FAULT_BOUND, "--seed", "5"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let dir = scratch("serve");
    let feature = dir.join("found.feature");
    std::fs::write(&feature, &o.stdout).unwrap();
    let file = feature.to_str().unwrap();
    let against = |base: &str| run(&["--target", base, "--features", file], &[], &dir);
    assert_eq!(against(&broken.base).status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(against(&healthy.base).status.code(), Some(0), "{}", stdout(&o));
}

/// How many conferences of 100 participants serve's setup endpoint still arranges before it
/// answers 503 (its budget is full).
fn room(s: &Serve) -> usize {
    let names: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
    let ask = serde_json::json!({ "participants": names }).to_string();
    let url = format!("{}/__laml/setup/conferences", s.base);
    (0..)
        .take_while(|_| {
            let o = std::process::Command::new("curl")
                .args([
                    "-s",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "-H",
                    "content-type: application/json",
                ])
                .args(["--data", &ask, &url])
                .output()
                .expect("curl runs");
            o.stdout == b"201"
        })
        .count()
}

/// Each sequence's account is given back to serve afterwards (`DELETE /__laml/setup/accounts/…`),
/// so a campaign of any length fits in serve's budget: after a run, serve has the room a fresh
/// one has. So too when each seed's time is up with sequences in flight side by side: none is
/// left halfway, and the next seed's go on the same connections.
#[test]
fn explore_gives_back_every_account_it_arranged() {
    for bounds in [
        &["--steps", "300", "--seed", "5"][..],
        &["--seeds", "1..41", "--time", "0.02"],
    ] {
        let (fresh, used) = (Serve::start(&[]), Serve::start(&[]));
        let o = explore(&[&["--target", &used.base][..], bounds].concat());
        assert_eq!(o.status.code(), Some(0), "{bounds:?}: {}", text(&o));
        assert_eq!(
            room(&used),
            room(&fresh),
            "{bounds:?}: serve still holds what explore arranged"
        );
    }
}
