//! The simulated space never panics and never loses state on bad input.
//!
//! Arbitrary methods, paths, credentials, content types, bodies and parameter values are thrown
//! at its rules (`sim::http::handle`, in-process) and at its HTTP adapter (a real loopback
//! server). Every answer must be a participant, a list, a 204, or an error body of the
//! documented shape whose `status` equals the HTTP status; an answer other than a successful
//! update must leave every participant exactly as it was.
//!
//! Cases: 4000 in-process and 1000 over HTTP by default; `PROPTEST_CASES` sets both, e.g. a
//! million in-process cases:
//! `PROPTEST_CASES=1000000 cargo test --release --test sim_properties in_process`

use std::sync::OnceLock;

use base64::Engine;
use laml_conformance::sim::http::{SimRequest, handle};
use laml_conformance::sim::state::Space;
use laml_conformance::sim::{ArrangedConference, Sim};
use laml_conformance::spec::errors::ERROR_FIELDS;
use laml_conformance::spec::params::{PARAMS, is_absolute_url};
use laml_conformance::spec::{ErrorCode, Profile};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// A request described by choices that are resolved against an arranged conference, so that
/// well-formed, nearly well-formed and garbage requests all occur.
#[derive(Debug, Clone)]
struct Wild {
    method: String,
    prefix: String,
    account: Pick,
    conference: Pick,
    participant: Pick,
    suffix: String,
    auth: Auth,
    content_type: Option<String>,
    body: Body,
}

#[derive(Debug, Clone)]
enum Pick {
    Own(usize),
    Other,
    Raw(String),
}

#[derive(Debug, Clone)]
enum Auth {
    Valid,
    WrongToken,
    OtherAccount,
    Missing,
    Raw(String),
}

#[derive(Debug, Clone)]
enum Body {
    Form(Vec<(String, String)>),
    Raw(Vec<u8>),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ -~]{0,16}",
        any::<String>().prop_map(|s| s.chars().take(24).collect()),
    ]
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        6 => (0usize..3).prop_map(Pick::Own),
        1 => Just(Pick::Other),
        1 => text().prop_map(Pick::Raw),
    ]
}

fn key() -> impl Strategy<Value = String> {
    let documented: Vec<String> = PARAMS.iter().map(|p| p.name.to_string()).collect();
    prop_oneof![
        6 => proptest::sample::select(documented),
        1 => proptest::sample::select(vec!["muted".to_string(), "callSidToCoach".into(), "hold_url".into()]),
        1 => text(),
    ]
}

fn value() -> impl Strategy<Value = String> {
    let known = [
        "true",
        "false",
        "True",
        "FALSE",
        "tRuE",
        "GET",
        "POST",
        "get",
        "http://a.example/hold",
        "https://a.example/x?y=1",
        "/hold",
        "ftp://a.example",
        "@0",
        "@1",
        "@2",
        "",
        " ",
    ];
    prop_oneof![
        6 => proptest::sample::select(known.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        1 => text(),
    ]
}

fn wild() -> impl Strategy<Value = Wild> {
    let method = prop_oneof![
        6 => proptest::sample::select(vec!["POST", "GET", "DELETE"]).prop_map(str::to_string),
        1 => proptest::sample::select(vec!["PUT", "PATCH", "OPTIONS", "HEAD"]).prop_map(str::to_string),
    ];
    let prefix = prop_oneof![
        4 => Just("/api/laml/2010-04-01".to_string()),
        2 => Just("/2010-04-01".to_string()),
        1 => "/[a-z0-9/.-]{0,20}",
    ];
    let suffix = prop_oneof![4 => Just(".json".to_string()), 1 => Just(String::new()), 1 => "[a-zA-Z./]{0,6}"];
    let auth = prop_oneof![
        6 => Just(Auth::Valid),
        1 => Just(Auth::WrongToken),
        1 => Just(Auth::OtherAccount),
        1 => Just(Auth::Missing),
        1 => text().prop_map(Auth::Raw),
    ];
    let content_type = prop_oneof![
        6 => Just(Some("application/x-www-form-urlencoded".to_string())),
        1 => Just(Some("application/json".to_string())),
        1 => Just(None),
        1 => "[ -~]{0,30}".prop_map(Some),
    ];
    let body = prop_oneof![
        6 => proptest::collection::vec((key(), value()), 0..5).prop_map(Body::Form),
        1 => proptest::collection::vec(any::<u8>(), 0..64).prop_map(Body::Raw),
    ];
    (method, prefix, pick(), pick(), pick(), suffix, auth, content_type, body).prop_map(
        |(method, prefix, account, conference, participant, suffix, auth, content_type, body)| Wild {
            method,
            prefix,
            account,
            conference,
            participant,
            suffix,
            auth,
            content_type,
            body,
        },
    )
}

/// The concrete request: path, `Authorization` header, body bytes.
struct Concrete {
    path: String,
    authorization: Option<String>,
    body: Vec<u8>,
}

fn resolve(w: &Wild, own: &ArrangedConference, other: &ArrangedConference) -> Concrete {
    let sid_of = |i: usize| own.participants[i % own.participants.len()].1.clone();
    let pick = |p: &Pick, own_value: String, other_value: String| match p {
        Pick::Own(_) => own_value,
        Pick::Other => other_value,
        Pick::Raw(s) => s.clone(),
    };
    let account = pick(
        &w.account,
        own.credentials.project_id.clone(),
        other.credentials.project_id.clone(),
    );
    let conference = pick(&w.conference, own.conference_sid.clone(), other.conference_sid.clone());
    let participant = match &w.participant {
        Pick::Own(i) => sid_of(*i),
        Pick::Other => other.participants[0].1.clone(),
        Pick::Raw(s) => s.clone(),
    };
    let path = format!(
        "{}/Accounts/{account}/Conferences/{conference}/Participants/{participant}{}",
        w.prefix, w.suffix
    );
    let basic = |user: &str, token: &str| {
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{token}"))
        ))
    };
    let authorization = match &w.auth {
        Auth::Valid => basic(&own.credentials.project_id, own.credentials.token.expose()),
        Auth::WrongToken => basic(&own.credentials.project_id, "wrong"),
        Auth::OtherAccount => basic(&other.credentials.project_id, other.credentials.token.expose()),
        Auth::Missing => None,
        Auth::Raw(s) => Some(s.clone()),
    };
    let body = match &w.body {
        Body::Form(pairs) => {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| {
                    let v = match v.strip_prefix('@').and_then(|i| i.parse::<usize>().ok()) {
                        Some(i) => sid_of(i),
                        None => v.clone(),
                    };
                    (k.clone(), v)
                })
                .collect();
            serde_urlencoded::to_string(pairs).unwrap().into_bytes()
        }
        Body::Raw(bytes) => bytes.clone(),
    };
    Concrete {
        path,
        authorization,
        body,
    }
}

/// Every answer is one of the documented kinds; the error kind has the documented shape.
fn check_answer(method: &str, status: u16, body: Option<&Value>) -> Result<(), TestCaseError> {
    match (status, body) {
        (204, None) => prop_assert_eq!(method, "DELETE"),
        (200, Some(Value::Object(fields))) => {
            if fields.contains_key("participants") {
                prop_assert_eq!(method, "GET");
            } else {
                let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
                let documented: Vec<&str> = Profile::seed().fields.iter().map(|f| f.name.as_str()).collect();
                prop_assert_eq!(keys, documented);
            }
        }
        (_, Some(Value::Object(fields))) => {
            let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
            prop_assert_eq!(&keys, &ERROR_FIELDS.to_vec());
            prop_assert_eq!(fields["status"].as_u64(), Some(u64::from(status)));
            let code = fields["code"].as_u64().and_then(|c| ErrorCode::from_code(c as u32));
            prop_assert!(
                code.is_some_and(|c| c.http_status() == status),
                "code {} with {status}",
                fields["code"]
            );
            prop_assert!(fields["message"].as_str().is_some_and(|m| !m.is_empty()));
            prop_assert!(fields["more_info"].as_str().is_some_and(is_absolute_url));
        }
        (status, body) => prop_assert!(false, "an answer of no documented kind: {status} {body:?}"),
    }
    Ok(())
}

fn in_process_space() -> (Space, ArrangedConference, ArrangedConference) {
    let mut space = Space::default();
    let own = space.arrange_conference(&["a", "b", "c"]);
    let other = space.arrange_conference(&["x"]);
    (space, own, other)
}

proptest! {
    #![proptest_config(cases(4000))]

    #[test]
    fn in_process_rules_never_panic_nor_lose_state(w in wild(), completed in proptest::bool::weighted(0.1)) {
        let (mut space, own, other) = in_process_space();
        if completed {
            space.complete_conference(&own.credentials.project_id, &own.conference_sid);
        }
        let c = resolve(&w, &own, &other);
        let accounts = [own.credentials.project_id.as_str(), other.credentials.project_id.as_str()];
        let before = space.snapshot(&accounts);
        let request = SimRequest {
            method: &w.method,
            path: &c.path,
            query: None,
            authorization: c.authorization.as_deref(),
            content_type: w.content_type.as_deref(),
            body: &c.body,
        };
        let answer = handle(&mut space, &request);
        check_answer(&w.method, answer.status, answer.body.as_ref())?;
        let changed_allowed = (w.method == "POST" && answer.status == 200) || (w.method == "DELETE" && answer.status == 204);
        if !changed_allowed {
            prop_assert_eq!(before, space.snapshot(&accounts), "{} {} answered {} and changed the state", w.method, c.path, answer.status);
        }
    }
}

/// One server for every HTTP case; each case arranges its own conferences in it.
fn server() -> &'static (tokio::runtime::Runtime, Sim, reqwest::Client) {
    static SERVER: OnceLock<(tokio::runtime::Runtime, Sim, reqwest::Client)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let sim = rt.block_on(Sim::start()).unwrap();
        (rt, sim, reqwest::Client::new())
    })
}

proptest! {
    #![proptest_config(cases(1000))]

    #[test]
    fn over_http_the_adapter_never_panics_nor_loses_state(w in wild()) {
        let (rt, sim, http) = server();
        let (own, other) = (sim.arrange_conference(&["a", "b", "c"]), sim.arrange_conference(&["x"]));
        let c = resolve(&w, &own, &other);
        let accounts = [own.credentials.project_id.as_str(), other.credentials.project_id.as_str()];
        let before = sim.space().snapshot(&accounts);
        let method = reqwest::Method::from_bytes(w.method.as_bytes()).unwrap();
        let mut request = http.request(method, format!("{}{}", sim.base_url(), c.path)).body(c.body.clone());
        if let Some(a) = c.authorization.as_deref().filter(|a| reqwest::header::HeaderValue::from_str(a).is_ok()) {
            request = request.header("authorization", a);
        }
        if let Some(ct) = w.content_type.as_deref().filter(|ct| reqwest::header::HeaderValue::from_str(ct).is_ok()) {
            request = request.header("content-type", ct);
        }
        let (status, text) = rt.block_on(async {
            let response = request.send().await.expect("the simulated space answers every request");
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        });
        let body: Option<Value> = if text.is_empty() && (status == 204 || w.method == "HEAD") {
            None
        } else {
            Some(serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {text:?}")))?)
        };
        if w.method != "HEAD" {
            check_answer(&w.method, status, body.as_ref())?;
        }
        let changed_allowed = (w.method == "POST" && status == 200) || (w.method == "DELETE" && status == 204);
        if !changed_allowed {
            prop_assert_eq!(before, sim.space().snapshot(&accounts));
        }
    }
}
