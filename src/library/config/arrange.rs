//! How a remote run arranges state (a setup endpoint, or a configured conference), and the
//! credentials it needs for that.

use super::url::{TargetUrl, checked_url, is_loopback};
use super::{Arrangement, ConfigError, ModeNote, TargetFlags, Var, err};
use crate::credentials::Credentials;

/// The credentials of the environment (the `LAML_*` names, else SignalWire's), both or none.
pub(super) fn credentials(var: Var) -> Result<Option<Credentials>, ConfigError> {
    let project = var("LAML_PROJECT_ID").or_else(|| var("SIGNALWIRE_PROJECT_ID"));
    let token = var("LAML_API_TOKEN").or_else(|| var("SIGNALWIRE_API_TOKEN"));
    match (project, token) {
        (Some(p), Some(t)) => Ok(Some(Credentials::new(p, t))),
        (None, None) => Ok(None),
        (Some(_), None) => err("LAML_PROJECT_ID is set but LAML_API_TOKEN is not; set both (or neither)"),
        (None, Some(_)) => err("LAML_API_TOKEN is set but LAML_PROJECT_ID is not; set both (or neither)"),
    }
}

/// The participants named by `--participant`, else by LAML_PARTICIPANTS, as `(name, sid)`.
fn participants(flags: &TargetFlags, var: Var) -> Result<Vec<(String, String)>, ConfigError> {
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
    Ok(participants)
}

/// How the scenarios arrange their state on `url`, and the note a run says about it.
pub(super) fn arrangement(
    flags: &TargetFlags,
    var: Var,
    url: &TargetUrl,
    has_credentials: bool,
) -> Result<(Arrangement, Option<ModeNote>), ConfigError> {
    let setup = flags.setup_url.clone().or_else(|| var("LAML_SETUP_URL"));
    let conference = flags.conference.clone().or_else(|| var("LAML_CONFERENCE_SID"));
    // `--participant` names the conference's participants by hand: a conference is meant too.
    let conference_meant = flags.conference.is_some() || !flags.participants.is_empty();
    let participants = participants(flags, var)?;
    let serve_setup = format!("{}{}", url.base_url, crate::setup::SETUP_PATH);
    match (setup, conference) {
        (Some(setup), _) => Ok((setup_endpoint(&setup)?, None)),
        // On loopback, a conference named only by a variable (the lines `serve` prints for
        // clients, saved as .env) does not switch the run to a shared conference: the setup
        // endpoint gives each scenario fresh state. `--conference` does switch it.
        (None, Some(conference)) if url.loopback && !conference_meant => Ok((
            Arrangement::Setup {
                url: serve_setup.clone(),
            },
            Some(ModeNote::ConferenceNotUsed {
                conference,
                setup_url: serve_setup,
            }),
        )),
        (None, Some(conference_sid)) => {
            if participants.is_empty() {
                return err(
                    "--conference needs its participants: add --participant NAME=SID for agent, customer and supervisor",
                );
            }
            if !has_credentials {
                return err("a configured conference needs credentials: set LAML_PROJECT_ID and LAML_API_TOKEN");
            }
            let note = ModeNote::Configured {
                conference: conference_sid.clone(),
                from_flag: flags.conference.is_some(),
            };
            Ok((
                Arrangement::Configured {
                    conference_sid,
                    participants,
                },
                Some(note),
            ))
        }
        // On loopback, the setup endpoint of `laml-conformance serve` is the natural guess; if
        // the target is something else, the first scenario says so clearly.
        (None, None) if url.loopback => Ok((Arrangement::Setup { url: serve_setup }, None)),
        (None, None) => err(
            "a remote target needs a way to arrange state: --setup-url URL, or --conference SID with --participant NAME=SID",
        ),
    }
}

/// A setup endpoint, held to the target's rules: it hands out credentials.
fn setup_endpoint(url: &str) -> Result<Arrangement, ConfigError> {
    let (parsed, setup_host) = checked_url("setup URL", url, "http://127.0.0.1:8080/__laml/setup")?;
    if parsed.scheme() == "http" && !is_loopback(&setup_host) {
        return err(format!(
            "the setup endpoint hands out credentials, so plain http to {setup_host} is refused; use https"
        ));
    }
    Ok(Arrangement::Setup {
        url: url.trim_end_matches('/').to_string(),
    })
}
