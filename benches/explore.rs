//! `explore` against `serve`, both release builds in their own processes, as a campaign runs
//! them: a fixed number of operations from a fixed seed, the rate in operations per second, and
//! the CPU time each process spends per operation. The machine is shared with other builds, so
//! the wall-clock rate is noisy; the CPU per operation is the figure to compare between two
//! commits. Run: `cargo bench --bench explore` (`LAML_EXPLORE_BENCH_STEPS` for another count
//! than 5,000, `LAML_EXPLORE_BENCH_SEED` for another seed than 1). Nothing is asserted but
//! that the run finds no divergence: the figures go to BENCHMARKS.md.
//!
//! 5,000 operations are about 350 sequences, each arranging fresh conferences through serve's
//! setup endpoint and giving its account back afterwards, so any number fits in serve's budget
//! (`SPACE_BUDGET`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::Command;
use std::time::Instant;

/// The CPU time (user and system, in clock ticks of 10 ms) in the fields of a `/proc/…/stat`
/// that follow `first`: 11 for the process itself, 13 for its children it has waited for.
fn ticks(stat_of: &str, first: usize) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{stat_of}/stat")).unwrap_or_default();
    // the fields after the command name, which is in parentheses and may hold spaces
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    field(first) + field(first + 1)
}

/// utime and stime of a running process (fields 14 and 15 of stat).
fn own_ticks(pid: u32) -> u64 {
    ticks(&pid.to_string(), 11)
}

/// cutime and cstime of this process (fields 16 and 17): the CPU of the children it has waited
/// for, which is how the CPU of a child that has exited is read.
fn waited_children_ticks() -> u64 {
    ticks("self", 13)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench --list
    }
    let env = |key: &str, default: &str| std::env::var(key).unwrap_or_else(|_| default.to_string());
    let steps = env("LAML_EXPLORE_BENCH_STEPS", "5000");
    let seed = env("LAML_EXPLORE_BENCH_SEED", "1");
    let serve = common::Serve::start(&[]);
    let serve_pid = serve.child.id();
    let load_before = load_average();
    let (serve_before, explore_before) = (own_ticks(serve_pid), waited_children_ticks());
    let started = Instant::now();
    let out = Command::new(common::BIN)
        .args(["explore", "--target", &serve.base, "--steps", &steps, "--seed", &seed])
        .env_remove("LAML_PROFILE")
        .output()
        .expect("explore runs");
    let wall = started.elapsed().as_secs_f64();
    let (serve_after, explore_after) = (own_ticks(serve_pid), waited_children_ticks());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "explore found a divergence in the healthy serve:\n{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n: f64 = steps.parse().expect("LAML_EXPLORE_BENCH_STEPS is a number");
    let per_op = |ticks: u64| ticks as f64 * 10_000.0 / n;
    // explore's own rate leaves out its start (the probe of serve); the wall rate includes it
    let rate = printed
        .rsplit_once(" s, ")
        .and_then(|(_, r)| r.split_whitespace().next())
        .unwrap_or("?");
    println!(
        "explore against serve, {steps} operations (seed {seed}): {rate} operations/s as explore reports it, {:.0} by the wall clock ({wall:.1} s); CPU per operation: explore {:.0} µs, serve {:.0} µs; load average {load_before} before, {} after",
        n / wall,
        per_op(explore_after - explore_before),
        per_op(serve_after - serve_before),
        load_average()
    );
    serve.interrupt();
}
