//! Where a run sends its requests and how it may arrange state there, from flags, the
//! environment and a `.env` file.
//!
//! Credentials come only from the environment (never from flags, which other users of the
//! machine can read in the process list). The names users of this API already have
//! (`SIGNALWIRE_PROJECT_ID`, `SIGNALWIRE_API_TOKEN`, `SIGNALWIRE_SPACE_URL`) are accepted beside
//! the harness's own `LAML_*` names, which win when both are set.

mod arrange;
mod dotenv;
mod url;

use std::time::Duration;

pub use self::dotenv::{lookup, read_dotenv};
use self::url::TargetUrl;
pub use self::url::{is_loopback, is_plain_loopback};

use crate::credentials::Credentials;
use crate::spec::Dialect;
use crate::spec::profile::{self, Profile};

/// How long a request may take before it counts as a failure of the target (`--timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Target options of a run, as flags (each also read from the `LAML_*` variable named).
///
/// clap reads the environment itself (`env`) only for the options whose variable means exactly
/// what the flag does; [`settings`] reads it for the rest, and `.env` for all (after the real
/// environment). `--setup-url`, `--conference`, `--participant`, `--dialect`, `--timeout` and
/// `--allow-live-changes` stay flags only: a run says which of them were given without a target,
/// and whether a conference was named by a flag, which a value clap took from the environment
/// would blur.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct TargetFlags {
    /// Base URL of the implementation to test (LAML_TARGET); `space` means $SIGNALWIRE_SPACE_URL.
    /// Without it, the embedded simulated space is the target.
    #[arg(long, value_name = "URL|space", env = "LAML_TARGET", hide_env_values = true)]
    pub target: Option<String>,
    /// Path form the target speaks: `signalwire` (/api/laml/2010-04-01) or `twilio` (/2010-04-01);
    /// by default the profile's (LAML_DIALECT).
    #[arg(long, value_name = "DIALECT")]
    pub dialect: Option<String>,
    /// The generation of the documentation the answers are judged by: `seed` (the default),
    /// `signalwire` (SignalWire's current description) or `twilio` (Twilio's API) (LAML_PROFILE).
    #[arg(long, value_name = "NAME", env = "LAML_PROFILE")]
    pub profile: Option<String>,
    /// State-setup endpoint of the target (LAML_SETUP_URL): the harness POSTs the conference it
    /// needs there and gets the ids back (the protocol is in docs/live.md).
    #[arg(long, value_name = "URL")]
    pub setup_url: Option<String>,
    /// Sid of an active conference whose participants the scenarios may use (LAML_CONFERENCE_SID).
    #[arg(long, value_name = "SID")]
    pub conference: Option<String>,
    /// A participant of that conference and the name scenarios call it by, as NAME=SID; repeat
    /// for each name (LAML_PARTICIPANTS, comma-separated).
    #[arg(long = "participant", value_name = "NAME=SID")]
    pub participants: Vec<String>,
    /// Seconds a request to a remote target may take before it counts as a failure of the
    /// target (LAML_TIMEOUT); the embedded space always has 5.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Confirms that the run may change live calls on a non-loopback target; every scenario
    /// restores the muted, hold and coaching state it touched.
    #[arg(long)]
    pub allow_live_changes: bool,
}

/// How state is arranged on a remote target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrangement {
    /// Participants of an active conference, named in configuration; scenarios share them, so
    /// they run one at a time and restore what they change.
    Configured {
        /// The ConferenceSid.
        conference_sid: String,
        /// `(name, call sid)` pairs.
        participants: Vec<(String, String)>,
    },
    /// A state-setup endpoint of the implementation, asked for fresh state per scenario.
    Setup {
        /// Its base URL.
        url: String,
    },
}

/// A remote target, fully checked.
#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// Scheme, host and port.
    pub base_url: String,
    /// The path form it speaks.
    pub dialect: Dialect,
    /// How its credentials travel: the profile's scheme.
    pub auth: crate::spec::wire::AuthScheme,
    /// Credentials from the environment, if given (a setup endpoint may hand out its own).
    pub credentials: Option<Credentials>,
    /// How scenarios arrange their state there.
    pub arrangement: Arrangement,
    /// Whether the host is a loopback address.
    pub loopback: bool,
}

/// Everything a run needs to know about its target.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `None` for the embedded simulated space.
    pub remote: Option<RemoteConfig>,
    /// The per-request timeout.
    pub timeout: Duration,
    /// The generation of the documentation the answers are judged by.
    pub profile: &'static Profile,
    /// How the conference settings decided the mode, for the run to say on stderr.
    pub mode: Option<ModeNote>,
}

/// Why a remote run arranges state as it does, when conference settings were involved: a run
/// that switches to a shared, live conference (or declines one it was given) says so, and where
/// the setting came from, instead of changing its verdicts silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModeNote {
    /// The scenarios share the participants of this conference.
    Configured {
        /// The ConferenceSid.
        conference: String,
        /// Whether `--conference` named it (else `LAML_CONFERENCE_SID`).
        from_flag: bool,
    },
    /// `LAML_CONFERENCE_SID` names a conference (as the lines `serve` prints for clients do), but
    /// the target is on loopback and a setup endpoint arranges fresh state there: not used.
    ConferenceNotUsed {
        /// The ConferenceSid.
        conference: String,
        /// The setup endpoint used instead.
        setup_url: String,
    },
}

/// A setting that is wrong, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn err<T>(message: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError(message.into()))
}

/// A lookup of variables: the process environment, then `.env`; an empty value is no value.
type Var<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Builds the settings of a run from its flags and a variable lookup (the process environment,
/// then `.env`), refusing anything unsafe or incomplete.
pub fn settings(flags: &TargetFlags, var: Var) -> Result<Settings, ConfigError> {
    let var = |k: &str| var(k).filter(|v| !v.trim().is_empty());
    let timeout = timeout(flags, &var)?;
    let profile_name = flags.profile.clone().or_else(|| var("LAML_PROFILE"));
    let profile = Profile::by_name(profile_name.as_deref().unwrap_or(profile::DEFAULT))
        .map_err(|e| ConfigError(format!("{e}: give --profile one of them")))?;
    let target = flags.target.clone().or_else(|| var("LAML_TARGET"));
    let Some(target) = target.filter(|t| t != "embedded") else {
        no_remote_flags(flags)?;
        return Ok(Settings {
            remote: None,
            timeout,
            profile,
            mode: None,
        });
    };
    let url = TargetUrl::parse(target, flags, &var)?;
    let dialect = dialect(flags, &var, profile, url.given_form)?;
    let credentials = arrange::credentials(&var)?;
    let (arrangement, mode) = arrange::arrangement(flags, &var, &url, credentials.is_some())?;
    Ok(Settings {
        remote: Some(RemoteConfig {
            base_url: url.base_url,
            dialect,
            auth: profile.auth,
            credentials,
            arrangement,
            loopback: url.loopback,
        }),
        timeout,
        profile,
        mode,
    })
}

/// The per-request timeout: `--timeout`, else LAML_TIMEOUT, else [`DEFAULT_TIMEOUT`].
fn timeout(flags: &TargetFlags, var: Var) -> Result<Duration, ConfigError> {
    let from_env = match var("LAML_TIMEOUT") {
        Some(t) => Some(t.trim().parse::<f64>().or_else(|_| {
            err(format!(
                "LAML_TIMEOUT={t:?} is not a number of seconds; set it to e.g. 5, or unset it"
            ))
        })?),
        None => None,
    };
    match flags.timeout.or(from_env) {
        Some(t) if t > 0.0 && t <= 600.0 => Ok(Duration::from_secs_f64(t)),
        Some(t) => err(format!(
            "a timeout of {t} s makes no sense; give --timeout more than 0 and at most 600 seconds"
        )),
        None => Ok(DEFAULT_TIMEOUT),
    }
}

/// A flag about a remote target, given with none, would be ignored and the embedded space
/// tested in silence: a CI job whose LAML_TARGET secret is missing would go green.
fn no_remote_flags(flags: &TargetFlags) -> Result<(), ConfigError> {
    let given: Vec<&str> = [
        ("--setup-url", flags.setup_url.is_some()),
        ("--conference", flags.conference.is_some()),
        ("--participant", !flags.participants.is_empty()),
        ("--dialect", flags.dialect.is_some()),
        ("--timeout", flags.timeout.is_some()),
        ("--allow-live-changes", flags.allow_live_changes),
    ]
    .into_iter()
    .filter_map(|(flag, given)| given.then_some(flag))
    .collect();
    if let Some(first) = given.first() {
        return err(format!(
            "{} mean{} nothing without a target, and no --target (or LAML_TARGET) is given; add --target URL, or leave {} out to test the embedded simulated space",
            given.join(", "),
            if given.len() == 1 { "s" } else { "" },
            if given.len() == 1 { *first } else { "them" }
        ));
    }
    Ok(())
}

/// The path form the target speaks: `--dialect`, else LAML_DIALECT, else the profile's; it must
/// be the one whose prefix the target URL ends in, if it ends in one.
fn dialect(
    flags: &TargetFlags,
    var: Var,
    profile: &Profile,
    given_form: Option<Dialect>,
) -> Result<Dialect, ConfigError> {
    let dialect = match flags.dialect.clone().or_else(|| var("LAML_DIALECT")).as_deref() {
        None => profile.dialect(),
        Some("signalwire") => Dialect::SignalWire,
        Some("twilio") => Dialect::Twilio,
        Some(other) => {
            return err(format!(
                "no dialect {other:?}; use --dialect signalwire or --dialect twilio"
            ));
        }
    };
    if let Some(form) = given_form.filter(|f| *f != dialect) {
        return err(format!(
            "the target's path ends in {}, but this run sends {}/…; give the URL without it, or pass --dialect {}",
            form.prefix(),
            dialect.prefix(),
            if form == Dialect::Twilio {
                "twilio"
            } else {
                "signalwire"
            }
        ));
    }
    Ok(dialect)
}

impl Settings {
    /// The target as a reader names it: the embedded space, or the base URL (which never holds
    /// credentials: a URL that does is refused).
    pub fn target_name(&self) -> String {
        self.remote
            .as_ref()
            .map_or_else(|| "the embedded simulated space".to_string(), |r| r.base_url.clone())
    }

    /// How the scenarios get their state, in a few words.
    pub fn mode_name(&self) -> String {
        match self.remote.as_ref().map(|r| &r.arrangement) {
            None => "embedded (a fresh conference per scenario, in this process)".to_string(),
            Some(Arrangement::Setup { url }) => format!("setup endpoint {url} (a fresh conference per scenario)"),
            Some(Arrangement::Configured { conference_sid, .. }) => {
                format!("configured conference {conference_sid} (shared participants, one scenario at a time)")
            }
        }
    }

    /// The first line of a run: what it runs against, judged by what, arranged how; a run
    /// that tests the embedded space because a target was forgotten says so at once.
    pub fn first_line(&self) -> String {
        format!(
            "laml-conformance: testing {} · profile {} · mode: {}",
            self.target_name(),
            self.profile.name,
            self.mode_name()
        )
    }
}

impl ModeNote {
    /// The sentence a run says on stderr; `origin` tells where a variable was read (the
    /// environment or `.env`).
    pub fn say(&self, origin: &dyn Fn(&str) -> &'static str) -> String {
        match self {
            ModeNote::Configured { conference, from_flag } => {
                let from = if *from_flag {
                    "--conference".to_string()
                } else {
                    format!("LAML_CONFERENCE_SID in {}", origin("LAML_CONFERENCE_SID"))
                };
                format!(
                    "configured mode: the scenarios share the participants of conference {conference} (from {from}); those that need fresh state are skipped with the reason, and each restores what it changed"
                )
            }
            ModeNote::ConferenceNotUsed { conference, setup_url } => format!(
                "LAML_CONFERENCE_SID in {} names conference {conference}, which this run does not use: on a loopback target each scenario gets a fresh conference from {setup_url}; pass --conference {conference} to run on that one instead",
                origin("LAML_CONFERENCE_SID")
            ),
        }
    }
}

#[cfg(test)]
mod tests;
