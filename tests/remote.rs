//! The suite against `serve` started as a separate process, both ways of arranging state, the
//! clean stop on Ctrl-C, and a sentinel token that must appear nowhere the run writes.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{Serve, run, text};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A server that answers a request in the short path form with the documentation's `uri` (as
/// `serve` does) is no false alarm.
#[test]
fn the_whole_suite_passes_against_serve_in_the_short_path_form() {
    let serve = Serve::start(&[]);
    let setup = format!("{}/__laml/setup", serve.base);
    let o = run(
        &["--target", &serve.base, "--setup-url", &setup, "--dialect", "twilio"],
        &[],
        &temp_dir("short-form"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_only_other_generations_skipped(&out);
}

#[test]
fn the_whole_suite_passes_against_serve_through_its_setup_endpoint() {
    let serve = Serve::start(&[]);
    let setup = format!("{}/__laml/setup", serve.base);
    let o = run(
        &["--target", &serve.base, "--setup-url", &setup],
        &[],
        &temp_dir("setup"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_only_other_generations_skipped(&out);
    assert!(serve.interrupt().success(), "serve did not stop cleanly on Ctrl-C");
}

#[test]
fn against_a_configured_conference_what_cannot_be_arranged_is_skipped_with_its_reason() {
    let serve = Serve::start(&[]);
    let conference = serve.conference();
    // --concurrency given by hand does not let scenarios share live participants at once
    let o = run(
        &[
            "--target",
            &serve.base,
            "--conference",
            &conference,
            "--concurrency",
            "8",
        ],
        &serve.env,
        &temp_dir("configured"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(&format!(
            "configured mode: the scenarios share the participants of conference {conference} (from --conference)"
        )),
        "{out}"
    );
    assert!(out.contains("--concurrency is 1 on a configured conference"), "{out}");
    assert!(
        out.contains("cannot be arranged on this target: it needs a second conference"),
        "{out}"
    );
    assert!(
        out.contains("cannot be arranged on this target: it needs a second account"),
        "one Examples block of an outline is skipped by its own tag: {out}"
    );
    assert!(
        out.contains("cannot be arranged on this target: it needs a completed conference")
            || out.contains("it is not tagged @live-safe"),
        "{out}"
    );
    assert!(
        out.contains("cannot run on this target: it is not tagged @live-safe"),
        "{out}"
    );
    assert!(out.contains("skipped)") && !out.contains("failed"), "{out}");
    let listed = list_flags(&serve);
    assert!(
        listed.iter().all(|flags| flags == &[false, false, false]),
        "not restored: {listed:?}"
    );
    // one at a time asked for by hand: nothing to correct, nothing said
    let o = run(
        &[
            "--target",
            &serve.base,
            "--conference",
            &conference,
            "--concurrency",
            "1",
            "--tags",
            "@mute",
        ],
        &serve.env,
        &temp_dir("configured-one"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("--concurrency is 1"), "{out}");
}

/// `[muted, hold, coaching]` of each participant of serve's configured conference.
fn list_flags(serve: &Serve) -> Vec<[bool; 3]> {
    let var = |k: &str| serve.var(k);
    let (project, token, conference) = (
        var("LAML_PROJECT_ID"),
        var("LAML_API_TOKEN"),
        var("LAML_CONFERENCE_SID"),
    );
    let url = format!(
        "{}/api/laml/2010-04-01/Accounts/{project}/Conferences/{conference}/Participants.json",
        serve.base
    );
    let out = Command::new("curl")
        .args(["-s", "-u", &format!("{project}:{token}"), &url])
        .output()
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the list is JSON");
    body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| ["muted", "hold", "coaching"].map(|k| p[k].as_bool().unwrap()))
        .collect()
}

#[test]
fn a_restore_that_fails_is_reported_and_ends_the_run_with_4() {
    // Under this fault every update lands on the next participant, so restoring one fails.
    let serve = Serve::start_with(&["--fault", "wrong-participant-updated"], &[]);
    let dir = temp_dir("restore");
    let o = run(
        &[
            "--target",
            &serve.base,
            "--conference",
            &serve.conference(),
            "--tags",
            "@mute",
            "--shard-out",
            "out",
        ],
        &serve.env,
        &dir,
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    // its results, merged, say why the run stopped as the run did
    let merged = run(&["merge", "out", "--summary-md", "merged.md"], &[], &dir);
    assert_ne!(merged.status.code(), Some(0), "{}", text(&merged));
    let md = std::fs::read_to_string(dir.join("merged.md")).unwrap();
    assert!(
        md.contains("The run stopped after a participant could not be restored"),
        "{md}"
    );
    assert!(
        out.contains("could not restore") && out.contains("check them on the target now"),
        "{out}"
    );
    // The run ends with the scenario whose restore failed (the mute feature has 8), and counts
    // participants, not failed restores of each scenario.
    assert!(
        out.contains("The run stopped after a participant could not be restored"),
        "{out}"
    );
    assert!(!out.contains("8 scenarios ("), "{out}");
    let count: usize = out
        .split(" participant(s) could not be restored")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!((1..=3).contains(&count), "three participants at most: {out}");
}

#[test]
fn a_sentinel_token_appears_nowhere_the_run_writes() {
    const SENTINEL: &str = "sentinel-token-5f1c9e";
    // A uuid, as the seed generation writes account sids: the answers are judged by its format.
    const PROJECT: &str = "5e471e11-0000-4000-8000-00000000000a";
    let project = ("LAML_PROJECT_ID", PROJECT);
    let serve = Serve::start(&[project, ("LAML_API_TOKEN", SENTINEL)]);
    let dir = temp_dir("sentinel");
    let failing = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/failing.feature");
    let mut env = serve.env.clone();
    env.retain(|(k, _)| k != "LAML_API_TOKEN" && k != "LAML_PROJECT_ID");
    env.push((project.0.into(), project.1.into()));
    env.push(("LAML_API_TOKEN".into(), SENTINEL.into()));
    let snapshots_before = snapshot_files();
    for (verbosity, features) in [("-v", None), ("-vv", Some(failing.to_str().unwrap()))] {
        let (junit, json) = (dir.join("r.xml"), dir.join("r.json"));
        let conference = serve.conference();
        let mut args = vec!["--target", &serve.base, "--conference", &conference, verbosity];
        args.extend(["--junit", junit.to_str().unwrap()]);
        args.extend(["--json", json.to_str().unwrap()]);
        if let Some(f) = features {
            args.extend(["--features", f]);
        }
        let o = run(&args, &env, &dir);
        let mut written = text(&o);
        written.push_str(&std::fs::read_to_string(&junit).unwrap());
        written.push_str(&std::fs::read_to_string(&json).unwrap());
        assert!(!written.contains(SENTINEL), "the token leaked at {verbosity}");
        if features.is_some() {
            assert_eq!(o.status.code(), Some(1), "{written}");
            assert!(
                written.contains("ConformanceWorld"),
                "-vv printed no World dump: {written}"
            );
            assert!(written.contains(PROJECT), "the dump does not show the account it used");
        } else {
            // Every scenario passed, so serve accepted the sentinel: the run really sent it.
            assert_eq!(o.status.code(), Some(0), "{written}");
        }
    }
    assert_eq!(snapshots_before, snapshot_files(), "the run wrote snapshot files");
    let printed = serve.interrupt_output();
    assert!(
        !printed.contains(SENTINEL),
        "serve printed the token it was given: {printed}"
    );
}

fn snapshot_files() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_scenario_without_the_tag_of_its_need_fails_loudly_where_the_need_cannot_be_arranged() {
    let serve = Serve::start(&[]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/untagged_need.feature");
    let o = run(
        &[
            "--target",
            &serve.base,
            "--conference",
            &serve.conference(),
            "--features",
            fixture.to_str().unwrap(),
        ],
        &serve.env,
        &temp_dir("untagged"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("needs a second conference") && out.contains("tag it @needs-another-conference"),
        "{out}"
    );
}

#[test]
fn an_https_target_that_speaks_plain_http_is_one_sentence_and_exit_3() {
    let serve = Serve::start(&[]);
    let https = serve.base.replace("http://", "https://");
    let o = run(&["--target", &https], &serve.env, &temp_dir("https"));
    let out = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(
        out.contains("does not answer HTTP") && out.contains("check the scheme"),
        "{out}"
    );
    assert!(!out.contains("Step failed"), "said once, before any scenario: {out}");
}

/// Nothing failed, and the only scenarios skipped are those another generation documents (the
/// twilio-only label feature, under the seed): every scenario the seed documents ran.
fn assert_only_other_generations_skipped(out: &str) {
    assert!(!out.contains("failed"), "{out}");
    let skipped: Vec<&str> = out.lines().filter(|l| l.trim_start().starts_with("? ")).collect();
    assert!(
        skipped
            .iter()
            .all(|l| l.contains("the seed profile documents otherwise")),
        "{skipped:#?}"
    );
}

/// Against serve through its setup endpoint, each scenario's account is made for it, with a
/// throwaway token: the reproduction under a failure carries it, so pasting it reproduces the
/// request (here: the update the fault answers wrongly, answered 200 again, not 401).
#[test]
fn a_reproduction_pasted_from_a_failure_reproduces_the_request() {
    let serve = Serve::start_with(&["--fault", "ignore-muted"], &[]);
    let setup = format!("{}/__laml/setup", serve.base);
    let o = run(
        &["--target", &serve.base, "--setup-url", &setup, "--tags", "@mute"],
        &[],
        &temp_dir("reproduce"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let curl = out
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("request:  "))
        .find(|c| c.starts_with("curl -X POST"))
        .unwrap_or_else(|| panic!("no reproduction of an update: {out}"));
    assert!(!curl.contains("$LAML_API_TOKEN"), "{curl}");
    let pasted = Command::new("bash")
        .args(["-c", &format!("{curl} -s -o /dev/null -w '%{{http_code}}'")])
        .env_remove("LAML_API_TOKEN")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&pasted.stdout), "200", "{curl}");
}

/// serve's lines saved as `.env` name a conference for clients; a plain `--target` run on
/// loopback still arranges fresh state per scenario, and says why it does not use that one.
#[test]
fn serve_s_lines_as_dotenv_keep_a_plain_target_run_in_setup_mode() {
    let serve = Serve::start(&[]);
    let dir = temp_dir("dotenv");
    let dotenv: String = serve.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    std::fs::write(dir.join(".env"), dotenv).unwrap();
    let o = run(&["--target", &serve.base], &[], &dir);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_only_other_generations_skipped(&out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("LAML_CONFERENCE_SID in .env names conference") && err.contains("pass --conference"),
        "{err}"
    );
}

/// A live participant that is already muted and on hold when the run starts: each scenario
/// first brings it to the state the features start from, so a scenario about hold does not fail
/// on `muted`, and afterwards it is muted and on hold again.
#[test]
fn configured_mode_starts_each_scenario_from_unmuted_and_restores_afterwards() {
    let serve = Serve::start(&[]);
    let var = |k: &str| serve.var(k);
    let customer = serve.participant("customer");
    let url = format!(
        "{}/api/laml/2010-04-01/Accounts/{}/Conferences/{}/Participants/{customer}.json",
        serve.base,
        var("LAML_PROJECT_ID"),
        serve.conference()
    );
    let send = |body: Option<&'static str>| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let http = reqwest::Client::new();
            let request = match body {
                Some(b) => http
                    .post(&url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(b),
                None => http.get(&url),
            };
            let r = request
                .basic_auth(var("LAML_PROJECT_ID"), Some(var("LAML_API_TOKEN")))
                .send()
                .await
                .unwrap();
            serde_json::from_slice::<serde_json::Value>(&r.bytes().await.unwrap()).unwrap()
        })
    };
    send(Some("Muted=true&Hold=true"));
    let o = run(
        &[
            "--target",
            &serve.base,
            "--conference",
            &serve.conference(),
            "--tags",
            "@hold or @mute",
        ],
        &serve.env,
        &temp_dir("start-state"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("passed") && !out.contains("failed"), "{out}");
    let after = send(None);
    assert_eq!(
        (after["muted"].as_bool(), after["hold"].as_bool()),
        (Some(true), Some(true)),
        "{after}"
    );
}

/// A live supervisor that is coaching the agent when the run starts: the coaching scenarios
/// take it through other states, and the restore puts back its coaching and whom it coaches
/// (a restore that sent `Coaching=false` would leave it not coaching, and end the run with 4).
#[test]
fn configured_mode_restores_a_coach_to_coaching_the_same_participant() {
    let serve = Serve::start(&[]);
    let var = |k: &str| serve.var(k);
    let (agent, supervisor) = (serve.participant("agent"), serve.participant("supervisor"));
    let url = format!(
        "{}/api/laml/2010-04-01/Accounts/{}/Conferences/{}/Participants/{supervisor}.json",
        serve.base,
        var("LAML_PROJECT_ID"),
        serve.conference()
    );
    let user = format!("{}:{}", var("LAML_PROJECT_ID"), var("LAML_API_TOKEN"));
    let curl = |form: &[String]| common::curl_json(&["-u", &user], form, &url);
    let before = curl(&["Coaching=true".into(), format!("CallSidToCoach={agent}")]);
    assert_eq!(before["coaching"], true, "{before}");
    let o = run(
        &[
            "--target",
            &serve.base,
            "--conference",
            &serve.conference(),
            "--tags",
            "@coach",
        ],
        &serve.env,
        &temp_dir("restore-coach"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("passed") && !out.contains("failed"), "{out}");
    let after = curl(&[]);
    assert_eq!(
        (&after["coaching"], &after["call_sid_to_coach"]),
        (&serde_json::json!(true), &serde_json::json!(agent)),
        "{after}"
    );
}

/// A server on loopback that answers every request with `response` (or, with `None`, accepts
/// connections and never answers), for as long as the test runs.
fn fixed_server(response: Option<&'static str>) -> String {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            match response {
                Some(r) => {
                    let mut buf = [0u8; 65536];
                    let _ = stream.read(&mut buf);
                    let _ = stream.write_all(r.as_bytes());
                }
                None => held.push(stream),
            }
        }
    });
    base
}

/// What an implementer meets first, pointing the tool at the wrong server: one sentence before
/// any scenario, and exit 2 (a setting to fix) or 3 (the target is not one), never a failure per
/// scenario.
#[test]
fn a_target_wide_problem_is_one_sentence_before_the_scenarios() {
    let dir = temp_dir("target-wide");
    let html = fixed_server(Some(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 20\r\nconnection: close\r\n\r\n<html>a blog</html>\n",
    ));
    let serve = Serve::start(&[]);
    let setup = format!("{}/__laml/setup", serve.base);
    let wrong_prefix = format!("{}/wrong", serve.base);
    let missing = [
        "--target",
        serve.base.as_str(),
        "--conference",
        &serve.conference(),
        "--participant",
        "agent=CA00000000000000000000000000000000",
    ];
    // (arguments, environment, exit code, what the sentence says)
    type Case<'a> = (&'a [&'a str], &'a [(String, String)], i32, &'a str);
    let cases: [Case; 3] = [
        (&["--target", &html], &[], 3, "not"),
        (
            &["--target", &wrong_prefix, "--setup-url", &setup],
            &[],
            2,
            "path prefix",
        ),
        (&missing, &serve.env, 2, "is not in conference"),
    ];
    for (args, env, code, says) in cases {
        let o = run(args, env, &dir);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {out}");
        let err = String::from_utf8_lossy(&o.stderr);
        let said: Vec<&str> = err.lines().filter(|l| !l.contains("configured mode:")).collect();
        assert_eq!(said.len(), 1, "{args:?}: one sentence: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!out.contains("Scenario"), "{args:?}: said before any scenario: {out}");
    }
}

#[test]
fn a_target_that_never_answers_is_a_timeout_not_an_unreachable_target() {
    let silent = fixed_server(None);
    let o = run(&["--target", &silent, "--timeout", "0.5"], &[], &temp_dir("silent"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        err.contains("did not answer within 0.5 s") && err.contains("--timeout"),
        "{err}"
    );
    assert!(!err.contains("check that it is running"), "{err}");
}

/// A server of another generation fails the default profile's shape checks by the dozen: the
/// summary names the profile it conforms to, as `profiles` finds it, and what to run.
#[test]
fn a_profile_mismatch_names_the_profile_that_fits() {
    let serve = Serve::start_with(&["--profile", "twilio"], &[]);
    let o = run(&["--target", &serve.base], &[], &temp_dir("mismatch"));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let summary = out.rsplit("[Summary]").next().unwrap_or_default();
    assert!(
        summary.contains("--profile twilio") && summary.contains("laml-conformance profiles --target"),
        "{summary}"
    );
    // explore, meeting the same server, says the same
    let o = run(
        &["explore", "--target", &serve.base, "--seed", "1", "--steps", "5"],
        &[],
        &temp_dir("mismatch-explore"),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        err.contains("another generation") && err.contains("laml-conformance profiles --target"),
        "{err}"
    );
    // a target that fails for other reasons gets no such hint
    let faulty = Serve::start_with(&["--fault", "ignore-muted"], &[]);
    let o = run(
        &["--target", &faulty.base, "--tags", "@mute"],
        &[],
        &temp_dir("mismatch-faulty"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!text(&o).contains("--profile twilio"), "{}", text(&o));
}

/// The suite reads `.env`; `serve`, started in the same folder, reads the same profile from it.
#[test]
fn serve_reads_the_profile_of_dotenv_as_the_suite_does() {
    let dir = temp_dir("serve-dotenv");
    // a blank LAML_PROFILE there is as good as none
    for (line, profile) in [("LAML_PROFILE=twilio", "twilio"), ("LAML_PROFILE=", "seed")] {
        std::fs::write(dir.join(".env"), format!("{line}\n")).unwrap();
        let mut child = Command::new(common::BIN)
            .args(["serve", "--port", "0"])
            .env_remove("LAML_PROFILE")
            .current_dir(&dir)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::BufRead as _;
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let said: Vec<String> = lines.by_ref().take(2).map(Result::unwrap).collect();
        child.kill().ok();
        child.wait().ok();
        assert!(
            said[1].contains(&format!("answers as the {profile} profile")),
            "{line}: {said:?}"
        );
    }
}
