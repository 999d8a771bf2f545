//! `serve` out of process, under load, as a CI job or a client library meets it:
//!
//! 1. throughput and latency: updates per second and their p50/p99 from 32 and from 50
//!    keep-alive connections, for a few seconds each;
//! 2. memory: resident memory (`VmRSS`, and the peak `VmHWM`) before and after a mixed load of
//!    `LAML_LOAD_REQUESTS` requests (default 1,000,000): updates, retrieves, lists, wrong
//!    tokens (401), unknown participants (404), and one request in a thousand with a 1 MiB body
//!    (413).
//!
//! The load comes from a minimal HTTP/1.1 client over raw sockets (a request written, its
//! answer read by `Content-Length`), so the client costs little of the 2 cores that serve
//! shares with it, as `wrk` would. Run: `cargo bench --bench serve_load`. Nothing is asserted:
//! the figures go to BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What the load sends: one serve, its account and a participant.
struct Load {
    addr: String,
    good: String,
    bad: String,
    participant: String,
    list: String,
    unknown: String,
}

impl Load {
    fn new(serve: &common::Serve) -> Load {
        let var = |k: &str| serve.var(k);
        let sid = serve.participant("agent");
        let (account, conference) = (var("LAML_PROJECT_ID"), var("LAML_CONFERENCE_SID"));
        let basic =
            |user: &str, token: &str| base64::engine::general_purpose::STANDARD.encode(format!("{user}:{token}"));
        let list = format!("/api/laml/2010-04-01/Accounts/{account}/Conferences/{conference}/Participants.json");
        Load {
            addr: serve.base.trim_start_matches("http://").to_string(),
            good: basic(&account, &var("LAML_API_TOKEN")),
            bad: basic(&account, "not-the-token"),
            participant: format!("{}/{sid}.json", list.trim_end_matches(".json")),
            unknown: format!("{}/nobody.json", list.trim_end_matches(".json")),
            list,
        }
    }

    /// The `i`-th request of the mixed load, and the status it must get.
    fn mixed(&self, i: usize, big: &[u8]) -> (Vec<u8>, u16) {
        match i % 1000 {
            0 => (self.request("POST", &self.participant, &self.good, big), 413),
            n if n % 10 == 1 => (self.request("POST", &self.participant, &self.bad, b"Muted=true"), 401),
            n if n % 10 == 2 => (self.request("POST", &self.unknown, &self.good, b"Muted=true"), 404),
            n if n % 10 == 3 => (self.request("GET", &self.participant, &self.good, b""), 200),
            n if n % 10 == 4 => (self.request("GET", &self.list, &self.good, b""), 200),
            n => (self.update(n), 200),
        }
    }

    fn update(&self, i: usize) -> Vec<u8> {
        let body: &[u8] = if i.is_multiple_of(2) {
            b"Muted=true"
        } else {
            b"Muted=false"
        };
        self.request("POST", &self.participant, &self.good, body)
    }

    fn request(&self, method: &str, path: &str, auth: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\nauthorization: Basic {auth}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n",
            self.addr,
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r
    }
}

/// One keep-alive connection: sends a request and reads its answer; reconnects after an answer
/// that closes the connection (413 does).
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

    /// The status of the answer, or `None` if the connection broke.
    async fn exchange(&mut self, request: &[u8]) -> Option<u16> {
        if self.stream.is_none() {
            let s = TcpStream::connect(&self.addr).await.ok()?;
            s.set_nodelay(true).ok()?;
            self.stream = Some(s);
        }
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
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if self.buf.len() >= end + 4 + length {
                        let status = head.get(9..12)?.parse().ok()?;
                        return Some((status, head.contains("connection: close")));
                    }
                }
            }
        }
        .await;
        match (sent, answer) {
            (_, Some((status, close))) => {
                if close {
                    self.stream = None;
                }
                Some(status)
            }
            _ => {
                self.stream = None;
                None
            }
        }
    }
}

fn rss_kib(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The CPU time (user and system, in clock ticks of 10 ms) a process has used so far: per
/// request, a figure that other load on the machine changes far less than the wall-clock rate.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // the fields after the command name, which is in parentheses and may hold spaces
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name and state
    let field = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    field(11) + field(12)
}

async fn throughput(load: &Arc<Load>, pid: u32, connections: usize, seconds: u64) {
    let ticks = cpu_ticks(pid);
    let until = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            let load = load.clone();
            tokio::spawn(async move {
                let mut conn = Conn::new(&load.addr);
                let mut latencies = Vec::new();
                let mut i = c;
                while Instant::now() < until {
                    let request = load.update(i);
                    let t = Instant::now();
                    assert_eq!(conn.exchange(&request).await, Some(200));
                    latencies.push(t.elapsed());
                    i += 1;
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    let at = |q: usize| all[(all.len() * q / 100).min(all.len() - 1)];
    let cpu_us = (cpu_ticks(pid) - ticks) as f64 * 10_000.0 / all.len() as f64;
    println!(
        "serve, {connections} connections for {seconds} s: {:.0} updates/s, p50 {:?}, p99 {:?}; serve's CPU {cpu_us:.1} µs per update",
        all.len() as f64 / seconds as f64,
        at(50),
        at(99)
    );
}

async fn memory(load: &Arc<Load>, pid: u32, requests: usize) {
    let before = rss_kib(pid, "VmRSS:");
    let next = Arc::new(AtomicUsize::new(0));
    let broken = Arc::new(AtomicUsize::new(0));
    let big = Arc::new(vec![b'a'; 1 << 20]);
    let started = Instant::now();
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let (load, next, broken, big) = (load.clone(), next.clone(), broken.clone(), big.clone());
            tokio::spawn(async move {
                let mut conn = Conn::new(&load.addr);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let (request, want) = load.mixed(i, &big);
                    match conn.exchange(&request).await {
                        Some(status) => assert_eq!(status, want, "request {i}"),
                        // a 1 MiB body may meet the connection closed after its 413
                        None => {
                            broken.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    println!(
        "serve, {requests} mixed requests (updates, retrieves, lists, 401s, 404s, a 1 MiB body in every 1,000) in {:.1} s: VmRSS {before} KiB before, {} KiB after, peak {} KiB; {} connections broken under a 1 MiB body",
        started.elapsed().as_secs_f64(),
        rss_kib(pid, "VmRSS:"),
        rss_kib(pid, "VmHWM:"),
        broken.load(Ordering::Relaxed)
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench --list
    }
    let requests = std::env::var("LAML_LOAD_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let serve = common::Serve::start(&[]);
    let load = Arc::new(Load::new(&serve));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        throughput(&load, serve.child.id(), 32, 5).await;
        throughput(&load, serve.child.id(), 50, 5).await;
        memory(&load, serve.child.id(), requests).await;
    });
    // stopped as a user stops it, so that a profiler wrapping it (LAML_SERVE_BIN) writes out
    serve.interrupt();
}
