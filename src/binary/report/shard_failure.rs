//! A [`Failure`] in a shard's results: the whole value, so that `merge` renders every report
//! from it as the run would have.
//!
//! The library's own `Serialize` of an exchange leaves out the scheme the credentials
//! travelled in and a throwaway token (it never writes a token), and the curl command a failure
//! shows is built from both; so the results store a failure in a form of their own, which
//! keeps them. The token kept is only ever a throwaway one of an account made on loopback for
//! the scenario, which the reports print in their curl commands already; a token a user gave is
//! never in an exchange at all.

use std::time::Duration;

use laml_conformance::client::{Exchange, SentRequest};
use laml_conformance::failure::{Failure, Kind};
use laml_conformance::spec::deviation::Deviation;
use laml_conformance::spec::wire::AuthScheme;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
struct StoredFailure {
    kind: Kind,
    title: String,
    deviations: Vec<StoredDeviation>,
    exchange: Option<StoredExchange>,
    hint: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredDeviation {
    path: String,
    expected: String,
    actual: String,
}

#[derive(Serialize, Deserialize)]
struct StoredExchange {
    request: StoredRequest,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    elapsed: Duration,
}

#[derive(Serialize, Deserialize)]
struct StoredRequest {
    method: String,
    url: String,
    user: Option<String>,
    throwaway_token: Option<String>,
    auth: AuthScheme,
    headers: Vec<(String, String)>,
    body: String,
}

impl From<&Failure> for StoredFailure {
    fn from(f: &Failure) -> Self {
        StoredFailure {
            kind: f.kind,
            title: f.title.clone(),
            deviations: f
                .deviations
                .iter()
                .map(|d| StoredDeviation {
                    path: d.path.clone(),
                    expected: d.expected.clone(),
                    actual: d.actual.clone(),
                })
                .collect(),
            exchange: f.exchange.as_deref().map(|e| {
                let r = &e.request;
                StoredExchange {
                    request: StoredRequest {
                        method: r.method.clone(),
                        url: r.url.clone(),
                        user: r.user.clone(),
                        throwaway_token: r.throwaway_token.clone(),
                        auth: r.auth,
                        headers: r.headers.clone(),
                        body: r.body.clone(),
                    },
                    status: e.status,
                    headers: e.headers.clone(),
                    body: e.body.clone(),
                    elapsed: e.elapsed,
                }
            }),
            hint: f.hint.clone(),
        }
    }
}

impl From<StoredFailure> for Failure {
    fn from(f: StoredFailure) -> Self {
        Failure {
            kind: f.kind,
            title: f.title,
            deviations: f
                .deviations
                .into_iter()
                .map(|d| Deviation {
                    path: d.path,
                    expected: d.expected,
                    actual: d.actual,
                })
                .collect(),
            exchange: f.exchange.map(|e| {
                let r = e.request;
                Box::new(Exchange {
                    request: SentRequest {
                        method: r.method,
                        url: r.url,
                        user: r.user,
                        throwaway_token: r.throwaway_token,
                        auth: r.auth,
                        headers: r.headers,
                        body: r.body,
                    },
                    status: e.status,
                    headers: e.headers,
                    body: e.body,
                    elapsed: e.elapsed,
                })
            }),
            hint: f.hint,
        }
    }
}

/// A failure, stored (`#[serde(with = "…")]`).
pub fn serialize<S: Serializer>(failure: &Failure, s: S) -> Result<S::Ok, S::Error> {
    StoredFailure::from(failure).serialize(s)
}

/// A failure, read back.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Failure, D::Error> {
    StoredFailure::deserialize(d).map(Failure::from)
}

/// A failure there may be (a hook's), stored and read back.
pub mod option {
    use super::*;

    /// Stored.
    pub fn serialize<S: Serializer>(failure: &Option<Failure>, s: S) -> Result<S::Ok, S::Error> {
        failure.as_ref().map(StoredFailure::from).serialize(s)
    }

    /// Read back.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Failure>, D::Error> {
        Option::<StoredFailure>::deserialize(d).map(|f| f.map(Failure::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_comes_back_as_it_renders() {
        let exchange = Exchange {
            request: SentRequest {
                method: "POST".into(),
                url: "http://127.0.0.1:1/x".into(),
                user: Some("PN1".into()),
                throwaway_token: Some("throwaway".into()),
                auth: AuthScheme::Bearer,
                headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
                body: "Muted=true".into(),
            },
            status: 200,
            headers: vec![("date".into(), "x".into())],
            body: "{\"muted\":false}".into(),
            elapsed: Duration::from_millis(3),
        };
        let failure = Failure::deviating(
            "the response differs",
            vec![Deviation::values(
                "muted",
                &serde_json::json!(true),
                &serde_json::json!(false),
            )],
        )
        .with_exchange(&exchange)
        .with_hint("send Muted=true")
        .of_kind(Kind::Drift);
        let mut json = serde_json::Serializer::new(Vec::new());
        serialize(&failure, &mut json).unwrap();
        let back = deserialize(&mut serde_json::Deserializer::from_slice(&json.into_inner())).unwrap();
        assert_eq!(back.to_string(), failure.to_string());
        assert!(back.to_string().contains("Authorization: Bearer throwaway"), "{back}");
        assert_eq!(back.kind, Kind::Drift);
    }
}
