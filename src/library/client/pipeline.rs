//! One kept-alive HTTP/1.1 connection to a plain-http target that sends a batch of requests
//! in one write and reads their answers in order: pipelining (RFC 9112 section 9.3), which
//! every HTTP/1.1 server must accept, answering in the order asked.
//!
//! `explore` sends each operation with the retrieves that show its effect. One at a time,
//! each request is a round trip between two processes: a wake-up of each, a write and a read
//! on each side, which cost more than the harness's own work per request. Sent together, they
//! cost one round trip. No client crate pipelines (hyper's client connection and reqwest
//! send one request at a time per connection), so the requests are written here and the
//! answers framed by httparse (`framing.rs`).
//!
//! Nothing is applied twice. A batch is sent again from its first 429 on (after the wait it
//! asks for) only where every answer from there on is a 429; a 429 that a later request got
//! past is an error, as waiting would reorder the batch. A kept connection is checked before it
//! is written on (it must hold nothing unread and not be closed), and a batch is sent again on
//! a new one only where that connection closed before a byte of any answer came and the whole
//! batch was written. After an answer that closes its connection, or one in HTTP/1.0, the rest
//! goes one request a connection round, until an HTTP/1.1 answer keeps its connection (RFC 9112
//! section 9.3.2): a server that reads one request, answers and closes never sees a batch.

use std::time::Duration;

use tokio::net::TcpStream;

use crate::error::Error;

use super::framing::{self, Call, Framed, Unframed};
use super::{MAX_BODY, MAX_RETRIES, retry_after};

/// One answer of a batch.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The status.
    pub status: u16,
    /// The headers, lowercase names.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for bytes that are no UTF-8), as an [`super::Exchange`] has it.
    pub body: String,
}

impl Answered {
    /// The header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The server's clock when it answered, from the `Date` header, as
    /// [`super::Exchange::server_date`] reads it.
    pub fn server_date(&self) -> Option<time::OffsetDateTime> {
        super::exchange::http_date(self.header("date")?)
    }
}

/// A connection to one target, opened when first needed and kept open between batches.
#[derive(Debug)]
pub struct Pipeline {
    /// The base URL as given, for errors.
    base: String,
    /// Where to connect.
    host: String,
    port: u16,
    /// The `Host` header.
    authority: String,
    /// The base URL's path, without a trailing slash, put before every target.
    prefix: String,
    timeout: Duration,
    stream: Option<TcpStream>,
    /// Whether requests were written on `stream` whose answers are not all read: a `send`
    /// dropped midway (a timeout around it) left them, and the next must not take them for
    /// its own.
    in_flight: bool,
    /// Whether the last answer closed its connection or came in HTTP/1.0: then one request a
    /// connection round, until an HTTP/1.1 answer keeps its connection.
    one_at_a_time: bool,
    /// Bytes read, framed up to `start`.
    read: Vec<u8>,
    start: usize,
    /// Where each read lands first.
    chunk: Vec<u8>,
}

/// The size of each read.
const CHUNK: usize = 16 * 1024;

/// How an exchange ended short of an answer.
enum Broken {
    /// The connection closed (or reset) before a byte of the answer came.
    Closed(String),
    /// Anything else: the error to report.
    Error(Error),
}

impl Pipeline {
    /// A pipeline to the target at `base` (`http://host:port`, perhaps with a path), each
    /// answer awaited at most `timeout`. Only plain http: a target behind TLS is spoken to
    /// through the shared client.
    pub fn new(base: &str, timeout: Duration) -> Result<Self, Error> {
        let url = url::Url::parse(base).map_err(|e| Error::Config(format!("{base} is no URL ({e})")))?;
        let host = url.host_str().filter(|_| url.scheme() == "http").ok_or_else(|| {
            Error::Config(format!(
                "{base} is not a plain http URL; pipelining speaks HTTP/1.1 without TLS"
            ))
        })?;
        let port = url.port_or_known_default().unwrap_or(80);
        let authority = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        };
        Ok(Pipeline {
            base: base.trim_end_matches('/').to_string(),
            host: host.trim_matches(['[', ']']).to_string(),
            port,
            authority,
            prefix: url.path().trim_end_matches('/').to_string(),
            timeout,
            stream: None,
            in_flight: false,
            one_at_a_time: false,
            read: Vec::new(),
            start: 0,
            chunk: Vec::new(),
        })
    }

    /// Sends `calls` in one write and reads their answers, in order. Where the answers end in
    /// 429s, that is waited for (its `Retry-After`, at most [`super::MAX_RETRY_WAIT`]) and the
    /// batch sent again from the first of them, at most [`MAX_RETRIES`] times.
    pub async fn send(&mut self, calls: &[Call<'_>]) -> Result<Vec<Answered>, Error> {
        if let Some(refused) = calls.iter().find_map(|c| framing::refused(c, &self.url(c.target))) {
            return Err(Error::Config(refused));
        }
        let mut answers = Vec::with_capacity(calls.len());
        let (mut from, mut retries) = (0, 0);
        loop {
            self.exchange(&calls[from..], &mut answers).await?;
            let refused = answers[from..].iter().rev().take_while(|a| a.status == 429).count();
            let i = answers.len() - refused;
            if let Some(k) = answers[from..i].iter().position(|a| a.status == 429) {
                return Err(Error::Config(format!(
                    "the target limits the rate of some requests of a batch but answered the ones after them (429 to {}), so that request cannot be sent again without reordering the batch; raise its rate limit, or explore it at an address that is not loopback, where requests go one at a time",
                    self.url(calls[from + k].target)
                )));
            }
            if refused == 0 || retries == MAX_RETRIES {
                return Ok(answers);
            }
            retries += 1;
            let wait = retry_after(&answers[i].headers);
            answers.truncate(i);
            from = i;
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends `calls` and appends their answers to `out`, on new connections where the server
    /// closes one.
    async fn exchange(&mut self, calls: &[Call<'_>], out: &mut Vec<Answered>) -> Result<(), Error> {
        let mut next = 0;
        let mut reopened = false;
        while next < calls.len() {
            let kept = self.ready(calls[next].target).await?;
            let end = if self.one_at_a_time { next + 1 } else { calls.len() };
            let pending = &calls[next..end];
            match self.round(pending, out).await {
                Ok(answered) => next += answered,
                // a kept connection the server closed before answering: once, on a new one
                Err(Broken::Closed(_)) if kept && !reopened => reopened = true,
                Err(Broken::Closed(reason)) => return Err(self.unreachable(pending[0].target, reason)),
                Err(Broken::Error(e)) => return Err(e),
            }
        }
        Ok(())
    }

    /// Makes the connection ready to write on: the kept one where it is idle and open, else a
    /// new one. Whether it is a kept one.
    async fn ready(&mut self, target: &str) -> Result<bool, Error> {
        if self.stream.is_some() && (self.in_flight || !self.idle()) {
            self.stream = None;
        }
        if self.stream.is_some() {
            return Ok(true);
        }
        self.in_flight = false;
        self.read.clear();
        self.start = 0;
        let connect = TcpStream::connect((self.host.as_str(), self.port));
        let stream = tokio::time::timeout(self.timeout, connect)
            .await
            .map_err(|_| self.timed_out(target))?
            .map_err(|e| self.unreachable(target, e.to_string()))?;
        // the answers to a batch must not wait for an acknowledgement of the first
        let _ = stream.set_nodelay(true);
        self.stream = Some(stream);
        Ok(false)
    }

    /// Whether the kept connection is idle and open: nothing of it is left unread, and a read
    /// that does not wait finds neither its end, an error, nor bytes nobody asked for (a 408 a
    /// server sends before it closes an idle connection, RFC 9110 section 15.5.9), which would
    /// otherwise be taken for the answer to the next request. The read reaches the socket: the
    /// last read of a batch leaves the stream marked readable (only a read that finds nothing
    /// clears that mark), so tokio does not answer it from its cache.
    fn idle(&mut self) -> bool {
        let Some(stream) = &self.stream else { return false };
        if self.start < self.read.len() {
            return false;
        }
        if self.chunk.is_empty() {
            self.chunk = vec![0; CHUNK];
        }
        matches!(stream.try_read(&mut self.chunk), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
    }

    /// Writes `calls` on the connection and reads answers until all came or one says the
    /// connection closes after it; how many came. Where the write fails, the answers that
    /// came are read all the same (a server may answer the first requests and close before
    /// it reads the rest), and nothing is sent again.
    async fn round(&mut self, calls: &[Call<'_>], out: &mut Vec<Answered>) -> Result<usize, Broken> {
        let bytes = framing::encode(calls, &self.prefix, &self.authority);
        self.in_flight = true;
        let Ok(written) = tokio::time::timeout(self.timeout, self.write_all(&bytes)).await else {
            return Err(self.broken(Broken::Error(self.timed_out(calls[0].target))));
        };
        for (i, call) in calls.iter().enumerate() {
            let answer = match tokio::time::timeout(self.timeout, self.answer(call)).await {
                Err(_) => return Err(self.broken(Broken::Error(self.timed_out(call.target)))),
                Ok(Err(Broken::Closed(reason))) if i == 0 && written.is_ok() => {
                    return Err(self.broken(Broken::Closed(reason)));
                }
                Ok(Err(Broken::Closed(reason))) => {
                    // answered or written in part: a request may have been applied, so none is
                    // sent again
                    let reason = match &written {
                        Err(e) => format!("{reason}, after the requests could not be written whole ({e})"),
                        Ok(()) => reason,
                    };
                    return Err(self.broken(Broken::Error(self.unreachable(call.target, reason))));
                }
                Ok(Err(broken)) => return Err(self.broken(broken)),
                Ok(Ok(a)) => a,
            };
            let close = answer.close;
            self.one_at_a_time = close || answer.version == 0;
            out.push(Answered {
                status: answer.status,
                headers: answer.headers,
                body: String::from_utf8(answer.body)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            });
            if close {
                self.stream = None;
                return Ok(i + 1);
            }
        }
        if written.is_err() {
            self.stream = None;
        }
        self.in_flight = false;
        Ok(calls.len())
    }

    /// Drops the connection after it broke, passing the reason on.
    fn broken(&mut self, why: Broken) -> Broken {
        self.stream = None;
        why
    }

    async fn write_all(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        let stream = self.stream.as_ref().ok_or(std::io::ErrorKind::NotConnected)?;
        while !bytes.is_empty() {
            stream.writable().await?;
            match stream.try_write(bytes) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Reads the answer to `call` off the connection.
    async fn answer(&mut self, call: &Call<'_>) -> Result<framing::Answer, Broken> {
        let head_only = call.method.eq_ignore_ascii_case("HEAD");
        loop {
            let framed = framing::frame(&self.read[self.start..], head_only, MAX_BODY).map_err(|e| match e {
                Unframed::TooLarge => Broken::Error(Error::BodyTooLarge {
                    url: self.url(call.target),
                    limit: MAX_BODY,
                }),
                Unframed::Malformed(what) => {
                    Broken::Error(self.unreachable(call.target, format!("its answer is no HTTP/1.1 answer: {what}")))
                }
            })?;
            match framed {
                Framed::Complete(answer, used) => {
                    // the bytes of later answers stay where they are until all are read
                    self.start += used;
                    if self.start == self.read.len() {
                        self.read.clear();
                        self.start = 0;
                    }
                    return Ok(answer);
                }
                Framed::Partial | Framed::UntilClose(..) => {}
            }
            let ended = match self.fill().await {
                Ok(0) => Some("the server closed the connection".to_string()),
                Ok(_) => None,
                Err(e) => Some(e.to_string()),
            };
            if let Some(reason) = ended {
                let rest = &self.read[self.start..];
                return match framing::frame(rest, head_only, MAX_BODY) {
                    // a body that runs to the close ends there, and at a reset after its bytes:
                    // a server that closes with requests unread is reset by its kernel
                    Ok(Framed::UntilClose(mut answer, body_at)) => {
                        answer.body = rest[body_at..].to_vec();
                        self.read.clear();
                        self.start = 0;
                        Ok(answer)
                    }
                    // not a byte of the answer came
                    _ if rest.is_empty() => Err(Broken::Closed(reason)),
                    _ => Err(Broken::Error(self.unreachable(
                        call.target,
                        format!("the connection ended in the middle of an answer ({reason})"),
                    ))),
                };
            }
            if self.read.len() - self.start > MAX_BODY + 64 * 1024 {
                return Err(Broken::Error(Error::BodyTooLarge {
                    url: self.url(call.target),
                    limit: MAX_BODY,
                }));
            }
        }
    }

    /// Reads what the connection has; 0 at its end.
    async fn fill(&mut self) -> std::io::Result<usize> {
        let stream = self.stream.as_ref().ok_or(std::io::ErrorKind::NotConnected)?;
        // a buffer of its own, kept: one on the stack would be part of every future that
        // waits here, copied each time one is moved
        if self.chunk.is_empty() {
            self.chunk = vec![0; CHUNK];
        }
        loop {
            stream.readable().await?;
            match stream.try_read(&mut self.chunk) {
                Ok(n) => {
                    self.read.extend_from_slice(&self.chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn url(&self, target: &str) -> String {
        format!("{}{target}", self.base)
    }

    fn unreachable(&self, target: &str, reason: String) -> Error {
        Error::Unreachable {
            url: self.url(target),
            reason,
        }
    }

    fn timed_out(&self, target: &str) -> Error {
        Error::Timeout {
            url: self.url(target),
            seconds: self.timeout.as_secs_f64(),
        }
    }
}

#[cfg(test)]
mod tests;
