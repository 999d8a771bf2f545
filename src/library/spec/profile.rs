//! The generations of the documentation as data: one profile per generation (`seed`,
//! `signalwire`, `twilio`; `src/library/spec/profiles/*.json`, PROFILES.md side by side), read here and
//! nowhere else. The checks judge an answer by the profile of the run, so a server that follows
//! SignalWire's current description or Twilio's API is judged by what that document allows, not
//! by the seed page. A fourth generation is one more file here and its documented examples.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;

use super::Dialect;
use super::documented::DocumentedExample;
use super::participant::FieldFormat;

pub use super::envelope::{ErrorEnvelope, ListedErrors};
pub use super::ids::IdFormat;

/// One field of the resource as a generation documents it.
#[derive(Debug, Clone, Deserialize)]
pub struct ProfileField {
    /// The snake_case JSON key.
    pub name: String,
    /// What its value must look like.
    pub format: FieldFormat,
    /// Whether the generation allows `null` instead.
    #[serde(default)]
    pub nullable: bool,
    /// The one value a [`FieldFormat::Constant`] field holds (`api_version`).
    #[serde(default)]
    pub value: Option<String>,
}

/// What `call_sid_to_coach` may hold while the participant coaches nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleCoach {
    /// A call sid that names no participant of the conference (the seed prints a placeholder).
    NoParticipant,
    /// `null`.
    Null,
}

/// Whether the `uri` field ends in `.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UriJson {
    /// Always, as the seed and Twilio write it.
    Required,
    /// With or without, as SignalWire's current paths drop it.
    Optional,
}

/// The form of the paths a generation documents for its requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathForm {
    /// `…/Participants/{CallSid}.json` and `…/Participants.json`, as the seed and Twilio write them.
    #[default]
    Json,
    /// `…/Participants/{CallSid}` and `…/Participants`, as SignalWire's current description
    /// writes them: the harness sends this form, so a server that serves only what its
    /// documents say is not failed for lacking `.json`.
    Bare,
}

/// The ids a generation's examples use: who "this participant" is when they are normalised.
#[derive(Debug, Clone, Deserialize)]
pub struct DocumentedIds {
    /// The AccountSid of every example.
    pub account: String,
    /// The ConferenceSid of every example.
    pub conference: String,
    /// The CallSid of the participant every example is about.
    pub call: String,
    /// The CallSid of the participant the coaching examples coach.
    pub coached: String,
}

/// What a generation does with a form key it does not document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownParams {
    /// Refuse the update with 10000.
    Refuse,
    /// Leave the key out and apply the rest.
    Ignore,
}

/// The participant list as a generation documents it.
#[derive(Debug, Clone, Deserialize)]
pub struct ListDoc {
    /// The flags the list can be narrowed by.
    pub filters: Vec<String>,
    /// The paging parameters, which narrow nothing.
    pub paging: Vec<String>,
    /// The keys of a page, and no others.
    pub envelope: Vec<String>,
    /// How many participants a page holds unless `PageSize` says, and at most.
    pub page_size: PageSize,
    /// Its documented pages, as files under `src/library/spec/documented/` (Twilio's four).
    #[serde(default)]
    pub examples: Vec<String>,
}

/// The default and the largest `PageSize`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct PageSize {
    /// Without `PageSize`.
    pub default: usize,
    /// The largest `PageSize` accepted; 1 is the smallest.
    pub max: usize,
    /// Whether the generation documents `default` (Twilio's API does); where it does not, a
    /// server may put any number on a page that no `PageSize` sized.
    #[serde(default)]
    pub default_documented: bool,
}

/// One generation of the documentation of this endpoint.
#[derive(Debug, Clone, Deserialize)]
pub struct Profile {
    /// Its name on the command line.
    pub name: String,
    /// What document it is.
    pub title: String,
    /// Where its facts come from.
    pub source: String,
    /// The path prefix before `/Accounts/…`.
    pub base_path: String,
    /// How its ids look.
    pub ids: IdFormat,
    /// How its call sids look, where they differ from its other ids.
    #[serde(default)]
    pub call_ids: Option<IdFormat>,
    /// The tag a [`IdFormat::Tagged`] id starts with (`v3:`).
    #[serde(default)]
    pub id_tag: String,
    /// How a client authenticates: Basic with the project id and token, or Bearer with a key.
    #[serde(default)]
    pub auth: super::wire::AuthScheme,
    /// Where an error body puts its code, message, URL and status.
    #[serde(default)]
    pub error_envelope: ErrorEnvelope,
    /// Whether the `uri` field carries `.json`.
    pub uri_json: UriJson,
    /// The form of the request paths it documents; requests are sent in it.
    #[serde(default)]
    pub paths: PathForm,
    /// Under bare paths, whether a path with `.json` is still a documented request: SignalWire's
    /// own libraries send it. Where false (Telnyx), the journal flags it.
    #[serde(default)]
    pub json_paths_tolerated: bool,
    /// The update parameters it documents, by name (their kinds are in `spec::params`).
    pub params: Vec<String>,
    /// What it does with a key it does not document.
    pub unknown_params: UnknownParams,
    /// The fields of the resource, in the order the generation prints them.
    pub fields: Vec<ProfileField>,
    /// Fields a answer may carry or leave out (the seed's hold example echoes `hold_url`).
    #[serde(default)]
    pub optional_fields: Vec<ProfileField>,
    /// The statuses a participant still in the conference may have.
    pub active_statuses: Vec<String>,
    /// What `call_sid_to_coach` may hold while coaching nobody.
    pub idle_coach: Vec<IdleCoach>,
    /// The documented examples: scenario name → its file, heading and request.
    pub examples: BTreeMap<String, DocumentedExample>,
    /// What the names of its committed snapshots start with (`twilio_` for `twilio_mute`):
    /// data, so that no code tells the generations apart by name.
    pub snapshot_prefix: String,
    /// The fields it names otherwise: the seed's name → this generation's names for the same
    /// value (Telnyx's `coaching_call_sid` and its `_legacy` copy for `call_sid_to_coach`).
    #[serde(default)]
    pub renamed: BTreeMap<String, Vec<String>>,
    /// Rows of the coverage matrix it leaves out of scope on purpose: row id → the reason.
    #[serde(default)]
    pub out_of_scope: BTreeMap<String, String>,
    /// Keys an error body may carry beside `code`, `message`, `more_info` and `status`
    /// (Twilio's `details`).
    #[serde(default)]
    pub error_optional_fields: Vec<String>,
    /// The participant list: filters, paging and the page's keys.
    pub list: ListDoc,
    /// The ids its examples use, where it has examples.
    pub documented_ids: Option<DocumentedIds>,
    /// The default of each method parameter (`HoldMethod` is POST on the seed page and GET
    /// later): what a server does when a client leaves one out.
    pub param_defaults: BTreeMap<String, String>,
    /// Whether the `CallSid` of a participant path may be the participant's label (Twilio's
    /// `…ByLabel` examples), so a server that finds a participant by label is not refused.
    #[serde(default)]
    pub label_lookup: bool,
    /// The HTTP statuses each error code may travel with.
    pub errors: ErrorsDoc,
    /// Boolean parameters whose value other than true or false is read as false, not refused
    /// (Twilio's `Muted`: "any value other than true or false is interpreted as false").
    #[serde(default)]
    pub false_unless_true: Vec<String>,
}

/// The error codes of a generation and the statuses it declares for each.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorsDoc {
    /// Code → the statuses it may take; the first is the one the simulated space answers.
    /// SignalWire declares 422 beside 400 without saying which refusal takes it, so a refusal
    /// of an invalid argument may take either there.
    pub codes: BTreeMap<u32, Vec<u16>>,
    /// Where the statuses come from.
    pub note: String,
}

impl ErrorsDoc {
    /// The statuses `code` may take under this generation (none if it does not list `code`).
    pub fn statuses(&self, code: u32) -> &[u16] {
        self.codes.get(&code).map_or(&[], Vec::as_slice)
    }
}

const SOURCES: &[(&str, &str)] = &[
    ("seed", include_str!("profiles/seed.json")),
    ("signalwire", include_str!("profiles/signalwire.json")),
    ("twilio", include_str!("profiles/twilio.json")),
    ("telnyx", include_str!("profiles/telnyx.json")),
];

/// Every profile, in the order of the generations; the first, `seed`, is the default.
pub static PROFILES: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(name, text)| {
            serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("src/library/spec/profiles/{name}.json is not a profile: {e}"))
        })
        .collect()
});

/// The profile of a run that names none.
pub const DEFAULT: &str = "seed";

impl Profile {
    /// The profile named `name`, or the list of names in the error.
    pub fn by_name(name: &str) -> Result<&'static Profile, String> {
        PROFILES.iter().find(|p| p.name == name).ok_or_else(|| {
            let names: Vec<&str> = PROFILES.iter().map(|p| p.name.as_str()).collect();
            format!("no profile {name:?}; the profiles are {}", names.join(", "))
        })
    }

    /// The default profile, the seed page.
    pub fn seed() -> &'static Profile {
        &PROFILES[0]
    }

    /// The path form requests take under this profile unless told otherwise.
    pub fn dialect(&self) -> Dialect {
        Dialect::of(&self.base_path).unwrap_or_default()
    }

    /// Whether clients of this generation send paths of `form`: its own base path, and where
    /// that is one of the two LaML forms, the other one too (SPEC.md section 5: official
    /// libraries of those generations leave out `/api/laml`). A generation with a base path of
    /// its own (Telnyx's `/v2/texml`) is sent only that.
    pub fn serves(&self, form: Dialect) -> bool {
        let laml = [Dialect::SignalWire, Dialect::Twilio];
        form == self.dialect() || (laml.contains(&form) && laml.contains(&self.dialect()))
    }

    /// The format of the ids of a kind (`AC`, `CF`, `CA`, as Twilio's prefixes name them).
    pub fn id_format(&self, kind: &str) -> IdFormat {
        match self.call_ids {
            Some(format) if kind == "CA" => format,
            _ => self.ids,
        }
    }

    /// What an id of `format` starts with for the kind `kind`: Twilio's letters, or the tag.
    pub fn id_prefix<'a>(&'a self, format: IdFormat, kind: &'a str) -> &'a str {
        if format == IdFormat::Tagged { &self.id_tag } else { kind }
    }

    /// A fresh id of the kind `kind` (`AC`, `CF`, `CA`) in this generation's format.
    pub fn fresh_id(&self, kind: &str) -> String {
        let format = self.id_format(kind);
        format.fresh(self.id_prefix(format, kind))
    }

    /// Whether `id` is written as this generation writes ids of the kind `kind`.
    pub fn id_fits(&self, id: &str, kind: &str) -> bool {
        let format = self.id_format(kind);
        format.fits(id, self.id_prefix(format, kind))
    }

    /// This generation's names for the field the seed calls `name`: itself, unless renamed.
    pub fn names_of<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        match self.renamed.get(name) {
            Some(names) => names.iter().map(String::as_str).collect(),
            None => vec![name],
        }
    }

    /// This generation's (first) name for the field the seed calls `name`.
    pub fn name_of<'a>(&'a self, name: &'a str) -> &'a str {
        self.names_of(name).first().copied().unwrap_or(name)
    }

    /// Whether it documents the update parameter `key` (exact, PascalCase).
    pub fn has_param(&self, key: &str) -> bool {
        self.params.iter().any(|p| p == key)
    }

    /// The field named `name`, documented or optional.
    pub fn field(&self, name: &str) -> Option<&ProfileField> {
        self.fields.iter().chain(&self.optional_fields).find(|f| f.name == name)
    }

    /// Its documented list pages, as JSON.
    pub fn list_examples(&self) -> Vec<(&str, Value)> {
        self.list
            .examples
            .iter()
            .filter_map(|file| {
                let text = super::documented::file(file)?;
                Some((file.as_str(), serde_json::from_str(text).ok()?))
            })
            .collect()
    }

    /// The documented example `name` of this generation, as JSON, if it documents one.
    pub fn example(&self, name: &str) -> Option<Value> {
        let text = super::documented::file(&self.examples.get(name)?.file)?;
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
