//! The target's side of the lockstep: the same operations, over HTTP.

use laml_conformance::client::ApiClient;
use laml_conformance::credentials::Credentials;
use laml_conformance::error::Error;
use laml_conformance::spec::Profile;
use laml_conformance::target::Target;
use time::OffsetDateTime;

use super::ops::{FIRST, Op, Plan, SECOND};
use super::side::{Answer, Auth, Request, Roster, WRONG_TOKEN, request};

/// The target's side of one sequence.
pub struct Remote<'t> {
    /// The target.
    pub target: &'t Target,
    profile: &'static Profile,
    client: ApiClient,
    /// Where each named participant is on the target.
    pub roster: Roster,
    /// The target's clock at its last answer.
    pub last_date: Option<OffsetDateTime>,
}

impl<'t> Remote<'t> {
    pub async fn arrange(target: &'t Target, profile: &'static Profile, plan: &Plan) -> Result<Self, Error> {
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

    pub async fn send(&mut self, req: &Request) -> Result<Answer, Error> {
        let answer = self.fetch(req).await?;
        self.last_date = answer.date.or(self.last_date);
        Ok(answer)
    }

    /// Sends one request, leaving the clock of the last answer alone (requests sent at once).
    pub async fn fetch(&self, req: &Request) -> Result<Answer, Error> {
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

    pub async fn apply(&mut self, op: &Op) -> Result<Answer, Error> {
        let req = request(op, &self.roster, self.target.dialect(), self.profile);
        self.send(&req).await
    }
}
