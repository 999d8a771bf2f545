//! A hostile soak of `serve`, out of process: shared by `cargo bench --bench serve_hostile`
//! (a million requests, figures for BENCHMARKS.md) and `tests/serve_hostile.rs` (ten thousand,
//! checking the bounds, never the times).
//!
//! The load mixes, per hundred requests: junk bodies of 64 KiB (`x&x&…`) without credentials
//! (4) and with them (1); one account's valid credentials on another account's path, existing
//! or not (10); HEAD (10); requests with no Host (5); setup floods of 100 participants each,
//! which fill the space's budget and are then refused with 503 (1); lists (4); and updates
//! (65). Beside it, connections that send their head a byte at a time, and connections that
//! send a head and part of a body and then nothing, are held open and reopened as serve
//! closes them. A minimal HTTP/1.1 client over raw sockets sends it all, as `wrk` would.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::Serve;

/// What a soak saw.
#[derive(Debug)]
pub struct Soak {
    /// Requests answered.
    pub answered: usize,
    /// Requests whose connection broke before an answer.
    pub broken: usize,
    /// Answers with another status than the one the request must get, with an example.
    pub wrong: Vec<String>,
    /// 5xx answers other than the setup endpoint's 503 past the budget.
    pub server_errors: usize,
    /// The setup endpoint's 503s past the budget, each with its `Retry-After`.
    pub budget_refusals: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// 50th and 99th percentile of a request's time.
    pub p50: Duration,
    /// See `p50`.
    pub p99: Duration,
    /// serve's resident memory before, after, and at its peak (`VmHWM`), in KiB.
    pub rss_before: u64,
    /// See `rss_before`.
    pub rss_after: u64,
    /// See `rss_before`.
    pub rss_peak: u64,
    /// Whether serve still answered right afterwards: an update shown by a retrieve, and the
    /// journal of an account showing that account's requests only.
    pub still_right: Result<(), String>,
}

pub fn rss_kib(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// One account of the soak: its Basic header and a participant's and its list's paths.
#[derive(Clone)]
struct Account {
    sid: String,
    auth: String,
    participant: String,
    list: String,
}

const PREFIX: &str = "/api/laml/2010-04-01";

async fn setup(addr: &str, names: usize) -> (u16, Option<serde_json::Value>, Option<u64>) {
    let names: Vec<String> = (0..names).map(|i| format!("p{i}")).collect();
    let body = serde_json::json!({ "participants": names }).to_string();
    let request = format!(
        "POST /__laml/setup/conferences HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut conn = Conn::new(addr);
    match conn.exchange(request.as_bytes()).await {
        Some((status, head, body)) => (
            status,
            serde_json::from_slice(&body).ok(),
            head.lines()
                .find_map(|l| l.strip_prefix("retry-after:"))
                .and_then(|v| v.trim().parse().ok()),
        ),
        None => (0, None, None),
    }
}

async fn account(addr: &str) -> Account {
    let (status, body, _) = setup(addr, 3).await;
    assert_eq!(status, 201, "setup of a soak account");
    let a = body.unwrap();
    let sid = a["account_sid"].as_str().unwrap().to_string();
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{sid}:{}", a["api_token"].as_str().unwrap()));
    let list = format!(
        "{PREFIX}/Accounts/{sid}/Conferences/{}/Participants",
        a["conference_sid"].as_str().unwrap()
    );
    Account {
        participant: format!("{list}/{}.json", a["participants"]["p0"].as_str().unwrap()),
        list: format!("{list}.json"),
        sid,
        auth: format!("Basic {auth}"),
    }
}

fn request(method: &str, path: &str, host: bool, auth: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut r = format!("{method} {path} HTTP/1.1\r\n");
    if host {
        r.push_str("Host: soak\r\n");
    }
    if let Some(auth) = auth {
        r.push_str(&format!("Authorization: {auth}\r\n"));
    }
    r.push_str(&format!(
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    let mut r = r.into_bytes();
    r.extend_from_slice(body);
    r
}

/// The `i`-th request of the mix from a worker of `me` (another account is `other`), and the
/// status it must get; `None` for a setup, which gets 201 until the budget is full, then 503.
fn mixed(i: usize, me: &Account, other: &Account, junk: &[u8]) -> (Vec<u8>, Option<u16>) {
    let nowhere = other.participant.replace(&other.sid, &format!("AC{:032x}", i));
    match i % 100 {
        0..4 => (request("POST", &other.participant, true, None, junk), Some(401)),
        4 => (request("POST", &me.participant, true, Some(&me.auth), junk), Some(400)),
        5..10 => (
            request("POST", &other.participant, true, Some(&me.auth), b"Muted=true"),
            Some(401),
        ),
        10..15 => (
            request("POST", &nowhere, true, Some(&me.auth), b"Muted=true"),
            Some(401),
        ),
        15..25 => (request("HEAD", &me.participant, true, Some(&me.auth), b""), Some(200)),
        25..30 => (request("GET", &me.participant, false, Some(&me.auth), b""), Some(400)),
        30 => {
            let names: Vec<String> = (0..100).map(|n| format!("p{n}")).collect();
            let body = serde_json::json!({ "participants": names }).to_string();
            (
                request("POST", "/__laml/setup/conferences", true, None, body.as_bytes()),
                None,
            )
        }
        31..35 => (request("GET", &me.list, true, Some(&me.auth), b""), Some(200)),
        n => {
            let body: &[u8] = if n % 2 == 0 { b"Muted=true" } else { b"Muted=false" };
            (request("POST", &me.participant, true, Some(&me.auth), body), Some(200))
        }
    }
}

/// One keep-alive connection: a request written, its answer read by `Content-Length` (none
/// after a HEAD); reconnects after an answer that closes the connection.
struct Conn {
    addr: String,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_string(),
            stream: None,
            buf: Vec::with_capacity(8192),
        }
    }

    /// The status, the lowercase head and the body, or `None` if the connection broke.
    async fn exchange(&mut self, request: &[u8]) -> Option<(u16, String, Vec<u8>)> {
        if self.stream.is_none() {
            let s = TcpStream::connect(&self.addr).await.ok()?;
            s.set_nodelay(true).ok()?;
            self.stream = Some(s);
        }
        let head_request = request.starts_with(b"HEAD ");
        let stream = self.stream.as_mut()?;
        let sent = stream.write_all(request).await;
        self.buf.clear();
        let answer = async {
            loop {
                let mut chunk = [0u8; 8192];
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                self.buf.extend_from_slice(&chunk[..n]);
                if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = std::str::from_utf8(&self.buf[..end]).ok()?.to_ascii_lowercase();
                    let length: usize = if head_request {
                        0
                    } else {
                        head.lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0)
                    };
                    if self.buf.len() >= end + 4 + length {
                        let status = head.get(9..12)?.parse().ok()?;
                        let body = self.buf[end + 4..end + 4 + length].to_vec();
                        return Some((status, head, body));
                    }
                }
            }
        }
        .await;
        match (sent, answer) {
            (_, Some((status, head, body))) => {
                if head.contains("connection: close") {
                    self.stream = None;
                }
                Some((status, head, body))
            }
            _ => {
                self.stream = None;
                None
            }
        }
    }
}

/// Connections that send their head a byte every `pace`, and connections that send a head
/// announcing a body and then part of it only; each reopened when serve closes it, until
/// `stop`.
fn hold_slow_connections(
    addr: &str,
    each: usize,
    pace: Duration,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    for k in 0..2 * each {
        let (addr, stop) = (addr.to_string(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let Ok(mut s) = TcpStream::connect(&addr).await else {
                    tokio::time::sleep(pace).await;
                    continue;
                };
                if k % 2 == 0 {
                    // slow head: a byte at a time, never finished
                    for b in b"GET /api/laml/2010-04-01/Accounts/AC/Conferences/CF/Participants.json HTTP/1.1\r\nHost: slow\r\nX-Slow: ".iter().cycle() {
                        if stop.load(Ordering::Relaxed) || s.write_all(&[*b]).await.is_err() {
                            break;
                        }
                        tokio::time::sleep(pace).await;
                    }
                } else {
                    // half open: a head and part of its body, then silence until serve gives up
                    let _ = s
                        .write_all(b"POST /api/laml/2010-04-01/Accounts/AC/Conferences/CF/Participants/CA.json HTTP/1.1\r\nHost: half\r\nContent-Length: 1000\r\n\r\nMuted=")
                        .await;
                    let mut sink = [0u8; 1024];
                    while !stop.load(Ordering::Relaxed) {
                        match tokio::time::timeout(pace, s.read(&mut sink)).await {
                            Ok(Ok(0)) | Ok(Err(_)) => break,
                            _ => {}
                        }
                    }
                }
            }
        }));
    }
    tasks
}

/// Drives `requests` requests of the mix at `serve` from `connections` keep-alive connections,
/// with `slow` slow-head and `slow` half-open connections held beside them.
pub async fn soak(serve: &Serve, requests: usize, connections: usize, slow: usize) -> Soak {
    let pid = serve.child.id();
    let addr = serve.base.trim_start_matches("http://").to_string();
    let mut accounts = Vec::new();
    for _ in 0..8 {
        accounts.push(account(&addr).await);
    }
    let accounts = Arc::new(accounts);
    let rss_before = rss_kib(pid, "VmRSS:");
    let stop = Arc::new(AtomicBool::new(false));
    let holders = hold_slow_connections(&addr, slow, Duration::from_millis(500), stop.clone());
    let junk: Arc<Vec<u8>> = Arc::new(b"x&".iter().copied().cycle().take(64 * 1024 - 2).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let budget_refusals = Arc::new(AtomicUsize::new(0));
    let server_errors = Arc::new(AtomicUsize::new(0));
    let broken = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicU64::new(rss_before));
    let sampler = {
        let (stop, peak) = (stop.clone(), peak.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid, "VmRSS:"), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|w| {
            let (accounts, addr, junk, next) = (accounts.clone(), addr.clone(), junk.clone(), next.clone());
            let (budget_refusals, server_errors, broken) =
                (budget_refusals.clone(), server_errors.clone(), broken.clone());
            tokio::spawn(async move {
                let me = &accounts[w % accounts.len()];
                let other = &accounts[(w + 1) % accounts.len()];
                let mut conn = Conn::new(&addr);
                let (mut latencies, mut wrong) = (Vec::new(), Vec::new());
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let (request, want) = mixed(i, me, other, &junk);
                    let t = Instant::now();
                    let Some((status, head, _)) = conn.exchange(&request).await else {
                        broken.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    latencies.push(t.elapsed());
                    match want {
                        None if status == 503 && head.contains("retry-after:") => {
                            budget_refusals.fetch_add(1, Ordering::Relaxed);
                        }
                        None if status == 201 => {}
                        _ if status >= 500 => {
                            server_errors.fetch_add(1, Ordering::Relaxed);
                        }
                        Some(want) if want == status => {}
                        _ => {
                            if wrong.len() < 5 {
                                wrong.push(format!(
                                    "request {i} ({} …): {status}, expected {want:?}",
                                    String::from_utf8_lossy(&request[..request.len().min(60)])
                                ));
                            }
                        }
                    }
                }
                (latencies, wrong)
            })
        })
        .collect();
    let (mut latencies, mut wrong) = (Vec::new(), Vec::new());
    for w in workers {
        let (l, x) = w.await.unwrap();
        latencies.extend(l);
        wrong.extend(x);
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for h in holders {
        h.abort();
    }
    let _ = sampler.await;
    latencies.sort();
    let at = |q: usize| {
        latencies
            .get((latencies.len() * q / 100).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let still_right = still_right(&addr, &accounts[0], &accounts[1]).await;
    let rss_peak = rss_kib(pid, "VmHWM:").max(peak.load(Ordering::Relaxed));
    Soak {
        answered: latencies.len(),
        broken: broken.load(Ordering::Relaxed),
        wrong,
        server_errors: server_errors.load(Ordering::Relaxed),
        budget_refusals: budget_refusals.load(Ordering::Relaxed),
        elapsed,
        p50: at(50),
        p99: at(99),
        rss_before,
        rss_after: rss_kib(pid, "VmRSS:"),
        rss_peak,
        still_right,
    }
}

/// After the soak: an update is shown by a retrieve, HEAD still answers, and `a`'s journal
/// holds `a`'s requests only, the last of them the update.
async fn still_right(addr: &str, a: &Account, b: &Account) -> Result<(), String> {
    let mut conn = Conn::new(addr);
    let mut ask = async |r: Vec<u8>| conn.exchange(&r).await.ok_or("the connection broke".to_string());
    for muted in ["true", "false"] {
        let (status, _, body) = ask(request(
            "POST",
            &a.participant,
            true,
            Some(&a.auth),
            format!("Muted={muted}").as_bytes(),
        ))
        .await?;
        let (get, _, shown) = ask(request("GET", &a.participant, true, Some(&a.auth), b"")).await?;
        let shown: serde_json::Value = serde_json::from_slice(&shown).map_err(|e| e.to_string())?;
        if (status, get, shown["muted"].to_string()) != (200, 200, muted.to_string()) {
            return Err(format!(
                "update Muted={muted}: {status} {}; retrieve {get}: {shown}",
                String::from_utf8_lossy(&body)
            ));
        }
    }
    let (status, _, journal) = ask(request("GET", "/__laml/journal", true, Some(&a.auth), b"")).await?;
    let journal: serde_json::Value = serde_json::from_slice(&journal).map_err(|e| e.to_string())?;
    let entries = journal["requests"].as_array().cloned().unwrap_or_default();
    let foreign = entries.iter().filter(|e| e["account"] != a.sid.as_str()).count();
    let last = entries.last().map(|e| e["method"].clone());
    if status != 200 || foreign > 0 || entries.is_empty() || last != Some("GET".into()) {
        return Err(format!(
            "journal of {}: status {status}, {} entries, {foreign} of another account",
            a.sid,
            entries.len()
        ));
    }
    let (status, _, _) = ask(request("GET", &a.participant, true, Some(&b.auth), b"")).await?;
    if status != 401 {
        return Err(format!("{}'s credentials on {}'s path: {status}", b.sid, a.sid));
    }
    Ok(())
}

impl std::fmt::Display for Soak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} answered in {:.1} s ({:.0}/s), p50 {:?}, p99 {:?}; {} broken, {} wrong, {} 5xx, {} setups refused past the budget (503, Retry-After); VmRSS {} KiB before, {} KiB after, peak {} KiB; afterwards {}",
            self.answered,
            self.elapsed.as_secs_f64(),
            self.answered as f64 / self.elapsed.as_secs_f64(),
            self.p50,
            self.p99,
            self.broken,
            self.wrong.len(),
            self.server_errors,
            self.budget_refusals,
            self.rss_before,
            self.rss_after,
            self.rss_peak,
            match &self.still_right {
                Ok(()) => "still right".to_string(),
                Err(e) => format!("WRONG: {e}"),
            }
        )
    }
}
