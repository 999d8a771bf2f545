//! Sequences in flight side by side. Explore and the target take turns in a lockstep: the
//! target answers a round while explore waits, then explore judges it while the target waits.
//! With a sequence in flight on each of several lanes, each side works while another lane's
//! round is out, so both cores are used (BENCHMARKS.md).
//!
//! What is found stays what one lane finds: plans are drawn in the same order and within the
//! same room, and their outcomes are handed over in that order. Once a sequence diverged or
//! was cut short by the deadline, the sequences drawn after it are let finish, then dropped, and
//! the generator goes back to where it was before drawing them: the next plans are the ones a
//! single lane would have drawn.
//!
//! More lanes than one run only where they cannot change what a sequence sees: a plain-http
//! target on loopback (no live server gets more than one sequence at a time), sequences from
//! fresh conferences, and an account of its own for each sequence (the first lane has seen the
//! target hand out a fresh account and take it back), so the sequences share nothing there.

use std::collections::BTreeMap;
use std::time::Instant;

use futures::StreamExt as _;
use futures::future::LocalBoxFuture;
use futures::stream::FuturesUnordered;
use laml_conformance::error::Error;
use laml_conformance::spec::Profile;
use laml_conformance::target::Target;

use super::draw::Generator;
use super::lockstep::{Lockstep, Outcome, Watch};
use super::ops::Plan;

/// How many sequences may be in flight at once: two keep both cores busy (explore's judging and
/// the target's answering); a third adds nothing measurable on 2 cores.
const LANES: usize = 3;

/// The lanes sequences run on. The first is the lane of every replay and shrink.
pub struct Lanes<'t> {
    /// The lane of the first sequence, and of every replay and shrink.
    pub first: Lockstep<'t>,
    /// The lanes beside it, where the target may take sequences side by side.
    others: Vec<Lockstep<'t>>,
}

/// A sequence on its way: its number in the order drawn, its lane, and what came of it.
type Flying<'a> = LocalBoxFuture<'a, (usize, usize, Plan, Result<Outcome, Error>)>;

/// The sequences of one seed in flight on [`Lanes`], handed over in the order they were drawn.
pub struct Flight<'a> {
    lanes: &'a Lanes<'a>,
    flying: FuturesUnordered<Flying<'a>>,
    /// Answers come back out of order: each waits here for its turn.
    landed: BTreeMap<usize, (Plan, Result<Outcome, Error>)>,
    /// The generator as it was before each sequence in flight was drawn.
    before: BTreeMap<usize, Generator>,
    /// The lanes with no sequence.
    idle: Vec<usize>,
    /// The number of the next sequence drawn, and of the next handed over.
    drawn: usize,
    handed: usize,
    /// The operations drawn for sequences not yet handed over.
    pending: u64,
}

impl<'t> Lanes<'t> {
    /// The first lane, and others where the target may take sequences side by side.
    pub async fn new(target: &'t Target, profile: &'static Profile) -> Result<Self, Error> {
        let first = Lockstep::new(target, profile).await?;
        let mut others = Vec::new();
        if first.pipelined() && !target.shares_participants() {
            others = (1..LANES).map(|_| first.beside()).collect();
        }
        Ok(Lanes { first, others })
    }

    fn lane(&self, i: usize) -> &Lockstep<'t> {
        if i == 0 { &self.first } else { &self.others[i - 1] }
    }

    /// Puts shared participants back and gives back what each lane arranged ahead.
    pub async fn restore(&self) -> Result<(), Error> {
        for other in &self.others {
            other.restore().await?;
        }
        self.first.restore().await
    }
}

impl<'a> Flight<'a> {
    /// No sequence in flight yet.
    pub fn new(lanes: &'a Lanes<'a>) -> Self {
        Flight {
            lanes,
            flying: FuturesUnordered::new(),
            landed: BTreeMap::new(),
            before: BTreeMap::new(),
            idle: (0..=lanes.others.len()).rev().collect(),
            drawn: 0,
            handed: 0,
            pending: 0,
        }
    }

    /// The next sequence in the order drawn, run until `deadline`. `total` operations ran
    /// before it of the `steps` of the seed; the lanes that are idle take the next plans while
    /// room is left. None once no room is left.
    pub async fn next(
        &mut self,
        generator: &mut Generator,
        total: u64,
        steps: u64,
        deadline: Option<Instant>,
    ) -> Option<(Plan, Result<Outcome, Error>)> {
        loop {
            if let Some((plan, outcome)) = self.landed.remove(&self.handed) {
                self.before.remove(&self.handed);
                self.handed += 1;
                self.pending -= plan.ops.len() as u64;
                return Some((plan, outcome));
            }
            // a second lane only once the first has seen each sequence get an account of its own
            let lanes = if self.lanes.first.own_accounts() {
                self.idle.len()
            } else {
                0
            };
            for _ in 0..lanes.max(usize::from(self.flying.is_empty())) {
                let room = steps.saturating_sub(total + self.pending);
                let Some(lane) = self.idle.pop().filter(|_| room > 0) else {
                    break;
                };
                self.before.insert(self.drawn, generator.clone());
                let plan = generator.plan(usize::try_from(room).unwrap_or(usize::MAX));
                self.pending += plan.ops.len() as u64;
                self.flying.push(self.fly(self.drawn, lane, plan, deadline));
                self.drawn += 1;
            }
            // a lane is free as soon as its sequence ended, though its outcome waits its turn
            let (n, lane, plan, outcome) = self.flying.next().await?;
            self.idle.push(lane);
            self.landed.insert(n, (plan, outcome));
        }
    }

    fn fly(&self, n: usize, lane: usize, plan: Plan, deadline: Option<Instant>) -> Flying<'a> {
        let lockstep = self.lanes.lane(lane);
        Box::pin(async move {
            let mut stop = || deadline.is_some_and(|d| Instant::now() >= d);
            let outcome = lockstep.run(&plan, Watch::Touched, &mut stop).await;
            (n, lane, plan, outcome)
        })
    }

    /// Drops the sequences drawn after the last handed over (once they finished: a lane is
    /// never left in the middle of a sequence), and takes `generator` back to before them.
    pub async fn rewind(&mut self, generator: &mut Generator) {
        while self.flying.next().await.is_some() {}
        if let Some(before) = self.before.remove(&self.handed) {
            *generator = before;
        }
        self.idle = (0..=self.lanes.others.len()).rev().collect();
        self.landed.clear();
        self.before.clear();
        self.drawn = self.handed;
        self.pending = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::draw::Limits;
    use laml_conformance::sim::{Sim, faults};

    /// Sequences run side by side come back in the order one lane draws them, within the same
    /// room; once one diverged, the flight is rewound, and the next plan is the one that lane
    /// would draw next.
    const LIMITS: Limits = Limits {
        live: false,
        fresh: true,
        second: true,
        complete: true,
    };

    /// Runs a flight of seed 1 on the embedded space, broken by `fault`, until the first
    /// divergence or the end of `steps`: each sequence handed over with the room it was drawn
    /// in, the operations run, and the most sequences seen in flight beyond the one handed.
    async fn fly(
        fault: Option<&str>,
        steps: u64,
        then: impl AsyncFnOnce(&mut Flight<'_>, &mut Generator, u64),
    ) -> (Vec<(usize, Plan)>, u64, usize) {
        let profile = Profile::seed();
        let fault = fault.map(|f| faults::by_name(f).unwrap());
        let target = Target::Embedded(Sim::start_serving(fault, profile).await.unwrap());
        let lanes = Lanes::new(&target, profile).await.unwrap();
        assert_eq!(
            lanes.others.len(),
            LANES - 1,
            "the embedded space takes sequences side by side"
        );
        let mut generator = Generator::new(1, profile, LIMITS);
        let mut flight = Flight::new(&lanes);
        let (mut total, mut handed, mut beside) = (0, Vec::new(), 0);
        while let Some((plan, outcome)) = flight.next(&mut generator, total, steps, None).await {
            let outcome = outcome.unwrap();
            beside = beside.max(flight.drawn - flight.handed);
            handed.push((usize::try_from(steps - total).unwrap(), plan));
            total += outcome.ran as u64;
            if outcome.divergence.is_some() {
                break;
            }
        }
        then(&mut flight, &mut generator, total).await;
        lanes.restore().await.unwrap();
        (handed, total, beside)
    }

    /// What one lane draws in each of `rooms`, from seed 1.
    fn one_lane(rooms: impl IntoIterator<Item = usize>) -> Vec<Plan> {
        let mut one = Generator::new(1, Profile::seed(), LIMITS);
        rooms.into_iter().map(|room| one.plan(room)).collect()
    }

    /// Sequences run side by side come back in the order one lane draws them, within the same
    /// room, and stop at the end of the steps.
    #[tokio::test]
    async fn side_by_side_sequences_come_back_as_one_lane_draws_them() {
        let (handed, total, beside) = fly(None, 300, async |_, _, _| {}).await;
        assert!(beside > 0, "sequences went side by side");
        assert_eq!(total, 300);
        let rooms: Vec<usize> = handed.iter().map(|(room, _)| *room).collect();
        let plans: Vec<Plan> = handed.into_iter().map(|(_, plan)| plan).collect();
        assert_eq!(plans, one_lane(rooms));
    }

    /// Once a sequence diverged, the sequences drawn after it are dropped, and the next plan is
    /// the one a single lane would draw next.
    #[tokio::test]
    async fn after_a_divergence_the_next_plan_is_the_one_a_single_lane_draws() {
        let mut next = None;
        let (handed, _, _) = fly(Some("removal-not-applied"), 2000, async |flight, generator, total| {
            assert!(
                flight.drawn > flight.handed,
                "a sequence drawn after the divergence is dropped"
            );
            flight.rewind(generator).await;
            assert!(flight.flying.is_empty(), "no lane is left in the middle of a sequence");
            let room = usize::try_from(2000 - total).unwrap();
            next = Some((room, generator.plan(room)));
        })
        .await;
        let (room, next) = next.unwrap();
        let rooms: Vec<usize> = handed.iter().map(|(room, _)| *room).chain([room]).collect();
        let plans: Vec<Plan> = handed.into_iter().map(|(_, plan)| plan).chain([next]).collect();
        assert_eq!(plans, one_lane(rooms));
    }
}
