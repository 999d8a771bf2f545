//! The two sides of one sequence at work: each round of steps sent to both, and each answer
//! judged in order.
//!
//! A step is an operation (none for the look right after arranging) and the participants
//! retrieved after it. A round is one step, or on a pipelined target as many steps as fit in
//! [`ROUND`] requests: the plan is drawn from the seed alone, never from an answer, so every
//! request of a round is known before any is answered, and the target answers them in the
//! order sent. The same requests go out in the same order either way, and their answers are
//! judged one by one in that order, so a round finds what steps sent one at a time find; the
//! model answers while the target does.

use laml_conformance::check::{Deviation, dates};
use laml_conformance::error::Error;
use laml_conformance::spec::Profile;
use serde_json::Value;
use time::OffsetDateTime;

use super::alike::alike;
use super::compare::{self, Kind, Viewer};
use super::model::Model;
use super::ops::Op;
use super::remote::Remote;
use super::side::{Answer, Request, request};

/// Where the target and the model first disagreed.
#[derive(Debug, Clone)]
pub struct Divergence {
    /// The operation (1-based) after which it showed; 0: right after arranging.
    pub step: usize,
    /// What disagreed.
    pub about: About,
    /// Each field: expected is the model's, actual the target's.
    pub deviations: Vec<Deviation>,
}

/// What disagreed: the answer to the operation, or a participant's state afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// The answer to the operation itself.
    Answer,
    /// The named participant, retrieved after the operation.
    State(String),
}

/// The most requests a round holds: a few sequences' worth, whose answers the connection's
/// buffers hold while the requests are still being written.
pub const ROUND: usize = 64;

/// One step: an operation, or none for the look right after arranging, and whom to retrieve
/// after it.
#[derive(Debug, Clone)]
pub struct Step<'p> {
    /// The operation.
    pub op: Option<&'p Op>,
    /// The participants retrieved after it, in the roster's order.
    pub watched: Vec<String>,
}

impl Step<'_> {
    /// How many requests the step sends.
    pub fn requests(&self) -> usize {
        usize::from(self.op.is_some()) + self.watched.len()
    }
}

/// The two sides of one sequence, and each participant as each side showed it last.
pub struct Pair<'t> {
    pub model: Model,
    pub remote: Remote<'t>,
    profile: &'static Profile,
    /// Whether the model took the target's sids as its own: answers alike but for their
    /// dates need no views then ([`alike`]).
    same_ids: bool,
    seen_model: std::collections::HashMap<String, Value>,
    seen_target: std::collections::HashMap<String, Value>,
}

impl<'t> Pair<'t> {
    pub fn new(model: Model, remote: Remote<'t>, profile: &'static Profile, same_ids: bool) -> Self {
        Pair {
            model,
            remote,
            profile,
            same_ids,
            seen_model: Default::default(),
            seen_target: Default::default(),
        }
    }

    /// Sends `steps` (the first of which is step `first`: 0 the look after arranging, else
    /// the operation of that number) to both sides, and judges their answers in order, up to
    /// the first divergence.
    /// `alongside` goes with the judging: it is started once every answer is in.
    pub async fn round(
        &mut self,
        steps: &[Step<'_>],
        first: usize,
        alongside: Option<impl Future<Output = ()>>,
    ) -> Result<Option<Divergence>, Error> {
        let sent_here = OffsetDateTime::now_utc();
        let (roster, dialect) = (&self.remote.roster, self.remote.target.dialect());
        let requests: Vec<Request> = steps
            .iter()
            .flat_map(|s| {
                let retrieves = s.watched.iter().map(|n| Op::Retrieve { who: n.clone() });
                s.op.cloned().into_iter().chain(retrieves)
            })
            .map(|op| request(&op, roster, dialect, self.profile))
            .collect();
        // with the same sids and path form, the model is sent the target's requests as they are
        let shared = self.same_ids && self.profile.dialect() == dialect;
        let (remote, model) = (&self.remote, &mut self.model);
        // the model answers while the target does
        let (target, model) = futures::join!(remote.exchange(&requests), async {
            match shared {
                true => requests.iter().map(|r| model.send(r)).collect(),
                false => answers(model, steps),
            }
        });
        let target = target?;
        let judged = async { self.judge_round(steps, first, model, target, sent_here) };
        match alongside {
            // started first, so that its first request is out while the answers are judged
            Some(after) => futures::join!(after, judged).1,
            None => judged.await,
        }
    }

    /// Judges the answers to `steps`, each side's in the order of the requests, up to the
    /// first divergence.
    fn judge_round(
        &mut self,
        steps: &[Step<'_>],
        first: usize,
        model: Vec<Answer>,
        target: Vec<Answer>,
        sent_here: OffsetDateTime,
    ) -> Result<Option<Divergence>, Error> {
        let mut answered = model.into_iter().zip(target);
        for (k, step) in steps.iter().enumerate() {
            let number = first + k;
            if let Some(op) = step.op {
                let Some((m, t)) = answered.next() else {
                    return Err(Error::Config(format!("no answer came to {op}")));
                };
                if let Some(d) = self.judge(number, op, m, t, sent_here) {
                    return Ok(Some(d));
                }
            }
            let looked: Vec<(Answer, Answer)> = answered.by_ref().take(step.watched.len()).collect();
            if let Some(d) = self.observe(number, &step.watched, looked) {
                return Ok(Some(d));
            }
        }
        Ok(None)
    }

    fn viewers(&self) -> (Viewer<'_>, Viewer<'_>) {
        let strangers_count = !self.remote.target.shares_participants();
        (
            Viewer {
                roster: &self.model.roster,
                dialect: self.profile.dialect(),
                profile: self.profile,
                strangers_count,
            },
            Viewer {
                roster: &self.remote.roster,
                dialect: self.remote.target.dialect(),
                profile: self.profile,
                strangers_count,
            },
        )
    }

    /// Where the model's and the target's answers differ: nowhere if they are alike but for
    /// their dates ([`alike`]), else field by field in their views.
    fn compared(
        &self,
        m: &Answer,
        t: &Answer,
        kind: Kind<'_>,
        seen: (Option<&Value>, Option<&Value>),
    ) -> Vec<Deviation> {
        let (mv, tv) = self.viewers();
        let known = match kind {
            Kind::Participant(name) => self.model.roster.at(name).is_some(),
            Kind::List => true,
        };
        if self.same_ids && mv.dialect == tv.dialect && alike(m, t, kind, known, self.profile, seen) {
            return Vec::new();
        }
        compare::diff(
            &compare::view(m, kind, &mv, seen.0),
            &compare::view(t, kind, &tv, seen.1),
        )
    }

    /// Judges the answers to operation `step`; the target's clock before it is its last answer's.
    fn judge(&mut self, step: usize, op: &Op, m: Answer, t: Answer, sent_here: OffsetDateTime) -> Option<Divergence> {
        let server_before = self.remote.last_date;
        self.remote.last_date = t.date.or(self.remote.last_date);
        let kind = match (op, op.who()) {
            (Op::List { .. }, _) => Kind::List,
            (_, Some(who)) => Kind::Participant(who),
            (_, None) => Kind::Participant(""),
        };
        // A successful update moves date_updated or not by the clock: the target's answer is
        // judged by the bounds of the request's window, as the suite judges it.
        let updated = !matches!(op, Op::Retrieve { .. } | Op::List { .. }) && m.status == 200;
        let seen = match kind {
            Kind::Participant(name) if !updated => (self.seen_model.get(name), self.seen_target.get(name)),
            _ => (None, None),
        };
        let mut deviations = self.compared(&m, &t, kind, seen);
        if let (Kind::Participant(name), true, Some(after)) = (kind, updated && t.status == 200, t.json())
            && let Some(before) = self.seen_target.get(name)
        {
            let window = match (server_before, t.date) {
                (Some(sent), Some(answered)) => dates::Window::new(sent, answered),
                _ => dates::Window::new(sent_here, OffsetDateTime::now_utc()),
            };
            deviations.extend(dates::check_dates(before, after, window).err().unwrap_or_default());
        }
        if let Kind::Participant(name) = kind {
            self.saw(name, m, t);
        }
        (!deviations.is_empty()).then_some(Divergence {
            step,
            about: About::Answer,
            deviations,
        })
    }

    /// Compares each of `names`, as each side showed it in `looked` (a retrieve of each, in
    /// order, the model's first).
    fn observe(&mut self, step: usize, names: &[String], looked: Vec<(Answer, Answer)>) -> Option<Divergence> {
        for (name, (m, t)) in names.iter().zip(looked) {
            self.remote.last_date = t.date.max(self.remote.last_date);
            let seen = (self.seen_model.get(name), self.seen_target.get(name));
            let deviations = self.compared(&m, &t, Kind::Participant(name), seen);
            self.saw(name, m, t);
            if !deviations.is_empty() {
                return Some(Divergence {
                    step,
                    about: About::State(name.clone()),
                    deviations,
                });
            }
        }
        None
    }

    /// Keeps `name` as each side just showed it, where it did (a 200 with JSON).
    fn saw(&mut self, name: &str, m: Answer, t: Answer) {
        for (answer, seen) in [(m, &mut self.seen_model), (t, &mut self.seen_target)] {
            if let (200, Ok(v)) = (answer.status, answer.body) {
                seen.insert(name.to_string(), v);
            }
        }
    }
}

/// The model's answers to `steps`, in the order the requests go to the target.
fn answers(model: &mut Model, steps: &[Step<'_>]) -> Vec<Answer> {
    let mut out = Vec::new();
    for step in steps {
        if let Some(op) = step.op {
            out.push(model.apply(op));
        }
        out.extend(
            step.watched
                .iter()
                .map(|n| model.apply(&Op::Retrieve { who: n.clone() })),
        );
    }
    out
}
