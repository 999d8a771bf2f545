//! The client's limits on a target that misbehaves: how often a 429 is retried and how long
//! waited for, how much of a body is read, and a failed request said as a timeout or as
//! unreachable.

use std::time::Duration;

use crate::error::Error;

/// How many times a 429 (or a setup endpoint's 503) is retried before it is reported.
pub const MAX_RETRIES: u32 = 3;
/// The longest `Retry-After` honoured; a target asking for more is waited on this long.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);
/// The largest response body read; a target sending more is a failure, not a memory problem.
pub const MAX_BODY: usize = 1024 * 1024;

/// The wait a 429 asks for (`Retry-After` in seconds), at most [`MAX_RETRY_WAIT`], at least a
/// tenth of a second.
pub fn retry_after(headers: &[(String, String)]) -> Duration {
    let asked = headers
        .iter()
        .find(|(k, _)| k == "retry-after")
        .and_then(|(_, v)| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        // clamped before it becomes a Duration: a `Retry-After: 1e20` is too long for one
        .map(|s| Duration::from_secs_f64(s.min(MAX_RETRY_WAIT.as_secs_f64())))
        .unwrap_or(Duration::from_secs(1));
    asked.clamp(Duration::from_millis(100), MAX_RETRY_WAIT)
}

/// A response's headers as `(lowercase name, value)` pairs, a value that is not UTF-8 read
/// lossily: how exchanges keep them and how [`retry_after`] reads them.
pub fn header_pairs(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_retry_after_is_a_wait_between_a_tenth_of_a_second_and_the_longest() {
        let wait = |v: &str| retry_after(&[("retry-after".to_string(), v.to_string())]);
        assert_eq!(wait("2"), Duration::from_secs(2));
        assert_eq!(
            wait("1e20"),
            MAX_RETRY_WAIT,
            "too long for a Duration: clamped, no panic"
        );
        assert_eq!(wait("inf"), Duration::from_secs(1));
        assert_eq!(wait("-3"), Duration::from_secs(1));
        assert_eq!(wait("0"), Duration::from_millis(100));
        assert_eq!(retry_after(&[]), Duration::from_secs(1));
    }
}
