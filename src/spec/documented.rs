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

/// The account, conference and call sids every documented example uses; they identify "this
/// participant" when a documented response is normalised. The conference sid ends in `pa` and is
/// no valid uuid (errata 7), which is why identity, not format, decides the sid placeholders.
pub const DOCUMENTED_IDS: (&str, &str, &str) = (
    "b3877c40-da60-4998-90ad-b792e98472af",
    "b3877c40-da60-4998-90ad-b792e98472pa",
    "b3877c40-da60-4998-90ad-b792e98472ca",
);

/// The participant the coaching and monitoring examples coach: the documentation prints a
/// placeholder (errata 7), which the corrected examples read as this uuid of the same conference.
pub const DOCUMENTED_COACHED: &str = "b3877c40-da60-4998-90ad-b792e98472cb";

/// The participant every documented example is about.
pub fn documented_participant() -> super::ParticipantRef {
    let (account, conference, call) = DOCUMENTED_IDS;
    super::ParticipantRef {
        account_sid: account.into(),
        conference_sid: conference.into(),
        call_sid: call.into(),
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
