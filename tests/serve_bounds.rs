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

/// serve's own conference: the account's Basic header and a participant's path.
fn own(s: &Serve) -> (String, String, String) {
    use base64::Engine as _;
    let account = s.var("LAML_PROJECT_ID");
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{account}:{}", s.var("LAML_API_TOKEN")));
    let list = format!(
        "/api/laml/2010-04-01/Accounts/{account}/Conferences/{}/Participants",
        s.var("LAML_CONFERENCE_SID")
    );
    let participant = format!("{list}/{}.json", s.participant("agent"));
    (format!("Basic {auth}"), participant, format!("{list}.json"))
}

/// serve's whole answer to raw bytes on a fresh connection: its head and its body.
fn raw(s: &Serve, request: &[u8]) -> (String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(s.base.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head: {}", String::from_utf8_lossy(&answer)));
    (
        String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase(),
        answer[end + 4..].to_vec(),
    )
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")))
}

#[test]
fn head_answers_as_get_does_without_a_body() {
    let s = serve();
    let (auth, participant, list) = own(&s);
    for path in [&participant, &list] {
        let ask = |method: &str| {
            raw(
                &s,
                format!("{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
        };
        let (get_head, get_body) = ask("GET");
        let (head_head, head_body) = ask("HEAD");
        assert!(head_head.starts_with("http/1.1 200"), "{head_head}");
        assert!(
            head_body.is_empty(),
            "HEAD sent a body: {}",
            String::from_utf8_lossy(&head_body)
        );
        assert_eq!(
            header(&head_head, "content-length"),
            Some(get_body.len().to_string().as_str())
        );
        assert_eq!(header(&head_head, "content-type"), header(&get_head, "content-type"));
    }
}

#[test]
fn a_401_names_the_basic_scheme_and_its_realm() {
    let s = serve();
    let (_, participant, _) = own(&s);
    for auth in ["", "Authorization: Basic bm90OnRoZW0=\r\n"] {
        let (head, body) = raw(
            &s,
            format!("POST {participant} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\nContent-Length: 0\r\n\r\n")
                .as_bytes(),
        );
        assert!(head.starts_with("http/1.1 401"), "{head}");
        let challenge = header(&head, "www-authenticate").unwrap_or_else(|| panic!("no challenge: {head}"));
        assert!(challenge.starts_with("basic realm=\""), "{challenge}");
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["code"], 20003, "{body}");
    }
}

#[test]
fn a_request_without_a_host_or_with_two_is_refused_with_the_error_body() {
    let s = serve();
    let (auth, participant, _) = own(&s);
    for hosts in ["", "Host: x\r\nHost: y\r\n"] {
        let (head, body) = raw(
            &s,
            format!("GET {participant} HTTP/1.1\r\n{hosts}Authorization: {auth}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert!(head.starts_with("http/1.1 400"), "hosts {hosts:?}: {head}");
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            (body["code"].as_u64(), body["status"].as_u64()),
            (Some(10000), Some(400)),
            "{body}"
        );
    }
    // HTTP/1.0 has no Host to require
    let (head, _) = raw(
        &s,
        format!("GET {participant} HTTP/1.0\r\nAuthorization: {auth}\r\n\r\n").as_bytes(),
    );
    assert!(
        head.starts_with("http/1.1 200") || head.starts_with("http/1.0 200"),
        "{head}"
    );
}

#[test]
fn the_http2_preface_gets_the_documented_refusal() {
    let s = serve();
    let (line, body) = raw_answer(
        &s,
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04\x00\x00\x00\x00\x00",
    );
    assert!(line.starts_with("HTTP/1.1 400 "), "{line}");
    assert_eq!(
        (body["code"].as_u64(), body["status"].as_u64()),
        (Some(10000), Some(400)),
        "{body}"
    );
    assert!(body["message"].as_str().is_some_and(|m| m.contains("HTTP/2")), "{body}");
}

#[test]
fn a_page_beyond_int32_is_refused_and_a_percent_encoded_sid_is_found() {
    let s = serve();
    let (auth, participant, list) = own(&s);
    let get = |path: &str| {
        raw(
            &s,
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    for page in ["2147483648", "18446744073709551615", "-1"] {
        let (head, body) = get(&format!("{list}?Page={page}"));
        assert!(head.starts_with("http/1.1 400"), "Page={page}: {head}");
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["code"], 10000, "{body}");
    }
    let (head, _) = get(&format!("{list}?Page=2147483647"));
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let sid = s.participant("agent");
    let encoded: String = sid.bytes().map(|b| format!("%{b:02X}")).collect();
    let (head, body) = get(&participant.replace(&sid, &encoded));
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["call_sid"], sid.as_str(), "{body}");
}

/// Setup floods fill the budget and are then refused with 503, the documented error body and
/// a `Retry-After`; no account in use is forgotten for them, so every one still answers.
#[tokio::test]
async fn setup_past_the_budget_is_refused_with_503_and_forgets_no_account_in_use() {
    use laml_conformance::sim::state::SPACE_BUDGET;
    let s = serve();
    let (auth, participant, _) = own(&s);
    let http = reqwest::Client::new();
    let names: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
    let arrange = || {
        http.post(format!("{}/__laml/setup/conferences", s.base))
            .header("content-type", "application/json")
            .body(serde_json::json!({ "participants": names }).to_string())
            .send()
    };
    let mut made = Vec::new();
    let refused = loop {
        let r = arrange().await.unwrap();
        if r.status() != 201 {
            break r;
        }
        made.push(serde_json::from_slice::<serde_json::Value>(&r.bytes().await.unwrap()).unwrap());
        assert!(made.len() <= SPACE_BUDGET / 100, "no refusal past the budget");
    };
    assert!(
        made.len() >= SPACE_BUDGET / 102 - 1,
        "refused early, after {}",
        made.len()
    );
    assert_eq!(refused.status(), 503);
    let retry: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=600).contains(&retry), "{retry}");
    let body: serde_json::Value = serde_json::from_slice(&refused.bytes().await.unwrap()).unwrap();
    assert_eq!(body["status"], 503, "{body}");
    for key in ["code", "message", "more_info"] {
        assert!(body.get(key).is_some(), "{key} missing: {body}");
    }
    let first = &made[0];
    let r = http
        .get(format!(
            "{}/api/laml/2010-04-01/Accounts/{}/Conferences/{}/Participants/{}.json",
            s.base,
            first["account_sid"].as_str().unwrap(),
            first["conference_sid"].as_str().unwrap(),
            first["participants"]["p0"].as_str().unwrap()
        ))
        .basic_auth(first["account_sid"].as_str().unwrap(), first["api_token"].as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the first account was forgotten");
    let (head, _) = raw(
        &s,
        format!("GET {participant} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    assert!(head.starts_with("http/1.1 200"), "serve's own account: {head}");
    // An account given back (its own credentials only) frees its part of the budget.
    let (sid, token) = (first["account_sid"].as_str().unwrap(), first["api_token"].as_str());
    let release = |user: &str, token: Option<&str>| {
        let mut r = http.delete(format!("{}/__laml/setup/accounts/{sid}", s.base));
        if let Some(t) = token {
            r = r.basic_auth(user, Some(t));
        }
        r.send()
    };
    let other = &made[1];
    let refusals = [
        release(sid, None).await.unwrap().status(),
        release(other["account_sid"].as_str().unwrap(), other["api_token"].as_str())
            .await
            .unwrap()
            .status(),
    ];
    assert_eq!(refusals, [401, 401], "only the account's own credentials give it back");
    assert_eq!(release(sid, token).await.unwrap().status(), 204);
    let again = arrange().await.unwrap();
    assert_eq!(again.status(), 201, "the room it held is free");
    assert_eq!(release(sid, token).await.unwrap().status(), 401, "it is gone");
}

/// Answers read off `bytes` one after another by their `Content-Length`: status and body.
fn answers(mut bytes: &[u8]) -> Vec<(u16, serde_json::Value)> {
    let mut out = Vec::new();
    while let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
        let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
        let length: usize = header(&head, "content-length").map_or(0, |n| n.parse().unwrap());
        let status = head[9..12].parse().unwrap();
        let body = &bytes[end + 4..end + 4 + length];
        out.push((status, serde_json::from_slice(body).unwrap_or_default()));
        bytes = &bytes[end + 4 + length..];
    }
    out
}

/// Requests sent before any answer is read (pipelined, as `explore` sends them) are answered
/// in order, each seeing what the ones before it did, and a request hyper cannot read after
/// them still gets the documented error body, though its refusal goes out in the same write.
#[test]
fn pipelined_requests_are_answered_in_order_and_a_refusal_after_them_keeps_its_body() {
    let s = serve();
    let (auth, participant, _) = own(&s);
    let get = format!("GET {participant} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n\r\n");
    let mute = format!(
        "POST {participant} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\nMuted=true"
    );
    let batch = [get.as_str(), &mute, &get, "NOT HTTP AT ALL\r\n\r\n"].concat();
    let mut stream = std::net::TcpStream::connect(s.base.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(batch.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let answered = answers(&bytes);
    let seen: Vec<(u16, &serde_json::Value)> = answered.iter().map(|(s, b)| (*s, &b["muted"])).collect();
    assert_eq!(
        seen[..3],
        [(200, &false.into()), (200, &true.into()), (200, &true.into())],
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let (status, refusal) = &answered[3];
    assert_eq!(
        (*status, &refusal["code"], &refusal["status"]),
        (400, &10000.into(), &400.into())
    );
}
