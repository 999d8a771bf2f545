//! Both sides in lockstep: the target, over HTTP, and the reference model, a [`Space`] of the
//! same profile driven through the same pure [`handle`] as the simulated space (never through
//! a fault: faults wrap the space from outside). Each sequence starts from fresh conferences on
//! both sides (or, on a target whose participants are shared, from their state before the run);
//! after each operation the answers are compared, then every participant's full state.

use laml_conformance::check::{Deviation, dates};
use laml_conformance::client::{ApiClient, ParticipantRef, ParticipantUpdate};
use laml_conformance::credentials::Credentials;
use laml_conformance::error::Error;
use laml_conformance::setup::ArrangedConference;
use laml_conformance::sim::http::{SimRequest, handle};
use laml_conformance::sim::state::Space;
use laml_conformance::spec::{self, Dialect, Profile, wire};
use laml_conformance::target::{Need, Target};
use serde_json::Value;
use time::OffsetDateTime;

use super::compare::{self, Kind, Viewer};
use super::ops::{Creds, FIRST, Op, Place, Plan, SECOND, Val};

/// The token of the `with a wrong token` step.
const WRONG_TOKEN: &str = "not-the-token";

/// Where each named participant is on one side.
#[derive(Debug, Clone)]
pub struct Roster {
    /// The first conference, then the second if arranged.
    pub conferences: Vec<ArrangedConference>,
}

impl Roster {
    /// The first conference (every roster has one).
    pub fn first(&self) -> &ArrangedConference {
        &self.conferences[0]
    }

    /// The named participant's ids.
    pub fn at(&self, name: &str) -> Option<ParticipantRef> {
        self.conferences.iter().find_map(|c| {
            c.participants
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, sid)| ParticipantRef {
                    account_sid: c.credentials.project_id.clone(),
                    conference_sid: c.conference_sid.clone(),
                    call_sid: sid.clone(),
                })
        })
    }

    /// The name of the participant with this call sid.
    pub fn name_of(&self, sid: &str) -> Option<&str> {
        self.conferences
            .iter()
            .flat_map(|c| &c.participants)
            .find(|(_, s)| s == sid)
            .map(|(n, _)| n.as_str())
    }

    /// Every name, conference by conference, in the order arranged.
    pub fn names(&self) -> Vec<String> {
        self.conferences
            .iter()
            .flat_map(|c| c.participants.iter().map(|(n, _)| n.clone()))
            .collect()
    }

    /// The call sids of the other participants of `name`'s conference.
    pub fn others(&self, name: &str) -> Vec<String> {
        self.conferences
            .iter()
            .find(|c| c.participants.iter().any(|(n, _)| n == name))
            .map(|c| {
                c.participants
                    .iter()
                    .filter(|(n, _)| n != name)
                    .map(|(_, s)| s.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Which credentials a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The account's own.
    Own,
    /// None.
    Without,
    /// The account's id with another token.
    WrongToken,
}

/// One request, built for one side from an operation: the same for both but for the sids.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method.
    pub method: &'static str,
    /// The path, without query.
    pub path: String,
    /// The query, without `?`.
    pub query: Option<String>,
    /// The credentials.
    pub auth: Auth,
    /// `(content type, text)`.
    pub body: Option<(&'static str, String)>,
}

/// The request `op` stands for on the side whose participants `roster` holds.
pub fn request(op: &Op, roster: &Roster, dialect: Dialect, profile: &Profile) -> Request {
    let at = |name: &str| {
        roster.at(name).unwrap_or_else(|| ParticipantRef {
            call_sid: profile.ids.fresh("CA"),
            ..place_of(roster.first())
        })
    };
    let resolve = |v: &Val| match v {
        Val::Text(t) => t.clone(),
        Val::Sid(name) => at(name).call_sid,
        Val::UnknownSid => profile.ids.fresh("CA"),
    };
    let mute = || Some((wire::FORM, ParticipantUpdate::new().param("Muted", "true").encode()));
    let post = |path: String, body, auth| Request {
        method: "POST",
        path,
        query: None,
        auth,
        body,
    };
    match op {
        Op::Update { who, params } => {
            let update = params
                .iter()
                .fold(ParticipantUpdate::new(), |u, (k, v)| u.param(k.clone(), resolve(v)));
            post(
                spec::in_form(at(who).path(dialect), profile.paths),
                Some((wire::FORM, update.encode())),
                Auth::Own,
            )
        }
        Op::Undocumented { who, key, value } => {
            let update = ParticipantUpdate::new().param(key.clone(), resolve(value));
            post(
                spec::in_form(at(who).path(dialect), profile.paths),
                Some((wire::FORM, update.encode())),
                Auth::Own,
            )
        }
        Op::Method { who, method } => Request {
            method,
            ..post(spec::in_form(at(who).path(dialect), profile.paths), mute(), Auth::Own)
        },
        Op::Credentials { who, how } => {
            let auth = match how {
                Creds::Without => Auth::Without,
                Creds::WrongToken => Auth::WrongToken,
            };
            post(spec::in_form(at(who).path(dialect), profile.paths), mute(), auth)
        }
        Op::UnknownPlace { who, what } => {
            let mut to = at(who);
            match what {
                Place::Account => to.account_sid = profile.ids.fresh("AC"),
                Place::Conference => to.conference_sid = profile.ids.fresh("CF"),
            }
            post(spec::in_form(to.path(dialect), profile.paths), mute(), Auth::Own)
        }
        Op::UnknownParticipant => {
            let to = ParticipantRef {
                call_sid: profile.ids.fresh("CA"),
                ..place_of(roster.first())
            };
            post(spec::in_form(to.path(dialect), profile.paths), mute(), Auth::Own)
        }
        Op::Body { who, json, text } => {
            let content_type = if *json { "application/json" } else { "text/plain" };
            post(
                spec::in_form(at(who).path(dialect), profile.paths),
                Some((content_type, text.clone())),
                Auth::Own,
            )
        }
        Op::Retrieve { who } => Request {
            method: "GET",
            ..post(spec::in_form(at(who).path(dialect), profile.paths), None, Auth::Own)
        },
        Op::List { filter, value } => {
            let first = roster.first();
            Request {
                method: "GET",
                query: Some(serde_urlencoded::to_string([(filter, value)]).unwrap_or_default()),
                ..post(
                    spec::in_form(
                        spec::participants_path(dialect, &first.credentials.project_id, &first.conference_sid),
                        profile.paths,
                    ),
                    None,
                    Auth::Own,
                )
            }
        }
    }
}

/// A conference's account and sid, with no call.
fn place_of(conference: &ArrangedConference) -> ParticipantRef {
    ParticipantRef {
        account_sid: conference.credentials.project_id.clone(),
        conference_sid: conference.conference_sid.clone(),
        call_sid: String::new(),
    }
}

/// What one side answered.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The body, read once: JSON, or the text that is not JSON (empty for no body).
    pub body: Result<Value, String>,
    /// The side's clock when it answered (the target's `Date`), if it says.
    pub date: Option<OffsetDateTime>,
}

impl Answer {
    fn read(status: u16, content_type: Option<String>, text: String, date: Option<OffsetDateTime>) -> Self {
        let body = serde_json::from_str(&text).map_err(|_| text);
        Answer {
            status,
            content_type,
            body,
            date,
        }
    }

    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<&Value> {
        self.body.as_ref().ok()
    }

    /// The body of a 200, if it is JSON.
    pub fn ok(&self) -> Option<&Value> {
        self.json().filter(|_| self.status == 200)
    }
}

/// The reference model of one sequence: a fresh space of the profile.
#[derive(Debug)]
pub struct Model {
    space: Space,
    /// Its named participants.
    pub roster: Roster,
}

impl Model {
    /// A fresh space with the plan's conferences, arranged as the target's are.
    pub fn arrange(profile: &'static Profile, plan: &Plan) -> Self {
        let mut space = Space::serving(profile);
        let first = space.arrange_conference(&FIRST);
        let mut conferences = vec![first.clone()];
        if plan.second
            && let Some(second) = space.arrange_conference_in(&first.credentials.project_id, &SECOND)
        {
            conferences.push(second);
        }
        if plan.completed {
            space.complete_conference(&first.credentials.project_id, &first.conference_sid);
        }
        Model {
            space,
            roster: Roster { conferences },
        }
    }

    /// The model's answer to `op`.
    pub fn apply(&mut self, op: &Op) -> Answer {
        let profile = self.space.profile;
        let req = request(op, &self.roster, profile.dialect(), profile);
        self.send(&req)
    }

    /// The model's answer to a request built for it.
    pub fn send(&mut self, req: &Request) -> Answer {
        let account = &self.roster.first().credentials;
        let authorization = match req.auth {
            Auth::Own => Some(wire::basic_header(&account.project_id, account.token.expose())),
            Auth::Without => None,
            Auth::WrongToken => Some(wire::basic_header(&account.project_id, WRONG_TOKEN)),
        };
        let view = SimRequest {
            method: req.method,
            path: &req.path,
            query: req.query.as_deref(),
            authorization: authorization.as_deref(),
            content_type: req.body.as_ref().map(|(c, _)| *c),
            body: req.body.as_ref().map_or(&[][..], |(_, b)| b.as_bytes()),
        };
        let response = handle(&mut self.space, &view);
        match response.body {
            Some(body) => Answer {
                status: response.status,
                content_type: Some(wire::JSON.to_string()),
                body: Ok(body),
                date: None,
            },
            None => Answer::read(response.status, None, String::new(), None),
        }
    }

    /// A named participant as the model holds it now, `None` once it is gone.
    pub fn state(&mut self, name: &str) -> Option<Value> {
        let answer = self.apply(&Op::Retrieve { who: name.into() });
        answer.ok().cloned()
    }
}

/// The target's side of one sequence.
struct Remote<'t> {
    target: &'t Target,
    profile: &'static Profile,
    client: ApiClient,
    roster: Roster,
    /// The target's clock at its last answer.
    last_date: Option<OffsetDateTime>,
}

impl<'t> Remote<'t> {
    async fn arrange(target: &'t Target, profile: &'static Profile, plan: &Plan) -> Result<Self, Error> {
        let first = target.arrange_conference(&FIRST).await?;
        let mut conferences = vec![first.clone()];
        if plan.second {
            conferences.push(target.arrange_another_conference(&first, &SECOND).await?);
        }
        if plan.completed {
            target.complete_conference(&first).await?;
        }
        Ok(Remote {
            client: target.client(&first),
            target,
            profile,
            roster: Roster { conferences },
            last_date: None,
        })
    }

    async fn send(&mut self, req: &Request) -> Result<Answer, Error> {
        let answer = self.fetch(req).await?;
        self.last_date = answer.date.or(self.last_date);
        Ok(answer)
    }

    /// Sends one request, leaving the clock of the last answer alone (requests sent at once).
    async fn fetch(&self, req: &Request) -> Result<Answer, Error> {
        let own = &self.roster.first().credentials;
        let client = match req.auth {
            Auth::Own => self.client.clone(),
            Auth::Without => self.client.with_credentials(None),
            Auth::WrongToken => self
                .client
                .with_credentials(Some(Credentials::new(own.project_id.clone(), WRONG_TOKEN))),
        };
        let path = match &req.query {
            Some(q) => format!("{}?{q}", req.path),
            None => req.path.clone(),
        };
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let exchange = client.send(method, &path, req.body.clone()).await?;
        let date = exchange.server_date();
        let content_type = exchange.header("content-type").map(str::to_string);
        Ok(Answer::read(exchange.status, content_type, exchange.body, date))
    }

    async fn apply(&mut self, op: &Op) -> Result<Answer, Error> {
        let req = request(op, &self.roster, self.target.dialect(), self.profile);
        self.send(&req).await
    }
}

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

/// The target, the profile, and on a target whose participants are shared, the updates that
/// bring them back to their state before the run.
#[derive(Debug)]
pub struct Lockstep<'t> {
    target: &'t Target,
    profile: &'static Profile,
    baseline: Vec<Op>,
}

impl<'t> Lockstep<'t> {
    /// Reads, on a target whose participants are shared, their state before the run: each
    /// sequence starts from it and [`Lockstep::restore`] puts it back.
    pub async fn new(target: &'t Target, profile: &'static Profile) -> Result<Self, Error> {
        let mut baseline = Vec::new();
        if target.shares_participants() {
            let plan = Plan {
                second: false,
                completed: false,
                ops: Vec::new(),
            };
            let mut remote = Remote::arrange(target, profile, &plan).await?;
            for name in FIRST {
                let answer = remote.apply(&Op::Retrieve { who: name.into() }).await?;
                let state = answer.ok().ok_or_else(|| {
                    Error::Config(format!(
                        "the participant {name:?} could not be read (the target answered {}); check --participant {name}=SID",
                        answer.status
                    ))
                })?;
                baseline.push(restoring(name, state, &remote.roster)?);
            }
        }
        Ok(Lockstep {
            target,
            profile,
            baseline,
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
        let mut remote = Remote::arrange(self.target, self.profile, &plan).await?;
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
    /// the plan, or `stop` says so (checked before each operation).
    pub async fn replay(&self, plan: &Plan, stop: &mut dyn FnMut() -> bool) -> Result<Outcome, Error> {
        let mut model = Model::arrange(self.profile, plan);
        let mut remote = Remote::arrange(self.target, self.profile, plan).await?;
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
            seen_model: Default::default(),
            seen_target: Default::default(),
        };
        if let Some(d) = pair.observe(0).await? {
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
            let divergence = match pair.step(i + 1, op).await? {
                Some(d) => Some(d),
                None => pair.observe(i + 1).await?,
            };
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

/// The update that brings `name` back to `state` (its flags, and whom it coaches).
fn restoring(name: &str, state: &Value, roster: &Roster) -> Result<Op, Error> {
    let flag = |key: &str| Val::Text(state.get(key).and_then(Value::as_bool).unwrap_or(false).to_string());
    let mut params = vec![("Muted".to_string(), flag("muted")), ("Hold".to_string(), flag("hold"))];
    if state.get("coaching").and_then(Value::as_bool) == Some(true) {
        let coached = state
            .get("call_sid_to_coach")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(whom) = roster.name_of(coached) else {
            return Err(Error::Config(format!(
                "{name:?} coaches {coached:?}, who is not among agent, customer and supervisor; name that participant with --participant, or stop the coaching first"
            )));
        };
        params.push(("CallSidToCoach".to_string(), Val::Sid(whom.to_string())));
    } else {
        params.push(("Coaching".to_string(), Val::Text("false".into())));
    }
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

    /// Sends one operation to both sides and compares the answers.
    async fn step(&mut self, step: usize, op: &Op) -> Result<Option<Divergence>, Error> {
        let server_before = self.remote.last_date;
        let sent_here = OffsetDateTime::now_utc();
        let m = self.model.apply(op);
        let t = self.remote.apply(op).await?;
        let kind = match (op, op.who()) {
            (Op::List { .. }, _) => Kind::List,
            (_, Some(who)) => Kind::Participant(who),
            (_, None) => Kind::Participant(""),
        };
        // A successful update moves date_updated or not by the clock: the target's answer is
        // judged by the bounds of the request's window, as the suite judges it.
        let updated = !matches!(op, Op::Retrieve { .. } | Op::List { .. }) && m.status == 200;
        let (mv, tv) = self.viewers();
        let seen = |map: &std::collections::HashMap<String, Value>| match kind {
            Kind::Participant(name) if !updated => map.get(name).cloned(),
            _ => None,
        };
        let model_view = compare::view(&m, kind, &mv, seen(&self.seen_model).as_ref());
        let target_view = compare::view(&t, kind, &tv, seen(&self.seen_target).as_ref());
        let mut deviations = compare::diff(&model_view, &target_view);
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
            if let Some(v) = m.ok() {
                self.seen_model.insert(name.to_string(), v.clone());
            }
            if let Some(v) = t.ok() {
                self.seen_target.insert(name.to_string(), v.clone());
            }
        }
        Ok((!deviations.is_empty()).then_some(Divergence {
            step,
            about: About::Answer,
            deviations,
        }))
    }

    /// Retrieves every named participant on both sides (on the target all at once) and
    /// compares each.
    async fn observe(&mut self, step: usize) -> Result<Option<Divergence>, Error> {
        let names = self.model.roster.names();
        let ops: Vec<Op> = names.iter().map(|n| Op::Retrieve { who: n.clone() }).collect();
        let requests: Vec<Request> = ops
            .iter()
            .map(|op| request(op, &self.remote.roster, self.remote.target.dialect(), self.profile))
            .collect();
        let answers = futures::future::join_all(requests.iter().map(|r| self.remote.fetch(r))).await;
        for ((name, op), t) in names.into_iter().zip(&ops).zip(answers) {
            let t = t?;
            self.remote.last_date = t.date.max(self.remote.last_date);
            let m = self.model.apply(op);
            let (mv, tv) = self.viewers();
            let kind = Kind::Participant(&name);
            let model_view = compare::view(&m, kind, &mv, self.seen_model.get(&name));
            let target_view = compare::view(&t, kind, &tv, self.seen_target.get(&name));
            let deviations = compare::diff(&model_view, &target_view);
            if let Some(v) = m.ok() {
                self.seen_model.insert(name.clone(), v.clone());
            }
            if let Some(v) = t.ok() {
                self.seen_target.insert(name.clone(), v.clone());
            }
            if !deviations.is_empty() {
                return Ok(Some(Divergence {
                    step,
                    about: About::State(name),
                    deviations,
                }));
            }
        }
        Ok(None)
    }
}
