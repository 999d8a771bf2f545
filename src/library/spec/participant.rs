//! The participant resource: the formats its fields may have (SPEC.md section 2), and how its
//! sids and dates are written.
//!
//! Which fields a generation has, in which order, and which statuses it allows, its profile
//! says (`profiles/*.json`); the formats are named here once, so the simulated space's
//! rendering and the normaliser's placeholders read the same table.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

/// The format a field's value must have; the normaliser checks it before replacing the value
/// by a placeholder, so a placeholder never hides a wrong value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldFormat {
    /// The sid of the account in the request path.
    AccountSid,
    /// The sid of the conference in the request path.
    ConferenceSid,
    /// The sid of the participant in the request path.
    CallSid,
    /// Whom the participant coaches: while `coaching` is true, the call sid of another
    /// participant of the same conference; otherwise a call sid that names no participant (the
    /// documentation prints a placeholder uuid there, errata 7).
    CoachTarget,
    /// An RFC 2822 date such as `Mon, 24 Sep 2018 21:00:00 +0000`.
    Rfc2822,
    /// A JSON boolean fixed when the call joined; the update does not control it.
    JoinFlag,
    /// A JSON boolean the update controls (`muted`, `hold`, `coaching`): kept verbatim.
    Controlled,
    /// A status that a participant still in the conference may have (the profile's
    /// `active_statuses`).
    Status,
    /// The participant's own path, in the path form the request used, ending in `.json`.
    OwnUri,
    /// A string (Twilio's `label` and `queue_time`).
    Text,
    /// A fully qualified http or https URL (the seed's `hold_url`).
    Url,
    /// One fixed string, the field's `value` in the profile (`api_version`).
    Constant,
}

/// What `call_sid_to_coach` holds when nobody is coached: the documentation prints a placeholder
/// here (errata 7); the simulated space sends the nil uuid, which is a valid uuid.
pub const NOBODY: &str = "00000000-0000-0000-0000-000000000000";

/// Formats a time as the documentation writes dates, e.g. `Mon, 24 Sep 2018 21:00:00 +0000`.
pub fn format_date(at: OffsetDateTime) -> String {
    at.format(&Rfc2822)
        .expect("every OffsetDateTime after 1900 formats as RFC 2822")
}

/// Parses an RFC 2822 date strictly; `None` for anything else, including the documentation's
/// own `Sept` (errata 8) and ISO 8601.
pub fn parse_date(value: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value, &Rfc2822).ok()
}

/// Whether `value` is a call sid: a uuid as this page writes them, or `CA` and 32 hex digits as
/// the Twilio generation does (SPEC.md section 6).
pub fn is_call_sid(value: &str) -> bool {
    is_uuid(value)
        || value
            .strip_prefix("CA")
            .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `value` is a uuid in its hyphenated form, the only form the documentation uses.
pub fn is_uuid(value: &str) -> bool {
    value.len() == 36 && uuid::Uuid::try_parse(value).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict_rfc2822() {
        let d = parse_date("Mon, 24 Sep 2018 21:00:00 +0000").expect("documented format");
        assert_eq!(format_date(d), "Mon, 24 Sep 2018 21:00:00 +0000");
        assert!(parse_date("Mon, 24 Sept 2018 21:00:00 +0000").is_none());
        assert!(parse_date("2018-09-24T21:00:00Z").is_none());
    }

    #[test]
    fn uuids_are_hyphenated() {
        assert!(is_uuid(NOBODY));
        assert!(is_uuid("b3877c40-da60-4998-90ad-b792e98472af"));
        assert!(!is_uuid("b3877c40-da60-4998-90ad-b792e98472pa"));
        assert!(!is_uuid("b3877c40da60499890adb792e98472af"));
        assert!(is_call_sid("CA0123456789abcdef0123456789abcdef"));
        assert!(!is_call_sid("CA0123"));
    }
}
