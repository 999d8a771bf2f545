//! The target's side of the lockstep: the same operations, over HTTP.
//!
//! On a plain-http target on loopback (the embedded space, `serve`, an implementation on this
//! machine), each operation goes out with the retrieves that show its effect in one write, on
//! one kept connection ([`Pipeline`]): one round trip an operation instead of one a request.
//! Elsewhere the shared client sends them one after another, the retrieves at once.

use laml_conformance::client::{ApiClient, Call, Pipeline};
use laml_conformance::credentials::Credentials;
use laml_conformance::error::Error;
use laml_conformance::setup::ArrangedConference;
use laml_conformance::spec::Profile;
use laml_conformance::target::Target;
use time::OffsetDateTime;
use tokio::sync::Mutex;

use super::ops::{Op, Plan, SECOND};
use super::side::{Answer, Auth, Request, Roster, WRONG_TOKEN, request};

/// The pipeline to `target`, where its requests may be pipelined: plain http on loopback.
pub fn pipeline(target: &Target) -> Option<Mutex<Pipeline>> {
    let base = target.base_url();
    if !laml_conformance::config::is_plain_loopback(&base) {
        return None;
    }
    Pipeline::new(&base, target.timeout()).ok().map(Mutex::new)
}

/// The target's side of one sequence.
pub struct Remote<'t> {
    /// The target.
    pub target: &'t Target,
    profile: &'static Profile,
    client: ApiClient,
    /// The kept connection requests are pipelined on, where they may be.
    pipe: Option<&'t Mutex<Pipeline>>,
    /// The `Authorization` header of the account's own credentials, and of a wrong token.
    own: String,
    wrong: String,
    /// Where each named participant is on the target.
    pub roster: Roster,
    /// The target's clock at its last answer.
    pub last_date: Option<OffsetDateTime>,
}

impl<'t> Remote<'t> {
    /// The target's side of a sequence whose first conference (`agent`, `customer` and
    /// `supervisor`) `first` is: the plan's second conference arranged, and the first ended,
    /// where it says.
    pub async fn arrange(
        target: &'t Target,
        profile: &'static Profile,
        plan: &Plan,
        first: ArrangedConference,
        pipe: Option<&'t Mutex<Pipeline>>,
    ) -> Result<Self, Error> {
        let mut conferences = vec![first.clone()];
        if plan.second {
            conferences.push(target.arrange_another_conference(&first, &SECOND).await?);
        }
        if plan.completed {
            target.complete_conference(&first).await?;
        }
        let client = target.client(&first);
        let account = &first.credentials;
        Ok(Remote {
            own: client.auth().header(&account.project_id, account.token.expose()),
            wrong: client.auth().header(&account.project_id, WRONG_TOKEN),
            client,
            pipe,
            target,
            profile,
            roster: Roster { conferences },
            last_date: None,
        })
    }

    /// Whether requests go out pipelined, each batch in one write.
    pub fn pipelined(&self) -> bool {
        self.pipe.is_some()
    }

    /// Sends one request; the target's clock is its answer's.
    pub async fn send(&mut self, req: &Request) -> Result<Answer, Error> {
        let answer = self.exchange(std::slice::from_ref(req)).await?.remove(0);
        self.last_date = answer.date.or(self.last_date);
        Ok(answer)
    }

    /// Sends `requests` and gives their answers in order: pipelined where the target allows
    /// it (in order, in one write); else one at a time, but for a run of retrieves, which go
    /// at once. The clock of the last answer is the caller's to keep.
    pub async fn exchange(&self, requests: &[Request]) -> Result<Vec<Answer>, Error> {
        let Some(pipe) = self.pipe else {
            let mut answers = Vec::with_capacity(requests.len());
            let mut rest = requests;
            while !rest.is_empty() {
                let gets = rest.iter().take_while(|r| r.method == "GET").count().max(1);
                let (now, later) = rest.split_at(gets);
                for answer in futures::future::join_all(now.iter().map(|r| self.fetch(r))).await {
                    answers.push(answer?);
                }
                rest = later;
            }
            return Ok(answers);
        };
        let targets: Vec<String> = requests.iter().map(target_of).collect();
        let calls: Vec<Call<'_>> = requests
            .iter()
            .zip(&targets)
            .map(|(req, target)| Call {
                method: req.method,
                target,
                authorization: match req.auth {
                    Auth::Own => Some(self.own.as_str()),
                    Auth::Without => None,
                    Auth::WrongToken => Some(self.wrong.as_str()),
                },
                body: req.body.as_ref().map(|(c, b)| (*c, b.as_str())),
            })
            .collect();
        let answered = pipe.lock().await.send(&calls).await?;
        Ok(answered
            .into_iter()
            .map(|a| {
                let date = a.server_date();
                let content_type = a.header("content-type").map(str::to_string);
                let token = self.roster.first().credentials.token.expose();
                let secrets = [laml_conformance::spec::wire::AuthScheme::secret_part(&self.own), token];
                Answer::read(
                    a.status,
                    content_type,
                    laml_conformance::client::scrub(a.body, &secrets),
                    date,
                )
            })
            .collect())
    }

    /// Sends one request through the shared client.
    async fn fetch(&self, req: &Request) -> Result<Answer, Error> {
        let own = &self.roster.first().credentials;
        let client = match req.auth {
            Auth::Own => self.client.clone(),
            Auth::Without => self.client.with_credentials(None),
            Auth::WrongToken => self
                .client
                .with_credentials(Some(Credentials::new(own.project_id.clone(), WRONG_TOKEN))),
        };
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let exchange = client.send(method, &target_of(req), req.body.clone()).await?;
        let date = exchange.server_date();
        let content_type = exchange.header("content-type").map(str::to_string);
        Ok(Answer::read(exchange.status, content_type, exchange.body, date))
    }

    pub async fn apply(&mut self, op: &Op) -> Result<Answer, Error> {
        let req = request(op, &self.roster, self.target.dialect(), self.profile);
        self.send(&req).await
    }
}

/// The path and query of a request.
fn target_of(req: &Request) -> String {
    match &req.query {
        Some(q) => format!("{}?{q}", req.path),
        None => req.path.clone(),
    }
}
