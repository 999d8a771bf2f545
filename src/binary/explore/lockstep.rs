//! Both sides in lockstep: the target, over HTTP (`remote.rs`), and the reference model
//! (`model.rs`), in the words they share (`side.rs`). Each sequence starts from fresh conferences on
//! both sides (or, on a target whose participants are shared, from their state before the run);
//! after each operation the answers are compared, then the state of the participants watched
//! (`pair.rs` sends the steps, one at a time or in rounds, and judges them).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use laml_conformance::error::Error;
use laml_conformance::setup::ArrangedConference;
use laml_conformance::spec::Profile;
use laml_conformance::target::{Need, Target};
use serde_json::Value;

use crate::steps::restore_shared;

use super::accounts::{Accounts, Releasing};
use super::model::Model;
use super::ops::{FIRST, Op, Plan, Val};
pub use super::pair::{About, Divergence};
use super::pair::{Pair, ROUND, Step};
use super::remote::{self, Remote};
use super::side::Roster;

/// How far a sequence went, and where it diverged.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Operations sent.
    pub ran: usize,
    /// The first divergence.
    pub divergence: Option<Divergence>,
}

/// Which participants are retrieved on both sides after each operation.
///
/// Retrieving every participant after every operation is most of a sequence's requests (4 to
/// 6 a step). Exploring looks [`Watch::Touched`]: every participant right after arranging and
/// after the last operation, and after each operation that is no GET the participants it names
/// (whom, and whom its values name). A divergence in a participant's state persists until an
/// operation shows it (the answer to any update of that participant, a retrieve, a list, or the
/// last look), so it is found in the same sequence, at most a few operations later, unless a
/// later update of the same fields writes it over on both sides. What is found is replayed with
/// [`Watch::Everyone`] (a superset of those observations), which says where it first showed;
/// shrinking replays with it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watch {
    /// Every participant after every operation.
    Everyone,
    /// Every participant at the start and the end; in between, those a write names.
    Touched,
}

/// The target, the profile, and on a target whose participants are shared, the updates that
/// bring them back to their state before the run.
#[derive(Debug)]
pub struct Lockstep<'t> {
    target: &'t Target,
    profile: &'static Profile,
    baseline: Vec<Op>,
    /// The kept connection each operation and its retrieves are pipelined on, on loopback.
    pipe: Option<tokio::sync::Mutex<laml_conformance::client::Pipeline>>,
    /// What is known of the target's accounts, shared with the lanes beside this one.
    accounts: Rc<Accounts>,
    /// The first conference of the next sequence, arranged while the last was judged.
    ahead: RefCell<Option<ArrangedConference>>,
}

impl<'t> Lockstep<'t> {
    /// Reads, on a target whose participants are shared, their state before the run: each
    /// sequence starts from it and [`Lockstep::restore`] puts it back.
    pub async fn new(target: &'t Target, profile: &'static Profile) -> Result<Self, Error> {
        let mut baseline = Vec::new();
        let pipe = remote::pipeline(target);
        if target.shares_participants() {
            let plan = Plan {
                second: false,
                completed: false,
                ops: Vec::new(),
            };
            let first = target.arrange_conference(&FIRST).await?;
            let mut remote = Remote::arrange(target, profile, &plan, first, pipe.as_ref()).await?;
            for name in FIRST {
                let answer = remote.apply(&Op::Retrieve { who: name.into() }).await?;
                let state = answer.ok().ok_or_else(|| {
                    Error::Config(format!(
                        "the participant {name:?} could not be read (the target answered {}); check --participant {name}=SID",
                        answer.status
                    ))
                })?;
                baseline.push(restoring(name, state, &remote.roster, profile)?);
            }
        }
        Ok(Lockstep {
            target,
            profile,
            baseline,
            pipe,
            accounts: Rc::new(Accounts::new(target.shares_participants())),
            ahead: RefCell::new(None),
        })
    }

    /// Another lane of the same run, for sequences from fresh conferences beside this one's: a
    /// connection of its own, and what is known of the target's accounts shared.
    pub fn beside(&self) -> Self {
        Lockstep {
            target: self.target,
            profile: self.profile,
            baseline: Vec::new(),
            pipe: remote::pipeline(self.target),
            accounts: self.accounts.clone(),
            ahead: RefCell::new(None),
        }
    }

    /// On shared participants, the updates that bring them to their state before the run.
    pub fn baseline(&self) -> &[Op] {
        &self.baseline
    }

    /// Whether requests are pipelined on a kept connection (a plain-http target on loopback).
    pub fn pipelined(&self) -> bool {
        self.pipe.is_some()
    }

    /// Whether the target is known to hand out an account of its own to each sequence, and to
    /// take it back after it.
    pub fn own_accounts(&self) -> bool {
        self.accounts.releasing.get() == Releasing::Yes
    }

    /// Whether the target can arrange `need` for a sequence (a second conference, an ended one).
    pub fn can(&self, need: &Need) -> bool {
        self.target.cannot_arrange(need).is_none()
    }

    /// Puts shared participants back as they were before the run (nothing elsewhere), and
    /// gives back the conference arranged ahead for a sequence that did not come.
    pub async fn restore(&self) -> Result<(), Error> {
        let unused = self.ahead.borrow_mut().take();
        if let Some(unused) = unused
            && self.accounts.releasing.get() == Releasing::Yes
        {
            self.give_back(&unused).await;
        }
        if self.baseline.is_empty() {
            return Ok(());
        }
        let plan = Plan {
            second: false,
            completed: false,
            ops: Vec::new(),
        };
        let first = self.target.arrange_conference(&FIRST).await?;
        let mut remote = Remote::arrange(self.target, self.profile, &plan, first, self.pipe.as_ref()).await?;
        for op in &self.baseline {
            let answer = remote.apply(op).await?;
            if answer.status != 200 {
                return Err(Error::Config(format!(
                    "{} answered {} instead of 200; check that participant on the target now",
                    op, answer.status
                )));
            }
        }
        Ok(())
    }

    /// Runs `plan` from fresh conferences on both sides until the first divergence, the end of
    /// the plan, or `stop` says so (checked before each operation), retrieving every
    /// participant after each operation.
    pub async fn replay(&self, plan: &Plan, stop: &mut dyn FnMut() -> bool) -> Result<Outcome, Error> {
        self.run(plan, Watch::Everyone, stop).await
    }

    /// [`Lockstep::replay`], retrieving after each operation only the participants `watch` says.
    /// The account arranged for it is given back afterwards, where the target takes it back.
    pub async fn run(&self, plan: &Plan, watch: Watch, stop: &mut dyn FnMut() -> bool) -> Result<Outcome, Error> {
        let ahead = self.ahead.borrow_mut().take();
        let first = match ahead {
            Some(first) => first,
            None => {
                let first = self.target.arrange_conference(&FIRST).await?;
                self.accounts.note(&first);
                first
            }
        };
        let arranged = first.clone();
        let settled = Cell::new(false);
        let walked = match Remote::arrange(self.target, self.profile, plan, first, self.pipe.as_ref()).await {
            Ok(remote) => self.walk(remote, plan, watch, stop, &arranged, &settled).await,
            Err(e) => Err(e),
        };
        match &walked {
            _ if settled.get() => {}
            Ok(_) => self.settle(&arranged, &settled).await,
            // a sequence that ended in an error gives its account back all the same, where
            // accounts are known to be each sequence's own
            Err(_) if self.accounts.releasing.get() == Releasing::Yes => self.give_back(&arranged).await,
            Err(_) => {}
        }
        walked
    }

    /// What follows a sequence once the target answered the last of it, done while those
    /// answers are judged: the next sequence's first conference arranged ahead (every sequence
    /// starts with one; one that does not come is given back by [`Lockstep::restore`]), then
    /// this sequence's account given back, where the target takes it back and the next
    /// sequence's is another ([`Releasing`]). A failure to arrange ahead is left for the next
    /// sequence to meet and report; the account is kept then, as nothing says it is not shared.
    async fn settle(&self, arranged: &ArrangedConference, settled: &Cell<bool>) {
        settled.set(true);
        let Ok(next) = self.target.arrange_conference(&FIRST).await else {
            return;
        };
        self.accounts.note(&next);
        *self.ahead.borrow_mut() = Some(next);
        if self.accounts.releasing.get() != Releasing::No {
            self.give_back(arranged).await;
        }
    }

    /// Gives back the account of `arranged`; nothing is given back from the first that the
    /// target does not take back (a setup endpoint without the release, the user's account).
    async fn give_back(&self, arranged: &ArrangedConference) {
        if matches!(self.target.release(arranged).await, Ok(true)) {
            self.accounts.releasing.set(Releasing::Yes);
        } else {
            self.accounts.releasing.set(Releasing::No);
        }
    }

    /// The sequence of [`Lockstep::run`] on the conferences `remote` arranged; what follows
    /// it ([`Lockstep::settle`]) goes along with the judging of its last round.
    async fn walk(
        &self,
        mut remote: Remote<'t>,
        plan: &Plan,
        watch: Watch,
        stop: &mut dyn FnMut() -> bool,
        arranged: &ArrangedConference,
        settled: &Cell<bool>,
    ) -> Result<Outcome, Error> {
        let adopted = Model::adopting(self.profile, plan, &remote.roster);
        let same_ids = adopted.is_some();
        let mut model = adopted.unwrap_or_else(|| Model::arrange(self.profile, plan));
        for op in &self.baseline {
            model.apply(op);
            let answer = remote.apply(op).await?;
            if answer.status != 200 {
                return Err(Error::Config(format!(
                    "{} answered {} while bringing it back to its state before the run; check that participant on the target now",
                    op, answer.status
                )));
            }
        }
        let mut pair = Pair::new(model, remote, self.profile, same_ids);
        let steps = steps(plan, watch, &pair.model.roster.names());
        // one step a round, or on a pipelined target as many as fit in one
        let room = if pair.remote.pipelined() { ROUND } else { 1 };
        let mut next = 0;
        while next < steps.len() {
            // `stop` is asked before any operation is sent: the look after arranging goes alone then
            let stopping = stop();
            if stopping && next > 0 {
                return Ok(Outcome {
                    ran: next - 1,
                    divergence: None,
                });
            }
            let mut end = next + 1;
            let mut requests = steps[next].requests();
            while !stopping && end < steps.len() && requests + steps[end].requests() <= room {
                requests += steps[end].requests();
                end += 1;
            }
            let alongside = (end == steps.len()).then(|| self.settle(arranged, settled));
            if let Some(d) = pair.round(&steps[next..end], next, alongside).await? {
                return Ok(Outcome {
                    ran: d.step,
                    divergence: Some(d),
                });
            }
            next = end;
        }
        Ok(Outcome {
            ran: plan.ops.len(),
            divergence: None,
        })
    }
}

/// The update that brings `name` back to `state`, as the steps restore a shared participant
/// ([`restore_shared`]), with whom it coaches by name.
fn restoring(name: &str, state: &Value, roster: &Roster, profile: &Profile) -> Result<Op, Error> {
    let params = restore_shared(state, profile)
        .into_iter()
        .map(|(key, value)| {
            let value = if key == "CallSidToCoach" {
                let whom = roster.name_of(&value).ok_or_else(|| {
                    Error::Config(format!(
                        "{name:?} coaches {value:?}, who is not among agent, customer and supervisor; name that participant with --participant, or stop the coaching first"
                    ))
                })?;
                Val::Sid(whom.to_string())
            } else {
                Val::Text(value)
            };
            Ok((key.to_string(), value))
        })
        .collect::<Result<_, Error>>()?;
    Ok(Op::Update {
        who: name.to_string(),
        params,
    })
}

/// The steps of `plan`: the look at `everyone` right after arranging, then each operation with
/// the participants `watch` retrieves after it.
fn steps<'p>(plan: &'p Plan, watch: Watch, everyone: &[String]) -> Vec<Step<'p>> {
    let last = plan.ops.len();
    let after = |i: usize, op: &Op| -> Vec<String> {
        match watch {
            Watch::Everyone => everyone.to_vec(),
            Watch::Touched if i + 1 == last => everyone.to_vec(),
            Watch::Touched if matches!(op, Op::Retrieve { .. } | Op::List { .. }) => Vec::new(),
            Watch::Touched => {
                let named = op.names();
                everyone
                    .iter()
                    .filter(|n| named.contains(&n.as_str()))
                    .cloned()
                    .collect()
            }
        }
    };
    let first = Step {
        op: None,
        watched: everyone.to_vec(),
    };
    std::iter::once(first)
        .chain(plan.ops.iter().enumerate().map(|(i, op)| Step {
            op: Some(op),
            watched: after(i, op),
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::draw::{Generator, Limits};
    use laml_conformance::sim::{Sim, faults};

    /// Where each of `plans` ends on `lockstep`: how far it went, and what diverged where.
    async fn ends(lockstep: &Lockstep<'_>, plans: &[Plan], watch: Watch) -> Vec<(usize, Option<(usize, About)>)> {
        let mut out = Vec::new();
        for plan in plans {
            let o = lockstep.run(plan, watch, &mut || false).await.unwrap();
            out.push((o.ran, o.divergence.map(|d| (d.step, d.about))));
        }
        out
    }

    /// The same plans, sent a step at a time and in rounds of many steps (pipelined), end
    /// alike, divergences and all.
    #[tokio::test]
    async fn rounds_of_many_steps_find_what_one_step_at_a_time_finds() {
        let profile = Profile::seed();
        for fault in [
            None,
            Some("hold-not-persisted"),
            Some("wrong-participant-updated"),
            Some("date-updated-frozen"),
        ] {
            let fault = fault.map(|f| faults::by_name(f).unwrap());
            let target = Target::Embedded(Sim::start_serving(fault, profile).await.unwrap());
            let rounds = Lockstep::new(&target, profile).await.unwrap();
            assert!(rounds.pipe.is_some(), "the embedded space is pipelined to");
            let one_by_one = Lockstep {
                pipe: None,
                ..Lockstep::new(&target, profile).await.unwrap()
            };
            let limits = Limits {
                live: false,
                fresh: true,
                second: true,
                complete: true,
            };
            let mut generator = Generator::new(1, profile, limits);
            let plans: Vec<Plan> = (0..20).map(|_| generator.plan(40)).collect();
            for watch in [Watch::Touched, Watch::Everyone] {
                let (a, b) = (
                    ends(&rounds, &plans, watch).await,
                    ends(&one_by_one, &plans, watch).await,
                );
                assert_eq!(a, b, "{fault:?} {watch:?}");
                if fault.is_some() {
                    assert!(a.iter().any(|(_, d)| d.is_some()), "{fault:?} found in 20 sequences");
                }
            }
        }
    }
}
