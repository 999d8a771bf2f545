//! What a failed check found, as one value: the title, the field-level deviations, the exchange
//! that produced them, a hint, and what kind of failure it is.
//!
//! Failure text used to be a protocol with no owner: written in several places and parsed back
//! by the reports (`expected: ` line prefixes, a cut at `request:`). A [`Failure`] is built once,
//! where the check fails, and every writer renders what it needs from the value, so rewording a
//! line cannot break a report. [`Failure`]'s `Display` is the full text the console shows; the
//! parts ([`Failure::findings`], [`Failure::exchange`]) are there for writers that show less or
//! mark lines up.

use std::fmt;

use crate::client::Exchange;
use crate::spec::deviation::Deviation;

/// What kind of failure it is: every kind fails the scenario, the reports say them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The target broke a documented rule.
    #[default]
    Failed,
    /// The target answered otherwise than its recorded baseline.
    Drift,
}

/// One failed check. It serialises whole (a shard's results, read back by `merge`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// Failed or drifted.
    pub kind: Kind,
    /// One sentence: what was checked and that it did not hold.
    pub title: String,
    /// Each field that differs, with what was expected and what came; empty for a failure that
    /// is one sentence (a request that could not be sent, a step written wrong).
    pub deviations: Vec<Deviation>,
    /// The exchange that produced it, whose curl repro is rendered at the edge.
    pub exchange: Option<Box<Exchange>>,
    /// What to do about it, where the harness can tell.
    pub hint: Option<String>,
    /// Whether the answer was judged against a documented shape (the resource, an example, an
    /// error body, an empty 204) and differed from it: what a server of another generation of
    /// the documentation fails on, for the hint that names the profile it fits instead.
    #[serde(default)]
    pub against_shape: bool,
}

impl Failure {
    /// A failure that is one sentence.
    pub fn new(title: impl Into<String>) -> Self {
        Failure {
            title: title.into(),
            ..Failure::default()
        }
    }

    /// A failure of the fields in `deviations`, under `title`.
    pub fn deviating(title: impl Into<String>, deviations: Vec<Deviation>) -> Self {
        Failure {
            title: title.into(),
            deviations,
            ..Failure::default()
        }
    }

    /// The same failure, showing the exchange that produced it.
    pub fn with_exchange(mut self, exchange: &Exchange) -> Self {
        self.exchange = Some(Box::new(exchange.clone()));
        self
    }

    /// The same failure, of another kind.
    pub fn of_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// The same failure, with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks it as a difference from a documented shape (see [`Failure::is_about_shape`]).
    pub fn against_shape(mut self) -> Self {
        self.against_shape = true;
        self
    }

    /// Whether it is about the shape of an answer: judged against a documented shape, or a
    /// field that no expectation names.
    pub fn is_about_shape(&self) -> bool {
        self.against_shape || self.deviations.iter().any(Deviation::is_unexpected)
    }

    /// Fails the step this is called in, with this value as the panic's payload: cucumber
    /// fails a step by catching its panic and hands the payload to its writers in the
    /// `Step::Failed` event, so the value reaches every report as it is, beside nothing
    /// (`resume_unwind` calls no panic hook, so nothing is printed on the way either).
    pub fn raise(self) -> ! {
        std::panic::resume_unwind(Box::new(self))
    }

    /// The failure a step raised ([`Failure::raise`]), from a caught panic's payload.
    pub fn of_panic(payload: &(dyn std::any::Any + Send)) -> Option<&Failure> {
        payload.downcast_ref::<Failure>()
    }

    /// The headline as the console shows it: the title, and how many fields differ.
    pub fn headline(&self) -> String {
        if self.deviations.is_empty() {
            self.title.clone()
        } else {
            format!("{}: {} field(s) differ", self.title, self.deviations.len())
        }
    }

    /// What was found, without the exchange: the headline, the deviations and the hint.
    pub fn findings(&self) -> String {
        let mut text = self.headline();
        if !self.deviations.is_empty() {
            text.push('\n');
        }
        for d in &self.deviations {
            text.push_str(&d.to_string());
            text.push('\n');
        }
        if let Some(hint) = &self.hint {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(hint);
        }
        text
    }
}

impl fmt::Display for Failure {
    /// The findings, then the exchange (its curl repro and the response).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.findings())?;
        if let Some(exchange) = &self.exchange {
            write!(f, "\n{}", exchange.describe())?;
        }
        Ok(())
    }
}

impl From<String> for Failure {
    fn from(title: String) -> Self {
        Failure::new(title)
    }
}

impl From<&str> for Failure {
    fn from(title: &str) -> Self {
        Failure::new(title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_failure_of_fields_reads_as_the_title_the_blocks_and_the_hint() {
        let d = Deviation::values("muted", &json!(true), &json!(false));
        let f = Failure::deviating("the response differs", vec![d]).with_hint("send Muted=true");
        assert_eq!(
            f.to_string(),
            "the response differs: 1 field(s) differ\n  muted\n    expected: <true> (boolean)\n    actual:   <false> (boolean)\nsend Muted=true"
        );
        assert_eq!(Failure::from("no conference").to_string(), "no conference");
        assert_eq!(Failure::new("a").with_hint("b").findings(), "a\nb");
    }

    #[test]
    fn a_failure_is_about_shape_when_judged_against_one_or_when_a_field_is_unexpected() {
        let value = Deviation::values("muted", &json!(true), &json!(false));
        assert!(!Failure::deviating("values", vec![value.clone()]).is_about_shape());
        assert!(
            Failure::deviating("resource", vec![value])
                .against_shape()
                .is_about_shape()
        );
        let extra = Deviation::unexpected("extra", &json!(1));
        assert!(Failure::deviating("values", vec![extra]).is_about_shape());
        assert!(!Failure::new("no conference").is_about_shape());
    }

    #[test]
    fn a_failure_comes_back_from_its_json_as_it_renders_its_curl_repro_included() {
        use crate::client::{Exchange, SentRequest};
        use crate::spec::wire::AuthScheme;
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
            elapsed: std::time::Duration::from_millis(3),
        };
        let d = Deviation::values("muted", &json!(true), &json!(false));
        let failure = Failure::deviating("the response differs", vec![d])
            .with_exchange(&exchange)
            .with_hint("send Muted=true")
            .of_kind(Kind::Drift)
            .against_shape();
        let back: Failure = serde_json::from_str(&serde_json::to_string(&failure).unwrap()).unwrap();
        assert_eq!(back.to_string(), failure.to_string());
        assert!(back.to_string().contains("Authorization: Bearer throwaway"), "{back}");
        assert_eq!((back.kind, back.against_shape), (Kind::Drift, true));
    }
}
