//! One participant of the simulated space: a call in a conference, everything an update can
//! set, and the resource as each profile renders it.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::spec::profile::{IdleCoach, UriJson};
use crate::spec::{self, FieldFormat, Profile, participant::NOBODY};

/// One participant: a call connected to a conference, and everything an update can set.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    /// The CallSid.
    pub call_sid: String,
    /// The name it joined with, where the generation shows one (Twilio's `label`); a path may
    /// name the participant by it where the profile allows.
    pub label: Option<String>,
    /// Whether the participant is muted.
    pub muted: bool,
    /// Whether the participant is on hold.
    pub hold: bool,
    /// Hold music URL, once set.
    pub hold_url: Option<String>,
    /// Method for the hold URL (the profile's default: POST on the seed page, GET later).
    pub hold_method: String,
    /// Announcement URL, once set.
    pub announce_url: Option<String>,
    /// Method for the announcement URL (the profile's default).
    pub announce_method: String,
    /// Whether the participant is coaching another.
    pub coaching: bool,
    /// Whom the participant coaches, while coaching.
    pub call_sid_to_coach: Option<String>,
    /// Whether a beep announces the participant; accepted and kept, never shown.
    pub beep: bool,
    /// Wait music URL, once set (later generations).
    pub wait_url: Option<String>,
    /// Method for the wait URL.
    pub wait_method: String,
    /// Whether a beep plays when the participant leaves (Twilio); kept, never shown.
    pub beep_on_exit: bool,
    /// Set when the call joined.
    pub end_conference_on_exit: bool,
    /// Set when the call joined.
    pub start_conference_on_enter: bool,
    /// When the call joined; never changes.
    pub date_created: OffsetDateTime,
    /// When the participant last changed; moves forward on every successful update.
    pub date_updated: OffsetDateTime,
}

impl Participant {
    /// A call that just joined without a label: unmuted, not on hold, not coaching, its
    /// methods at the defaults `profile` documents.
    pub fn joined(call_sid: String, now: OffsetDateTime, profile: &Profile) -> Self {
        let default = |param: &str| {
            profile
                .param_defaults
                .get(param)
                .cloned()
                .unwrap_or_else(|| "POST".into())
        };
        Participant {
            call_sid,
            label: None,
            muted: false,
            hold: false,
            hold_url: None,
            hold_method: default("HoldMethod"),
            announce_url: None,
            announce_method: default("AnnounceMethod"),
            coaching: false,
            call_sid_to_coach: None,
            beep: true,
            wait_url: None,
            wait_method: default("WaitMethod"),
            beep_on_exit: true,
            end_conference_on_exit: false,
            start_conference_on_enter: true,
            date_created: now,
            date_updated: now,
        }
    }

    /// The participant with this label: the name it was arranged by.
    pub fn labelled(self, label: &str) -> Self {
        Participant {
            label: Some(label.to_string()),
            ..self
        }
    }

    /// A boolean field of the resource, by its name; `null` for one the space does not keep.
    fn flag_field(&self, name: &str) -> Value {
        match name {
            "end_conference_on_exit" => Value::from(self.end_conference_on_exit),
            "start_conference_on_enter" => Value::from(self.start_conference_on_enter),
            "muted" => Value::from(self.muted),
            "hold" => Value::from(self.hold),
            "coaching" => Value::from(self.coaching),
            _ => Value::Null,
        }
    }

    /// The flag a list filter names (`Muted`, `Hold`, `Coaching`), if it is one.
    pub fn flag(&self, filter: &str) -> Option<bool> {
        match filter {
            "Muted" => Some(self.muted),
            "Hold" => Some(self.hold),
            "Coaching" => Some(self.coaching),
            _ => None,
        }
    }

    /// The resource as JSON, as `profile` documents it: its fields in its order.
    ///
    /// `status` is the profile's first status of a participant in the conference (`complete`,
    /// as every example of the seed shows, errata 4); `call_sid_to_coach` is the nil uuid when
    /// nobody is coached, where the seed prints a placeholder (errata 7), or `null` where the
    /// profile allows it; `label`, where the profile has it, is the name the participant was
    /// arranged by, and `queue_time` is `null`, as for a participant that never queued.
    pub fn to_json(&self, account_sid: &str, conference_sid: &str, profile: &Profile) -> Value {
        let mut map = Map::with_capacity(profile.fields.len() + profile.optional_fields.len());
        let idle = if profile.idle_coach.contains(&IdleCoach::Null) {
            Value::Null
        } else {
            Value::from(NOBODY)
        };
        for field in &profile.fields {
            let value = match field.format {
                FieldFormat::AccountSid => Value::from(account_sid),
                FieldFormat::CallSid => Value::from(self.call_sid.as_str()),
                FieldFormat::ConferenceSid => Value::from(conference_sid),
                FieldFormat::Rfc2822 => Value::from(spec::participant::format_date(match field.name.as_str() {
                    "date_created" => self.date_created,
                    _ => self.date_updated,
                })),
                FieldFormat::JoinFlag | FieldFormat::Controlled => self.flag_field(&field.name),
                FieldFormat::Status => Value::from(profile.active_statuses.first().map_or("complete", String::as_str)),
                FieldFormat::CoachTarget => self.call_sid_to_coach.as_deref().map_or(idle.clone(), Value::from),
                FieldFormat::Constant => field.value.as_deref().map_or(Value::Null, Value::from),
                FieldFormat::OwnUri => {
                    let path = spec::participant_path(profile.dialect(), account_sid, conference_sid, &self.call_sid);
                    match profile.uri_json {
                        UriJson::Required => Value::from(path),
                        UriJson::Optional => Value::from(path.trim_end_matches(".json")),
                    }
                }
                FieldFormat::Text if field.name == "label" => self.label.as_deref().map_or(Value::Null, Value::from),
                FieldFormat::Text | FieldFormat::Url => Value::Null,
            };
            map.insert(field.name.clone(), value);
        }
        // An optional field is shown while it holds something (Telnyx's `coaching_call_sid`,
        // which its example leaves out while nobody is coached).
        for field in &profile.optional_fields {
            let value = match field.format {
                FieldFormat::CoachTarget => self.call_sid_to_coach.as_deref().map_or(Value::Null, Value::from),
                _ => Value::Null,
            };
            if !value.is_null() {
                map.insert(field.name.clone(), value);
            }
        }
        Value::Object(map)
    }
}
