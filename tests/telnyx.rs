//! Telnyx TeXML as a fourth profile (issue 21): the suite passes under it against the embedded
//! space and against `serve --profile telnyx`, fails against a `serve` of every other profile,
//! `serve` speaks Telnyx's auth and error envelope, `profiles --target` names it, and no code
//! names it except to list the profiles.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Serve, run, summary_count, text};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-telnyx-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn telnyx(serve: &Serve, dir: &str) -> std::process::Output {
    run(
        &["--target", &serve.base, "--profile", "telnyx"],
        &serve.env,
        &temp_dir(dir),
    )
}

#[test]
fn the_suite_passes_under_telnyx_on_the_embedded_space_and_against_serve() {
    let o = run(&["--profile", "telnyx"], &[], &temp_dir("embedded"));
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        summary_count(&out, "passed") > 0 && summary_count(&out, "failed") == 0,
        "{out}"
    );
    let serve = Serve::start_with(&["--profile", "telnyx"], &[]);
    let o = telnyx(&serve, "serve");
    let served = text(&o);
    assert_eq!(o.status.code(), Some(0), "{served}");
    assert_eq!(
        summary_count(&served, "passed"),
        summary_count(&out, "passed"),
        "the same scenarios pass against serve as embedded: {served}"
    );
}

#[test]
fn the_suite_under_telnyx_fails_against_serve_of_every_other_profile() {
    for other in ["seed", "signalwire", "twilio"] {
        let serve = Serve::start_with(&["--profile", other], &[]);
        let o = telnyx(&serve, other);
        assert_eq!(
            o.status.code(),
            Some(1),
            "against serve --profile {other}: {}",
            text(&o)
        );
    }
}

/// One request to serve's configured participant, with `authorization`; its status and body.
fn retrieve(serve: &Serve, authorization: &str) -> (u16, serde_json::Value) {
    let url = format!(
        "{}/v2/texml/Accounts/{}/Conferences/{}/Participants/{}",
        serve.base,
        serve.var("LAML_PROJECT_ID"),
        serve.conference(),
        serve.participant("agent")
    );
    let out = Command::new("curl")
        .args([
            "-s",
            "-w",
            "\n%{http_code}",
            "-H",
            &format!("Authorization: {authorization}"),
            &url,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (body, status) = text.rsplit_once('\n').unwrap();
    (status.parse().unwrap(), serde_json::from_str(body).unwrap_or_default())
}

#[test]
fn serve_under_telnyx_takes_bearer_and_refuses_basic_in_telnyx_s_envelope() {
    use base64::Engine as _;
    let serve = Serve::start_with(&["--profile", "telnyx"], &[]);
    let (account, key) = (serve.var("LAML_PROJECT_ID"), serve.var("LAML_API_TOKEN"));
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{account}:{key}"));
    let (status, body) = retrieve(&serve, &format!("Basic {basic}"));
    assert_eq!(status, 401, "{body}");
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[]: {body}"));
    assert_eq!(errors.len(), 1, "{body}");
    assert!(errors[0]["detail"].is_string(), "{body}");
    assert!(
        body.get("code").is_none() && body.get("status").is_none(),
        "flat fields too: {body}"
    );
    // the challenge names the scheme this server takes (RFC 9110 section 11.6.1)
    let head = Command::new("curl")
        .args(["-s", "-i", "-H", &format!("Authorization: Basic {basic}")])
        .arg(format!(
            "{}/v2/texml/Accounts/{account}/Conferences/{}/Participants/{}",
            serve.base,
            serve.conference(),
            serve.participant("agent")
        ))
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&head.stdout).to_lowercase();
    assert!(head.contains("www-authenticate: bearer realm="), "{head}");
    let (status, body) = retrieve(&serve, &format!("Bearer {key}"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["call_sid"], serve.participant("agent"), "{body}");
    assert!(body["call_sid"].as_str().unwrap().starts_with("v3:"), "{body}");
}

/// A live coach under telnyx is put back coaching the same participant: whom it coaches is read
/// under Telnyx's name for the field (`coaching_call_sid`), not the seed's.
#[test]
fn a_live_telnyx_coach_is_restored_to_coaching_the_same_participant() {
    let serve = Serve::start_with(&["--profile", "telnyx"], &[]);
    let (agent, supervisor) = (serve.participant("agent"), serve.participant("supervisor"));
    let url = format!(
        "{}/v2/texml/Accounts/{}/Conferences/{}/Participants/{supervisor}",
        serve.base,
        serve.var("LAML_PROJECT_ID"),
        serve.conference()
    );
    let bearer = format!("Authorization: Bearer {}", serve.var("LAML_API_TOKEN"));
    let curl = |form: &[String]| common::curl_json(&["-H", &bearer], form, &url);
    let before = curl(&["Coaching=true".into(), format!("CallSidToCoach={agent}")]);
    assert_eq!(before["coaching_call_sid"], agent.as_str(), "{before}");
    let o = run(
        &[
            "--target",
            &serve.base,
            "--profile",
            "telnyx",
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
    let after = curl(&[]);
    assert_eq!(
        (&after["coaching"], &after["coaching_call_sid"]),
        (&serde_json::json!(true), &serde_json::json!(agent)),
        "{after}"
    );
}

#[test]
fn profiles_names_telnyx_for_serve_under_telnyx() {
    let serve = Serve::start_with(&["--profile", "telnyx"], &[]);
    let o = run(
        &["profiles", "--target", &serve.base],
        &serve.env,
        &temp_dir("profiles"),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("conforms to: telnyx"), "{out}");
}

/// A fourth profile is data: outside its JSON file and its snapshots, code names it only in the
/// tables that list what is compiled in (comments may cite it as an example).
#[test]
fn no_code_names_telnyx_but_the_tables_of_compiled_in_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = common::rust_sources(&src);
    let mut named = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // a module's tests, inline or in a file of their own (`tests.rs`, `profile_tests.rs`)
        let tests_file = file
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with("tests.rs"));
        let test_part = if tests_file {
            0
        } else {
            text.find("#[cfg(test)]").unwrap_or(text.len())
        };
        for (i, line) in text[..test_part].lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default().to_lowercase();
            let listing = code.contains("include_str!(") || code.trim_start().starts_with("\"telnyx_");
            if code.contains("telnyx") && !listing {
                named.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(named.is_empty(), "code that names telnyx:\n{}", named.join("\n"));
}
