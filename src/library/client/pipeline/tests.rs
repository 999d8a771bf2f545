//! The pipeline against scripted servers: each test's server reads the requests as they come
//! and writes what the test gives, so every way a server may answer a batch is shown.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use super::*;

/// Reads `n` requests (heads and `Content-Length` bodies) off `stream`; their request lines.
fn requests(stream: &mut TcpStream, n: usize) -> Vec<String> {
    let (mut buf, mut lines) = (Vec::new(), Vec::new());
    while lines.len() < n {
        let mut slots = [httparse::EMPTY_HEADER; 16];
        let mut req = httparse::Request::new(&mut slots);
        if let Ok(httparse::Status::Complete(head)) = req.parse(&buf) {
            let length = req
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .map_or(0, |h| std::str::from_utf8(h.value).unwrap().parse().unwrap());
            if buf.len() >= head + length {
                lines.push(format!("{} {}", req.method.unwrap(), req.path.unwrap()));
                buf.drain(..head + length);
                continue;
            }
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).unwrap();
        assert!(read > 0, "the client closed after {lines:?}");
        buf.extend_from_slice(&chunk[..read]);
    }
    lines
}

/// A server on a loopback port that hands each connection it accepts to the next of `scripts`,
/// and the pipeline to it. Its thread fails where a script's connection does not come within
/// seconds, or where one more comes within a moment after the last script: a batch sent again.
fn serving(scripts: Vec<Box<dyn FnOnce(TcpStream) + Send>>) -> (Pipeline, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}/mount", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let accept = |within: Duration| {
            let until = std::time::Instant::now() + within;
            while std::time::Instant::now() < until {
                if let Ok((stream, _)) = listener.accept() {
                    stream.set_nonblocking(false).unwrap();
                    return Some(stream);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            None
        };
        for (i, script) in scripts.into_iter().enumerate() {
            script(accept(Duration::from_secs(5)).unwrap_or_else(|| panic!("connection {i} did not come")));
        }
        assert!(
            accept(Duration::from_millis(150)).is_none(),
            "a connection more than scripted came"
        );
    });
    (Pipeline::new(&base, Duration::from_secs(5)).unwrap(), server)
}

/// Reads one request head (no body) off `stream` a byte at a time, leaving what follows it
/// unread; its request line.
fn head_only(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "the client closed after {head:?}");
        head.push(byte[0]);
    }
    let line = String::from_utf8_lossy(&head).lines().next().unwrap().to_string();
    line.trim_end_matches(" HTTP/1.1").to_string()
}

/// How many requests wait unread on `stream` a moment after the last was read.
fn waiting(stream: &TcpStream) -> usize {
    std::thread::sleep(Duration::from_millis(50));
    stream.set_nonblocking(true).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let n = stream.peek(&mut buf).unwrap_or(0);
    stream.set_nonblocking(false).unwrap();
    buf[..n].windows(9).filter(|w| w == b" HTTP/1.1").count()
}

fn get(target: &str) -> Call<'_> {
    Call {
        method: "GET",
        target,
        authorization: Some("Basic dTpw"),
        body: None,
    }
}

const OK: &str = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";

#[tokio::test]
async fn a_batch_is_answered_in_order_in_every_framing_on_one_kept_connection() {
    let (mut pipe, server) = serving(vec![Box::new(|mut s| {
        let first = requests(&mut s, 3);
        assert_eq!(first, ["POST /mount/p?x=1", "GET /mount/a", "GET /mount/b"]);
        s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n{\"a\":1}\
              HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n\
              HTTP/1.1 204 No Content\r\n\r\n",
        )
        .unwrap();
        assert_eq!(requests(&mut s, 1), ["GET /mount/c"]);
        s.write_all(OK.as_bytes()).unwrap();
    })]);
    let post = Call {
        method: "POST",
        target: "/p?x=1",
        authorization: None,
        body: Some(("application/x-www-form-urlencoded", "Muted=true")),
    };
    let answers = pipe.send(&[post, get("/a"), get("/b")]).await.unwrap();
    let seen: Vec<(u16, &str)> = answers.iter().map(|a| (a.status, a.body.as_str())).collect();
    assert_eq!(seen, [(200, "{\"a\":1}"), (404, "{}"), (204, "")]);
    assert_eq!(answers[0].server_date().map(|d| d.unix_timestamp()), Some(784_111_777));
    let again = pipe.send(&[get("/c")]).await.unwrap();
    assert_eq!(again[0].status, 200);
    server.join().unwrap();
}

/// After an answer that closes the connection, the rest goes one request a connection round
/// (RFC 9112 section 9.3.2), until an HTTP/1.1 answer that keeps the connection: then in one
/// write again.
#[tokio::test]
async fn what_a_closing_server_left_unanswered_is_sent_on_a_new_connection() {
    let (mut pipe, server) = serving(vec![
        Box::new(|mut s| {
            requests(&mut s, 4);
            s.write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 1\r\n\r\n1")
                .unwrap();
        }),
        Box::new(|mut s| {
            assert_eq!(head_only(&mut s), "GET /mount/b");
            assert_eq!(waiting(&s), 0, "sent alone after a close");
            s.write_all(OK.as_bytes()).unwrap();
            assert_eq!(requests(&mut s, 2), ["GET /mount/c", "GET /mount/d"]);
            s.write_all(format!("{OK}HTTP/1.1 200 OK\r\n\r\nto the end").as_bytes())
                .unwrap();
        }),
    ]);
    let answers = pipe.send(&[get("/a"), get("/b"), get("/c"), get("/d")]).await.unwrap();
    let bodies: Vec<&str> = answers.iter().map(|a| a.body.as_str()).collect();
    assert_eq!(bodies, ["1", "{}", "{}", "to the end"]);
    server.join().unwrap();
}

/// An HTTP/1.0 server that reads one request, answers it with a body that runs to the close,
/// and closes with the rest of the batch unread (the kernel then resets the connection, as
/// Python's http.server does): each answer is read to the reset, and the rest goes one request
/// a connection.
#[tokio::test]
async fn a_server_that_answers_one_request_a_connection_is_sent_one_at_a_time() {
    let closing = |expected: &'static str, waits: usize| -> Box<dyn FnOnce(TcpStream) + Send> {
        Box::new(move |mut s| {
            assert_eq!(head_only(&mut s), expected);
            assert_eq!(waiting(&s), waits, "requests after {expected}");
            let body = expected.rsplit('/').next().unwrap();
            s.write_all(format!("HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\n{body}").as_bytes())
                .unwrap();
        })
    };
    let (mut pipe, server) = serving(vec![
        closing("GET /mount/a", 2),
        closing("GET /mount/b", 0),
        closing("GET /mount/c", 0),
    ]);
    let answers = pipe.send(&[get("/a"), get("/b"), get("/c")]).await;
    let bodies: Vec<String> = answers.unwrap().into_iter().map(|a| a.body).collect();
    assert_eq!(bodies, ["a", "b", "c"]);
    server.join().unwrap();
}

#[tokio::test]
async fn a_kept_connection_the_server_closed_while_idle_is_opened_again() {
    let (mut pipe, server) = serving(vec![
        Box::new(|mut s| {
            requests(&mut s, 1);
            s.write_all(OK.as_bytes()).unwrap();
        }),
        Box::new(|mut s| {
            requests(&mut s, 1);
            s.write_all(OK.as_bytes()).unwrap();
        }),
    ]);
    pipe.send(&[get("/a")]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await; // the first connection is closed by now
    assert_eq!(pipe.send(&[get("/b")]).await.unwrap()[0].status, 200);
    server.join().unwrap();
}

#[tokio::test]
async fn trailing_429s_are_waited_for_and_sent_again_and_no_request_twice() {
    let (mut pipe, server) = serving(vec![Box::new(|mut s| {
        requests(&mut s, 3);
        let busy = "HTTP/1.1 429 Too Many Requests\r\nretry-after: 0\r\ncontent-length: 0\r\n\r\n";
        s.write_all(format!("{OK}{busy}{busy}").as_bytes()).unwrap();
        assert_eq!(requests(&mut s, 2), ["GET /mount/b", "GET /mount/c"]);
        s.write_all(format!("{OK}{OK}").as_bytes()).unwrap();
        // a 429 that a request after it got past: nothing is sent again, and no answer judged
        requests(&mut s, 3);
        s.write_all(format!("{OK}{busy}{OK}").as_bytes()).unwrap();
    })]);
    let statuses = |answers: Vec<Answered>| answers.iter().map(|a| a.status).collect::<Vec<_>>();
    let answers = pipe.send(&[get("/a"), get("/b"), get("/c")]).await.unwrap();
    assert_eq!(statuses(answers), [200, 200, 200]);
    let refused = pipe.send(&[get("/d"), get("/e"), get("/f")]).await;
    assert!(
        matches!(&refused, Err(Error::Config(m)) if m.contains("limits the rate") && m.contains("/mount/e")),
        "{refused:?}"
    );
    server.join().unwrap();
}

#[tokio::test]
async fn a_server_that_stops_answering_or_is_not_there_is_said_so() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut pipe = Pipeline::new(&base, Duration::from_millis(200)).unwrap();
    let silent = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        requests(&mut s, 1);
        std::thread::sleep(Duration::from_millis(500));
    });
    assert!(matches!(pipe.send(&[get("/a")]).await, Err(Error::Timeout { .. })));
    silent.join().unwrap();
    // nothing listens there any more
    assert!(matches!(pipe.send(&[get("/a")]).await, Err(Error::Unreachable { .. })));
    assert!(matches!(
        Pipeline::new("https://127.0.0.1:1", Duration::from_secs(1)),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn an_answer_cut_short_or_too_large_is_an_error() {
    let (mut pipe, server) = serving(vec![
        Box::new(|mut s| {
            requests(&mut s, 2);
            s.write_all(format!("{OK}HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n{{").as_bytes())
                .unwrap();
        }),
        Box::new(|mut s| {
            requests(&mut s, 1);
            s.write_all(format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", MAX_BODY + 1).as_bytes())
                .unwrap();
        }),
    ]);
    let cut = pipe.send(&[get("/a"), get("/b")]).await;
    assert!(
        matches!(&cut, Err(Error::Unreachable { url, .. }) if url.ends_with("/mount/b")),
        "{cut:?}"
    );
    assert!(matches!(pipe.send(&[get("/c")]).await, Err(Error::BodyTooLarge { .. })));
    server.join().unwrap();
}

/// The answer to the first request cut short by a reset on a kept connection: that request
/// may have been applied, so the batch is not sent again (the server's thread fails on a
/// second connection).
#[tokio::test]
async fn an_answer_cut_short_by_a_reset_is_not_sent_again() {
    let (mut pipe, server) = serving(vec![Box::new(|mut s| {
        requests(&mut s, 1);
        s.write_all(OK.as_bytes()).unwrap();
        assert_eq!(head_only(&mut s), "DELETE /mount/x");
        assert_eq!(waiting(&s), 1);
        // part of a head, then a close with a request unread: a reset
        s.write_all(b"HTTP/1.1 204 No").unwrap();
    })]);
    pipe.send(&[get("/a")]).await.unwrap();
    let delete = Call {
        method: "DELETE",
        ..get("/x")
    };
    let cut = pipe.send(&[delete, get("/b")]).await;
    assert!(matches!(&cut, Err(Error::Unreachable { .. })), "{cut:?}");
    server.join().unwrap();
}

/// A write that fails on a kept connection: the answers that came are read, and nothing is
/// sent again, whether the server answered the first request or none.
#[tokio::test]
async fn a_batch_is_not_sent_again_after_a_write_error() {
    // the first request of a batch too large for the sockets' buffers read, answered or not;
    // then a close with the rest unread, which resets the connection under the client's write
    let (mut pipe, server) = serving(vec![
        Box::new(|mut s| {
            requests(&mut s, 1);
            s.write_all(OK.as_bytes()).unwrap();
            assert_eq!(head_only(&mut s), "GET /mount/x");
            s.write_all(OK.as_bytes()).unwrap();
        }),
        Box::new(|mut s| {
            requests(&mut s, 1);
            s.write_all(OK.as_bytes()).unwrap();
            assert_eq!(head_only(&mut s), "GET /mount/y");
        }),
    ]);
    let large = "x".repeat(32 << 20);
    let post = Call {
        method: "POST",
        body: Some(("text/plain", large.as_str())),
        ..get("/z")
    };
    for first in ["/x", "/y"] {
        pipe.send(&[get("/a")]).await.unwrap();
        let broken = pipe.send(&[get(first), post]).await;
        assert!(matches!(&broken, Err(Error::Unreachable { .. })), "{broken:?}");
    }
    server.join().unwrap();
}

/// An HTTP/1.0 server that keeps its connection is sent one request at a time on it: only
/// HTTP/1.1 promises pipelining.
#[tokio::test]
async fn an_http_1_0_server_is_sent_one_request_at_a_time() {
    let (mut pipe, server) = serving(vec![Box::new(|mut s| {
        let kept = "HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\n{}";
        for (expected, waits) in [("GET /mount/a", 0), ("GET /mount/b", 0), ("GET /mount/c", 0)] {
            assert_eq!(head_only(&mut s), expected);
            assert_eq!(waiting(&s), waits, "requests after {expected}");
            s.write_all(kept.as_bytes()).unwrap();
        }
    })]);
    assert_eq!(pipe.send(&[get("/a")]).await.unwrap()[0].status, 200);
    let answers = pipe.send(&[get("/b"), get("/c")]).await.unwrap();
    assert_eq!(answers.len(), 2);
    server.join().unwrap();
}

/// An unsolicited answer on an idle kept connection (a 408 before the server closes it, RFC
/// 9110 section 15.5.9) is no answer to the next batch: the connection is checked before it is
/// written on, and the batch goes on a new one.
#[tokio::test]
async fn an_answer_nobody_asked_for_is_not_taken_for_the_next() {
    let (mut pipe, server) = serving(vec![
        Box::new(|mut s| {
            requests(&mut s, 1);
            s.write_all(OK.as_bytes()).unwrap();
            std::thread::sleep(Duration::from_millis(20));
            let timeout = "HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
            s.write_all(timeout.as_bytes()).unwrap();
        }),
        Box::new(|mut s| {
            requests(&mut s, 1);
            s.write_all(OK.as_bytes()).unwrap();
        }),
    ]);
    pipe.send(&[get("/a")]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let answers = pipe.send(&[get("/b")]).await.unwrap();
    assert_eq!(answers[0].status, 200);
    server.join().unwrap();
}

/// A target with a byte no request line may carry is refused before anything is written: no
/// request is smuggled in after it.
#[tokio::test]
async fn a_target_that_would_inject_a_request_is_refused() {
    let (mut pipe, server) = serving(Vec::new());
    for target in ["/a HTTP/1.1\r\nhost: x\r\n\r\nDELETE /b", "/a b", "/caf\u{e9}"] {
        let refused = pipe.send(&[get("/ok"), get(target)]).await;
        assert!(
            matches!(&refused, Err(Error::Config(m)) if m.contains("percent-encode")),
            "{refused:?}"
        );
    }
    server.join().unwrap();
}

/// A send dropped while its answers are in flight (a timeout around it, say) leaves them on
/// the connection: the next send goes on a new one rather than take them for its own.
#[tokio::test]
async fn a_send_dropped_midway_leaves_no_answer_for_the_next() {
    let (mut pipe, server) = serving(vec![
        Box::new(|mut s| {
            requests(&mut s, 1);
            std::thread::sleep(Duration::from_millis(150));
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfirst");
        }),
        Box::new(|mut s| {
            requests(&mut s, 1);
            s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nsecond")
                .unwrap();
        }),
    ]);
    let dropped = tokio::time::timeout(Duration::from_millis(50), pipe.send(&[get("/a")])).await;
    assert!(dropped.is_err(), "the first send was to be dropped");
    // sent before the first answer comes, so nothing stray is on the connection yet
    let answers = pipe.send(&[get("/b")]).await.unwrap();
    assert_eq!(answers[0].body, "second");
    server.join().unwrap();
}
