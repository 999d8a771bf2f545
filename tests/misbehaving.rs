//! A misbehaving target is a failed scenario with a clear message, never a hang or a panic.
//! Each misbehaviour is produced by a small wiremock server.

use std::process::Command;
use std::time::Duration;

use laml_conformance::client::{ApiClient, MAX_BODY, ParticipantRef, ParticipantUpdate};
use laml_conformance::credentials::Credentials;
use laml_conformance::error::Error;
use laml_conformance::spec::Dialect;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TIMEOUT: Duration = Duration::from_millis(500);

fn who() -> ParticipantRef {
    ParticipantRef {
        account_sid: "AC1".into(),
        conference_sid: "CF1".into(),
        call_sid: "CA1".into(),
    }
}

fn client(base: &str) -> ApiClient {
    ApiClient::new(
        base,
        Dialect::SignalWire,
        Some(Credentials::new("AC1", "token-xyz")),
        TIMEOUT,
    )
}

async fn serving(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(template).mount(&server).await;
    server
}

async fn update(base: &str) -> Result<laml_conformance::client::Exchange, Error> {
    client(base)
        .update_participant(&who(), &ParticipantUpdate::new().param("Muted", "true"))
        .await
}

#[tokio::test]
async fn connection_refused_says_the_target_is_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = update(&format!("http://127.0.0.1:{port}")).await.unwrap_err();
    assert!(matches!(e, Error::Unreachable { .. }), "{e:?}");
    assert!(e.to_string().contains("could not reach the target"), "{e}");
}

#[tokio::test]
async fn a_slow_target_times_out() {
    let server = serving(ResponseTemplate::new(200).set_delay(Duration::from_secs(3))).await;
    let e = update(&server.uri()).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    assert!(e.to_string().contains("did not answer within 0.5 s"), "{e}");
}

#[tokio::test]
async fn an_html_page_is_not_json() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let server = serving(ResponseTemplate::new(200).set_body_raw(html, "text/html")).await;
    let e = update(&server.uri()).await.unwrap().json().unwrap_err();
    assert!(
        e.to_string().contains("not JSON") && e.to_string().contains("<html>"),
        "{e}"
    );
}

#[tokio::test]
async fn an_empty_body_says_so() {
    let server = serving(ResponseTemplate::new(200)).await;
    let e = update(&server.uri()).await.unwrap().json().unwrap_err();
    assert!(e.to_string().contains("the body is empty"), "{e}");
}

/// A target (or proxy) that echoes the request's headers into its body.
struct Echo;

impl wiremock::Respond for Echo {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let headers: Vec<String> = request.headers.iter().map(|(k, v)| format!("{k}: {v:?}")).collect();
        ResponseTemplate::new(400).set_body_raw(headers.join("\n"), "text/plain")
    }
}

#[tokio::test]
async fn a_target_that_echoes_the_credentials_does_not_put_them_in_the_exchange() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(Echo).mount(&server).await;
    let x = update(&server.uri()).await.unwrap();
    let shown = format!("{}{:?}{}", x.describe(), x, x.json().unwrap_err());
    assert!(x.body.contains("authorization"), "the echo did not happen: {}", x.body);
    assert!(
        !shown.contains("token-xyz") && !shown.contains("QUMxOnRva2VuLXh5eg"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_5xx_is_an_exchange_a_step_reports() {
    let server = serving(ResponseTemplate::new(503).set_body_raw("{}", "application/json")).await;
    let x = update(&server.uri()).await.unwrap();
    assert_eq!(x.status, 503);
    assert!(x.describe().contains("response: 503"), "{}", x.describe());
}

#[tokio::test]
async fn a_huge_body_is_not_read_past_the_bound() {
    let server = serving(ResponseTemplate::new(200).set_body_raw(vec![b'x'; MAX_BODY + 1], "application/json")).await;
    let e = update(&server.uri()).await.unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { .. }), "{e:?}");
}

/// A base URL on loopback that answers with a body over the bound (a large page) answers HTTP:
/// the probe asks only that, as the shared client did once the head came.
#[tokio::test]
async fn a_target_whose_base_url_answers_a_large_body_is_reachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut s, _) = listener.accept().unwrap();
        let mut head = [0u8; 1024];
        let _ = s.read(&mut head).unwrap();
        let page = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n<html>", 2 * MAX_BODY);
        let _ = s.write_all(page.as_bytes());
    });
    let probed = laml_conformance::target::speaks_http(&base, TIMEOUT).await;
    assert_eq!(probed, Ok(()));
    server.join().unwrap();
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_credentials_stay() {
    let elsewhere = MockServer::start().await;
    let to = format!("{}/stolen", elsewhere.uri().replace("127.0.0.1", "localhost"));
    let server = serving(ResponseTemplate::new(302).insert_header("location", to.as_str())).await;
    let x = update(&server.uri()).await.unwrap();
    assert_eq!(x.status, 302);
    assert!(x.describe().contains("not followed"), "{}", x.describe());
    assert_eq!(
        elsewhere.received_requests().await.unwrap().len(),
        0,
        "the redirect was followed"
    );
}

#[tokio::test]
async fn too_many_requests_is_retried_a_bounded_number_of_times() {
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(429).insert_header("retry-after", "0");
    Mock::given(any())
        .respond_with(busy.clone())
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    let x = update(&server.uri()).await.unwrap();
    assert_eq!(x.status, 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    let always_busy = serving(busy).await;
    let x = update(&always_busy.uri()).await.unwrap();
    assert_eq!(x.status, 429);
    assert_eq!(
        always_busy.received_requests().await.unwrap().len(),
        1 + laml_conformance::client::MAX_RETRIES as usize
    );
}

/// The whole binary against a target that answers HTML: found once, before the scenarios, in
/// one sentence that shows what came, and exit 3 (issue 19: not a failure per scenario).
#[tokio::test]
async fn the_suite_against_an_html_target_fails_with_the_reason() {
    let server = serving(ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html")).await;
    let base = server.uri();
    let o = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
            .args(["--target", &base, "--conference", "CF1", "--participant", "agent=CA1"])
            .args([
                "--participant",
                "customer=CA2",
                "--participant",
                "supervisor=CA3",
                "--tags",
                "@mute",
            ])
            .env("LAML_PROJECT_ID", "AC1")
            .env("LAML_API_TOKEN", "token-xyz")
            .env("CUCUMBER_COLOR", "never")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{out}{err}");
    assert!(
        err.contains("does not answer as a LaML endpoint") && err.contains("<html>maintenance</html>"),
        "{err}"
    );
    assert!(!out.contains("Scenario"), "said before any scenario: {out}");
    assert!(!out.contains("token-xyz") && !err.contains("token-xyz"));
}

#[test]
fn an_unreachable_target_ends_the_run_at_once_with_exit_3() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
        .args([
            "--target",
            &format!("http://127.0.0.1:{port}"),
            "--setup-url",
            "http://127.0.0.1:1/setup",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot reach the target"), "{err}");
}

/// A setup endpoint on loopback that hands back the user's own token (one test account for
/// everything): that token is the user's, so it is never written into a reproduction.
#[tokio::test]
async fn a_setup_endpoint_that_answers_the_user_s_own_token_does_not_make_it_printable() {
    const SENTINEL: &str = "sentinel-own-token-41c2";
    let space = laml_conformance::sim::Sim::start_with(laml_conformance::sim::faults::by_name("ignore-muted").ok())
        .await
        .unwrap();
    let arranged = space.arrange_conference_for(
        Credentials::new("own-account", SENTINEL),
        &["agent", "customer", "supervisor"],
    );
    let participants: serde_json::Map<String, serde_json::Value> = arranged
        .participants
        .iter()
        .map(|(n, s)| (n.clone(), serde_json::Value::from(s.as_str())))
        .collect();
    let setup = serving(ResponseTemplate::new(201).set_body_json(serde_json::json!({
        "account_sid": "own-account",
        "api_token": SENTINEL,
        "conference_sid": arranged.conference_sid,
        "participants": participants,
    })))
    .await;
    let (target, setup_url) = (space.base_url(), format!("{}/setup", setup.uri()));
    let o = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
            .args(["--target", &target, "--setup-url", &setup_url, "--tags", "@mute", "-vv"])
            .env("LAML_PROJECT_ID", "own-account")
            .env("LAML_API_TOKEN", SENTINEL)
            .env("CUCUMBER_COLOR", "never")
            .env_remove("LAML_PROFILE")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(1), "the fault was not caught: {out}");
    assert!(out.contains("$LAML_API_TOKEN"), "{out}");
    assert!(!out.contains(SENTINEL), "the user's token was printed: {out}");
}

/// A setup endpoint that is full for a moment (503 with `Retry-After`, as `serve` answers once
/// every account is in use) is asked again after the wait, as a 429 is; one that stays full is
/// reported, after the same number of retries.
#[tokio::test]
async fn a_full_setup_endpoint_is_asked_again_after_its_retry_after() {
    // an account sid in the seed's own format, as a real setup endpoint hands out
    const ACCOUNT: &str = "5cd9a181-f739-4025-a4a8-1d13d8da6eb3";
    let space = laml_conformance::sim::Sim::start().await.unwrap();
    let arranged = space.arrange_conference_for(Credentials::new(ACCOUNT, "own-token"), &["agent", "customer"]);
    let participants: serde_json::Map<String, serde_json::Value> = arranged
        .participants
        .iter()
        .map(|(n, s)| (n.clone(), serde_json::Value::from(s.as_str())))
        .collect();
    let full = || ResponseTemplate::new(503).insert_header("retry-after", "0");
    let setup = MockServer::start().await;
    Mock::given(any())
        .respond_with(full())
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&setup)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "account_sid": ACCOUNT,
            "api_token": "own-token",
            "conference_sid": arranged.conference_sid,
            "participants": participants,
        })))
        .with_priority(2)
        .mount(&setup)
        .await;
    let always_full = serving(full()).await;
    let run = |setup_url: String, target: String| {
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
                .args([
                    "--target",
                    &target,
                    "--setup-url",
                    &setup_url,
                    "--name",
                    "documented example \"Mute a Participant\"",
                ])
                .env("LAML_PROJECT_ID", ACCOUNT)
                .env("LAML_API_TOKEN", "own-token")
                .env("CUCUMBER_COLOR", "never")
                .env_remove("LAML_PROFILE")
                .output()
                .unwrap()
        })
    };
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let o = run(format!("{}/setup", setup.uri()), space.base_url()).await.unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // two 503s, then the arrangements (the run's probe and the scenario's)
    assert!(setup.received_requests().await.unwrap().len() >= 3);
    let o = run(format!("{}/setup", always_full.uri()), space.base_url())
        .await
        .unwrap();
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("503"), "{}", text(&o));
    let asked = always_full.received_requests().await.unwrap().len();
    assert_eq!(
        asked % (1 + laml_conformance::client::MAX_RETRIES as usize),
        0,
        "asked {asked} times"
    );
}

/// How a [`Setup`] endpoint hands out accounts.
#[derive(Clone, Copy)]
struct Handing {
    /// The accounts handed out in turn (sid, token), made where missing; none: a fresh one
    /// each time.
    pool: &'static [(&'static str, &'static str)],
    /// With a token of its own (else none: the user's `LAML_API_TOKEN` is valid there).
    own_token: bool,
    /// A second conference in an account is refused (500).
    second_fails: bool,
}

/// What a [`Setup`] endpoint did: how many first conferences it arranged, the accounts it
/// made, and those asked to be given back.
#[derive(Default)]
struct Ledger {
    arranged: usize,
    made: Vec<String>,
    deleted: Vec<String>,
}

/// A setup endpoint (docs/live.md's protocol) over a simulated space.
#[derive(Clone)]
struct Setup {
    space: std::sync::Arc<laml_conformance::sim::Sim>,
    handing: Handing,
    ledger: std::sync::Arc<std::sync::Mutex<Ledger>>,
}

/// The user's credentials in [`Setup`]'s runs, and accounts it may hand out again and again
/// (sids in the seed's own format, as a real setup endpoint hands out).
const USER: (&str, &str) = ("0c4a4f1e-5d1b-4f0e-9a51-3f4de6a0b7c2", "user-token-5e1f");
const ONE: (&str, &str) = ("7e2d9c43-1b8a-4c6f-8e0d-5a9b3c2f1d04", "setup-token-77aa");
const TWO: (&str, &str) = ("a3b1c2d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "setup-token-88bb");

impl Setup {
    /// A first conference with participants `names`, in the account whose turn it is.
    fn first(&self, names: &[&str], ledger: &mut Ledger) -> laml_conformance::setup::ArrangedConference {
        let pool = self.handing.pool;
        ledger.arranged += 1;
        let arranged = match pool.get(ledger.arranged % pool.len().max(1)) {
            Some(&(sid, token)) => self
                .space
                .arrange_conference_in(sid, names)
                .unwrap_or_else(|| self.space.arrange_conference_for(Credentials::new(sid, token), names)),
            None if self.handing.own_token => self.space.arrange_conference(names),
            None => {
                let sid = uuid::Uuid::new_v4().to_string();
                self.space.arrange_conference_for(Credentials::new(sid, USER.1), names)
            }
        };
        let account = &arranged.credentials.project_id;
        if !ledger.made.contains(account) {
            ledger.made.push(account.clone());
        }
        arranged
    }
}

impl wiremock::Respond for Setup {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        let path: Vec<&str> = req.url.path().trim_start_matches("/setup/").split('/').collect();
        let ask: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
        let mut ledger = self.ledger.lock().unwrap();
        match (req.method.as_str(), path.as_slice()) {
            ("DELETE", ["accounts", sid]) => {
                ledger.deleted.push(sid.to_string());
                self.space.release(sid);
                ResponseTemplate::new(204)
            }
            ("POST", ["conferences", conference, "complete"]) => {
                let account = ask["account_sid"].as_str().unwrap_or_default();
                self.space.complete_conference(account, conference);
                ResponseTemplate::new(204)
            }
            ("POST", ["conferences"]) => {
                let names: Vec<&str> = ask["participants"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|n| n.as_str()).collect())
                    .unwrap_or_default();
                let arranged = match ask["account_sid"].as_str() {
                    Some(_) if self.handing.second_fails => return ResponseTemplate::new(500),
                    Some(account) => self.space.arrange_conference_in(account, &names),
                    None => Some(self.first(&names, &mut ledger)),
                };
                let Some(arranged) = arranged else {
                    return ResponseTemplate::new(404);
                };
                let participants: serde_json::Map<String, serde_json::Value> = arranged
                    .participants
                    .iter()
                    .map(|(n, s)| (n.clone(), serde_json::Value::from(s.as_str())))
                    .collect();
                let mut answer = serde_json::json!({
                    "account_sid": arranged.credentials.project_id,
                    "conference_sid": arranged.conference_sid,
                    "participants": participants,
                });
                if self.handing.own_token {
                    answer["api_token"] = serde_json::Value::from(arranged.credentials.token.expose());
                }
                ResponseTemplate::new(201).set_body_json(answer)
            }
            _ => ResponseTemplate::new(404),
        }
    }
}

impl Setup {
    /// A space and the endpoint in front of it.
    async fn start(handing: Handing) -> (Self, MockServer) {
        let setup = Setup {
            space: std::sync::Arc::new(laml_conformance::sim::Sim::start().await.unwrap()),
            handing,
            ledger: Default::default(),
        };
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(setup.clone()).mount(&server).await;
        (setup, server)
    }

    /// `explore` against the space, arranged through this endpoint, with the user's
    /// credentials in the environment.
    async fn explore(&self, server: &MockServer) -> std::process::Output {
        let (target, setup_url) = (self.space.base_url(), format!("{}/setup", server.uri()));
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_laml-conformance"))
                .args(["explore", "--target", &target, "--setup-url", &setup_url])
                .args(["--steps", "150", "--seed", "1"])
                .env("LAML_PROJECT_ID", USER.0)
                .env("LAML_API_TOKEN", USER.1)
                .env_remove("LAML_PROFILE")
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    }
}

/// A setup endpoint that hands out the user's own account, or one account of its own for
/// everything, or fresh accounts without a token of their own (the user's opens them):
/// `explore` gives none of them back, since each is the user's or holds the next sequence's
/// conference. One that hands out a few accounts in turn has the first given back, and no
/// other once it comes again.
#[tokio::test]
async fn explore_gives_back_no_account_that_is_not_its_own() {
    for (pool, own_token, given) in [
        (&[USER][..], false, &[][..]),
        (&[ONE][..], true, &[][..]),
        (&[][..], false, &[][..]),
        (&[ONE, TWO][..], true, &[TWO.0][..]),
    ] {
        let handing = Handing {
            pool,
            own_token,
            second_fails: false,
        };
        let (setup, server) = Setup::start(handing).await;
        let o = setup.explore(&server).await;
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let ledger = setup.ledger.lock().unwrap();
        assert_eq!(
            ledger.deleted,
            given,
            "{} accounts in turn, own token {own_token}",
            pool.len()
        );
        assert!(ledger.arranged > 2, "{out}");
        assert_eq!(o.status.code(), Some(0), "{out}");
    }
}

/// A sequence that ends in an error (here a second conference the setup endpoint refuses)
/// gives its account back all the same, as every sequence before it did.
#[tokio::test]
async fn explore_gives_back_the_account_of_a_sequence_that_failed() {
    let handing = Handing {
        pool: &[],
        own_token: true,
        second_fails: true,
    };
    let (setup, server) = Setup::start(handing).await;
    let o = setup.explore(&server).await;
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("it answered 500"), "{err}");
    let ledger = setup.ledger.lock().unwrap();
    assert!(
        ledger.made.len() > 1,
        "the first sequence needed a second conference: choose another seed"
    );
    // sequences side by side give their accounts back in the order they end
    let sorted = |accounts: &[String]| {
        let mut accounts = accounts.to_vec();
        accounts.sort();
        accounts
    };
    assert_eq!(sorted(&ledger.deleted), sorted(&ledger.made));
}
