//! A remote target: an implementation elsewhere, whose conferences are arranged through its
//! setup endpoint or configured by hand, and which credentials may go to which URL.

use std::time::Duration;

use serde_json::{Value, json};

use crate::client::{MAX_RETRIES, header_pairs, retry_after};
use crate::config::{Arrangement, RemoteConfig};
use crate::credentials::Credentials;
use crate::error::Error;
use crate::setup::ArrangedConference;

/// A remote target and how its setup requests go.
#[derive(Debug)]
pub struct Remote {
    pub(super) config: RemoteConfig,
    pub(super) timeout: Duration,
    /// A kept connection to a setup endpoint on loopback over plain http, and its origin: no
    /// https client is built for a run that never needs one (building it loads the system's
    /// trust store, a tenth of a second). Elsewhere the shared client.
    pub(super) plain: tokio::sync::Mutex<Option<Box<(String, crate::client::Pipeline)>>>,
    /// Whether its participants carry a label, once [`Target::probe_labels`] has looked.
    pub(super) labels: std::sync::OnceLock<bool>,
}

impl Remote {
    pub(super) async fn arrange(
        &self,
        names: &[&str],
        same_account_as: Option<&ArrangedConference>,
    ) -> Result<ArrangedConference, Error> {
        match &self.config.arrangement {
            Arrangement::Configured {
                conference_sid,
                participants,
            } => {
                if same_account_as.is_some() {
                    return Err(Error::Config(
                        "a configured conference cannot give a second conference".into(),
                    ));
                }
                let credentials = self
                    .config
                    .credentials
                    .clone()
                    .ok_or_else(|| Error::Config("no credentials".into()))?;
                let mut chosen = Vec::new();
                for name in names {
                    let (_, sid) = participants.iter().find(|(n, _)| n == name).ok_or_else(|| {
                        Error::Config(format!(
                            "no participant named {name:?} is configured: add --participant {name}=SID"
                        ))
                    })?;
                    chosen.push((name.to_string(), sid.clone()));
                }
                Ok(ArrangedConference {
                    credentials,
                    conference_sid: conference_sid.clone(),
                    participants: chosen,
                })
            }
            Arrangement::Setup { url } => {
                let mut ask = json!({ "participants": names });
                if let Some(a) = same_account_as {
                    ask["account_sid"] = Value::from(a.credentials.project_id.as_str());
                }
                let as_account = same_account_as.map(|a| &a.credentials);
                let answer = self.post_setup(&format!("{url}/conferences"), &ask, as_account).await?;
                self.arranged_from(url, &answer, same_account_as)
            }
        }
    }

    pub(super) async fn complete(&self, arranged: &ArrangedConference) -> Result<(), Error> {
        let Arrangement::Setup { url } = &self.config.arrangement else {
            return Err(Error::Config(
                "a configured conference cannot be ended by the harness".into(),
            ));
        };
        let ask = json!({ "account_sid": arranged.credentials.project_id });
        self.post_setup(
            &format!("{url}/conferences/{}/complete", arranged.conference_sid),
            &ask,
            Some(&arranged.credentials),
        )
        .await
        .map(drop)
    }

    /// Gives back an account the setup endpoint made with a token of its own; never the
    /// user's (its project id, or its token: a setup endpoint that omits `api_token` hands out
    /// accounts the user's token opens, which are the user's to keep).
    pub(super) async fn release(&self, arranged: &ArrangedConference) -> Result<bool, Error> {
        let Arrangement::Setup { url } = &self.config.arrangement else {
            return Ok(false);
        };
        let given = &arranged.credentials;
        if let Some(user) = &self.config.credentials
            && (user.project_id == given.project_id || user.token.expose() == given.token.expose())
        {
            return Ok(false);
        }
        let url = format!("{url}/accounts/{}", arranged.credentials.project_id);
        let (status, _, _) = self.ask("DELETE", &url, None, Some(&arranged.credentials)).await?;
        Ok((200..300).contains(&status))
    }

    /// Sends one request to the setup endpoint (a JSON body, if any; `account`'s credentials
    /// where they may go there): its status, headers and body.
    async fn ask(
        &self,
        method: &str,
        url: &str,
        json: Option<String>,
        account: Option<&Credentials>,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>), Error> {
        let authorization = account
            .filter(|_| self.may_carry_credentials(url))
            .map(|c| crate::spec::wire::basic_header(&c.project_id, c.token.expose()));
        let parsed = url::Url::parse(url)
            .ok()
            .filter(|_| crate::config::is_plain_loopback(url));
        if let Some(parsed) = parsed {
            let origin = parsed.origin().ascii_serialization();
            let target = match parsed.query() {
                Some(q) => format!("{}?{q}", parsed.path()),
                None => parsed.path().to_string(),
            };
            let mut kept = self.plain.lock().await;
            if kept.as_ref().is_none_or(|k| k.0 != origin) {
                let pipe = crate::client::Pipeline::new(&origin, self.timeout)?;
                *kept = Some(Box::new((origin.clone(), pipe)));
            }
            let Some(pipe) = kept.as_mut().map(|k| &mut k.1) else {
                return Err(Error::Config(format!("no connection to {origin}")));
            };
            let call = crate::client::Call {
                method,
                target: &target,
                authorization: authorization.as_deref(),
                body: json.as_deref().map(|j| ("application/json", j)),
            };
            let answered = pipe.send(&[call]).await?.pop();
            return answered
                .map(|a| (a.status, a.headers, a.body.into_bytes()))
                .ok_or_else(|| Error::Config(format!("no answer came from {url}")));
        }
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut request = crate::client::shared_http().request(method, url).timeout(self.timeout);
        if let Some(json) = json {
            request = request.header("content-type", "application/json").body(json);
        }
        if let Some(a) = authorization {
            request = request.header("authorization", a);
        }
        let response = request
            .send()
            .await
            .map_err(|e| crate::client::transport_error(url, self.timeout, &e))?;
        let status = response.status().as_u16();
        let headers = header_pairs(response.headers());
        let body = crate::client::read_bounded(response, url, self.timeout).await?;
        Ok((status, headers, body))
    }

    /// Whether a request to `url` may carry an account's credentials: a setup endpoint of the
    /// target's own origin, or on loopback; a token from the environment never goes to another
    /// host.
    fn may_carry_credentials(&self, url: &str) -> bool {
        let origin = |u: &str| {
            url::Url::parse(u).ok().map(|u| {
                (
                    u.scheme().to_string(),
                    u.host_str().map(str::to_string),
                    u.port_or_known_default(),
                )
            })
        };
        let Some(setup) = origin(url) else { return false };
        is_loopback_url(url) || origin(&self.config.base_url) == Some(setup)
    }

    /// Asks the setup endpoint, as `account` where the request is about one of its own. A
    /// space that is full answers 503 with a `Retry-After` (`serve` does once every account is
    /// in use): that is waited for and asked again, as a 429 is, before it is reported.
    async fn post_setup(&self, url: &str, ask: &Value, account: Option<&Credentials>) -> Result<Value, Error> {
        let mut retries = 0;
        let (status, bytes) = loop {
            let (status, headers, body) = self.ask("POST", url, Some(ask.to_string()), account).await?;
            if status != 503 || retries == MAX_RETRIES {
                break (status, body);
            }
            retries += 1;
            tokio::time::sleep(retry_after(&headers)).await;
        };
        let text = String::from_utf8_lossy(&bytes);
        if !(200..300).contains(&status) {
            return Err(Error::Setup {
                url: url.to_string(),
                detail: format!("it answered {status}: {text:.200}"),
            });
        }
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).map_err(|e| Error::Setup {
            url: url.to_string(),
            detail: format!("its answer is not JSON ({e})"),
        })
    }

    fn arranged_from(
        &self,
        url: &str,
        answer: &Value,
        same_account_as: Option<&ArrangedConference>,
    ) -> Result<ArrangedConference, Error> {
        let bad = |what: &str| Error::Setup {
            url: url.to_string(),
            detail: format!("its answer lacks {what}"),
        };
        let text = |key: &str| answer.get(key).and_then(Value::as_str).map(str::to_string);
        let account = text("account_sid").ok_or_else(|| bad("\"account_sid\""))?;
        let conference_sid = text("conference_sid").ok_or_else(|| bad("\"conference_sid\""))?;
        if let Some(a) = same_account_as
            && a.credentials.project_id != account
        {
            return Err(Error::Setup {
                url: url.to_string(),
                detail: format!(
                    "asked for a conference in account {}, it answered one in {account}",
                    a.credentials.project_id
                ),
            });
        }
        let credentials = match (text("api_token"), same_account_as, &self.config.credentials) {
            // A token a setup endpoint made is a throwaway one only where the setup endpoint and
            // the target are both on loopback (a test server) and it is not the user's own.
            (Some(token), _, user)
                if is_loopback_url(url)
                    && self.config.loopback
                    && user.as_ref().is_none_or(|c| c.token.expose() != token) =>
            {
                Credentials::throwaway(account, token)
            }
            (Some(token), _, _) => Credentials::new(account, token),
            (None, Some(a), _) => a.credentials.clone(),
            (None, None, Some(c)) => Credentials::new(account, c.token.expose()),
            (None, None, None) => return Err(bad("\"api_token\" (and LAML_API_TOKEN is not set)")),
        };
        let map = answer
            .get("participants")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("\"participants\""))?;
        let participants = map
            .iter()
            .map(|(name, sid)| {
                sid.as_str()
                    .map(|s| (name.clone(), s.to_string()))
                    .ok_or_else(|| bad("string sids"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ArrangedConference {
            credentials,
            conference_sid,
            participants,
        })
    }
}

/// Whether `url` names a host on this machine.
fn is_loopback_url(url: &str) -> bool {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.trim_matches(['[', ']']).to_string()))
        .is_some_and(|h| crate::config::is_loopback(&h))
}
