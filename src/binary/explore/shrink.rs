//! Shrinking a diverging sequence to one a reader can follow: delta debugging (ddmin) drops
//! chunks of operations, then single ones, then the parameters of each update, then the second
//! conference and the completion where nothing needs them, keeping each candidate that still
//! diverges (once a scenario can show the divergence, only a candidate whose divergence it can
//! show too). Every candidate is replayed from fresh conferences, and the operations after the
//! step where it diverged are cut, so the result ends where the divergence shows.

use laml_conformance::error::Error;

use super::gherkin::showable;
use super::lockstep::{Divergence, Lockstep};
use super::ops::{FIRST, Op, Plan, SECOND};

/// What decides whether a candidate still diverges: a replay against the target and the model.
pub trait Oracle {
    /// The divergence of `plan` replayed from fresh conferences, if it still diverges.
    async fn diverges(&mut self, plan: &Plan) -> Result<Option<Divergence>, Error>;
}

impl Oracle for &Lockstep<'_> {
    async fn diverges(&mut self, plan: &Plan) -> Result<Option<Divergence>, Error> {
        Ok(self.replay(plan, &mut || false).await?.divergence)
    }
}

/// A shrunk sequence and its divergence.
#[derive(Debug, Clone)]
pub struct Shrunk {
    /// The smallest diverging sequence found.
    pub plan: Plan,
    /// Where it diverges.
    pub divergence: Divergence,
    /// How many replays shrinking took.
    pub replays: usize,
    /// Whether it stopped at the bound on replays, before it could drop nothing more.
    pub capped: bool,
}

struct Search<O> {
    oracle: O,
    best: Plan,
    divergence: Divergence,
    replays: usize,
    max_replays: usize,
}

impl<O: Oracle> Search<O> {
    /// Keeps `candidate` if it still diverges (cut after its divergence).
    async fn try_keep(&mut self, mut candidate: Plan) -> Result<bool, Error> {
        if self.replays >= self.max_replays || candidate == self.best {
            return Ok(false);
        }
        self.replays += 1;
        let Some(d) = self.oracle.diverges(&candidate).await? else {
            return Ok(false);
        };
        // A divergence no scenario can show is given up only for one a scenario can.
        if !showable(&candidate, &d) && showable(&self.best, &self.divergence) {
            return Ok(false);
        }
        candidate.ops.truncate(d.step);
        self.best = candidate;
        self.divergence = d;
        Ok(true)
    }

    /// ddmin over the operations: drop one of `n` chunks while that still diverges, else
    /// split finer, down to single operations.
    async fn operations(&mut self) -> Result<(), Error> {
        let mut n = 2;
        while !self.best.ops.is_empty() && self.replays < self.max_replays {
            let len = self.best.ops.len();
            let size = len.div_ceil(n.min(len));
            let mut dropped = false;
            for start in (0..len).step_by(size) {
                let mut candidate = self.best.clone();
                candidate.ops.drain(start..(start + size).min(len));
                if self.try_keep(candidate).await? {
                    n = (n - 1).max(2);
                    dropped = true;
                    break;
                }
            }
            if !dropped {
                if size == 1 {
                    break;
                }
                n = (n * 2).min(len);
            }
        }
        Ok(())
    }

    /// Drops each parameter of each update, one at a time.
    async fn parameters(&mut self) -> Result<(), Error> {
        let mut i = 0;
        while i < self.best.ops.len() {
            let mut j = 0;
            while let Op::Update { params, .. } = &self.best.ops[i]
                && j < params.len()
            {
                let mut candidate = self.best.clone();
                if let Op::Update { params, .. } = &mut candidate.ops[i] {
                    params.remove(j);
                }
                if !self.try_keep(candidate).await? {
                    j += 1;
                }
                if i >= self.best.ops.len() {
                    break;
                }
            }
            i += 1;
        }
        Ok(())
    }

    /// Drops the second conference: where no operation names its participants, or where the
    /// same operations on the first conference's participants diverge too; and the completion.
    async fn arrangement(&mut self) -> Result<(), Error> {
        let names_second = |p: &Plan| p.ops.iter().any(|o| o.names().iter().any(|n| SECOND.contains(n)));
        if self.best.second {
            let to_first = |name: &str| match SECOND.iter().position(|n| *n == name) {
                Some(i) => FIRST[i].to_string(),
                None => name.to_string(),
            };
            let candidate = Plan {
                second: false,
                completed: self.best.completed,
                ops: self.best.ops.iter().map(|o| o.renamed(&to_first)).collect(),
            };
            // Renaming may make an operation of the first conference (coaching its "caller")
            // mean something else; the candidate is kept only if it still diverges.
            if names_second(&self.best) && self.try_keep(candidate).await? {
                return self.completion().await;
            }
            if !names_second(&self.best) {
                let candidate = Plan {
                    second: false,
                    ..self.best.clone()
                };
                self.try_keep(candidate).await?;
            }
        }
        self.completion().await
    }

    /// Drops the completion of the first conference.
    async fn completion(&mut self) -> Result<(), Error> {
        if self.best.completed {
            let candidate = Plan {
                completed: false,
                ..self.best.clone()
            };
            self.try_keep(candidate).await?;
        }
        Ok(())
    }
}

/// Shrinks `plan`, which diverges as `divergence` says, in at most `max_replays` replays.
pub async fn shrink<O: Oracle>(
    oracle: O,
    mut plan: Plan,
    divergence: Divergence,
    max_replays: usize,
) -> Result<Shrunk, Error> {
    plan.ops.truncate(divergence.step);
    let mut search = Search {
        oracle,
        best: plan,
        divergence,
        replays: 0,
        max_replays,
    };
    loop {
        let before = search.best.clone();
        search.operations().await?;
        search.parameters().await?;
        search.arrangement().await?;
        if search.best == before || search.replays >= search.max_replays {
            break;
        }
    }
    Ok(Shrunk {
        capped: search.replays >= search.max_replays,
        plan: search.best,
        divergence: search.divergence,
        replays: search.replays,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::lockstep::About;
    use crate::explore::ops::Val;

    /// Diverges, at the last list, where an update that `wanted` picks came before it (an
    /// interaction of two operations).
    struct UpdateThenList(fn(&Op) -> bool);

    impl Oracle for UpdateThenList {
        async fn diverges(&mut self, plan: &Plan) -> Result<Option<Divergence>, Error> {
            let updated = plan.ops.iter().position(self.0);
            let listed = plan.ops.iter().rposition(|o| matches!(o, Op::List { .. }));
            Ok(match (updated, listed) {
                (Some(u), Some(l)) if u < l => Some(Divergence {
                    step: l + 1,
                    about: About::Answer,
                    deviations: Vec::new(),
                }),
                _ => None,
            })
        }
    }

    /// A mute of "agent", then a list.
    fn agent_muted_then_list() -> UpdateThenList {
        UpdateThenList(
            |o| matches!(o, Op::Update { who, params } if who == "agent" && params.iter().any(|(k, _)| k == "Muted")),
        )
    }

    fn update(who: &str, keys: &[&str]) -> Op {
        Op::Update {
            who: who.into(),
            params: keys.iter().map(|k| (k.to_string(), Val::Text("true".into()))).collect(),
        }
    }

    #[test]
    fn ddmin_keeps_only_the_operations_and_parameters_that_matter() {
        let list = Op::List {
            filter: "Muted".into(),
            value: "true".into(),
        };
        let mut ops = vec![
            update("customer", &["Hold"]),
            update("agent", &["Hold", "Muted", "Coaching"]),
        ];
        ops.extend((0..20).map(|i| Op::Retrieve {
            who: if i % 2 == 0 { "agent" } else { "host" }.into(),
        }));
        ops.push(list.clone());
        ops.push(update("supervisor", &["Muted"]));
        let plan = Plan {
            second: true,
            completed: false,
            ops,
        };
        let d = Divergence {
            step: 23,
            about: About::Answer,
            deviations: Vec::new(),
        };
        let shrunk = futures::executor::block_on(shrink(agent_muted_then_list(), plan, d, 500)).unwrap();
        assert_eq!(shrunk.plan.ops, vec![update("agent", &["Muted"]), list]);
        assert!(!shrunk.plan.second, "no operation names the second conference");
        assert_eq!(shrunk.divergence.step, 2);
        assert!(!shrunk.capped && shrunk.replays < 100, "{} replays", shrunk.replays);
    }

    /// Any update, then a list.
    fn any_update_then_list() -> UpdateThenList {
        UpdateThenList(|o| matches!(o, Op::Update { .. }))
    }

    #[test]
    fn the_second_conference_goes_where_the_first_shows_the_same() {
        let list = Op::List {
            filter: "Muted".into(),
            value: "true".into(),
        };
        let plan = Plan {
            second: true,
            completed: true,
            ops: vec![update("host", &["Muted"]), list.clone()],
        };
        let d = Divergence {
            step: 2,
            about: About::Answer,
            deviations: Vec::new(),
        };
        let shrunk = futures::executor::block_on(shrink(any_update_then_list(), plan, d, 100)).unwrap();
        assert_eq!(
            shrunk.plan.ops,
            vec![update("customer", &[]), list],
            "renamed, and its parameter dropped"
        );
        assert!(!shrunk.plan.second && !shrunk.plan.completed);
    }

    #[test]
    fn shrinking_stops_at_its_bound() {
        let ops = (0..30).map(|_| update("agent", &["Muted"])).chain([Op::List {
            filter: "Muted".into(),
            value: "true".into(),
        }]);
        let plan = Plan {
            second: false,
            completed: false,
            ops: ops.collect(),
        };
        let d = Divergence {
            step: 31,
            about: About::Answer,
            deviations: Vec::new(),
        };
        let shrunk = futures::executor::block_on(shrink(agent_muted_then_list(), plan, d, 3)).unwrap();
        assert!(shrunk.capped);
        assert_eq!(shrunk.replays, 3);
    }
}
