//! `serve` out of process under a hostile soak of `LAML_HOSTILE_REQUESTS` requests (default
//! 1,000,000): junk 64 KiB bodies with and without credentials, one account's credentials on
//! other accounts' paths, HEAD, requests with no Host, setup floods past the space's budget,
//! and beside them slow heads and half-open connections (the mix: `tests/hostile/mod.rs`).
//! It reports peak RSS, throughput and p99, and fails if serve's resident memory passed
//! 64 MiB, answered a 5xx other than the setup endpoint's 503 past its budget, or answered
//! anything not as expected. Run: `cargo bench --bench serve_hostile`; the figures go to
//! BENCHMARKS.md. (`tests/serve_hostile.rs` runs 10,000 of them in `cargo test`.)

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/hostile/mod.rs"]
mod hostile;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench --list
    }
    let requests = std::env::var("LAML_HOSTILE_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let serve = common::Serve::start(&[]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let soak = rt.block_on(hostile::soak(&serve, requests, 32, 32));
    println!("serve, hostile soak of {requests} requests on 32 connections (+32 slow heads, +32 half-open): {soak}");
    let held =
        soak.rss_peak <= 64 * 1024 && soak.server_errors == 0 && soak.wrong.is_empty() && soak.still_right.is_ok();
    if !held {
        eprintln!("serve did not hold its bounds: {:#?}", soak.wrong);
        std::process::exit(1);
    }
}
