//! HTTP/1.1 on the wire, both ways, as pure functions of bytes so that every case is tested
//! without a socket: the bytes of a batch of requests (and which requests cannot be written
//! as they are), and where one answer ends in the bytes a connection delivered (RFC 9112
//! section 6.3): its head read by httparse, then a body of its `Content-Length`, in chunks, or
//! up to the end of the connection; interim answers (1xx) are passed over.

/// One request of a batch.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The method.
    pub method: &'a str,
    /// The path (with its query), after the base URL's own path.
    pub target: &'a str,
    /// The `Authorization` header, if any.
    pub authorization: Option<&'a str>,
    /// `(content type, text)`.
    pub body: Option<(&'a str, &'a str)>,
}

/// Why `call` (to `url`, as said) cannot go on the wire as it is, in one sentence: a byte of
/// its method or target that is no visible ASCII (a space, a line break, a control, a letter
/// beyond ASCII) would end the request line early, and what follows could be read as a request
/// of its own; a line break in a header would do the same.
pub(crate) fn refused(call: &Call<'_>, url: &str) -> Option<String> {
    let method = call.method;
    if !method.bytes().chain(call.target.bytes()).all(|b| b.is_ascii_graphic()) {
        return Some(format!(
            "the request {method:?} {url:?} holds a byte that is no visible ASCII (a space, a line break, a control or a letter beyond ASCII), which a request line cannot carry; percent-encode it"
        ));
    }
    let one_line = |s: &str| !s.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0));
    let headers = [call.authorization, call.body.map(|(t, _)| t)];
    (!headers.into_iter().flatten().all(one_line)).then(|| {
        format!(
            "a header of the request {method:?} {url:?} holds a line break, which would end it early; check the credentials (LAML_API_TOKEN, or the setup endpoint's api_token) and the content type"
        )
    })
}

/// The request line, headers and body of each call, one after another, each target after
/// `prefix` (the base URL's path), with `authority` as `Host`.
pub(crate) fn encode(calls: &[Call<'_>], prefix: &str, authority: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(calls.len() * 320);
    for c in calls {
        let target = [prefix, c.target].concat();
        let target = if target.is_empty() { "/" } else { target.as_str() };
        for piece in [c.method, " ", target, " HTTP/1.1\r\nhost: ", authority] {
            out.extend_from_slice(piece.as_bytes());
        }
        out.extend_from_slice(b"\r\naccept: application/json\r\n");
        if let Some(a) = c.authorization {
            for piece in ["authorization: ", a, "\r\n"] {
                out.extend_from_slice(piece.as_bytes());
            }
        }
        if let Some((content_type, text)) = c.body {
            let length = text.len().to_string();
            for piece in ["content-type: ", content_type, "\r\ncontent-length: ", &length, "\r\n"] {
                out.extend_from_slice(piece.as_bytes());
            }
        }
        out.extend_from_slice(b"\r\n");
        if let Some((_, text)) = c.body {
            out.extend_from_slice(text.as_bytes());
        }
    }
    out
}

/// One answer, read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    /// The status code.
    pub status: u16,
    /// The headers, lowercase names, values read lossily as UTF-8 (as [`super::header_pairs`]).
    pub headers: Vec<(String, String)>,
    /// The body, its chunked coding removed.
    pub body: Vec<u8>,
    /// The minor version of HTTP/1.x it came in: a client pipelines only to 1.1.
    pub version: u8,
    /// Whether the server closes the connection after it (`Connection: close`, HTTP/1.0
    /// without keep-alive, or a body that ends with the connection).
    pub close: bool,
}

/// What the bytes read so far hold.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Framed {
    /// An answer, and how many bytes it took (interim answers before it included).
    Complete(Answer, usize),
    /// Not yet a whole answer: read more.
    Partial,
    /// An answer whose body runs to the end of the connection: its head, and where its body
    /// starts; it is whole once the server closes.
    UntilClose(Answer, usize),
}

/// Why the bytes are no answer that can be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unframed {
    /// Not an HTTP/1.1 answer; what is wrong.
    Malformed(String),
    /// A body larger than the limit.
    TooLarge,
}

/// The most headers an answer may have.
const MAX_HEADERS: usize = 64;
/// The largest head read.
const MAX_HEAD: usize = 64 * 1024;

/// Reads the first answer in `buf`. `head_only`: the request was a HEAD, so no body follows
/// whatever the head says.
pub(crate) fn frame(buf: &[u8], head_only: bool, max_body: usize) -> Result<Framed, Unframed> {
    let mut at = 0;
    let (head, body_at) = loop {
        let Some((head, len)) = head(&buf[at..])? else {
            return Ok(Framed::Partial);
        };
        match head.status {
            101 => return Err(Unframed::Malformed("it switched protocols (101)".into())),
            100..=199 => at += len, // an interim answer: the final one follows
            _ => break (head, at + len),
        }
    };
    let tokens = |name: &str| -> Vec<String> {
        head.headers
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(',').map(|t| t.trim().to_ascii_lowercase()))
            .collect()
    };
    let connection = tokens("connection");
    let close =
        connection.iter().any(|t| t == "close") || (head.version == 0 && !connection.iter().any(|t| t == "keep-alive"));
    let coding = tokens("transfer-encoding");
    let lengths = tokens("content-length");
    let (status, version) = (head.status, head.version);
    let answer = |body: Vec<u8>, close: bool| Answer {
        status,
        headers: head.headers,
        body,
        version,
        close,
    };
    if head_only || status == 204 || status == 304 {
        return Ok(Framed::Complete(answer(Vec::new(), close), body_at));
    }
    if coding.last().is_some_and(|t| t == "chunked") {
        return Ok(match chunked(&buf[body_at..], max_body)? {
            Some((body, used)) => Framed::Complete(answer(body, close), body_at + used),
            None => Framed::Partial,
        });
    }
    let Some(first) = lengths.first().filter(|_| coding.is_empty()) else {
        return Ok(Framed::UntilClose(answer(Vec::new(), true), body_at));
    };
    let length: usize = match first.parse() {
        Ok(n) if lengths.iter().all(|l| l == first) => n,
        _ => {
            return Err(Unframed::Malformed(format!(
                "its Content-Length {lengths:?} is no length"
            )));
        }
    };
    if length > max_body {
        return Err(Unframed::TooLarge);
    }
    Ok(match buf.get(body_at..body_at + length) {
        Some(body) => Framed::Complete(answer(body.to_vec(), close), body_at + length),
        None => Framed::Partial,
    })
}

/// An answer's head: its status, its HTTP/1.x minor version, its headers.
struct Head {
    status: u16,
    version: u8,
    headers: Vec<(String, String)>,
}

/// The head at the start of `buf` and the bytes it took; `None` while it is incomplete.
fn head(buf: &[u8]) -> Result<Option<(Head, usize)>, Unframed> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Response::new(&mut slots);
    let len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
            return Err(Unframed::Malformed(format!("a head longer than {MAX_HEAD} bytes")));
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(Unframed::Malformed(format!("its head cannot be read ({e})"))),
    };
    let headers = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let head = Head {
        status: parsed.code.unwrap_or_default(),
        version: parsed.version.unwrap_or(1),
        headers,
    };
    Ok(Some((head, len)))
}

/// A chunked body at the start of `buf`, decoded, and the bytes it took (its trailers
/// included); `None` while it is incomplete.
fn chunked(buf: &[u8], max_body: usize) -> Result<Option<(Vec<u8>, usize)>, Unframed> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let (size_len, size) = match httparse::parse_chunk_size(&buf[at..]) {
            Ok(httparse::Status::Complete(found)) => found,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(_) => return Err(Unframed::Malformed("a chunk size cannot be read".into())),
        };
        at += size_len;
        if size == 0 {
            // trailer fields, if any, then an empty line
            loop {
                let rest = &buf[at..];
                let Some(end) = rest.windows(2).position(|w| w == b"\r\n") else {
                    return Ok(None);
                };
                at += end + 2;
                if end == 0 {
                    return Ok(Some((body, at)));
                }
            }
        }
        let size = usize::try_from(size).map_err(|_| Unframed::TooLarge)?;
        if body.len().saturating_add(size) > max_body {
            return Err(Unframed::TooLarge);
        }
        let Some(data) = buf.get(at..at + size) else {
            return Ok(None);
        };
        body.extend_from_slice(data);
        at += size;
        match buf.get(at..at + 2) {
            None => return Ok(None),
            Some(b"\r\n") => at += 2,
            Some(_) => return Err(Unframed::Malformed("a chunk does not end with CRLF".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(bytes: &[u8]) -> (Answer, usize) {
        match frame(bytes, false, 1024) {
            Ok(Framed::Complete(a, n)) => (a, n),
            other => panic!("{other:?} for {}", String::from_utf8_lossy(bytes)),
        }
    }

    #[test]
    fn answers_follow_one_another_by_their_length() {
        let two = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nDate: x\r\n\r\n{}HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";
        let (first, used) = complete(two);
        assert_eq!(
            (first.status, first.body.as_slice(), first.close),
            (200, &b"{}"[..], false)
        );
        assert_eq!(first.headers[1], ("date".to_string(), "x".to_string()));
        let (second, rest) = complete(&two[used..]);
        assert_eq!((second.status, second.body.len(), used + rest), (404, 0, two.len()));
        for cut in 1..used {
            assert_eq!(frame(&two[..cut], false, 1024), Ok(Framed::Partial), "{cut}");
        }
    }

    #[test]
    fn a_chunked_body_is_decoded_with_its_trailers() {
        let bytes = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{\"\r\n3;x=y\r\na\":\r\n1\r\n1\r\n1\r\n}\r\n0\r\nT: v\r\n\r\nNEXT";
        let (answer, used) = complete(bytes);
        assert_eq!(answer.body, b"{\"a\":1}");
        assert_eq!(&bytes[used..], b"NEXT");
        for cut in 1..used {
            assert_eq!(frame(&bytes[..cut], false, 1024), Ok(Framed::Partial), "{cut}");
        }
        assert_eq!(frame(bytes, false, 3), Err(Unframed::TooLarge));
    }

    #[test]
    fn interim_answers_are_passed_over_and_bodiless_statuses_have_no_body() {
        let (answer, used) = complete(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        assert_eq!((answer.status, used), (204, 52));
        let head = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
        assert!(matches!(frame(head, true, 1024), Ok(Framed::Complete(_, n)) if n == head.len()));
        assert!(matches!(
            frame(b"HTTP/1.1 101 Switching\r\n\r\n", false, 9),
            Err(Unframed::Malformed(_))
        ));
    }

    #[test]
    fn a_body_without_length_runs_to_the_close_and_close_is_heard() {
        match frame(b"HTTP/1.1 200 OK\r\n\r\nabc", false, 1024) {
            Ok(Framed::UntilClose(a, at)) => assert_eq!((a.status, a.close, at), (200, true, 19)),
            other => panic!("{other:?}"),
        }
        let (answer, _) = complete(b"HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n");
        assert!(answer.close);
        let (old, _) = complete(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        assert!(old.close, "HTTP/1.0 closes unless it says keep-alive");
    }

    #[test]
    fn what_is_no_answer_is_said() {
        assert!(matches!(frame(b"<html>", false, 9), Err(Unframed::Malformed(_))));
        let lengths = b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";
        assert!(matches!(frame(lengths, false, 9), Err(Unframed::Malformed(_))));
        assert_eq!(
            frame(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", false, 9),
            Err(Unframed::TooLarge)
        );
    }
}
