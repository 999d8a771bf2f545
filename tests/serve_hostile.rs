//! The hostile soak, short (10,000 requests): `serve` holds its bounds whatever a client
//! sends. It checks bounds and answers, never times (those are `cargo bench --bench
//! serve_hostile`'s, in BENCHMARKS.md).

mod common;
mod hostile;

/// The resident memory `serve` must stay within, whatever the traffic.
const RSS_BOUND_KIB: u64 = 64 * 1024;

#[tokio::test]
async fn serve_holds_its_bounds_under_hostile_traffic() {
    let serve = common::Serve::start(&[]);
    let soak = hostile::soak(&serve, 10_000, 16, 16).await;
    eprintln!("{soak}");
    assert!(soak.rss_peak <= RSS_BOUND_KIB, "{soak}");
    assert_eq!(soak.server_errors, 0, "{soak}");
    assert!(soak.wrong.is_empty(), "{soak}: {:#?}", soak.wrong);
    assert!(
        soak.budget_refusals > 0,
        "the setup floods never met the budget: {soak}"
    );
    assert_eq!(soak.still_right, Ok(()), "{soak}");
    assert!(soak.answered + soak.broken == 10_000 && soak.broken < 100, "{soak}");
}
