//! Steps about the request as it was sent: does it conform to the documented request?

use cucumber::then;
use laml_conformance::check::{report, request};

use super::{ConformanceWorld, with_exchange};

/// Method, path template with `.json`, Basic auth, form encoding, documented PascalCase keys and
/// the documented values: what a server of this API may rely on.
#[then(expr = "the request conforms to the documentation")]
async fn conforms(world: &mut ConformanceWorld) -> Result<(), String> {
    let answer = world.last()?;
    let deviations = request::check_sent(&answer.exchange.request);
    if deviations.is_empty() {
        return Ok(());
    }
    Err(with_exchange(
        report("the request as sent deviates from the documented request", &deviations),
        &answer.exchange,
    ))
}
