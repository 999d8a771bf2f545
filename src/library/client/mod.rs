//! A typed client of the endpoint and its siblings, one method per endpoint.
//!
//! Every call returns an [`Exchange`]: what was sent (credential redacted) and what came back,
//! already read. Steps and checks work on that data, never on a live response, so a failure can
//! always show the exchange that caused it.

use std::time::{Duration, Instant};

use reqwest::Method;

use crate::credentials::Credentials;
use crate::error::Error;
use crate::spec::profile::PathForm;
use crate::spec::{self, Dialect, wire};

mod exchange;
mod framing;
mod pipeline;
mod transport;

pub use crate::spec::ParticipantRef;
pub use exchange::{Exchange, SentRequest};
pub use framing::Call;
pub use pipeline::{Answered, Pipeline};
pub use transport::{MAX_BODY, MAX_RETRIES, MAX_RETRY_WAIT, header_pairs, retry_after};
pub(crate) use transport::{read_bounded, transport_error};

/// The form parameters of one update, in the order they are sent.
///
/// Kept as key/value strings rather than typed fields so that a scenario can send exactly what a
/// client in the wild sends (`True`, an unknown key, an empty value) and see how it is treated.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ParticipantUpdate {
    /// `(key, value)` pairs, sent form-urlencoded in this order.
    pub params: Vec<(String, String)>,
}

impl ParticipantUpdate {
    /// An update with no parameters (the page's first example).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one parameter as given; no validation, so malformed requests can be sent on purpose.
    pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((key.into(), value.into()));
        self
    }

    /// The form-urlencoded body.
    pub fn encode(&self) -> String {
        serde_urlencoded::to_string(&self.params).expect("string pairs always encode")
    }
}

pub use crate::spec::wire::FORM;

/// A client of one target: base URL, path dialect and credentials.
#[derive(Debug, Clone)]
pub struct ApiClient {
    timeout: Duration,
    base: String,
    dialect: Dialect,
    /// `.json` or bare: the form the run's profile documents.
    paths: PathForm,
    credentials: Option<Credentials>,
    /// How the credentials travel: the profile's scheme.
    auth: wire::AuthScheme,
    recorder: Option<Recorder>,
}

/// Where a client keeps every exchange it makes, in order, for a scenario's baseline
/// recording (`--record`, `--baseline`).
pub type Recorder = std::sync::Arc<std::sync::Mutex<Vec<Exchange>>>;

/// How long an idle connection is kept for reuse: less than servers keep theirs (`serve`
/// closes one after 10 s), so a request never goes out on a connection the server is closing.
pub const POOL_IDLE: Duration = Duration::from_secs(4);

/// The one HTTP client of the process, shared by every [`ApiClient`], the setup endpoint's
/// requests and the run's first probe of the target: building one loads the system's trust
/// store for https (reqwest with native-tls does so even for a client that only ever speaks
/// plain http), which costs tens of milliseconds each time, too much to pay per scenario or
/// three times per run. Timeouts are set per request. It follows no redirect: a redirect to
/// another host must not carry credentials.
pub fn shared_http() -> reqwest::Client {
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    HTTP.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(POOL_IDLE)
            .build()
            .expect("an HTTP client builds unless the system's OpenSSL cannot start")
    })
    .clone()
}

impl ApiClient {
    /// A client of the target at `base` (scheme, host and port, no path) that sends `credentials`.
    ///
    /// Redirects are never followed: a redirect to another host must not carry the credentials.
    pub fn new(base: &str, dialect: Dialect, credentials: Option<Credentials>, timeout: Duration) -> Self {
        ApiClient {
            timeout,
            base: base.trim_end_matches('/').to_string(),
            dialect,
            paths: PathForm::Json,
            credentials,
            auth: wire::AuthScheme::Basic,
            recorder: None,
        }
    }

    /// The same client, sending its paths in `form` (SignalWire documents them without `.json`).
    pub fn with_paths(self, form: PathForm) -> Self {
        ApiClient { paths: form, ..self }
    }

    /// The same client, sending its credentials in `scheme` (Bearer where the profile says).
    pub fn with_auth(self, scheme: wire::AuthScheme) -> Self {
        ApiClient { auth: scheme, ..self }
    }

    /// The scheme this client sends its credentials in.
    pub fn auth(&self) -> wire::AuthScheme {
        self.auth
    }

    /// A participant's path as this client sends it: its dialect and its path form.
    pub fn participant_path(&self, p: &ParticipantRef) -> String {
        spec::in_form(p.path(self.dialect), self.paths)
    }

    /// A conference's participant list path as this client sends it, without query.
    pub fn list_path(&self, account_sid: &str, conference_sid: &str) -> String {
        spec::in_form(
            spec::participants_path(self.dialect, account_sid, conference_sid),
            self.paths,
        )
    }

    /// The same client, keeping every exchange it (and each client made from it) makes in
    /// `recorder`.
    pub fn recording_into(self, recorder: Recorder) -> Self {
        ApiClient {
            recorder: Some(recorder),
            ..self
        }
    }

    /// The same client with other credentials (or none), to probe authentication.
    pub fn with_credentials(&self, credentials: Option<Credentials>) -> Self {
        ApiClient {
            credentials,
            ..self.clone()
        }
    }

    /// POST an update to one participant.
    pub async fn update_participant(&self, p: &ParticipantRef, update: &ParticipantUpdate) -> Result<Exchange, Error> {
        let path = self.participant_path(p);
        self.send(Method::POST, &path, Some((FORM, update.encode()))).await
    }

    /// GET one participant.
    pub async fn retrieve_participant(&self, p: &ParticipantRef) -> Result<Exchange, Error> {
        let path = self.participant_path(p);
        self.send(Method::GET, &path, None).await
    }

    /// GET the participants of a conference, filtered by `Muted` / `Hold` when given.
    pub async fn list_participants(
        &self,
        account_sid: &str,
        conference_sid: &str,
        filters: &[(&str, &str)],
    ) -> Result<Exchange, Error> {
        let mut path = self.list_path(account_sid, conference_sid);
        if !filters.is_empty() {
            path.push('?');
            path.push_str(&serde_urlencoded::to_string(filters).expect("string pairs always encode"));
        }
        self.send(Method::GET, &path, None).await
    }

    /// DELETE (kick) one participant.
    pub async fn delete_participant(&self, p: &ParticipantRef) -> Result<Exchange, Error> {
        let path = self.participant_path(p);
        self.send(Method::DELETE, &path, None).await
    }

    /// Sends any method to any path of the target, for requests the typed methods cannot make.
    ///
    /// `body` is `(content type, text)`; an update sends its form this way, and a scenario can
    /// send JSON or anything else to see how the target refuses it.
    pub async fn send(&self, method: Method, path: &str, body: Option<(&str, String)>) -> Result<Exchange, Error> {
        let url = format!("{}{}", self.base, path);
        let mut headers = vec![("accept".to_string(), "application/json".to_string())];
        let (content_type, body) = match body {
            Some((content_type, text)) => (Some(content_type), text),
            None => (None, String::new()),
        };
        if let Some(ct) = content_type {
            headers.push(("content-type".into(), ct.to_string()));
        }
        // the shared client is built at the first request, not with the client: a run that
        // sends none through it (explore on loopback) never loads the trust store
        let mut req = shared_http().request(method.clone(), &url).timeout(self.timeout);
        for (k, v) in &headers {
            req = req.header(k, v);
        }
        if let Some(c) = &self.credentials {
            req = req.header("authorization", self.auth.header(&c.project_id, c.token.expose()));
        }
        if content_type.is_some() {
            req = req.body(body.clone());
        }
        let started = Instant::now();
        let user = self.credentials.as_ref().map(|c| c.project_id.clone());
        let throwaway_token = self
            .credentials
            .as_ref()
            .filter(|c| c.throwaway)
            .map(|c| c.token.expose().to_string());
        let sent = SentRequest {
            method: method.to_string(),
            // as it went on the wire: a label with a space or a non-ASCII letter percent-encoded,
            // so that the curl command of a failure sends what the harness sent
            url: url::Url::parse(&url).map_or_else(|_| url.clone(), String::from),
            user,
            throwaway_token,
            auth: self.auth,
            headers,
            body,
        };
        let mut retries = 0;
        loop {
            let request = req.try_clone().expect("bodies are in memory, so requests clone");
            let response = request
                .send()
                .await
                .map_err(|e| transport_error(&url, self.timeout, &e))?;
            let status = response.status().as_u16();
            let headers = transport::header_pairs(response.headers());
            if status == 429 && retries < MAX_RETRIES {
                retries += 1;
                tokio::time::sleep(transport::retry_after(&headers)).await;
                continue;
            }
            let body = read_bounded(response, &url, self.timeout).await?;
            let exchange = Exchange {
                request: sent,
                status,
                headers,
                body: self.scrub(String::from_utf8_lossy(&body).into_owned()),
                elapsed: started.elapsed(),
            };
            if let Some(recorder) = &self.recorder {
                recorder
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(exchange.clone());
            }
            return Ok(exchange);
        }
    }
}

impl ApiClient {
    /// A body with this client's token (and its header's encoded secret) taken out: a target or proxy that
    /// echoes request headers must not put the token into a failure message or a report.
    /// A body without them (every body of a sound target) is given back as it came, not copied.
    pub fn scrub(&self, body: String) -> String {
        let Some(c) = &self.credentials else { return body };
        let header = self.auth.header(&c.project_id, c.token.expose());
        scrub(body, &[wire::AuthScheme::secret_part(&header), c.token.expose()])
    }
}

/// `body` with each of `secrets` taken out (see [`ApiClient::scrub`]), for a caller that keeps
/// its secrets at hand rather than encoding them again for every body.
pub fn scrub(body: String, secrets: &[&str]) -> String {
    // an empty secret (a Bearer key of "") is nothing to take out: replacing "" would put
    // the marker between every character of the body
    let mut body = body;
    for secret in secrets {
        if !secret.is_empty() && body.contains(secret) {
            body = body.replace(secret, "[redacted]");
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_bearer_key_leaves_a_body_as_it_came() {
        let client = ApiClient::new(
            "http://127.0.0.1:1",
            Dialect::default(),
            Some(Credentials::new("account", "")),
            Duration::from_secs(1),
        )
        .with_auth(wire::AuthScheme::Bearer);
        assert_eq!(client.scrub(r#"{"a":1}"#.to_string()), r#"{"a":1}"#);
        let keyed = client.with_credentials(Some(Credentials::new("account", "k3y")));
        assert_eq!(keyed.scrub("say k3y".to_string()), "say [redacted]");
    }
}
