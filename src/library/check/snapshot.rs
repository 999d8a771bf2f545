//! The committed, reviewed snapshots, compiled in: what every documented-shape comparison
//! compares with.
//!
//! A snapshot is the normalised form of what the documentation shows: each documented example
//! (`<example>.snap`), the resource shape they all share (`resource.snap`), each documented error
//! body (`error_<code>.snap`). `tests/documented_snapshots.rs` proves with insta that each one
//! reproduces exactly from the documentation as data, so they cannot drift from it; the steps
//! compare every actual answer, normalised the same way, with the snapshot's content through
//! the one engine of [`super::compare`]. The snapshot comparison is therefore the check, made
//! once, and a binary installed without the source still has its snapshots.

use serde_json::Value;

use crate::spec::{ErrorCode, Profile};

use super::placeholder::Placeholder;

/// The name of the snapshot of the resource shape that every success is judged by.
pub const RESOURCE: &str = "resource";
/// The name of the snapshot of the list page that every listing is judged by.
pub const LIST: &str = "list";

/// Every committed snapshot the checks compare with, by name.
const COMMITTED: &[(&str, &str)] = &[
    ("coaching", include_str!("../../../snapshots/coaching.snap")),
    ("monitoring", include_str!("../../../snapshots/monitoring.snap")),
    ("barge", include_str!("../../../snapshots/barge.snap")),
    ("mute", include_str!("../../../snapshots/mute.snap")),
    ("hold", include_str!("../../../snapshots/hold.snap")),
    ("participant", include_str!("../../../snapshots/participant.snap")),
    (RESOURCE, include_str!("../../../snapshots/resource.snap")),
    (LIST, include_str!("../../../snapshots/list.snap")),
    (
        "signalwire_list",
        include_str!("../../../snapshots/signalwire_list.snap"),
    ),
    ("twilio_list", include_str!("../../../snapshots/twilio_list.snap")),
    ("telnyx_list", include_str!("../../../snapshots/telnyx_list.snap")),
    ("error_10000", include_str!("../../../snapshots/error_10000.snap")),
    ("error_13221", include_str!("../../../snapshots/error_13221.snap")),
    ("error_16002", include_str!("../../../snapshots/error_16002.snap")),
    ("error_20003", include_str!("../../../snapshots/error_20003.snap")),
    ("error_20004", include_str!("../../../snapshots/error_20004.snap")),
    ("error_20404", include_str!("../../../snapshots/error_20404.snap")),
    ("error_20429", include_str!("../../../snapshots/error_20429.snap")),
    ("error_21402", include_str!("../../../snapshots/error_21402.snap")),
    (
        "signalwire_resource",
        include_str!("../../../snapshots/signalwire_resource.snap"),
    ),
    (
        "telnyx_resource",
        include_str!("../../../snapshots/telnyx_resource.snap"),
    ),
    (
        "twilio_resource",
        include_str!("../../../snapshots/twilio_resource.snap"),
    ),
    ("twilio_mute", include_str!("../../../snapshots/twilio_mute.snap")),
    ("twilio_hold", include_str!("../../../snapshots/twilio_hold.snap")),
    (
        "twilio_announce",
        include_str!("../../../snapshots/twilio_announce.snap"),
    ),
    (
        "twilio_coaching",
        include_str!("../../../snapshots/twilio_coaching.snap"),
    ),
    (
        "twilio_participant",
        include_str!("../../../snapshots/twilio_participant.snap"),
    ),
    (
        "twilio_mute-by-label",
        include_str!("../../../snapshots/twilio_mute-by-label.snap"),
    ),
    (
        "twilio_coaching-by-label",
        include_str!("../../../snapshots/twilio_coaching-by-label.snap"),
    ),
    (
        "twilio_participant-by-label",
        include_str!("../../../snapshots/twilio_participant-by-label.snap"),
    ),
];

/// The names of every committed snapshot the checks compare with.
pub fn names() -> impl Iterator<Item = &'static str> {
    COMMITTED.iter().map(|(name, _)| *name)
}

/// The content of the committed snapshot `name`, as JSON; `None` when there is no such
/// snapshot or its content is not JSON (which `tests/documented_snapshots.rs` rules out).
pub fn committed(name: &str) -> Option<Value> {
    let (_, text) = COMMITTED.iter().find(|(n, _)| *n == name)?;
    serde_json::from_str(body(text)).ok()
}

/// The body of an insta snapshot file: what follows its `---` header (the whole text when it
/// has none). The crate's one reader of the format, for the committed snapshots and for the
/// baselines' recordings (`--record`, `--baseline`). insta's own `Snapshot::from_file` reads
/// only from a path, and these snapshots are compiled in; it would also put insta and its
/// diffing in the release build (BENCHMARKS.md). `tests/documented_snapshots.rs` proves that
/// this reads every committed file, and every recording, as insta does.
pub fn body(file: &str) -> &str {
    file.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(file, |(_, body)| body)
}

/// The name of the snapshot `name` under a profile: its `snapshot_prefix` and the name
/// (`twilio_mute`, `signalwire_resource`; the seed's carry none).
pub fn name_in(profile: &Profile, name: &str) -> String {
    format!("{}{name}", profile.snapshot_prefix)
}

/// How a failure names the documented example `name` of a profile: by the heading the
/// documentation gives it, or else by the profile it belongs to.
pub fn example_what(profile: &Profile, name: &str) -> String {
    match profile.examples.get(name).and_then(|e| e.title.as_deref()) {
        Some(title) => format!("the documented \"{name}\" example ({title})"),
        None => format!("the documented \"{name}\" example of the {} profile", profile.name),
    }
}

/// What a documented example's snapshot stands for, with every correction of the
/// documentation's contradictions it carries: the description a reviewer reads. An example
/// with a heading is named by it; one without, by its name and its profile.
pub fn example_description(profile: &'static Profile, name: &str) -> String {
    let example = profile.examples.get(name);
    let file = example.map_or("?", |e| e.file.as_str());
    let mut description = match example.and_then(|e| e.title.as_deref()) {
        Some(title) => format!("The documented example \"{title}\" (src/library/spec/documented/{file}), normalised."),
        None => format!(
            "The documented example \"{name}\" of the {} profile (src/library/spec/documented/{file}), normalised: {}.",
            profile.name, profile.title
        ),
    };
    let (_, notes) = super::documented::corrected(profile, name).unwrap_or_default();
    for note in notes {
        description.push_str("\nCorrected: ");
        description.push_str(note);
    }
    description
}

/// What a profile's resource snapshot stands for.
pub fn resource_description(profile: &Profile) -> String {
    format!(
        "The participant resource of the {} profile (src/library/spec/profiles/{}.json: {}), from its field table, with the flags an update controls as {}; every documented example of the profile normalises to it. Every successful answer under the profile is judged by it.",
        profile.name,
        profile.name,
        profile.title,
        Placeholder::Boolean
    )
}

/// What a profile's list page snapshot stands for.
pub fn list_description(profile: &Profile) -> String {
    let mut text = format!(
        "A page of the participant list under the {} profile (src/library/spec/profiles/{}.json, its list envelope): {}. Every listing under the profile is judged by it; its participants one by one, as resources.",
        profile.name, profile.name, profile.title
    );
    if !profile.list.examples.is_empty() {
        text.push_str(&format!(
            " Each of its documented pages normalises to it: {}.",
            profile.list.examples.join(", ")
        ));
    }
    text
}

/// The snapshot name of a documented error code.
pub fn error_name(code: ErrorCode) -> String {
    format!("error_{}", code.code())
}

/// What a documented error code's snapshot stands for.
pub fn error_description(code: ErrorCode) -> String {
    format!(
        "The documented error body {{code, message, more_info, status}} of code {} with HTTP status {}, normalised.",
        code.code(),
        code.http_status()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_file_reads_as_its_body() {
        let file = "---\nsource: x\ndescription: \"a\\nb\"\n---\n{\n  \"a\": 1\n}\n";
        assert_eq!(body(file), "{\n  \"a\": 1\n}\n");
        assert_eq!(body("{}"), "{}");
    }

    #[test]
    fn every_committed_snapshot_is_json() {
        for name in names() {
            assert!(committed(name).is_some_and(|v| v.is_object()), "{name}");
        }
        assert_eq!(committed("no-such-snapshot"), None);
    }
}
