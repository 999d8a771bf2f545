//! The plain HTTP server of the simulated space, for the embedded target and for `serve`, a
//! process that runs for hours.
//!
//! wiremock, which served the embedded target before, keeps every request a mounted mock
//! matched, for its verification, whatever its recording setting: a leak for `serve`, and a
//! dependency the release build does not need. This server
//! keeps nothing but the space and its bounded journal, and bounds what a client can make it
//! hold: a body over [`MAX_BODY`] is refused with 413 before it is read whole, a body that
//! does not arrive within [`HEAD_TIMEOUT`] is refused with 400, and a connection that sends no
//! complete request head within [`HEAD_TIMEOUT`] (idle between requests, or slow in sending its
//! headers) is closed, a head over [`MAX_HEAD`] is refused, and at most [`MAX_CONNECTIONS`] are
//! served at once. hyper's own refusals (400, 414, 431) get the documented error body too
//! (`framework_errors.rs`). The answers to pipelined requests (a client that sends several
//! before reading, as `explore` does) go out in one write (`coalesce.rs`).

use std::convert::Infallible;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;

use super::coalesce::Coalesced;
use super::framework_errors::ErrorBodies;
use super::http::{Reply, SimRequest};
use super::responder::SimResponder;
use crate::spec::ErrorCode;

/// The largest body a request may carry: every documented update fits in a few hundred bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// The largest request head (request line and headers) read: over it, 431 with the documented
/// error body (a long URI included).
pub const MAX_HEAD: usize = 16 * 1024;

/// How long a connection may take to send a request's head, or stay idle between requests.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections are served at once; more wait in the listen backlog until one closes.
/// With each bounded by [`MAX_HEAD`] and [`MAX_BODY`], this bounds what clients can make serve
/// hold at one time (a few tens of MiB at worst).
pub const MAX_CONNECTIONS: usize = 256;

/// The challenge of a 401, in the scheme the served profile authenticates with.
pub fn www_authenticate(scheme: crate::spec::wire::AuthScheme) -> &'static str {
    match scheme {
        crate::spec::wire::AuthScheme::Basic => "Basic realm=\"laml\"",
        crate::spec::wire::AuthScheme::Bearer => "Bearer realm=\"laml\"",
    }
}

/// Serves `responder` on `listener` until the task is dropped.
pub async fn run(listener: tokio::net::TcpListener, responder: SimResponder) {
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return; // never closed
        };
        let Ok((stream, _)) = listener.accept().await else {
            // out of file descriptors, say: wait for some to free instead of spinning
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        // An answer goes out when it is written, not after the acknowledgement of the last.
        let _ = stream.set_nodelay(true);
        let responder = responder.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let responder = responder.clone();
                async move { Ok::<_, Infallible>(serve_one(&responder, req).await) }
            });
            let _slot = slot;
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(ErrorBodies::new(Coalesced::new(stream))), service)
                .await;
        });
    }
}

async fn serve_one(responder: &SimResponder, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let body = match tokio::time::timeout(HEAD_TIMEOUT, Limited::new(body, MAX_BODY).collect()).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
            return to_response(too_large(), responder.scheme);
        }
        Ok(Err(_)) | Err(_) => return to_response(unreadable(), responder.scheme),
    };
    // RFC 9112 section 3.2: a request of HTTP/1.1 carries exactly one Host; none (1.1) or two
    // (any version) is refused with 400.
    let hosts = parts.headers.get_all(hyper::header::HOST).iter().count();
    if hosts > 1 || (hosts == 0 && parts.version == hyper::Version::HTTP_11) {
        return to_response(bad_host(hosts), responder.scheme);
    }
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let view = SimRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        authorization: header("authorization"),
        content_type: header("content-type"),
        body: &body,
    };
    to_response(responder.answer(&view), responder.scheme)
}

/// A request with no Host, or more than one: 400, documented shape.
fn bad_host(hosts: usize) -> Reply {
    let code = ErrorCode::InvalidArgument;
    let message = if hosts == 0 {
        "The request has no Host header; an HTTP/1.1 request carries exactly one"
    } else {
        "The request has more than one Host header; send exactly one"
    };
    let body = json!({
        "code": code.code(),
        "message": message,
        "more_info": code.more_info(),
        "status": code.http_status(),
    });
    Reply::json(code.http_status(), Some(body))
}

/// A body that broke off or did not arrive within [`HEAD_TIMEOUT`]: 400, documented shape.
fn unreadable() -> Reply {
    let code = ErrorCode::InvalidArgument;
    let body = json!({
        "code": code.code(),
        "message": "The body did not arrive whole; send it again",
        "more_info": code.more_info(),
        "status": code.http_status(),
    });
    Reply::json(code.http_status(), Some(body))
}

/// A body over the limit: 413, with an error body of the documented shape.
fn too_large() -> Reply {
    let code = ErrorCode::InvalidArgument;
    let body = json!({
        "code": code.code(),
        "message": format!("The body is larger than {MAX_BODY} bytes; an update fits in a few hundred"),
        "more_info": code.more_info(),
        "status": 413,
    });
    Reply::json(413, Some(body))
}

/// `at` as an HTTP-date (RFC 9110 section 5.6.7: IMF-fixdate, always GMT).
fn http_date(at: time::OffsetDateTime) -> Option<String> {
    let format = time::format_description::parse_borrowed::<2>(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT",
    )
    .ok()?;
    at.to_offset(time::UtcOffset::UTC).format(&format).ok()
}

fn to_response(reply: Reply, scheme: crate::spec::wire::AuthScheme) -> Response<Full<Bytes>> {
    let mut response = Response::builder().status(reply.status);
    if let Some(content_type) = reply.content_type {
        response = response.header("content-type", content_type);
    }
    if let Some(methods) = reply.allow {
        response = response.header("allow", methods.join(", "));
    }
    if let Some(date) = reply.date.and_then(http_date) {
        response = response.header("date", date);
    }
    if let Some(seconds) = reply.retry_after {
        response = response.header("retry-after", seconds);
    }
    // RFC 9110 section 11.6.1: a 401 names the scheme the credentials are expected in.
    if reply.status == 401 {
        response = response.header("www-authenticate", www_authenticate(scheme));
    }
    response
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
