//! Credentials that cannot leak by accident.
//!
//! The token is wrapped so that `Debug`, `Display` and `Serialize` print `[redacted]`: the World
//! is printed on failure (`-vv`), exchanges are printed as curl commands, and reports are written
//! to disk, and none of them may carry a token.

use std::fmt;

/// A secret string: only [`Secret::expose`] reveals it, for the one place that must send it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself; call it only where the value goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("[redacted]")
    }
}

/// The Basic-auth pair of this API: the project id (which is also the AccountSid) and its token.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Credentials {
    /// The project id; public, it appears in every path.
    pub project_id: String,
    /// The API token.
    pub token: Secret,
    /// Whether the token is a throwaway one on loopback (an account the simulated space or a
    /// loopback setup endpoint made for one scenario, or a deliberately wrong token): a
    /// reproduction may then carry it, so that pasting it reproduces the request. A token the
    /// user gave is never throwaway.
    pub throwaway: bool,
}

impl Credentials {
    /// Pairs a project id with its token (one a user gave: never shown).
    pub fn new(project_id: impl Into<String>, token: impl Into<String>) -> Self {
        Credentials {
            project_id: project_id.into(),
            token: Secret::new(token),
            throwaway: false,
        }
    }

    /// Pairs a project id with a throwaway token on loopback, which a reproduction may show.
    pub fn throwaway(project_id: impl Into<String>, token: impl Into<String>) -> Self {
        Credentials {
            throwaway: true,
            ..Credentials::new(project_id, token)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_formatting_reveals_the_token() {
        let c = Credentials::new("project", "sentinel-token-123");
        for shown in [
            format!("{c:?}"),
            format!("{c:#?}"),
            format!("{}", c.token),
            serde_json::to_string(&c).unwrap(),
        ] {
            assert!(!shown.contains("sentinel-token-123"), "token leaked in {shown}");
            assert!(
                shown.contains("[redacted]"),
                "nothing says the token was redacted in {shown}"
            );
        }
        assert_eq!(c.token.expose(), "sentinel-token-123");
    }
}
