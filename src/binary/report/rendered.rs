//! A step's failure as text, for cucumber's own writers (JUnit and JSON).
//!
//! A step fails by raising its [`Failure`] as the panic's payload ([`Failure::raise`]), so the
//! `Step::Failed` event carries the value itself and the reports built on the record read it as
//! it is. cucumber's writers show a payload only when it is a `String`: [`event`] gives them
//! the failure rendered (its `Display`, the text the console always showed), and leaves every
//! other event as it is.

use std::sync::Arc;

use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step, StepError};
use cucumber::{Event, parser};
use laml_conformance::failure::Failure;

/// `event` with a raised failure in place of its text; any other event unchanged.
pub fn event<W>(event: parser::Result<Event<Cucumber<W>>>) -> parser::Result<Event<Cucumber<W>>> {
    event.map(|ev| {
        ev.map(|value| match value {
            Cucumber::Feature(f, Feature::Scenario(sc, ev)) => {
                Cucumber::Feature(f, Feature::Scenario(sc, scenario(ev)))
            }
            Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, ev))) => {
                Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, scenario(ev))))
            }
            other => other,
        })
    })
}

fn scenario<W>(mut ev: event::RetryableScenario<W>) -> event::RetryableScenario<W> {
    ev.event = match ev.event {
        Scenario::Step(st, step_ev) => Scenario::Step(st, step(step_ev)),
        Scenario::Background(st, step_ev) => Scenario::Background(st, step(step_ev)),
        other => other,
    };
    ev
}

fn step<W>(ev: Step<W>) -> Step<W> {
    match ev {
        Step::Failed(captures, loc, world, StepError::Panic(info)) => {
            let info = match Failure::of_panic(&*info) {
                Some(failure) => Arc::new(failure.to_string()),
                None => info,
            };
            Step::Failed(captures, loc, world, StepError::Panic(info))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raised_failure_becomes_its_text_and_any_other_payload_stays() {
        let failure = Failure::new("muted differs").with_hint("send Muted=true");
        let failed = |info: event::Info| Step::<()>::Failed(None, None, None, StepError::Panic(info));
        let text = |ev: Step<()>| match ev {
            Step::Failed(_, _, _, StepError::Panic(info)) => info.downcast_ref::<String>().cloned(),
            _ => None,
        };
        assert_eq!(
            text(step(failed(Arc::new(failure)))).as_deref(),
            Some("muted differs\nsend Muted=true")
        );
        assert_eq!(
            text(step(failed(Arc::new("a bug".to_string())))).as_deref(),
            Some("a bug")
        );
    }
}
