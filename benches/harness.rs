//! What the harness costs, measured against the floor: `cargo bench --bench harness`.
//!
//! 1. Per exchange: the same requests (a retrieve, then an update) to the same in-process
//!    simulated space, sent by a bare reqwest loop and by the harness (its client, the
//!    normaliser, the comparison with the committed resource snapshot, the date bounds and the
//!    failure report). The ratio is the harness's overhead; the target is at most 2×.
//! 2. A generated `Scenario Outline` of 100 and of 1,000 rows, run by the release binary
//!    against the embedded space: the wall time must grow linearly (1,000 rows under 2 s).
//! 3. `serve`'s throughput: updates per second from 32 concurrent connections for a few
//!    seconds, with the 99th percentile of the latency.
//!
//! Figures go to BENCHMARKS.md by hand, with the machine they were taken on. Nothing here
//! asserts a time: speed is measured, not tested.

use std::time::{Duration, Instant};

use laml_conformance::check::{self, dates, shape, snapshot};
use laml_conformance::client::{ApiClient, ParticipantRef, ParticipantUpdate};
use laml_conformance::sim::Sim;
use laml_conformance::spec::{Dialect, Profile, wire};

const EXCHANGES: usize = 2_000;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// A space in process, a conference of `names`, and the first participant: where it is, its
/// URL and the `Authorization` header that reaches it.
struct Agent {
    sim: Sim,
    conf: laml_conformance::setup::ArrangedConference,
    who: ParticipantRef,
    url: String,
    auth: String,
}

async fn agent(names: &[&str]) -> Agent {
    let sim = Sim::start().await.expect("the simulated space starts");
    let conf = sim.arrange_conference(names);
    let who = ParticipantRef {
        account_sid: conf.credentials.project_id.clone(),
        conference_sid: conf.conference_sid.clone(),
        call_sid: conf.participants[0].1.clone(),
    };
    let url = format!("{}{}", sim.base_url(), who.path(Dialect::SignalWire));
    let auth = wire::basic_header(&conf.credentials.project_id, conf.credentials.token.expose());
    Agent {
        sim,
        conf,
        who,
        url,
        auth,
    }
}

async fn per_exchange() {
    let Agent {
        sim,
        conf,
        who,
        url,
        auth,
    } = agent(&["agent", "supervisor"]).await;
    let bare = reqwest::Client::new();
    let client = ApiClient::new(
        &sim.base_url(),
        Dialect::SignalWire,
        Some(conf.credentials.clone()),
        Duration::from_secs(5),
    );
    let subject = shape::Subject {
        who: who.clone(),
        dialect: Dialect::SignalWire,
        others: vec![conf.participants[1].1.clone()],
        profile: Profile::seed(),
    };
    let expected = snapshot::committed(snapshot::RESOURCE).expect("the resource snapshot");
    let (mut floor, mut harness) = (Vec::new(), Vec::new());
    for round in 0..5 {
        let t = Instant::now();
        for i in 0..EXCHANGES {
            let before = bare.get(&url).header("authorization", &auth).send().await.unwrap();
            let _ = before.bytes().await.unwrap();
            let body = format!("Muted={}", i.is_multiple_of(2));
            let after = bare
                .post(&url)
                .header("authorization", &auth)
                .header("content-type", wire::FORM)
                .body(body)
                .send()
                .await
                .unwrap();
            let _ = after.bytes().await.unwrap();
        }
        floor.push(t.elapsed() / EXCHANGES as u32);
        let t = Instant::now();
        for i in 0..EXCHANGES {
            let before = client.retrieve_participant(&who).await.unwrap();
            let before_body = before.json().unwrap();
            let sent_here = time::OffsetDateTime::now_utc();
            let update = ParticipantUpdate::new().param("Muted", if i.is_multiple_of(2) { "true" } else { "false" });
            let exchange = client.update_participant(&who, &update).await.unwrap();
            let body = exchange.json().unwrap();
            let mut deviations: Vec<check::Deviation> = check::check_json_content_type(exchange.header("content-type"))
                .err()
                .into_iter()
                .collect();
            deviations.extend(check::compare(
                &expected,
                &shape::resource(&shape::normalise(&body, &subject), Profile::seed()),
                check::Scope::Exact,
            ));
            let window = match (before.server_date(), exchange.server_date()) {
                (Some(s), Some(a)) => dates::Window::new(s, a),
                _ => dates::Window::new(sent_here, time::OffsetDateTime::now_utc()),
            };
            deviations.extend(
                dates::check_dates(&before_body, &body, window)
                    .err()
                    .unwrap_or_default(),
            );
            let text = laml_conformance::failure::Failure::deviating("the response differs", deviations.clone())
                .with_exchange(&exchange)
                .to_string();
            assert!(deviations.is_empty(), "the healthy space deviates: {text}");
        }
        harness.push(t.elapsed() / EXCHANGES as u32);
        if round == 0 {
            floor.clear();
            harness.clear(); // the first round warms up
        }
    }
    let (f, h) = (median(floor), median(harness));
    println!(
        "per exchange (a retrieve and an update, median of 4 rounds of {EXCHANGES}): bare reqwest {f:?}, harness {h:?}, ratio {:.2}×",
        h.as_secs_f64() / f.as_secs_f64()
    );
}

fn outline(rows: usize) -> Duration {
    let dir = std::env::temp_dir().join(format!("laml-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("outline-{rows}.feature"));
    let mut text = String::from(
        "Feature: A generated outline\n\n  Background:\n    Given a conference with participants \"agent\" and \"customer\"\n\n  Scenario Outline: Muted is <value> in row <row>\n    When \"agent\" is updated with:\n      | Muted | <value> |\n    Then the update succeeds\n    And \"agent\" is otherwise unchanged\n    And a retrieve of \"agent\" shows the same participant\n\n    Examples:\n      | row | value |\n",
    );
    for row in 0..rows {
        text.push_str(&format!(
            "      | {row} | {} |\n",
            if row.is_multiple_of(2) { "true" } else { "false" }
        ));
    }
    std::fs::write(&file, text).unwrap();
    let exe = env!("CARGO_MANIFEST_DIR").to_string() + "/target/release/laml-conformance";
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let o = std::process::Command::new(&exe)
            .args(["--target", "embedded", "--features"])
            .arg(&file)
            .output()
            .expect("build the release binary first: cargo build --release");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
        times.push(t.elapsed());
    }
    std::fs::remove_dir_all(&dir).ok();
    median(times)
}

async fn serve_throughput() {
    let Agent {
        sim: _sim, url, auth, ..
    } = agent(&["agent"]).await;
    let http = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(5);
    let workers = (0..32).map(|_| {
        let (http, url, auth) = (http.clone(), url.clone(), auth.clone());
        async move {
            let mut latencies = Vec::new();
            while Instant::now() < until {
                let t = Instant::now();
                let r = http
                    .post(&url)
                    .header("authorization", &auth)
                    .header("content-type", wire::FORM)
                    .body("Muted=true")
                    .send()
                    .await
                    .unwrap();
                let _ = r.bytes().await.unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }
    });
    let mut all: Vec<Duration> = futures::future::join_all(workers).await.into_iter().flatten().collect();
    all.sort();
    let p99 = all[all.len() * 99 / 100];
    println!(
        "the simulated space, 32 connections for 5 s: {:.0} updates/s, p99 {p99:?} (client and server on one runtime thread here; serve under wrk runs apart)",
        all.len() as f64 / 5.0
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench --list
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(per_exchange());
    let (hundred, thousand) = (outline(100), outline(1_000));
    println!(
        "a generated Scenario Outline, release binary, embedded space (median of 3): 100 rows {hundred:?}, 1,000 rows {thousand:?}, ratio {:.1}",
        thousand.as_secs_f64() / hundred.as_secs_f64()
    );
    rt.block_on(serve_throughput());
}
