//! The rows a profile leaves out of scope on purpose, with the reason, read from the
//! `out_of_scope` map at the end of its JSON file (`{"<row id>": "<reason>"}`). The profile
//! type does not carry the map: only the matrix reads it, so the files are read here again.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The profiles' files, as `src/library/spec/profile.rs` compiles them in; a test holds the two lists
/// to the same names.
const SOURCES: &[(&str, &str)] = &[
    ("seed", include_str!("../../library/spec/profiles/seed.json")),
    (
        "signalwire",
        include_str!("../../library/spec/profiles/signalwire.json"),
    ),
    ("twilio", include_str!("../../library/spec/profiles/twilio.json")),
];

#[derive(Deserialize)]
struct Scope {
    #[serde(default)]
    out_of_scope: BTreeMap<String, String>,
}

/// Row id → why no scenario judges it, for the profile `name` (none for a profile not listed).
pub fn out_of_scope(name: &str) -> BTreeMap<String, String> {
    SOURCES
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, text)| serde_json::from_str::<Scope>(text).ok())
        .map(|s| s.out_of_scope)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use laml_conformance::spec::profile::PROFILES;

    use super::*;
    use crate::coverage::rows::rows;

    #[test]
    fn every_profile_is_read_here_and_every_reason_names_one_of_its_rows() {
        let names: Vec<&str> = SOURCES.iter().map(|(n, _)| *n).collect();
        let profiles: Vec<&str> = PROFILES.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names, profiles,
            "a profile added to src/library/spec/profile.rs is added here too"
        );
        for (name, text) in SOURCES {
            serde_json::from_str::<Scope>(text).unwrap_or_else(|e| panic!("{name}: out_of_scope: {e}"));
        }
        for p in PROFILES.iter() {
            let ids: Vec<String> = rows(p).iter().map(|r| r.item.to_string()).collect();
            for (id, reason) in out_of_scope(&p.name) {
                assert!(
                    ids.contains(&id),
                    "{}: out_of_scope names {id}, which is no row",
                    p.name
                );
                assert!(!reason.trim().is_empty(), "{}: {id} needs its reason", p.name);
            }
        }
    }
}
