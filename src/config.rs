//! Where a run sends its requests and how it may arrange state there, from flags, the
//! environment and a `.env` file.
//!
//! Credentials come only from the environment (never from flags, which other users of the
//! machine can read in the process list). The names users of this API already have
//! (`SIGNALWIRE_PROJECT_ID`, `SIGNALWIRE_API_TOKEN`, `SIGNALWIRE_SPACE_URL`) are accepted beside
//! the harness's own `LAML_*` names, which win when both are set.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

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

/// The path an implementation is mounted under, from the path of a target URL: without a
/// trailing slash, and without the API's own prefix (`/api/laml/2010-04-01`, `/2010-04-01`),
/// which the harness adds to every request, if the user gave it too.
/// Also returns the path form whose prefix was given, which must be the run's.
fn mount_path(path: &str) -> (&str, Option<Dialect>) {
    let path = path.trim_end_matches('/');
    [Dialect::SignalWire, Dialect::Twilio]
        .iter()
        .find_map(|d| path.strip_suffix(d.prefix()).map(|p| (p, Some(*d))))
        .unwrap_or((path, None))
}

/// An http(s) URL without credentials in it, and its host; `what` and `example` go into the
/// error, which says what to give instead.
fn checked_url(what: &str, text: &str, example: &str) -> Result<(url::Url, String), ConfigError> {
    // `127.0.0.1:8080` or `localhost:8080`: a host and port without a scheme
    if !text.contains("://") && !text.trim().is_empty() {
        return err(format!(
            "the {what} {text:?} has no scheme; write http://{text} (or https:// for a remote host)"
        ));
    }
    let Ok(url) = url::Url::parse(text) else {
        return err(format!("the {what} {text:?} is not a URL; give one such as {example}"));
    };
    let Some(host) = url.host_str().map(|h| h.trim_matches(['[', ']']).to_string()) else {
        return err(format!("the {what} {text:?} has no host; give one such as {example}"));
    };
    if !matches!(url.scheme(), "http" | "https") {
        return err(format!(
            "the {what} {text:?} is not an http(s) URL; give one such as {example}"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return err(format!(
            "the {what} carries credentials; remove them (credentials come from LAML_PROJECT_ID and LAML_API_TOKEN)"
        ));
    }
    Ok((url, host))
}

/// Whether a host name or address is this machine's loopback.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Reads the `KEY=VALUE` lines of a `.env` file (dotenvy's syntax: `export `, quotes and `#`
/// comments allowed) into a map, leaving the process environment as it is: the environment must
/// still win over the file. A missing file is no error.
pub fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let cannot = |e: dotenvy::Error| {
        ConfigError(format!(
            "cannot read {}: {e}; fix or remove the line, or the file",
            path.display()
        ))
    };
    match dotenvy::from_path_iter(path) {
        Ok(lines) => lines.collect::<Result<_, _>>().map_err(cannot),
        Err(e) if e.not_found() => Ok(HashMap::new()),
        Err(e) => Err(cannot(e)),
    }
}

/// The variable lookup of a run: the process environment first, then the `.env` of the working
/// directory (read once, here).
pub fn lookup() -> Result<impl Fn(&str) -> Option<String>, ConfigError> {
    let dotenv = read_dotenv(Path::new(".env"))?;
    Ok(move |key: &str| std::env::var(key).ok().or_else(|| dotenv.get(key).cloned()))
}

/// Builds the settings of a run from its flags and a variable lookup (the process environment,
/// then `.env`), refusing anything unsafe or incomplete.
pub fn settings(flags: &TargetFlags, var: &dyn Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
    let var = |k: &str| var(k).filter(|v| !v.trim().is_empty());
    let from_env = match var("LAML_TIMEOUT") {
        Some(t) => Some(t.trim().parse::<f64>().or_else(|_| {
            err(format!(
                "LAML_TIMEOUT={t:?} is not a number of seconds; set it to e.g. 5, or unset it"
            ))
        })?),
        None => None,
    };
    let timeout = match flags.timeout.or(from_env) {
        Some(t) if t > 0.0 && t <= 600.0 => Duration::from_secs_f64(t),
        Some(t) => {
            return err(format!(
                "a timeout of {t} s makes no sense; give --timeout more than 0 and at most 600 seconds"
            ));
        }
        None => DEFAULT_TIMEOUT,
    };
    let profile_name = flags.profile.clone().or_else(|| var("LAML_PROFILE"));
    let profile = Profile::by_name(profile_name.as_deref().unwrap_or(profile::DEFAULT))
        .map_err(|e| ConfigError(format!("{e}: give --profile one of them")))?;
    let target = flags.target.clone().or_else(|| var("LAML_TARGET"));
    let Some(target) = target.filter(|t| t != "embedded") else {
        // A flag about a remote target, given with none, would be ignored and the embedded
        // space tested in silence: a CI job whose LAML_TARGET secret is missing would go green.
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
        return Ok(Settings {
            remote: None,
            timeout,
            profile,
            mode: None,
        });
    };
    let target = if target == "space" {
        let Some(space) = var("SIGNALWIRE_SPACE_URL") else {
            return err(
                "--target space needs SIGNALWIRE_SPACE_URL (e.g. example.signalwire.com); set it or give --target URL",
            );
        };
        if space.contains("://") {
            space
        } else {
            format!("https://{space}")
        }
    } else {
        target
    };
    let (url, host) = checked_url("target", &target, "https://example.signalwire.com")?;
    let loopback = is_loopback(&host);
    // A path in the URL is where the implementation is mounted: every request goes under it.
    let (mount, given_form) = mount_path(url.path());
    let base_url = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default())
        + &url.port().map(|p| format!(":{p}")).unwrap_or_default()
        + mount;
    if url.query().is_some() || url.fragment().is_some() {
        return err(format!(
            "the target {target:?} has a query or a fragment; give the base URL only, such as https://example.signalwire.com"
        ));
    }
    if !loopback && !flags.allow_live_changes && var("LAML_ALLOW_LIVE_CHANGES").is_none() {
        return err(format!(
            "{host} is not a loopback host: this run would change live calls; pass --allow-live-changes to confirm"
        ));
    }
    if !loopback && url.scheme() == "http" {
        return err(format!(
            "credentials are never sent over plain http to {host}; use https://{host}"
        ));
    }
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
    let project = var("LAML_PROJECT_ID").or_else(|| var("SIGNALWIRE_PROJECT_ID"));
    let token = var("LAML_API_TOKEN").or_else(|| var("SIGNALWIRE_API_TOKEN"));
    let credentials = match (project, token) {
        (Some(p), Some(t)) => Some(Credentials::new(p, t)),
        (None, None) => None,
        (Some(_), None) => return err("LAML_PROJECT_ID is set but LAML_API_TOKEN is not; set both (or neither)"),
        (None, Some(_)) => return err("LAML_API_TOKEN is set but LAML_PROJECT_ID is not; set both (or neither)"),
    };
    let setup = flags.setup_url.clone().or_else(|| var("LAML_SETUP_URL"));
    let conference = flags.conference.clone().or_else(|| var("LAML_CONFERENCE_SID"));
    let conference_from_flag = flags.conference.is_some();
    // `--participant` names the conference's participants by hand: a conference is meant too.
    let conference_meant = conference_from_flag || !flags.participants.is_empty();
    let mut mode = None;
    let mut pairs = flags.participants.clone();
    if pairs.is_empty()
        && let Some(list) = var("LAML_PARTICIPANTS")
    {
        pairs = list
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    let mut participants = Vec::new();
    for pair in pairs {
        let Some((name, sid)) = pair.split_once('=').filter(|(n, s)| !n.is_empty() && !s.is_empty()) else {
            return err(format!(
                "--participant {pair:?} is not NAME=SID; write e.g. --participant agent=CA0123…"
            ));
        };
        participants.push((name.trim().to_string(), sid.trim().to_string()));
    }
    // On loopback, a conference named only by a variable (the lines `serve` prints for clients,
    // saved as .env) does not switch the run to a shared conference: the setup endpoint gives
    // each scenario fresh state. `--conference` does switch it.
    let conference = match conference {
        Some(sid) if setup.is_none() && loopback && !conference_meant => {
            mode = Some(ModeNote::ConferenceNotUsed {
                conference: sid,
                setup_url: format!("{base_url}{}", crate::setup::SETUP_PATH),
            });
            None
        }
        other => other,
    };
    let arrangement = match (setup, conference) {
        (Some(url), _) => {
            let (parsed, setup_host) = checked_url("setup URL", &url, "http://127.0.0.1:8080/__laml/setup")?;
            if parsed.scheme() == "http" && !is_loopback(&setup_host) {
                return err(format!(
                    "the setup endpoint hands out credentials, so plain http to {setup_host} is refused; use https"
                ));
            }
            Arrangement::Setup {
                url: url.trim_end_matches('/').to_string(),
            }
        }
        (None, Some(conference_sid)) => {
            if participants.is_empty() {
                return err(
                    "--conference needs its participants: add --participant NAME=SID for agent, customer and supervisor",
                );
            }
            if credentials.is_none() {
                return err("a configured conference needs credentials: set LAML_PROJECT_ID and LAML_API_TOKEN");
            }
            mode = Some(ModeNote::Configured {
                conference: conference_sid.clone(),
                from_flag: conference_from_flag,
            });
            Arrangement::Configured {
                conference_sid,
                participants,
            }
        }
        // On loopback, the setup endpoint of `laml-conformance serve` is the natural guess; if
        // the target is something else, the first scenario says so clearly.
        (None, None) if loopback => Arrangement::Setup {
            url: format!("{base_url}{}", crate::setup::SETUP_PATH),
        },
        (None, None) => {
            return err(
                "a remote target needs a way to arrange state: --setup-url URL, or --conference SID with --participant NAME=SID",
            );
        }
    };
    Ok(Settings {
        remote: Some(RemoteConfig {
            base_url,
            dialect,
            credentials,
            arrangement,
            loopback,
        }),
        timeout,
        profile,
        mode,
    })
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
mod tests {
    use super::*;

    fn with(flags: TargetFlags, env: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        settings(&flags, &|k| env.get(k).cloned())
    }

    fn flags(target: &str) -> TargetFlags {
        TargetFlags {
            target: Some(target.into()),
            setup_url: Some("http://127.0.0.1:1/setup".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_path_in_the_target_is_where_the_implementation_is_mounted() {
        for (target, base) in [
            ("http://127.0.0.1:8080/laml/", "http://127.0.0.1:8080/laml"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.0.0.1:8080/api/laml/2010-04-01", "http://127.0.0.1:8080"),
        ] {
            let remote = with(flags(target), &[]).unwrap().remote.unwrap();
            assert_eq!(remote.base_url, base, "{target}");
        }
        let short = TargetFlags {
            dialect: Some("twilio".into()),
            ..flags("http://127.0.0.1:8080/laml/2010-04-01/")
        };
        assert_eq!(
            with(short, &[]).unwrap().remote.unwrap().base_url,
            "http://127.0.0.1:8080/laml"
        );
        let e = with(flags("http://127.0.0.1:8080/2010-04-01"), &[]).unwrap_err();
        assert!(
            e.0.contains("--dialect twilio"),
            "the short form given to a run in the long one: {e}"
        );
        let e = with(flags("http://127.0.0.1:8080/x?y=1"), &[]).unwrap_err();
        assert!(e.0.contains("query"), "{e}");
    }

    #[test]
    fn a_profile_is_named_or_the_seed() {
        assert_eq!(with(flags("http://127.0.0.1:1"), &[]).unwrap().profile.name, "seed");
        let twilio = with(flags("http://127.0.0.1:1"), &[("LAML_PROFILE", "twilio")]).unwrap();
        assert_eq!(twilio.profile.name, "twilio");
        assert_eq!(
            twilio.remote.unwrap().dialect,
            Dialect::Twilio,
            "the profile's path form"
        );
        let e = with(flags("http://127.0.0.1:1"), &[("LAML_PROFILE", "plivo")]).unwrap_err();
        assert!(e.0.contains("seed, signalwire, twilio"), "{e}");
    }

    #[test]
    fn flags_about_a_remote_target_without_one_are_an_error() {
        for flags in [
            TargetFlags {
                conference: Some("CFx".into()),
                participants: vec!["agent=CA1".into()],
                ..Default::default()
            },
            TargetFlags {
                dialect: Some("nope".into()),
                ..Default::default()
            },
            TargetFlags {
                participants: vec!["garbage".into()],
                ..Default::default()
            },
            TargetFlags {
                setup_url: Some("http://127.0.0.1:1/s".into()),
                allow_live_changes: true,
                ..Default::default()
            },
        ] {
            let e = with(flags.clone(), &[]).unwrap_err();
            assert!(
                e.0.contains("without a target") && e.0.contains("--target URL"),
                "{flags:?}: {e}"
            );
        }
    }

    #[test]
    fn a_host_and_port_without_a_scheme_gets_the_url_to_write() {
        for target in ["127.0.0.1:18080", "localhost:18080"] {
            let e = with(flags(target), &[]).unwrap_err();
            assert!(e.0.contains(&format!("write http://{target}")), "{e}");
        }
    }

    #[test]
    fn embedded_is_the_default() {
        assert!(with(TargetFlags::default(), &[]).unwrap().remote.is_none());
        assert!(
            with(TargetFlags::default(), &[("SIGNALWIRE_SPACE_URL", "x.signalwire.com")])
                .unwrap()
                .remote
                .is_none()
        );
    }

    #[test]
    fn live_hosts_need_the_flag_and_https() {
        let e = with(flags("https://x.signalwire.com"), &[]).unwrap_err();
        assert!(e.0.contains("--allow-live-changes"), "{e}");
        let f = TargetFlags {
            allow_live_changes: true,
            ..flags("http://x.signalwire.com")
        };
        assert!(with(f, &[]).unwrap_err().0.contains("plain http"));
        let f = TargetFlags {
            allow_live_changes: true,
            ..flags("https://x.signalwire.com/some/path")
        };
        let s = with(f, &[]).unwrap().remote.unwrap();
        assert_eq!(
            (s.base_url.as_str(), s.loopback),
            ("https://x.signalwire.com/some/path", false)
        );
    }

    #[test]
    fn the_names_users_already_have_are_accepted() {
        let f = TargetFlags {
            target: Some("space".into()),
            allow_live_changes: true,
            ..flags("")
        };
        let env = [
            ("SIGNALWIRE_SPACE_URL", "x.signalwire.com"),
            ("SIGNALWIRE_PROJECT_ID", "p"),
            ("SIGNALWIRE_API_TOKEN", "t"),
        ];
        let r = with(f, &env).unwrap().remote.unwrap();
        assert_eq!(r.base_url, "https://x.signalwire.com");
        assert_eq!(r.credentials.unwrap().project_id, "p");
    }

    #[test]
    fn a_configured_conference_needs_names_and_credentials() {
        let f = TargetFlags {
            target: Some("http://127.0.0.1:9".into()),
            conference: Some("CF1".into()),
            ..Default::default()
        };
        assert!(with(f.clone(), &[]).unwrap_err().0.contains("--participant"));
        let f = TargetFlags {
            participants: vec!["agent=CA1".into()],
            ..f
        };
        assert!(with(f.clone(), &[]).unwrap_err().0.contains("LAML_PROJECT_ID"));
        let r = with(f, &[("LAML_PROJECT_ID", "p"), ("LAML_API_TOKEN", "t")])
            .unwrap()
            .remote
            .unwrap();
        assert_eq!(
            r.arrangement,
            Arrangement::Configured {
                conference_sid: "CF1".into(),
                participants: vec![("agent".into(), "CA1".into())]
            }
        );
    }

    #[test]
    fn a_loopback_target_defaults_to_the_setup_endpoint_of_serve() {
        let f = TargetFlags {
            target: Some("http://127.0.0.1:8080".into()),
            ..Default::default()
        };
        let r = with(f, &[]).unwrap().remote.unwrap();
        assert_eq!(
            r.arrangement,
            Arrangement::Setup {
                url: "http://127.0.0.1:8080/__laml/setup".into()
            }
        );
        let f = TargetFlags {
            target: Some("https://x.example".into()),
            allow_live_changes: true,
            ..Default::default()
        };
        assert!(with(f, &[]).unwrap_err().0.contains("--setup-url"));
    }

    #[test]
    fn on_loopback_a_conference_from_a_variable_alone_is_not_used_but_one_meant_by_flags_is() {
        let env = [
            ("LAML_PROJECT_ID", "p"),
            ("LAML_API_TOKEN", "t"),
            ("LAML_CONFERENCE_SID", "CF1"),
            ("LAML_PARTICIPANTS", "agent=CA1"),
        ];
        let plain = TargetFlags {
            target: Some("http://127.0.0.1:8080".into()),
            ..Default::default()
        };
        let s = with(plain.clone(), &env).unwrap();
        assert!(matches!(s.remote.unwrap().arrangement, Arrangement::Setup { .. }));
        assert!(matches!(s.mode, Some(ModeNote::ConferenceNotUsed { .. })));
        let by_hand = TargetFlags {
            participants: vec!["agent=CA1".into()],
            ..plain.clone()
        };
        let s = with(by_hand, &env).unwrap();
        assert!(matches!(s.remote.unwrap().arrangement, Arrangement::Configured { .. }));
        assert_eq!(
            s.mode,
            Some(ModeNote::Configured {
                conference: "CF1".into(),
                from_flag: false
            })
        );
        let remote = TargetFlags {
            target: Some("https://x.example".into()),
            allow_live_changes: true,
            ..Default::default()
        };
        let s = with(remote, &env).unwrap();
        assert!(matches!(s.remote.unwrap().arrangement, Arrangement::Configured { .. }));
    }

    #[test]
    fn a_timeout_that_is_not_a_number_is_refused() {
        let e = with(TargetFlags::default(), &[("LAML_TIMEOUT", "abc")]).unwrap_err();
        assert!(e.0.contains("LAML_TIMEOUT") && e.0.contains("abc"), "{e}");
    }

    #[test]
    fn a_setup_url_is_held_to_the_target_rules() {
        let f = |setup: &str| TargetFlags {
            target: Some("https://x.example".into()),
            allow_live_changes: true,
            setup_url: Some(setup.into()),
            ..Default::default()
        };
        assert!(
            with(f("http://setup.example/x"), &[])
                .unwrap_err()
                .0
                .contains("plain http")
        );
        assert!(
            with(f("https://u:p@setup.example/x"), &[])
                .unwrap_err()
                .0
                .contains("credentials")
        );
        assert!(with(f("ftp://setup.example/x"), &[]).is_err());
        assert!(with(f("https://setup.example/x"), &[]).is_ok());
    }

    #[test]
    fn dotenv_lines_are_read() {
        let dir = std::env::temp_dir().join(format!("laml-dotenv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(".env");
        std::fs::write(
            &file,
            "# c\nexport LAML_TARGET=\"http://127.0.0.1:1\"\nLAML_API_TOKEN='x=y'\n\n",
        )
        .unwrap();
        let vars = read_dotenv(&file).unwrap();
        assert_eq!(vars["LAML_TARGET"], "http://127.0.0.1:1");
        assert_eq!(vars["LAML_API_TOKEN"], "x=y");
        assert!(read_dotenv(&dir.join("missing")).unwrap().is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }
}
