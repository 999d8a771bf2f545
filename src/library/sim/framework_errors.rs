//! hyper's own refusals, given the documented error body.
//!
//! hyper answers a request it cannot parse by itself, before any service sees it: 400 for a
//! malformed head, 414 for a URI too long, 431 for headers too large, each with an empty body
//! and `connection: close`. A client of this API must get the documented error body for every
//! refusal, so the connection's writes pass through [`ErrorBodies`], which replaces exactly
//! those answers (a 4xx head with `content-length: 0`, which the space never sends: its every
//! refusal has a body) by the same status with the documented body.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::spec::ErrorCode;

/// A connection whose hyper-made refusals carry the documented error body.
#[derive(Debug)]
pub struct ErrorBodies<S> {
    inner: S,
    /// The replacement answer still to write, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
    /// Whether the first bytes of the connection were looked at (for the HTTP/2 preface).
    opened: bool,
}

/// What an HTTP/2 client sends first (RFC 9113 section 3.4), up to the version.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0";

/// The refusal of a connection that opens with the HTTP/2 preface: hyper, serving HTTP/1.1
/// only, would close it without a word. An HTTP/1.1 400 with the documented error body, which
/// a client that fell back from h2 prior knowledge, or a person reading the bytes, can read.
fn h2_refusal() -> Vec<u8> {
    let code = ErrorCode::InvalidArgument;
    let body = json!({
        "code": code.code(),
        "message": "HTTP/2 is not served here: send HTTP/1.1 (no prior knowledge of HTTP/2, no h2c upgrade)",
        "more_info": code.more_info(),
        "status": 400,
    })
    .to_string();
    format!(
        "HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: {}\r\ncontent-length: {}\r\n\r\n{body}",
        crate::spec::wire::JSON,
        body.len()
    )
    .into_bytes()
}

impl<S> ErrorBodies<S> {
    /// Wraps a connection.
    pub fn new(inner: S) -> Self {
        ErrorBodies {
            inner,
            pending: None,
            opened: false,
        }
    }
}

/// The replacement of a head hyper wrote for a refusal of its own, if `head` is one.
fn replacement(head: &[u8]) -> Option<Vec<u8>> {
    // Every answer passes here: anything but a 4xx is let through before a byte is copied
    // (reading each write as text cost serve about 7% of its time per update).
    if !head.starts_with(b"HTTP/1.1 4") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let (status_line, _) = text.split_once("\r\n")?;
    let status: u16 = status_line.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()?;
    if !(400..500).contains(&status) || !text.ends_with("\r\n\r\n") {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    // Exactly one head, hyper's own: one status line, ending the write, and no body.
    if text.matches("HTTP/1.1 ").count() != 1 || !lower.contains("\r\ncontent-length: 0\r\n") {
        return None;
    }
    let message = match status {
        414 => "The request's URI is too long; a participant's path is a few hundred bytes",
        431 => "The request's headers are too large; send only the headers the API needs",
        _ => "The request cannot be read as HTTP/1.1; check its request line and headers",
    };
    let code = ErrorCode::InvalidArgument;
    let body =
        json!({ "code": code.code(), "message": message, "more_info": code.more_info(), "status": status }).to_string();
    let head = text.replacen(
        "\r\ncontent-length: 0\r\n",
        &format!(
            "\r\ncontent-length: {}\r\ncontent-type: {}\r\n",
            body.len(),
            crate::spec::wire::JSON
        ),
        1,
    );
    Some([head.as_bytes(), body.as_bytes()].concat())
}

impl<S: AsyncWrite + Unpin> ErrorBodies<S> {
    /// Writes what is pending of a replacement; ready once all of it is written.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, done)) = &mut self.pending {
            if *done == bytes.len() {
                self.pending = None;
                break;
            }
            match Pin::new(&mut self.inner).poll_write(cx, &bytes[*done..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *done += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for ErrorBodies<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let read = Pin::new(&mut self.inner).poll_read(cx, buf);
        if self.opened || !matches!(read, Poll::Ready(Ok(()))) || buf.filled().len() == before {
            return read;
        }
        self.opened = true;
        if buf.filled()[before..].starts_with(H2_PREFACE) {
            // hyper is told the connection ended before any request; the refusal is written
            // now, and hyper's shutdown waits for what is left of it.
            buf.set_filled(before);
            self.pending = Some((h2_refusal(), 0));
            let _ = self.drain(cx);
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ErrorBodies<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        if let Some(bytes) = replacement(buf) {
            self.pending = Some((bytes, 0));
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bodiless_refusal_is_replaced() {
        let hyper_400 = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let replaced = String::from_utf8(replacement(hyper_400).unwrap()).unwrap();
        let (head, body) = replaced.split_once("\r\n\r\n").unwrap();
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(
            (body["code"].as_u64(), body["status"].as_u64()),
            (Some(10000), Some(400))
        );
        assert!(
            head.contains(&format!("content-length: {}", replaced.len() - head.len() - 4)),
            "{head}"
        );
        assert!(head.contains("content-type: application/json"), "{head}");
        for kept in [
            &b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 12\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n",
            b"{\"code\":1}",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\n{}HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n",
        ] {
            assert_eq!(replacement(kept), None, "{}", String::from_utf8_lossy(kept));
        }
    }
}
