//! `serve` lives for hours: what a client sends cannot make it grow. Its memory stays flat over
//! many requests (the journal is bounded, nothing else keeps a request), a body over the limit
//! is refused with 413 and the documented error body, and a connection that sends nothing is
//! closed.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::Serve;

fn serve() -> Serve {
    Serve::start(&[])
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn memory_stays_flat_over_many_requests() {
    let s = serve();
    let var = |k: &str| s.var(k);
    let agent = s.participant("agent");
    let url = format!(
        "{}/api/laml/2010-04-01/Accounts/{}/Conferences/{}/Participants/{agent}.json",
        s.base,
        var("LAML_PROJECT_ID"),
        var("LAML_CONFERENCE_SID")
    );
    let http = reqwest::Client::new();
    let send = |i: usize| {
        http.post(&url)
            .basic_auth(var("LAML_PROJECT_ID"), Some(var("LAML_API_TOKEN")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(if i.is_multiple_of(2) {
                "Muted=true"
            } else {
                "Muted=false"
            })
            .send()
    };
    for i in 0..2_000 {
        assert_eq!(send(i).await.unwrap().status(), 200);
    }
    let warm = rss_kib(s.child.id());
    for i in 0..10_000 {
        let r = send(i).await.unwrap();
        assert_eq!(r.status(), 200);
        let _ = r.bytes().await;
    }
    let after = rss_kib(s.child.id());
    assert!(warm > 0, "no VmRSS to read");
    assert!(
        after < warm + 4 * 1024,
        "serve grew from {warm} KiB to {after} KiB over 10,000 updates"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413_and_the_documented_error_body() {
    let s = serve();
    let r = reqwest::Client::new()
        .post(format!(
            "{}/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p.json",
            s.base
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; laml_conformance::sim::server::MAX_BODY + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: serde_json::Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(body["status"], 413, "{body}");
    for key in ["code", "message", "more_info"] {
        assert!(body.get(key).is_some(), "{key} missing: {body}");
    }
}

#[test]
fn a_connection_that_sends_nothing_is_closed() {
    let s = serve();
    let addr = s.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(b"GET /api").unwrap();
    let mut buf = Vec::new();
    let closed = stream.read_to_end(&mut buf).is_ok();
    assert!(closed, "the connection was still open after 20 s");
}

/// What serve answers to raw bytes on a fresh connection: its status line and its JSON body.
fn raw_answer(s: &Serve, request: &[u8]) -> (String, serde_json::Value) {
    let mut stream = std::net::TcpStream::connect(s.base.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: not a JSON body: {answer}"));
    (head.lines().next().unwrap_or_default().to_string(), body)
}

#[test]
fn the_framework_s_own_refusals_carry_the_documented_error_body() {
    let s = serve();
    let huge_header = [
        &b"GET / HTTP/1.1\r\nHost: x\r\nX-Padding: "[..],
        &vec![b'a'; laml_conformance::sim::server::MAX_HEAD],
        b"\r\n\r\n",
    ]
    .concat();
    for (request, status) in [
        (&b"NOT HTTP AT ALL\r\n\r\n"[..], 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n", 400),
        (&huge_header, 431),
    ] {
        let (line, body) = raw_answer(&s, request);
        assert!(line.starts_with(&format!("HTTP/1.1 {status} ")), "{line}");
        assert_eq!(body["status"], status, "{body}");
        assert_eq!(body["code"], 10000, "{body}");
        for key in ["message", "more_info"] {
            assert!(body[key].as_str().is_some_and(|v| !v.is_empty()), "{key}: {body}");
        }
    }
}

#[test]
fn connections_beyond_the_cap_wait_until_one_closes() {
    let s = serve();
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut idle: Vec<std::net::TcpStream> = (0..laml_conformance::sim::server::MAX_CONNECTIONS)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300)); // every idle one accepted
    let mut late = std::net::TcpStream::connect(&addr).unwrap();
    late.write_all(b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    late.set_read_timeout(Some(Duration::from_millis(700))).unwrap();
    let mut first = [0u8; 12];
    assert!(late.read_exact(&mut first).is_err(), "served beyond the cap");
    idle.pop(); // one closes: its slot goes to the one waiting
    late.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    late.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 404");
}
