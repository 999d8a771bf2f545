//! The command line's promises: exit codes, clear errors, reports, undefined steps failing.

use std::path::Path;
use std::process::{Command, Output};

mod common;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .args(args)
        .env("CUCUMBER_COLOR", "never")
        .env_remove("CUCUMBER_FILTER_TAGS")
        .output()
        .expect("the binary starts")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_failing_scenario_exits_1_and_names_the_field() {
    let o = run(&["--features", &fixture("failing.feature")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("muted") && out.contains("expected: <true> (boolean)"),
        "{out}"
    );
    assert!(out.contains("actual:   <false> (boolean)"), "{out}");
    // The embedded space is gone with the run: the way to reproduce by hand is said once.
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("start `laml-conformance serve`").count(), 1, "{err}");
}

/// A `Then` step about "agent" never judges an answer about "customer" (which is muted, so a
/// step that judged it would pass): it fails and says whom the last request was about.
#[test]
fn a_check_about_another_participant_than_the_last_request_fails() {
    let o = run(&["--features", &fixture("about_another.feature")]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("the last request was about \"customer\", not \"agent\""),
        "{out}"
    );
}

#[test]
fn an_undefined_step_fails_the_run() {
    let json = std::env::temp_dir().join(format!("laml-undefined-{}.json", std::process::id()));
    let o = run(&[
        "--features",
        &fixture("undefined.feature"),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // the Cucumber JSON says it as cucumber does: undefined, not failed
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    std::fs::remove_file(&json).ok();
    let statuses: Vec<&str> = report[0]["elements"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["result"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["passed", "undefined"], "{report:#}");
}

#[test]
fn a_misspelt_parameter_stops_the_run_before_any_request() {
    let o = run(&["--features", &fixture("misspelt_key.feature")]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        err.contains("misspelt_key.feature:9:") && err.contains("\"muted\"") && err.contains("did you mean Muted?"),
        "{}",
        text(&o)
    );
}

#[test]
fn an_undefined_participant_name_fails_the_step_instead_of_being_sent() {
    let o = run(&["--features", &fixture("undefined_name.feature")]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("no participant is named \"agnet\" in this scenario; the names are [\"agent\", \"supervisor\"]"),
        "{out}"
    );
}

#[test]
fn a_run_where_no_scenario_runs_exits_2() {
    let o = run(&["--tags", "@no-scenario-has-this-tag"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no scenario ran"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_wrong_flag_exits_2() {
    let o = run(&["--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--no-such-flag"), "{}", text(&o));
}

#[test]
fn missing_features_exit_2_with_one_sentence() {
    let o = run(&["--features", "/no/such/folder"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/folder") && err.contains("--features"), "{err}");
}

#[test]
fn an_unwritable_report_exits_2() {
    let o = run(&["--junit", "/no/such/folder/report.xml"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("JUnit"), "{}", text(&o));
}

#[test]
fn reports_are_written_and_name_the_scenarios() {
    let dir = std::env::temp_dir().join(format!("laml-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (junit, json) = (dir.join("r.xml"), dir.join("r.json"));
    let o = run(&[
        "--tags",
        "@mute",
        "--junit",
        junit.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("Mute a participant (documented example"), "{xml}");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(report.to_string().contains("Unmute a muted participant"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_command_mistyped_gets_a_suggestion_and_exit_2() {
    let o = run(&["serv"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("unrecognized subcommand 'serv'")
            && text(&o).contains("a similar subcommand exists: 'serve'"),
        "{}",
        text(&o)
    );
}

/// A fresh folder under the target directory for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_copy_of_the_binary_runs_from_another_folder_with_its_features_compiled_in() {
    let dir = scratch("relocated");
    let copy = dir.join("laml-conformance");
    std::fs::copy(env!("CARGO_BIN_EXE_laml-conformance"), &copy).unwrap();
    let o = Command::new(&copy)
        .current_dir(&dir)
        .env("CUCUMBER_COLOR", "never")
        .env_remove("CUCUMBER_FILTER_TAGS")
        .env_remove("LAML_PROFILE")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("features/mute.feature") || text(&o).contains("Mute a participant"),
        "{}",
        text(&o)
    );
}

#[test]
fn the_features_compiled_in_export_and_run_from_the_folder() {
    let dir = scratch("exported");
    let o = run(&["features", "--export", &dir.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(dir.join("mute.feature").is_file());
    let again = run(&["features", "--export", &dir.display().to_string()]);
    assert_eq!(again.status.code(), Some(2), "overwrote: {}", text(&again));
    assert!(text(&again).contains("is there already"), "{}", text(&again));
    std::fs::write(
        dir.join("mute.feature"),
        "Feature: only this\n  Scenario: one\n    Given a conference with participant \"agent\"\n",
    )
    .unwrap();
    let o = run(&["--features", &dir.display().to_string(), "--name", "^one$"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("1 scenario (1 passed)"),
        "the folder's features ran, not the compiled-in: {}",
        text(&o)
    );
}

#[test]
fn a_feature_that_does_not_parse_is_named_with_its_line_and_what_was_expected() {
    let dir = scratch("broken");
    let file = dir.join("broken.feature");
    std::fs::write(&file, "Featur: f\n  Scenario: s\n    Given x\n").unwrap();
    let o = run(&["--features", &file.display().to_string()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.feature:2:"), "{err}");
    assert!(err.contains("expected a Gherkin keyword"), "{err}");
}

/// The scenarios a run's summary reports, and how many of them failed.
fn summary_scenarios(o: &Output) -> (usize, usize) {
    let out = String::from_utf8_lossy(&o.stdout);
    let all = common::summary_count(&out, "scenario");
    assert!(all > 0, "no scenario count in the summary:\n{out}");
    (all, common::summary_count(&out, "failed"))
}

/// cucumber's own --fail-fast only stops starting scenarios, and its runner starts all of
/// this suite's at once, so it stopped nothing; the run's stops those under way too.
#[test]
fn fail_fast_stops_a_concurrent_run_at_the_first_failure() {
    let full = run(&["--fault", "ignore-muted", "--profile", "seed"]);
    let fast = run(&["--fault", "ignore-muted", "--profile", "seed", "--fail-fast"]);
    assert_eq!(fast.status.code(), Some(1), "{}", text(&fast));
    let (all, all_failed) = summary_scenarios(&full);
    let (ran, failed) = summary_scenarios(&fast);
    assert!(all_failed > 1, "the fault fails several scenarios:\n{}", text(&full));
    assert_eq!(failed, 1, "only the first failure is reported:\n{}", text(&fast));
    // Skipped scenarios (another profile's) end at once, before any other's first request.
    let skipped = common::summary_count(&String::from_utf8_lossy(&fast.stdout), "skipped");
    assert!(
        (ran - skipped) * 4 <= all,
        "{ran} of {all} scenarios ({skipped} of them skipped) ran despite --fail-fast:\n{}",
        text(&fast)
    );
    let out = String::from_utf8_lossy(&fast.stdout);
    assert!(
        out.contains(&format!(
            "The run stopped at the first failed scenario (--fail-fast): {ran} of {all} scenarios ran; the other {} (",
            all - ran
        )),
        "the summary says the run stopped early:\n{out}"
    );
    assert!(
        !String::from_utf8_lossy(&full.stdout).contains("stopped"),
        "{}",
        text(&full)
    );
}

/// The progress line ("scenarios: 30/59", "faults: 12/42") is drawn only on a terminal: a run
/// whose stderr is piped, as in CI logs and here, gets nothing extra there, whether the run
/// goes to a remote target or is `profiles` running the suite three times.
#[test]
fn piped_stderr_gets_no_progress_line() {
    let served = common::Serve::start(&[]);
    let dir = std::env::temp_dir();
    for args in [
        vec!["--target", served.base.as_str(), "--concurrency", "1"],
        // scenarios side by side on a target that arranges its own: nothing to say of it
        vec!["--target", served.base.as_str(), "--concurrency", "4"],
        vec!["profiles", "--target", served.base.as_str()],
    ] {
        let o = common::run(&args, &[], &dir);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", common::text(&o));
        assert!(
            o.stderr.is_empty(),
            "{args:?} wrote to a piped stderr: {:?}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// `.github/workflows/conformance.yml` learns serve's base URL from the line serve prints, with
/// `sed`; a rewording of that line would break CI with no test failing, so the two are held
/// together here, and the run step asks for the reports it uploads.
#[test]
fn the_ci_workflow_reads_the_line_serve_prints_and_uploads_the_reports() {
    let workflow =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/conformance.yml"))
            .expect("the workflow is in the repository");
    let prefix = workflow
        .split("sed -n 's/^")
        .nth(1)
        .and_then(|rest| rest.split("//p'").next())
        .expect("the workflow reads serve's base URL with sed");
    assert!(workflow.contains("laml-conformance serve --port 0"), "{workflow}");
    let printed = common::Serve::start(&[]).interrupt_output();
    let base = printed
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("serve printed no line starting {prefix:?}:\n{printed}"));
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    for needed in [
        "--junit reports/junit.xml",
        "--html reports/report.html",
        "--summary-md reports/summary.md",
        "actions/upload-artifact@v4",
        "            reports/junit.xml\n            reports/report.html\n",
    ] {
        assert!(workflow.contains(needed), "the workflow lacks {needed:?}");
    }
}

/// Runs the binary, killing it if it has not ended within `secs`: a hang is a failure, not a
/// test that never ends.
fn run_within(args: &[&str], secs: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .args(args)
        .env("CUCUMBER_COLOR", "never")
        .env_remove("CUCUMBER_FILTER_TAGS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            panic!("laml-conformance {args:?} did not end within {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_concurrency_of_0_is_a_usage_error_not_a_hang() {
    for args in [
        &["-c", "0"][..],
        &["--concurrency", "0", "--tags", "@mute"],
        &["profiles", "-c", "0"],
    ] {
        let started = std::time::Instant::now();
        let o = run_within(args, 20);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("--concurrency"), "{args:?}: {}", text(&o));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn flags_of_a_remote_target_without_one_exit_2_instead_of_testing_the_simulator() {
    for args in [
        &["--conference", "CFx", "--participant", "agent=CA1"][..],
        &[
            "--setup-url",
            "http://127.0.0.1:1/setup",
            "--conference",
            "CFabc",
            "--allow-live-changes",
        ],
        &["--dialect", "nope"],
        &["--participant", "garbage"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("without a target") && err.contains("--target URL"),
            "{err}"
        );
    }
}

#[test]
fn the_first_line_of_a_run_says_target_profile_and_mode_and_so_do_the_reports() {
    let dir = scratch("first-line");
    let (md, html, junit) = (dir.join("s.md"), dir.join("r.html"), dir.join("r.xml"));
    let o = run(&[
        "--tags",
        "@mute",
        "--summary-md",
        md.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let first = String::from_utf8_lossy(&o.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        first.contains("the embedded simulated space")
            && first.contains("profile seed")
            && first.contains("mode: embedded"),
        "{first}"
    );
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains("target: the embedded simulated space · mode: embedded"),
        "{md}"
    );
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("<dt>Mode</dt><dd>embedded"), "the HTML says the mode");
    let junit = std::fs::read_to_string(&junit).unwrap();
    assert!(
        junit.contains("<property name=\"target\" value=\"the embedded simulated space\"/>")
            && junit.contains("<property name=\"mode\""),
        "{junit}"
    );
}

#[test]
fn profiles_against_a_target_that_is_down_exits_3_as_the_suite_does() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let target = format!("http://127.0.0.1:{port}");
    for args in [vec!["profiles", "--target", &target], vec!["--target", &target]] {
        let o = run_within(&args, 30);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("cannot reach the target"), "{}", text(&o));
    }
}

#[test]
fn profiles_without_a_target_does_not_say_a_target_conforms() {
    let o = run_within(&["profiles", "--tags", "@mute"], 120);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("The target conforms to"), "{out}");
    assert!(
        out.contains("embedded simulated space passes its own profiles") && out.contains("--target URL"),
        "{out}"
    );
}

/// cucumber reads `--name` as a regex: the rerun line printed for a failed scenario is escaped,
/// anchored and shell-quoted, so pasted into a shell it selects that scenario and no other.
#[test]
fn the_rerun_name_of_a_failed_scenario_selects_it_whatever_its_title_holds() {
    let feature = fixture("odd_title.feature");
    let o = run(&["--features", &feature]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    let names: Vec<&str> = err.lines().filter_map(|l| l.trim().strip_prefix("--name ")).collect();
    assert_eq!(names.len(), 1, "one line per failed scenario: {err}");
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' --features '{feature}' --name {}",
            env!("CARGO_BIN_EXE_laml-conformance"),
            names[0]
        ))
        .env("CUCUMBER_COLOR", "never")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        summary_scenarios(&o),
        (1, 1),
        "exactly the failed one ran: {}",
        text(&o)
    );
}

#[test]
fn the_conventions_of_a_command_line_hold() {
    let o = run(&["--version"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("laml-conformance 0."),
        "{}",
        text(&o)
    );
    let o = run(&["help"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("--target") && text(&o).contains("Exit codes"),
        "{}",
        text(&o)
    );
    let o = run(&["features", "--help"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("--export DIR"), "{}", text(&o));
    // --help among the run options `profiles` passes on is its own help, not a run
    for args in [
        &["profiles", "--help"][..],
        &["profiles", "--target", "http://127.0.0.1:9", "--help"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains("Runs the suite once per profile"),
            "{args:?}: {}",
            text(&o)
        );
    }
    // profiles sets each run's --profile and --json itself
    for args in [
        &["profiles", "--profile", "seed"][..],
        &["profiles", "--profile=seed"],
        &["profiles", "--json", "r.json"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains("leave out --profile and --json"),
            "{args:?}: {}",
            text(&o)
        );
    }
    let o = run(&["faults", "--help"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("drop-hold") && text(&o).contains("omits the hold field"),
        "{}",
        text(&o)
    );
    let o = run(&["--target", "127.0.0.1:18080"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("write http://127.0.0.1:18080"), "{}", text(&o));
}

#[test]
fn a_failure_says_step_failed_once_and_no_source_path_of_the_harness() {
    let o = run(&["--features", &fixture("failing.feature")]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(out.matches("Step failed").count(), 1, "{out}");
    assert!(!out.contains("Matched: src/"), "{out}");
    assert!(out.contains("Defined: "), "the feature's own line stays: {out}");
}

/// A reader that stops early (`| head -2`) is no error of the run: it ends with its own exit
/// code, without a panic.
#[test]
fn a_reader_that_goes_away_is_no_panic() {
    use std::io::{BufRead as _, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .args(["--tags", "@mute"])
        .env("CUCUMBER_COLOR", "never")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    lines.next();
    lines.next();
    drop(lines);
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // serve | head -1, then Ctrl-C
    let mut serve = Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        if line.contains("Ctrl-C stops it") {
            break;
        }
    }
    drop(lines);
    Command::new("kill")
        .args(["-INT", &serve.id().to_string()])
        .status()
        .unwrap();
    let o = serve.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Building a reqwest client loads the system's trust store (native-tls does so even for a
/// plain-http target), tens of milliseconds each time: a run builds one, shared by the probe of
/// the target, the setup endpoint's requests and every scenario (issue 19, item 18).
#[test]
fn the_harness_builds_one_http_client() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = common::rust_sources(&src);
    let builders: Vec<String> = files
        .iter()
        // the simulated space is a server; it builds no client
        .filter(|p| !p.starts_with(src.join("library/sim")))
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let n = text.matches("Client::builder()").count();
            std::iter::repeat_n(p.display().to_string(), n)
        })
        .collect();
    assert_eq!(builders.len(), 1, "{builders:?}");
    assert!(builders[0].ends_with("client/mod.rs"), "{builders:?}");
}

/// Gherkin problems said where they are, in words that fit what is wrong.
#[test]
fn gherkin_problems_point_the_right_way() {
    let dir = scratch("gherkin");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let cases = [
        (
            write("empty.feature", ""),
            2,
            "the file is empty; a feature file starts with `Feature: <its name>`",
        ),
        (
            write(
                "whenn.feature",
                "Feature: x\n\n  Scenario: y\n    Given a conference with participants \"agent\"\n    Whenn \"agent\" is updated with no parameters\n",
            ),
            2,
            "whenn.feature:5:5: ",
        ),
        (
            write(
                "tag.feature",
                "@needs-anothr-conference\nFeature: x\n\n  Scenario: y\n    Given a conference with participants \"agent\"\n",
            ),
            2,
            "tag.feature:1: @needs-anothr-conference",
        ),
        (
            write(
                "undefined.feature",
                // tagged: only @allow.skipped makes a step that matches nothing a skip on purpose
                "Feature: x\n\n  @tagged\n  Scenario: y\n    Given a conference with participants \"agent\"\n    When \"agent\" is updatd with no parameters\n",
            ),
            1,
            "undefined.feature:6:5: no step definition matches `When \"agent\" is updatd with no parameters`; did you mean `When \"agent\" is updated with no parameters`",
        ),
    ];
    for (file, code, says) in cases {
        let o = run(&["--features", &file]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(code), "{file}: {out}");
        assert!(out.contains(says), "{file}: {out}");
        assert!(
            !out.contains("Could not read path") && !out.contains("look at the lines just above"),
            "{out}"
        );
        assert!(!out.contains("laml-conformance serve"), "no unrelated hint: {out}");
    }
    // a broken file beside a good one still stops the run at exit 2, after the good one ran
    let mixed = dir.join("mixed");
    std::fs::create_dir_all(&mixed).unwrap();
    std::fs::copy(dir.join("whenn.feature"), mixed.join("whenn.feature")).unwrap();
    let good = "Feature: good\n\n  Scenario: z\n    Given a conference with participants \"agent\"\n";
    std::fs::write(mixed.join("good.feature"), good).unwrap();
    let o = run(&["--features", mixed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("1 scenario (1 passed)"), "{}", text(&o));
    assert!(text(&o).contains("1 feature file(s) refused"), "{}", text(&o));
    let o = run(&["--features", &fixture("misspelt_key.feature")]);
    assert!(
        !text(&o).contains("Could not read path") && !text(&o).contains("fix their Gherkin"),
        "{}",
        text(&o)
    );
}

/// The README is a quick start; the rest lives in docs/, and every link of it leads somewhere.
#[test]
fn the_readme_is_a_quick_start_and_its_links_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.lines().count() <= 150, "{} lines", readme.lines().count());
    assert_eq!(
        readme.matches("cargo run --release --").count(),
        1,
        "the installed binary in examples"
    );
    for doc in ["profiles", "live", "reports", "explore", "baselines", "contributing"] {
        let path = root.join("docs").join(format!("{doc}.md"));
        assert!(path.is_file(), "{}", path.display());
    }
    for link in readme.split("](").skip(1).filter_map(|s| s.split(')').next()) {
        if link.starts_with("http") || link.starts_with('#') {
            continue;
        }
        assert!(root.join(link).exists(), "README links to {link}, which is not there");
    }
}

/// A run counts every step it ran, whatever became of it, before it says that nothing ran: a
/// run whose steps all passed, one with more skipped steps than passed ones, and one whose only
/// step failed each end by their verdict, not as "no scenario ran" (exit 2) or a crash.
#[test]
fn a_run_counts_every_step_it_ran_whatever_became_of_it() {
    let dir = std::env::temp_dir().join(format!("laml-cli-counted-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(dir.join("mixed")).unwrap();
    let skipped: String = (1..=4)
        .map(|i| format!("\n  @allow.skipped\n  Scenario: Skipped {i}\n    Given no step matches this sentence\n"))
        .collect();
    let mixed = format!(
        "Feature: Counted\n\n  Scenario: Passes\n    Given a conference with participants \"agent\"\n    When \"agent\" is updated with:\n      | Muted | true |\n    Then \"agent\" is muted\n{skipped}"
    );
    std::fs::write(dir.join("mixed/counted.feature"), mixed).unwrap();
    let fails = "Feature: Fails\n\n  Scenario: Fails at once\n    Then \"agent\" is muted\n";
    std::fs::write(dir.join("fails.feature"), fails).unwrap();
    let mixed = dir.join("mixed").display().to_string();
    let fails = dir.join("fails.feature").display().to_string();
    let cases: [(&[&str], i32, &str); 3] = [
        (&["--features", &mixed, "--name", "Passes"], 0, "3 steps (3 passed)"),
        (&["--features", &mixed], 0, "4 skipped"),
        (&["--features", &fails], 1, "1 step (1 failed)"),
    ];
    for (args, code, said) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(said), "{args:?}: {}", text(&o));
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A report that cannot be written at the end of a run (a full disk) fails the run with exit 2
/// and one sentence, whatever the scenarios did: a CI job must not take a run whose report is
/// missing for a passed one.
#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_at_the_end_is_exit_2() {
    let o = run(&["--tags", "@mute", "--junit", "/dev/full"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("could not write the JUnit report to /dev/full: No space left on device"),
        "{err}"
    );
}

/// A console that cannot be written (stdout on a full disk) ends the run with exit 2 and one
/// sentence, as a report not written does, not with a panic; a reader gone (`| head`) is no
/// error (`a_reader_that_goes_away_is_no_panic`).
#[cfg(target_os = "linux")]
#[test]
fn a_console_that_cannot_be_written_is_exit_2_not_a_panic() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .args(["--tags", "@mute"])
        .env("CUCUMBER_COLOR", "never")
        .stdout(full)
        .output()
        .expect("the binary starts");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        err.trim_end(),
        "laml-conformance: could not write the console report to standard output: No space left on device (os error 28); free space there or choose another path"
    );
}

/// A feature's rules are laid out as cucumber's own console lays them out: each `Rule:` line at
/// the feature's margin, its scenarios under it, two steps deeper than a feature's own.
#[test]
fn rules_and_their_scenarios_are_laid_out_as_cucumber_does() {
    let dir = std::env::temp_dir().join(format!("laml-cli-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let feature = dir.join("ruled.feature");
    let rule = |name: &str, scenario: &str| {
        format!("  Rule: {name}\n\n    Scenario: {scenario}\n      Given a conference with participants \"agent\"\n\n")
    };
    std::fs::write(
        &feature,
        format!("Feature: Ruled\n\n{}{}", rule("one", "Muted"), rule("two", "Held")),
    )
    .unwrap();
    let o = run(&["--features", feature.to_str().unwrap(), "--concurrency", "1"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        out.contains("\nRule: one\n    Scenario: Muted\n") && out.contains("\nRule: two\n    Scenario: Held\n"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `-v` levels as cucumber's: a failing step's World at `-vv`, the doc strings too at `-vvv`,
/// neither below; `--color always` colours a piped console, which is plain otherwise.
#[test]
fn verbosity_and_colour_are_cucumber_s() {
    let dir = std::env::temp_dir().join(format!("laml-cli-verbose-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let feature = dir.join("doc.feature");
    let doc_feature = "Feature: Doc\n\n  Scenario: A JSON body\n    Given a conference with participants \"agent\"\n    When \"agent\" is updated with a JSON body:\n      \"\"\"\n      {\"Muted\": true}\n      \"\"\"\n    Then the update succeeds as in the documented \"mute\" example\n";
    std::fs::write(&feature, doc_feature).unwrap();
    let path = feature.to_str().unwrap();
    for (flag, world, doc) in [
        (None, false, false),
        (Some("-v"), false, false),
        (Some("-vv"), true, false),
        (Some("-vvv"), true, true),
    ] {
        let o = run(&[&["--features", path][..], flag.as_slice()].concat());
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{flag:?}: {}", text(&o));
        assert_eq!(out.contains("\n      ConformanceWorld {\n"), world, "{flag:?}: {out}");
        assert_eq!(out.contains("\n      {\"Muted\": true}\n"), doc, "{flag:?}: {out}");
        assert!(!out.contains('\u{1b}'), "{flag:?}: {out}");
    }
    let o = run(&["--features", path, "--color", "always"]);
    // the console's own lines, not only cucumber's summary
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("\u{1b}[32mFeature: Doc"),
        "{}",
        text(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// On a terminal (`--color always` acts as one) each step is shown while under way and its line
/// is cleared for its result: the screen then reads as the plain console does, line for line.
#[test]
fn a_terminal_sees_each_step_replaced_by_its_result() {
    const CLEAR: &str = "\u{1b}[1A\r\u{1b}[2K";
    let args = ["--tags", "@hold", "--concurrency", "1", "--color"];
    let plain = run(&[&args[..], &["never"]].concat());
    let coloured = run(&[&args[..], &["always"]].concat());
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain));
    let coloured = String::from_utf8_lossy(&coloured.stdout).to_string();
    assert!(coloured.contains(CLEAR), "no step was shown under way: {coloured}");
    // the screen: each CLEAR takes back the line above the cursor
    let mut screen = String::new();
    for (i, piece) in coloured.split(CLEAR).enumerate() {
        if i > 0 {
            let above = screen.strip_suffix('\n').unwrap_or(&screen);
            screen.truncate(above.rfind('\n').map_or(0, |p| p + 1));
        }
        screen.push_str(piece);
    }
    // without its colours
    let mut seen = String::new();
    let mut rest = screen.as_str();
    while let Some(at) = rest.find("\u{1b}[") {
        seen.push_str(&rest[..at]);
        rest = rest[at..].split_once('m').map_or("", |(_, after)| after);
    }
    seen.push_str(rest);
    assert_eq!(seen, String::from_utf8_lossy(&plain.stdout));
}

/// `--retry N` says each attempt after the first as cucumber does, counted out of N.
#[test]
fn each_retry_of_a_failing_scenario_is_said_with_its_attempt() {
    let o = run(&["--features", &fixture("failing.feature"), "--retry", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let title = "  Scenario: An update with no parameters does not reproduce the documented \"mute\" example";
    let said: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with(title))
        .map(|l| l[title.len()..].to_string())
        .collect();
    assert_eq!(said, ["", " | Retry attempt: 1/2", " | Retry attempt: 2/2"]);
    // coloured as cucumber colours them: a retry's passed steps in the retry's colour, a failed
    // step that will be retried in its bright colour, the last attempt's failure in red
    let o = run(&[
        "--features",
        &fixture("failing.feature"),
        "--retry",
        "2",
        "--color",
        "always",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    let styles = |mark: &str| -> Vec<String> {
        out.match_indices(mark)
            .map(|(at, _)| {
                let before = out[..at].trim_end_matches(' ');
                before[before.rfind('\u{1b}').unwrap()..].to_string()
            })
            .collect()
    };
    let (green, retry, bright, red) = ("\u{1b}[32m", "\u{1b}[35m", "\u{1b}[38;5;13m", "\u{1b}[31m");
    assert_eq!(styles("✔  Given "), [green, retry, retry], "{out}");
    assert_eq!(styles("✔  When "), [green, retry, retry], "{out}");
    assert_eq!(styles("✘  Then "), [bright, bright, red], "{out}");
}

/// `serve` takes the account from `LAML_PROJECT_ID` and `LAML_API_TOKEN` when both are set, never
/// printing that token; else it makes its own, and prints it for the suite to use (its profile
/// from `.env`: `tests/remote.rs`).
#[test]
fn serve_reads_its_account_from_the_environment() {
    let printed = |env: &[(&str, &str)]| {
        let serve = common::Serve::start(env);
        let vars = serve.env.clone();
        (serve.interrupt_output(), vars)
    };
    let project = "5e471e11-0000-4000-8000-00000000000b";
    let (said, vars) = printed(&[("LAML_PROJECT_ID", project), ("LAML_API_TOKEN", "a-token-of-mine")]);
    assert!(
        said.contains("# LAML_API_TOKEN is the one in your environment (not printed)"),
        "{said}"
    );
    assert!(
        !said.contains("a-token-of-mine") && !vars.iter().any(|(k, _)| k == "LAML_API_TOKEN"),
        "{said}"
    );
    // a blank token is none: serve makes its own account, and says its token
    let (said, vars) = printed(&[("LAML_PROJECT_ID", project), ("LAML_API_TOKEN", "")]);
    assert!(!said.contains("not printed"), "{said}");
    assert!(
        vars.iter().any(|(k, v)| k == "LAML_API_TOKEN" && !v.is_empty()),
        "{said}"
    );
}

/// `faults --only NAME` runs that fault alone (and the healthy space); an unknown name is one
/// sentence and exit 2, before any run.
#[test]
fn faults_only_runs_the_faults_named() {
    let o = run(&["faults", "--only", "drop-hold"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.starts_with("The fault catalogue: 1 faults against "), "{out}");
    assert!(out.contains("\n✔ drop-hold — omits the hold field\n"), "{out}");
    // the other scenarios that fail are counted, and listed with -v, the declared ones apart
    let counted: usize = out
        .split("    and ")
        .nth(1)
        .and_then(|rest| {
            rest.strip_suffix(" other scenario(s) fail (-v lists them)\n")
                .or(Some(rest))
        })
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(counted > 0, "{out}");
    let verbose = text(&run(&["faults", "--only", "drop-hold", "-v"]));
    let listed: Vec<&str> = verbose
        .lines()
        .filter_map(|l| l.strip_prefix("    also failing: "))
        .collect();
    assert_eq!(listed.len(), counted, "{verbose}");
    assert!(
        !listed.iter().any(|n| n.starts_with("Mute a participant (documented")),
        "{verbose}"
    );
    let o = run(&["faults", "--only", "drop-hold", "--only", "nope"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        err.starts_with("laml-conformance faults: no fault named \"nope\"; the faults are: drop-hold, "),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "nothing ran: {}", text(&o));
}
