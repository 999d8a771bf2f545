//! Both sides in lockstep: the target, over HTTP (`remote.rs`), and the reference model
//! (`model.rs`), in the words they share (`side.rs`). Each sequence starts from fresh conferences on
//! both sides (or, on a target whose participants are shared, from their state before the run);
//! after each operation the answers are compared, then every participant's full state.

use laml_conformance::check::{Deviation, dates};
use laml_conformance::error::Error;
use laml_conformance::spec::Profile;
use laml_conformance::target::{Need, Target};
use serde_json::Value;
use time::OffsetDateTime;

use crate::steps::restore_shared;

use super::alike::alike;
use super::compare::{self, Kind, Viewer};
use super::model::Model;
use super::ops::{FIRST, Op, Plan, Val};
use super::remote::{self, Remote};
use super::side::{Answer, Request, Roster, request};

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
    /// Whether each sequence's account is given back to the target after it.
    releasing: std::cell::Cell<bool>,
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
            let mut remote = Remote::arrange(target, profile, &plan, pipe.as_ref()).await?;
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
            releasing: std::cell::Cell::new(!target.shares_participants()),
        })
    }

    /// On shared participants, the updates that bring them to their state before the run.
    pub fn baseline(&self) -> &[Op] {
        &self.baseline
    }

    /// Whether the target can arrange `need` for a sequence (a second conference, an ended one).
    pub fn can(&self, need: &Need) -> bool {
        self.target.cannot_arrange(need).is_none()
    }

    /// Puts shared participants back as they were before the run (nothing elsewhere).
    pub async fn restore(&self) -> Result<(), Error> {
        if self.baseline.is_empty() {
            return Ok(());
        }
        let plan = Plan {
            second: false,
            completed: false,
            ops: Vec::new(),
        };
        let mut remote = Remote::arrange(self.target, self.profile, &plan, self.pipe.as_ref()).await?;
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
        let remote = Remote::arrange(self.target, self.profile, plan, self.pipe.as_ref()).await?;
        let arranged = remote.roster.first().clone();
        let outcome = self.walk(remote, plan, watch, stop).await?;
        if self.releasing.get() && !matches!(self.target.release(&arranged).await, Ok(true)) {
            // a setup endpoint without the release (or a configured conference) keeps all
            self.releasing.set(false);
        }
        Ok(outcome)
    }

    /// The sequence of [`Lockstep::run`] on the conferences `remote` arranged.
    async fn walk(
        &self,
        mut remote: Remote<'t>,
        plan: &Plan,
        watch: Watch,
        stop: &mut dyn FnMut() -> bool,
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
        let mut pair = Pair {
            model,
            remote,
            profile: self.profile,
            same_ids,
            seen_model: Default::default(),
            seen_target: Default::default(),
        };
        let everyone = pair.model.roster.names();
        let looked = pair.remote.exchange(&pair.retrieves(&everyone)).await?;
        if let Some(d) = pair.observe(0, &everyone, looked) {
            return Ok(Outcome {
                ran: 0,
                divergence: Some(d),
            });
        }
        for (i, op) in plan.ops.iter().enumerate() {
            if stop() {
                return Ok(Outcome {
                    ran: i,
                    divergence: None,
                });
            }
            let last = i + 1 == plan.ops.len();
            let watched: Vec<String> = match watch {
                Watch::Everyone => everyone.clone(),
                Watch::Touched if last => everyone.clone(),
                Watch::Touched if matches!(op, Op::Retrieve { .. } | Op::List { .. }) => Vec::new(),
                Watch::Touched => {
                    let named = op.names();
                    everyone
                        .iter()
                        .filter(|n| named.contains(&n.as_str()))
                        .cloned()
                        .collect()
                }
            };
            let divergence = pair.step(i + 1, op, &watched).await?;
            if divergence.is_some() {
                return Ok(Outcome { ran: i + 1, divergence });
            }
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

/// The two sides of one sequence, and each participant as each side showed it last.
struct Pair<'t> {
    model: Model,
    remote: Remote<'t>,
    profile: &'static Profile,
    /// Whether the model took the target's sids as its own: answers alike but for their
    /// dates need no views then ([`alike`]).
    same_ids: bool,
    seen_model: std::collections::HashMap<String, Value>,
    seen_target: std::collections::HashMap<String, Value>,
}

impl Pair<'_> {
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

    /// The retrieves of `names` on the target.
    fn retrieves(&self, names: &[String]) -> Vec<Request> {
        names
            .iter()
            .map(|n| {
                let op = Op::Retrieve { who: n.clone() };
                request(&op, &self.remote.roster, self.remote.target.dialect(), self.profile)
            })
            .collect()
    }

    /// Sends one operation to both sides, with a retrieve of each of `watched` after it (to the
    /// target in one batch), and compares the answers, then each watched participant.
    async fn step(&mut self, step: usize, op: &Op, watched: &[String]) -> Result<Option<Divergence>, Error> {
        let server_before = self.remote.last_date;
        let sent_here = OffsetDateTime::now_utc();
        let mut requests = vec![request(
            op,
            &self.remote.roster,
            self.remote.target.dialect(),
            self.profile,
        )];
        requests.extend(self.retrieves(watched));
        let mut answers = self.remote.exchange(&requests).await?;
        let looked = answers.split_off(1);
        let t = answers.remove(0);
        self.remote.last_date = t.date.or(self.remote.last_date);
        let m = self.model.apply(op);
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
        if !deviations.is_empty() {
            return Ok(Some(Divergence {
                step,
                about: About::Answer,
                deviations,
            }));
        }
        Ok(self.observe(step, watched, looked))
    }

    /// Keeps `name` as each side just showed it, where it did (a 200 with JSON).
    fn saw(&mut self, name: &str, m: Answer, t: Answer) {
        for (answer, seen) in [(m, &mut self.seen_model), (t, &mut self.seen_target)] {
            if let (200, Ok(v)) = (answer.status, answer.body) {
                seen.insert(name.to_string(), v);
            }
        }
    }

    /// Compares each of `names`, as the target showed it in `looked` (a retrieve of each, in
    /// order), with the model's retrieve of it.
    fn observe(&mut self, step: usize, names: &[String], looked: Vec<Answer>) -> Option<Divergence> {
        for (name, t) in names.iter().zip(looked) {
            self.remote.last_date = t.date.max(self.remote.last_date);
            let m = self.model.apply(&Op::Retrieve { who: name.clone() });
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
}
