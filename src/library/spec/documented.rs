//! The documented responses, verbatim, compiled in (SPEC.md section 3); which of them a
//! generation documents, and under which names, its profile says.
//!
//! The simulated space never serves these: they are what its computed responses, and any real
//! server's, are compared with after normalisation.

/// One documented response of a generation, as its profile names it (`"examples"` in
/// `src/library/spec/profiles/<name>.json`: scenario name → this).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct DocumentedExample {
    /// The response, verbatim, as a file under `src/library/spec/documented/`.
    pub file: String,
    /// The heading the documentation gives it, where it gives one (the seed page's examples
    /// have headings; the OpenAPI descriptions only keys).
    #[serde(default)]
    pub title: Option<String>,
    /// The form body its request sends, where the documentation shows one (`…` stands for the
    /// coached participant's sid).
    #[serde(default)]
    pub request: Option<String>,
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_as_json() {
        for (path, text) in FILES {
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_ok(),
                "{path} is not JSON"
            );
        }
    }
}
