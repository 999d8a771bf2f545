//! What one call of the client sent and got back, already read: the value every step and check
//! works on, and the `curl` line that repeats it.

use std::time::Duration;

use serde_json::Value;

use crate::error::Error;
use crate::spec::wire;

use super::FORM;

/// A request as it was sent, with the credential redacted. It is stored whole (a shard's
/// results, read back by `merge`), so a failure's curl repro comes back as it was printed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    #[serde(default)]
    pub throwaway_token: Option<String>,
    /// The scheme the credentials travelled in (the profile's).
    #[serde(default)]
    pub auth: wire::AuthScheme,
    /// Headers other than `Authorization`.
    pub headers: Vec<(String, String)>,
    /// The body as sent.
    pub body: String,
}

/// One request and its response, already read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
        Some(self.auth.header(self.user.as_ref()?, "[redacted]"))
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
        match (&self.request.user, &self.request.throwaway_token, self.request.auth) {
            (Some(user), Some(token), wire::AuthScheme::Basic) => {
                cmd.push_str(&format!(" -u {}", quoted(&format!("{user}:{token}"))))
            }
            (Some(user), None, wire::AuthScheme::Basic) => cmd.push_str(&format!(" -u \"{user}:$LAML_API_TOKEN\"")),
            (Some(_), Some(token), wire::AuthScheme::Bearer) => {
                cmd.push_str(&format!(" -H {}", quoted(&format!("Authorization: Bearer {token}"))))
            }
            (Some(_), None, wire::AuthScheme::Bearer) => cmd.push_str(" -H \"Authorization: Bearer $LAML_API_TOKEN\""),
            (None, _, _) => {}
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

    /// The server's clock when it answered, from the `Date` header (one-second resolution), in
    /// any of the three forms RFC 9110 section 5.6.7 says a recipient must accept (httpdate,
    /// which hyper already brings, parses them without building a format for every answer).
    pub fn server_date(&self) -> Option<time::OffsetDateTime> {
        http_date(self.header("date")?)
    }

    /// The response header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A `Date` header's value as a time, in any of the forms RFC 9110 accepts.
pub(super) fn http_date(value: &str) -> Option<time::OffsetDateTime> {
    let date = httpdate::parse_http_date(value.trim()).ok()?;
    Some(time::OffsetDateTime::from(date))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn answered_on(date: Option<&str>) -> Exchange {
        Exchange {
            request: SentRequest {
                method: "GET".into(),
                url: "http://127.0.0.1/".into(),
                user: None,
                throwaway_token: None,
                auth: Default::default(),
                headers: vec![],
                body: String::new(),
            },
            status: 200,
            headers: date.map(|d| ("date".to_string(), d.to_string())).into_iter().collect(),
            body: String::new(),
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn the_server_date_is_read_in_every_form_http_allows_and_nothing_else() {
        // 1994-11-06 08:49:37 UTC, RFC 9110's own example
        let when = time::OffsetDateTime::from_unix_timestamp(784_111_777).unwrap();
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",  // IMF-fixdate
            "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850
            "Sun Nov  6 08:49:37 1994",       // asctime
        ] {
            assert_eq!(answered_on(Some(form)).server_date(), Some(when), "{form}");
        }
        assert_eq!(answered_on(Some("Sun, 06 Nov 1994 08:49:37 +0000")).server_date(), None);
        assert_eq!(answered_on(None).server_date(), None);
    }
}
