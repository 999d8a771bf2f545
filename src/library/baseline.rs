//! Regression baselines: every exchange of a scenario, normalised so that the same server gives
//! the same text, recorded as an insta snapshot (`--record DIR`) and compared with later runs
//! (`--baseline DIR`).
//!
//! The scenarios say what the documentation allows; a baseline says what one release of an
//! implementation did within that, so drift between two releases (a field added or gone, a value
//! or a status changed) fails a run even where both releases conform. Normalising makes a
//! recording deterministic, in the placeholders of the checks' snapshots
//! ([`crate::check::placeholder`]): the sids of a scenario become the names it gave them
//! (`[the sid of agent]`, `[the sid of account]`, `[the sid of conference]`), any other sid
//! `[a sid of nobody]`, every RFC 2822 date `[an RFC 2822 date]`, and the target's address goes.
//! Files are insta's own format, so a drift left as `<name>.snap.new` beside the recording is
//! accepted or rejected with `cargo insta review`.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::check::placeholder::Placeholder;
use crate::check::{Deviation, Scope, compare};
use crate::client::Exchange;

/// The ids of one scenario and the names they stand for in a recording.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// `(sid, name)` pairs: participants by their scenario names, then `account`, `conference`.
    pub sids: Vec<(String, String)>,
}

impl Names {
    /// Adds a sid and the name a recording writes for it (as [`Placeholder::SidOf`]).
    pub fn add(&mut self, sid: &str, name: &str) {
        if !sid.is_empty() && !self.sids.iter().any(|(s, _)| s == sid) {
            self.sids.push((sid.to_string(), name.to_string()));
        }
    }

    /// `text` with every known sid replaced by the placeholder of its name, and any other sid of
    /// this API by [`Placeholder::NobodysSid`].
    fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        // Longest first, so a sid that contains another is replaced whole.
        let mut sids: Vec<&(String, String)> = self.sids.iter().collect();
        sids.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        for (sid, name) in sids {
            out = out.replace(sid.as_str(), &Placeholder::SidOf(name.clone()).to_string());
        }
        other_sids(&out)
    }

    /// A JSON value with its strings normalised, and dates made [`Placeholder::Date`].
    fn value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) if crate::spec::participant::parse_date(s).is_some() => Value::from(Placeholder::Date),
            Value::String(s) => Value::from(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.value(i)).collect()),
            Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), self.value(v))).collect()),
            other => other.clone(),
        }
    }
}

/// Replaces the sids nobody named (an unknown participant the scenario made up, say): uuids and
/// Twilio's `AC…`/`CF…`/`CA…` sids.
fn other_sids(text: &str) -> String {
    let bytes = text.as_bytes();
    let nobody = Placeholder::NobodysSid.to_string();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let len = if is_uuid_at(rest) {
            36
        } else if is_prefixed_sid_at(rest) {
            34
        } else {
            0
        };
        if len > 0 {
            out.push_str(&nobody);
            i += len;
        } else {
            let c = rest.chars().next().expect("i < len");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn is_uuid_at(s: &str) -> bool {
    s.len() >= 36 && s.is_char_boundary(36) && crate::spec::participant::is_uuid(&s[..36])
}

fn is_prefixed_sid_at(s: &str) -> bool {
    s.len() >= 34
        && ["AC", "CF", "CA"].iter().any(|p| s.starts_with(p))
        && s.as_bytes()[2..34].iter().all(u8::is_ascii_hexdigit)
        && s.as_bytes().get(34).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// One exchange as a recording holds it: the method and path (query included), the form sent,
/// the status, and the body.
pub fn normalise(exchange: &Exchange, names: &Names) -> Value {
    let url = url::Url::parse(&exchange.request.url).ok();
    let path = url.as_ref().map_or_else(String::new, |u| match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    });
    let mut out = Map::new();
    out.insert(
        "request".into(),
        Value::from(format!("{} {}", exchange.request.method, names.text(&path))),
    );
    if !exchange.request.body.is_empty() {
        let form: Vec<(String, String)> = serde_urlencoded::from_str(&exchange.request.body).unwrap_or_default();
        let sent = if form.is_empty() {
            Value::from(names.text(&exchange.request.body))
        } else {
            Value::Array(form.iter().map(|(k, v)| json!([k, names.text(v)])).collect())
        };
        out.insert("sent".into(), sent);
    }
    out.insert("status".into(), Value::from(exchange.status));
    if !exchange.body.is_empty() {
        let body = serde_json::from_str::<Value>(&exchange.body)
            .map_or_else(|_| Value::from(names.text(&exchange.body)), |v| names.value(&v));
        out.insert("body".into(), body);
    }
    Value::Object(out)
}

/// The recording of one scenario: its exchanges in order.
pub fn recording(exchanges: &[Exchange], names: &Names) -> Value {
    Value::Array(exchanges.iter().map(|e| normalise(e, names)).collect())
}

/// The file of a scenario's recording: `<feature>__<scenario>.snap`, in words a file system takes.
pub fn file_name(feature: &str, scenario: &str, line: usize) -> String {
    let slug = |s: &str| {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('_') {
                out.push('_');
            }
        }
        out.trim_matches('_').chars().take(80).collect::<String>()
    };
    format!("{}__{}_{line}.snap", slug(feature), slug(scenario))
}

/// The text of a snapshot file, in insta's format (insta's API has no public way to build one).
pub fn snapshot_text(what: &str, recording: &Value) -> String {
    let pretty = serde_json::to_string_pretty(recording).unwrap_or_default();
    format!(
        "---\nsource: laml-conformance --record\nexpression: {}\n---\n{pretty}\n",
        serde_json::to_string(what).unwrap_or_default()
    )
}

/// The recording of a snapshot file, read back.
pub fn read_snapshot(text: &str) -> Option<Value> {
    serde_json::from_str(crate::check::snapshot::body(text)).ok()
}

/// How a recording differs from its baseline, field by field, each path led by the exchange's
/// position and request (`[2] POST …/[the sid of customer].json: body.muted`).
pub fn drift(baseline: &Value, now: &Value) -> Vec<Deviation> {
    let (Some(was), Some(is)) = (baseline.as_array(), now.as_array()) else {
        return compare(baseline, now, Scope::Deep);
    };
    let mut out = Vec::new();
    for i in 0..was.len().max(is.len()) {
        let label = |v: Option<&Value>| {
            v.and_then(|v| v.get("request"))
                .and_then(Value::as_str)
                .unwrap_or("(none)")
                .to_string()
        };
        match (was.get(i), is.get(i)) {
            (Some(a), Some(b)) => {
                out.extend(compare(a, b, Scope::Deep).into_iter().map(|d| Deviation {
                    path: format!("[{i}] {}: {}", label(Some(b)), d.path),
                    ..d
                }));
            }
            (a, b) => out.push(Deviation {
                path: format!("[{i}]"),
                expected: label(a),
                actual: label(b),
            }),
        }
    }
    out
}

/// What to do with a scenario's recording.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Write it into this folder.
    Record(PathBuf),
    /// Compare it with the one in this folder; write a drift as `<file>.new` for review.
    Baseline(PathBuf),
}

/// Records a scenario, or compares it with its baseline: `Ok(None)` when written or the same,
/// `Ok(Some(deviations))` on drift (the new recording left as `<file>.new`), `Err` when a file
/// cannot be read or written.
pub fn apply(mode: &Mode, file: &str, what: &str, recording: &Value) -> Result<Option<Vec<Deviation>>, String> {
    let text = snapshot_text(what, recording);
    match mode {
        Mode::Record(dir) => write(&dir.join(file), &text).map(|()| None),
        Mode::Baseline(dir) => {
            let path = dir.join(file);
            let new = dir.join(format!("{file}.new"));
            let deviations = match std::fs::read_to_string(&path) {
                Ok(old) => match read_snapshot(&old) {
                    Some(baseline) => drift(&baseline, recording),
                    None => vec![Deviation {
                        path: "(baseline)".into(),
                        expected: format!("a recording in {}", path.display()),
                        actual: "a file that does not read as one; record it again".into(),
                    }],
                },
                Err(_) => vec![Deviation {
                    path: "(baseline)".into(),
                    expected: format!("a recording of this scenario in {}", path.display()),
                    actual: "none: the scenario is new, or was renamed".into(),
                }],
            };
            if deviations.is_empty() {
                let _ = std::fs::remove_file(&new);
                Ok(None)
            } else {
                write(&new, &text)?;
                Ok(Some(deviations))
            }
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}; choose a writable folder", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::SentRequest;

    fn exchange(method: &str, url: &str, sent: &str, status: u16, body: &str) -> Exchange {
        Exchange {
            request: SentRequest {
                method: method.into(),
                url: url.into(),
                user: Some("ACx".into()),
                throwaway_token: Some("t0k3n".into()),
                auth: Default::default(),
                headers: vec![],
                body: sent.into(),
            },
            status,
            headers: vec![],
            body: body.into(),
            elapsed: std::time::Duration::from_millis(3),
        }
    }

    fn names() -> Names {
        let mut n = Names::default();
        n.add("CA11111111111111111111111111111111", "agent");
        n.add("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account");
        n
    }

    #[test]
    fn a_recording_names_its_sids_and_hides_dates_ports_and_tokens() {
        let e = exchange(
            "POST",
            "http://127.0.0.1:4242/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Conferences/CFbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Participants/CA11111111111111111111111111111111.json",
            "Muted=true&CallSidToCoach=CA22222222222222222222222222222222",
            200,
            r#"{"call_sid":"CA11111111111111111111111111111111","date_updated":"Mon, 30 Nov 2026 02:00:00 +0000","muted":true}"#,
        );
        let text = snapshot_text("f: s", &recording(&[e], &names()));
        assert!(
            text.contains(
                "POST /2010-04-01/Accounts/[the sid of account]/Conferences/[a sid of nobody]/Participants/[the sid of agent].json"
            ),
            "{text}"
        );
        assert!(
            text.contains("\"[a sid of nobody]\"") && text.contains("\"[an RFC 2822 date]\""),
            "{text}"
        );
        assert!(!text.contains("4242") && !text.contains("t0k3n"), "{text}");
        assert_eq!(
            read_snapshot(&text),
            Some(recording(
                &[exchange(
                    "POST",
                    "http://h/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Conferences/CFbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Participants/CA11111111111111111111111111111111.json",
                    "Muted=true&CallSidToCoach=CA22222222222222222222222222222222",
                    200,
                    r#"{"call_sid":"CA11111111111111111111111111111111","date_updated":"Tue, 01 Dec 2026 09:09:09 +0000","muted":true}"#
                )],
                &names()
            ))
        );
    }

    #[test]
    fn drift_names_the_exchange_and_the_field() {
        let url = "http://h/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Participants/CA11111111111111111111111111111111.json";
        let was = recording(
            &[exchange("GET", url, "", 200, r#"{"muted":true,"hold":false}"#)],
            &names(),
        );
        let is = recording(
            &[exchange("GET", url, "", 200, r#"{"muted":false,"extra":1}"#)],
            &names(),
        );
        let d = drift(&was, &is);
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths.len(), 3, "{d:?}");
        assert!(
            paths.iter().all(|p| p.starts_with(
                "[0] GET /2010-04-01/Accounts/[the sid of account]/Participants/[the sid of agent].json: body"
            )),
            "{paths:?}"
        );
        assert!(drift(&was, &was).is_empty());
        let shorter = recording(&[], &names());
        assert_eq!(drift(&was, &shorter)[0].actual, "(none)");
    }

    /// A sid the world never learnt (empty) names nothing: replaced, it would put a name
    /// between every two characters of the recording. A string is a date only if it reads as one.
    #[test]
    fn an_empty_sid_names_nothing_and_only_dates_become_the_date_placeholder() {
        let mut n = names();
        n.add("", "nobody");
        assert_eq!(n.sids.len(), 2, "{:?}", n.sids);
        assert_eq!(n.text("status connected"), "status connected");
        let nobody = Placeholder::NobodysSid.to_string();
        assert_eq!(
            n.text("to 3c99e14c-7ec2-4275-a6b5-e237bfbed845."),
            format!("to {nobody}."),
            "a uuid nobody named (the seed's and SignalWire's sids)"
        );
        let v = n.value(&serde_json::json!({
            "status": "connected",
            "date_created": "Mon, 30 Nov 2026 02:00:00 +0000",
            "call_sid": "CA11111111111111111111111111111111",
        }));
        assert_eq!(v["status"], "connected");
        assert_eq!(v["date_created"], Value::from(Placeholder::Date));
        assert_eq!(v["call_sid"], Value::from(Placeholder::SidOf("agent".into())));
    }

    #[test]
    fn file_names_are_plain_and_tell_outline_rows_apart() {
        assert_eq!(
            file_name("mute", "Muted is read in any case: lowercase, as the table", 49),
            "mute__muted_is_read_in_any_case_lowercase_as_the_table_49.snap"
        );
    }
}
