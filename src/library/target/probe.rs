//! Whether a target can be used at all, asked once before any scenario: one clear sentence
//! beats a failure per scenario. The suite, `profiles` and `explore` all start here.

use std::time::Duration;

use super::{Target, Unusable};
use crate::exit::Exit;

/// Whether the target answers at all: a TCP connection, then an HTTP request.
pub async fn reachable(target: &Target) -> Result<(), String> {
    let Target::Remote(_) = target else { return Ok(()) };
    let base = target.base_url();
    let url = url::Url::parse(&base).map_err(|e| e.to_string())?;
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']).to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    match tokio::time::timeout(target.timeout(), tokio::net::TcpStream::connect((host.as_str(), port))).await {
        Ok(Ok(stream)) => {
            drop(stream); // a server that takes one connection at a time must see this one end
            speaks_http(&base, target.timeout()).await
        }
        Ok(Err(e)) => Err(format!(
            "cannot reach the target {base}: {e}; start it, or check --target"
        )),
        Err(_) => Err(format!(
            "the target {base} did not accept a connection within {} s; check --target, or raise --timeout",
            target.timeout().as_secs_f64()
        )),
    }
}

/// Whether the target answers an HTTP request at all (any status will do), so that a TLS
/// handshake that fails, or an https URL on a server that speaks plain http, is said once with
/// its cause instead of failing every scenario.
pub async fn speaks_http(base: &str, timeout: Duration) -> Result<(), String> {
    let silent = || {
        format!(
            "the target {base} accepted a connection but did not answer within {} s; check that it is healthy, or raise --timeout",
            timeout.as_secs_f64()
        )
    };
    // plain http on loopback needs no https client (building one loads the trust store)
    if crate::config::is_plain_loopback(base) {
        let get = crate::client::Call {
            method: "GET",
            target: "",
            authorization: None,
            body: None,
        };
        let answered = match crate::client::Pipeline::new(base, timeout) {
            Ok(mut pipe) => pipe.send(&[get]).await,
            Err(e) => Err(e),
        };
        return match answered {
            // an answer whose head came answers, as it does through the shared client, which
            // reads no body: a base URL that serves a large page is reachable
            Ok(_) | Err(crate::error::Error::BodyTooLarge { .. }) => Ok(()),
            Err(crate::error::Error::Timeout { .. }) => Err(silent()),
            Err(crate::error::Error::Unreachable { reason, .. }) => Err(format!(
                "the target {base} accepts connections but does not answer HTTP: {reason}; check the scheme (http or https) and its certificate"
            )),
            Err(e) => Err(e.to_string()),
        };
    }
    // the run's one client: a second one would load the trust store again
    let client = crate::client::shared_http();
    let Err(e) = client.get(base).timeout(timeout).send().await else {
        return Ok(());
    };
    if e.is_timeout() {
        return Err(silent());
    }
    let mut cause = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let said = s.to_string();
        if !cause.contains(&said) {
            cause.push_str(": ");
            cause.push_str(&said);
        }
        source = s.source();
    }
    Err(format!(
        "the target {base} accepts connections but does not answer HTTP: {cause}; check the scheme (http or https) and its certificate"
    ))
}

/// The target-wide check before a suite's run: it answers at all ([`reachable`], else
/// [`Exit::Unreachable`]), then as LaML with these settings ([`Target::preflight`]).
pub async fn usable(target: &Target) -> Result<(), Unusable> {
    if let Err(message) = reachable(target).await {
        return Err(Unusable {
            code: Exit::Unreachable,
            message,
        });
    }
    target.preflight().await
}
