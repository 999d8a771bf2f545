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
/// and the pipeline to it.
fn serving(scripts: Vec<Box<dyn FnOnce(TcpStream) + Send>>) -> (Pipeline, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/mount", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        for script in scripts {
            let (stream, _) = listener.accept().unwrap();
            script(stream);
        }
    });
    (Pipeline::new(&base, Duration::from_secs(5)).unwrap(), server)
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

#[tokio::test]
async fn what_a_closing_server_left_unanswered_is_sent_on_a_new_connection() {
    let (mut pipe, server) = serving(vec![
        Box::new(|mut s| {
            requests(&mut s, 3);
            s.write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 1\r\n\r\n1")
                .unwrap();
        }),
        Box::new(|mut s| {
            assert_eq!(requests(&mut s, 2), ["GET /mount/b", "GET /mount/c"]);
            s.write_all(format!("{OK}HTTP/1.1 200 OK\r\n\r\nto the end").as_bytes())
                .unwrap();
        }),
    ]);
    let answers = pipe.send(&[get("/a"), get("/b"), get("/c")]).await.unwrap();
    let bodies: Vec<&str> = answers.iter().map(|a| a.body.as_str()).collect();
    assert_eq!(bodies, ["1", "{}", "to the end"]);
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
        // a 429 that a request after it got past: nothing is sent again
        requests(&mut s, 3);
        s.write_all(format!("{OK}{busy}{OK}").as_bytes()).unwrap();
    })]);
    let statuses = |answers: Vec<Answered>| answers.iter().map(|a| a.status).collect::<Vec<_>>();
    let answers = pipe.send(&[get("/a"), get("/b"), get("/c")]).await.unwrap();
    assert_eq!(statuses(answers), [200, 200, 200]);
    let answers = pipe.send(&[get("/d"), get("/e"), get("/f")]).await.unwrap();
    assert_eq!(statuses(answers), [200, 429, 200], "the 429 is the answer");
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
