//! The target's URL: its scheme, host and mount path, checked before anything is sent there.

use super::{ConfigError, TargetFlags, Var, err};
use crate::spec::Dialect;

/// The target URL of a remote run, checked.
#[derive(Debug)]
pub(super) struct TargetUrl {
    /// Scheme, host, port and mount path, without a trailing slash.
    pub base_url: String,
    /// Whether the host is a loopback address.
    pub loopback: bool,
    /// The path form whose prefix the URL ended in, if it did.
    pub given_form: Option<Dialect>,
}

impl TargetUrl {
    /// `target` (`space` meaning $SIGNALWIRE_SPACE_URL), refused when unsafe: credentials in it,
    /// a query, a live host without `--allow-live-changes`, plain http to a remote host.
    pub fn parse(target: String, flags: &TargetFlags, var: Var) -> Result<TargetUrl, ConfigError> {
        let target = if target == "space" { space(var)? } else { target };
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
        Ok(TargetUrl {
            base_url,
            loopback,
            given_form,
        })
    }
}

/// The URL of `--target space`: $SIGNALWIRE_SPACE_URL, https when it names no scheme.
fn space(var: Var) -> Result<String, ConfigError> {
    let Some(space) = var("SIGNALWIRE_SPACE_URL") else {
        return err(
            "--target space needs SIGNALWIRE_SPACE_URL (e.g. example.signalwire.com); set it or give --target URL",
        );
    };
    Ok(if space.contains("://") {
        space
    } else {
        format!("https://{space}")
    })
}

/// The path an implementation is mounted under, from the path of a target URL: without a
/// trailing slash, and without the API's own prefix (`/api/laml/2010-04-01`, `/2010-04-01`),
/// which the harness adds to every request, if the user gave it too.
/// Also returns the path form whose prefix was given, which must be the run's.
fn mount_path(path: &str) -> (&str, Option<Dialect>) {
    let path = path.trim_end_matches('/');
    Dialect::all()
        .iter()
        .find_map(|d| path.strip_suffix(d.prefix()).map(|p| (p, Some(*d))))
        .unwrap_or((path, None))
}

/// An http(s) URL without credentials in it, and its host; `what` and `example` go into the
/// error, which says what to give instead.
pub(super) fn checked_url(what: &str, text: &str, example: &str) -> Result<(url::Url, String), ConfigError> {
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

/// Whether `url` is plain http to a host on this machine: where the harness speaks HTTP/1.1
/// itself (explore's pipelined requests, the probe, the setup endpoint's requests) and builds
/// no https client, and where credentials may travel without TLS.
pub fn is_plain_loopback(url: &str) -> bool {
    ::url::Url::parse(url)
        .is_ok_and(|u| u.scheme() == "http" && u.host_str().is_some_and(|h| is_loopback(h.trim_matches(['[', ']']))))
}
