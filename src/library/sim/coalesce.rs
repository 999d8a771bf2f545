//! The answers to pipelined requests, written together.
//!
//! A client that sends several requests before reading (`explore` sends each operation with
//! the retrieves that show its effect) is served by hyper one request after another out of
//! its read buffer, and hyper flushes after each answer: one write, and one wake-up of the
//! client, per answer. hyper's own remedy (`pipeline_flush`) is marked experimental, and
//! loses every answer it held when a request it cannot read follows them. [`Coalesced`]
//! holds what hyper writes until hyper has read every request that came: the connection had
//! nothing more to read when hyper last asked (it asks as soon as its buffer is empty, before
//! the last answer), or hyper flushes twice with nothing written in between (the runtime
//! turned once); then it goes out in one write. A sequential client's answer goes out when it
//! did before.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The most held before it is written whatever comes next: a few answers of the largest kind
/// (a page of participants), so a connection holds little more than hyper's own buffer did.
const HELD: usize = 64 * 1024;

/// A connection whose answers to pipelined requests go out in one write.
#[derive(Debug)]
pub struct Coalesced<S> {
    inner: S,
    /// Answers written by hyper and not yet to the connection, and how much of them went.
    held: Vec<u8>,
    sent: usize,
    /// Whether the connection had nothing to read when hyper last asked.
    drained_in: bool,
    /// Whether a flush was put off since hyper last wrote.
    put_off: bool,
}

impl<S> Coalesced<S> {
    /// Wraps a connection.
    pub fn new(inner: S) -> Self {
        Coalesced {
            inner,
            held: Vec::new(),
            sent: 0,
            drained_in: false,
            put_off: false,
        }
    }
}

impl<S: AsyncWrite + Unpin> Coalesced<S> {
    /// Writes what is held; ready once all of it went.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.held.len() {
            match Pin::new(&mut self.inner).poll_write(cx, &self.held[self.sent..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => self.sent += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        self.held.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Coalesced<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let read = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.drained_in = read.is_pending();
        read
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Coalesced<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.held.len() + buf.len() > HELD && self.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        self.held.extend_from_slice(buf);
        self.put_off = false;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.held.is_empty() && !self.drained_in && !self.put_off {
            // hyper may hold more requests; it flushes again at its next turn at the latest
            self.put_off = true;
            cx.waker().wake_by_ref();
            return Poll::Ready(Ok(()));
        }
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

    /// A connection that records each write it is given and has `input` to read, then nothing.
    #[derive(Default)]
    struct Recorded {
        writes: Vec<Vec<u8>>,
        input: Vec<u8>,
    }

    impl AsyncRead for Recorded {
        fn poll_read(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
            if self.input.is_empty() {
                return Poll::Pending;
            }
            buf.put_slice(&std::mem::take(&mut self.input));
            Poll::Ready(Ok(()))
        }
    }

    impl AsyncWrite for Recorded {
        fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
            self.writes.push(buf.to_vec());
            Poll::Ready(Ok(buf.len()))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[test]
    fn answers_go_out_together_once_every_request_was_read() {
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut c = Coalesced::new(Recorded {
            input: b"three requests".to_vec(),
            ..Default::default()
        });
        let mut c = Pin::new(&mut c);
        let mut space = [0u8; 64];
        let mut read = |c: &mut Pin<&mut Coalesced<Recorded>>| {
            let mut cx = Context::from_waker(&waker);
            c.as_mut().poll_read(&mut cx, &mut ReadBuf::new(&mut space)).is_ready()
        };
        assert!(read(&mut c), "the requests came in one read");
        for answer in [&b"one"[..], b"two"] {
            assert!(c.as_mut().poll_write(&mut cx, answer).is_ready());
            assert!(c.as_mut().poll_flush(&mut cx).is_ready());
        }
        assert!(c.inner.writes.is_empty(), "held while requests may be left");
        assert!(!read(&mut c), "nothing more to read: every request is in hand");
        assert!(c.as_mut().poll_write(&mut cx, b"three").is_ready());
        assert!(c.as_mut().poll_flush(&mut cx).is_ready());
        assert_eq!(c.inner.writes, [b"onetwothree".to_vec()]);
    }

    #[test]
    fn a_flush_put_off_is_done_at_the_next_and_nothing_is_held_past_the_limit() {
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut c = Coalesced::new(Recorded::default());
        let mut c = Pin::new(&mut c);
        assert!(c.as_mut().poll_write(&mut cx, b"one").is_ready());
        assert!(c.as_mut().poll_flush(&mut cx).is_ready());
        assert!(c.inner.writes.is_empty());
        assert!(c.as_mut().poll_flush(&mut cx).is_ready());
        assert_eq!(c.inner.writes.len(), 1, "written at the second flush");
        let big = vec![b'x'; HELD];
        assert!(c.as_mut().poll_write(&mut cx, b"two").is_ready());
        assert!(c.as_mut().poll_write(&mut cx, &big).is_ready());
        assert_eq!(c.inner.writes.len(), 2, "what was held went before the next");
        assert!(c.as_mut().poll_shutdown(&mut cx).is_ready());
        assert_eq!(c.inner.writes[2], big, "and the rest at shutdown");
    }
}
