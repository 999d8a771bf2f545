//! The documented 200 responses, verbatim, compiled in (SPEC.md section 3).
//!
//! The simulated space never serves these: they are what its computed responses, and any real
//! server's, are compared with after normalisation.

use serde_json::Value;

/// One documented response and the request that produced it.
#[derive(Debug, Clone, Copy)]
pub struct DocumentedExample {
    /// The file's stem, also the name of its committed snapshot.
    pub name: &'static str,
    /// The heading of the example in the documentation.
    pub title: &'static str,
    /// The form body the cURL tab sends (`…` stands for the coached participant's sid).
    pub request: &'static str,
    /// The response, verbatim.
    pub json: &'static str,
}

impl DocumentedExample {
    /// The response as JSON, keys in the documented order.
    pub fn value(&self) -> Value {
        serde_json::from_str(self.json).expect("documented examples are valid JSON (checked by a unit test)")
    }
}

/// Every documented response, in the order the page shows them; the resource page's sample last.
pub const EXAMPLES: &[DocumentedExample] = &[
    DocumentedExample {
        name: "coaching",
        title: "Coaching a Participant",
        request: "Muted=False&Coaching=True&Beep=False&CallSidToCoach=…",
        json: include_str!("documented/coaching.json"),
    },
    DocumentedExample {
        name: "monitoring",
        title: "Monitoring a Conference",
        request: "Muted=True&Coaching=True&Beep=False&CallSidToCoach=…",
        json: include_str!("documented/monitoring.json"),
    },
    DocumentedExample {
        name: "barge",
        title: "Barge a Conference",
        request: "Muted=False&Coaching=False",
        json: include_str!("documented/barge.json"),
    },
    DocumentedExample {
        name: "mute",
        title: "Mute a Participant",
        request: "Muted=True",
        json: include_str!("documented/mute.json"),
    },
    DocumentedExample {
        name: "hold",
        title: "Put a Participant on Hold",
        request: "Hold=True&HoldUrl=http://www.your-application.com/hold",
        json: include_str!("documented/hold.json"),
    },
    DocumentedExample {
        name: "participant",
        title: "The participant resource (sample of the resource page)",
        request: "",
        json: include_str!("documented/participant.json"),
    },
];

/// Every documented file compiled in, by its path under `src/library/spec/documented/`: the seed's
/// examples and the other generations' (which the profiles name).
const FILES: &[(&str, &str)] = &[
    ("coaching.json", include_str!("documented/coaching.json")),
    ("monitoring.json", include_str!("documented/monitoring.json")),
    ("barge.json", include_str!("documented/barge.json")),
    ("mute.json", include_str!("documented/mute.json")),
    ("hold.json", include_str!("documented/hold.json")),
    ("participant.json", include_str!("documented/participant.json")),
    (
        "twilio/update-mute.json",
        include_str!("documented/twilio/update-mute.json"),
    ),
    (
        "twilio/update-hold.json",
        include_str!("documented/twilio/update-hold.json"),
    ),
    (
        "twilio/update-announce.json",
        include_str!("documented/twilio/update-announce.json"),
    ),
    (
        "twilio/update-coaching.json",
        include_str!("documented/twilio/update-coaching.json"),
    ),
    ("twilio/retrieve.json", include_str!("documented/twilio/retrieve.json")),
    (
        "twilio/retrieve-by-label.json",
        include_str!("documented/twilio/retrieve-by-label.json"),
    ),
    (
        "twilio/update-mute-by-label.json",
        include_str!("documented/twilio/update-mute-by-label.json"),
    ),
    (
        "twilio/update-coaching-by-label.json",
        include_str!("documented/twilio/update-coaching-by-label.json"),
    ),
    (
        "twilio/list-empty.json",
        include_str!("documented/twilio/list-empty.json"),
    ),
    (
        "twilio/list-full.json",
        include_str!("documented/twilio/list-full.json"),
    ),
    (
        "twilio/list-next.json",
        include_str!("documented/twilio/list-next.json"),
    ),
    (
        "twilio/list-previous.json",
        include_str!("documented/twilio/list-previous.json"),
    ),
];

/// The text of the documented file at `path` (under `src/library/spec/documented/`), if compiled in.
pub fn file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

/// The documented example named `name`, if any.
pub fn example(name: &str) -> Option<&'static DocumentedExample> {
    EXAMPLES.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses_as_an_object() {
        for e in EXAMPLES {
            assert!(e.value().is_object(), "{} is not a JSON object", e.name);
        }
    }
}
