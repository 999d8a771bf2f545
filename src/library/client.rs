//! A typed client of the endpoint and its siblings, one method per endpoint.
//!
//! Every call returns an [`Exchange`]: what was sent (credential redacted) and what came back,
//! already read. Steps and checks work on that data, never on a live response, so a failure can
//! always show the exchange that caused it.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use crate::credentials::Credentials;
use crate::error::Error;
use crate::spec::profile::PathForm;
use crate::spec::{self, Dialect, wire};

pub use crate::spec::ParticipantRef;

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

/// A request as it was sent, with the credential redacted.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SentRequest {
    /// The HTTP method.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// The project id the request authenticated as, if any; the token is never kept, unless
    /// it is a throwaway one on loopback (below).
    pub user: Option<String>,
    /// The token, where it is a throwaway one on loopback ([`Credentials::throwaway`]), so the
    /// reproduction carries it and works when pasted; `None` for every token a user gave.
    #[serde(skip)]
    pub throwaway_token: Option<String>,
    /// Headers other than `Authorization`.
    pub headers: Vec<(String, String)>,
    /// The body as sent.
    pub body: String,
}

/// One request and its response, already read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exchange {
    /// What was sent.
    pub request: SentRequest,
    /// The HTTP status received.
    pub status: u16,
    /// The response headers, lowercase names.
    pub headers: Vec<(String, String)>,
    /// The response body as text (lossy for non-UTF-8 bytes).
    pub body: String,
    /// How long the round trip took.
    pub elapsed: Duration,
}

impl SentRequest {
    /// The `Authorization` header as sent, with the token replaced by `[redacted]` before
    /// encoding: the same form, so the request check can read it, and no secret in it.
    pub fn redacted_authorization(&self) -> Option<String> {
        Some(wire::basic_header(self.user.as_ref()?, "[redacted]"))
    }

    /// The header `name` (lowercase) as sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The path of the URL, without query.
    pub fn path(&self) -> String {
        url::Url::parse(&self.url)
            .map(|u| u.path().to_string())
            .unwrap_or_default()
    }
}

impl Exchange {
    /// The body as JSON, or an error that says what came instead.
    pub fn json(&self) -> Result<Value, Error> {
        serde_json::from_str(&self.body).map_err(|e| Error::NotJson {
            status: self.status,
            detail: if self.body.trim().is_empty() {
                "the body is empty".into()
            } else {
                e.to_string()
            },
            snippet: self.body.chars().take(120).collect(),
        })
    }

    /// A curl command that reproduces the request. A token the user gave comes from
    /// `$LAML_API_TOKEN`, so the command can be pasted into a report or a ticket without leaking
    /// it; a throwaway token on loopback (an account made for the scenario) is written out, since
    /// the command could not reproduce anything without it and it opens nothing but a test server.
    pub fn curl(&self) -> String {
        let mut cmd = format!("curl -X {} {}", self.request.method, quoted(&self.request.url));
        match (&self.request.user, &self.request.throwaway_token) {
            (Some(user), Some(token)) => cmd.push_str(&format!(" -u {}", quoted(&format!("{user}:{token}")))),
            (Some(user), None) => cmd.push_str(&format!(" -u \"{user}:$LAML_API_TOKEN\"")),
            (None, _) => {}
        }
        let is_form = self.request.header("content-type").is_none_or(|c| c == FORM);
        if !self.request.body.is_empty() && !is_form {
            let content_type = self.request.header("content-type").unwrap_or_default();
            let header = quoted(&format!("Content-Type: {content_type}"));
            cmd.push_str(&format!(" -H {header} --data-raw {}", quoted(&self.request.body)));
        } else if !self.request.body.is_empty() {
            for (k, v) in serde_urlencoded::from_str::<Vec<(String, String)>>(&self.request.body).unwrap_or_default() {
                cmd.push_str(&format!(" --data-urlencode {}", quoted(&format!("{k}={v}"))));
            }
        }
        cmd
    }

    /// The exchange as a person reads it under a failure: the curl command, then the response.
    pub fn describe(&self) -> String {
        let redirect = match self.header("location") {
            Some(to) if (300..400).contains(&self.status) => {
                format!(" (a redirect to {to}, not followed: credentials never follow a redirect)")
            }
            _ => String::new(),
        };
        let body = if self.body.is_empty() {
            "  (empty body)".to_string()
        } else {
            indent(&self.body)
        };
        format!(
            "request:  {}\nresponse: {}{redirect} after {} ms\n{body}",
            self.curl(),
            self.status,
            self.elapsed.as_millis(),
        )
    }

    /// The server's clock when it answered, from the `Date` header (one-second resolution).
    pub fn server_date(&self) -> Option<time::OffsetDateTime> {
        let format = time::format_description::parse_borrowed::<2>(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT",
        )
        .ok()?;
        time::PrimitiveDateTime::parse(self.header("date")?.trim(), &format)
            .ok()
            .map(|t| t.assume_utc())
    }

    /// The response header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// `text` in single quotes for a POSIX shell, with every `'` inside escaped.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// How much of a body a failure shows: every documented answer fits many times over, so only a
/// runaway body is cut, and then with a marker that says how much is missing.
const SHOWN_BODY: usize = 16_000;

fn indent(text: &str) -> String {
    let mut shown: String = text.chars().take(SHOWN_BODY).collect();
    let rest = text.chars().count().saturating_sub(SHOWN_BODY);
    if rest > 0 {
        shown.push_str(&format!("… ({rest} more characters not shown)"));
    }
    shown.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

pub use crate::spec::wire::FORM;

/// A client of one target: base URL, path dialect and credentials.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    timeout: Duration,
    base: String,
    dialect: Dialect,
    /// `.json` or bare: the form the run's profile documents.
    paths: PathForm,
    credentials: Option<Credentials>,
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
            http: shared_http(),
            timeout,
            base: base.trim_end_matches('/').to_string(),
            dialect,
            paths: PathForm::Json,
            credentials,
            recorder: None,
        }
    }

    /// The same client, sending its paths in `form` (SignalWire documents them without `.json`).
    pub fn with_paths(self, form: PathForm) -> Self {
        ApiClient { paths: form, ..self }
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
        let mut req = self.http.request(method.clone(), &url).timeout(self.timeout);
        for (k, v) in &headers {
            req = req.header(k, v);
        }
        if let Some(c) = &self.credentials {
            req = req.header("authorization", wire::basic_header(&c.project_id, c.token.expose()));
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
            url: url.clone(),
            user,
            throwaway_token,
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
            let headers: Vec<(String, String)> = response
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            if status == 429 && retries < MAX_RETRIES {
                retries += 1;
                tokio::time::sleep(retry_after(&headers)).await;
                continue;
            }
            let body = read_bounded(response, &url, self.timeout).await?;
            let exchange = Exchange {
                request: sent,
                status,
                headers,
                body: self.scrubbed(String::from_utf8_lossy(&body).into_owned()),
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
    /// A body with this client's token (and its Basic header) taken out: a target or proxy that
    /// echoes request headers must not put the token into a failure message or a report.
    fn scrubbed(&self, body: String) -> String {
        let Some(c) = &self.credentials else { return body };
        let header = wire::basic_header(&c.project_id, c.token.expose());
        let encoded = header.trim_start_matches("Basic ");
        let mut body = body.replace(encoded, "[redacted]");
        if !c.token.expose().is_empty() {
            body = body.replace(c.token.expose(), "[redacted]");
        }
        body
    }
}

/// How many times a 429 is retried before it is reported.
pub const MAX_RETRIES: u32 = 3;
/// The longest `Retry-After` honoured; a target asking for more is waited on this long.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);
/// The largest response body read; a target sending more is a failure, not a memory problem.
pub const MAX_BODY: usize = 1024 * 1024;

/// The wait a 429 asks for (`Retry-After` in seconds), at most [`MAX_RETRY_WAIT`], at least a
/// tenth of a second.
fn retry_after(headers: &[(String, String)]) -> Duration {
    let asked = headers
        .iter()
        .find(|(k, _)| k == "retry-after")
        .and_then(|(_, v)| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(Duration::from_secs(1));
    asked.clamp(Duration::from_millis(100), MAX_RETRY_WAIT)
}

/// Reads a body up to [`MAX_BODY`] bytes.
pub(crate) async fn read_bounded(
    mut response: reqwest::Response,
    url: &str,
    timeout: Duration,
) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(url, timeout, &e))? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Error::BodyTooLarge {
                url: url.to_string(),
                limit: MAX_BODY,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A request that got no answer: a timeout said as one, anything else as unreachable.
pub(crate) fn transport_error(url: &str, timeout: Duration, e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout {
            url: url.to_string(),
            seconds: timeout.as_secs_f64(),
        }
    } else {
        Error::Unreachable {
            url: url.to_string(),
            reason: describe(e),
        }
    }
}

/// The whole cause chain of a reqwest error, without the URL's userinfo (there is none: auth
/// travels in a header).
fn describe(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else {
        e.to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
