//! How a request travels (SPEC.md section 1): Basic authentication (or the Bearer key a
//! profile names instead) and a form-urlencoded body.
//!
//! One reading of the wire for the simulated space, which authenticates with it, and for the
//! request check, which judges clients with it, so the two cannot disagree.

use base64::Engine;

/// The content type of an update's body.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// The content type of every answer with a body.
pub const JSON: &str = "application/json";

/// The `(user, password)` of a Basic `Authorization` header; the scheme is case-insensitive
/// (RFC 7235), the pair must decode and hold a colon.
pub fn basic_credentials(header: Option<&str>) -> Option<(String, String)> {
    let header = header?.trim();
    let (scheme, encoded) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let pair = String::from_utf8(decoded).ok()?;
    let (user, password) = pair.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// The `Authorization` header for a pair.
pub fn basic_header(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// How a client proves who it is, as a profile documents it: the one place that builds and
/// reads an `Authorization` header, so the client, the simulated space and the request check
/// cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthScheme {
    /// `Basic base64(project id:token)`, as the LaML generations document it.
    #[default]
    Basic,
    /// `Bearer <API key>`: the key alone names the account; the project id travels only in
    /// the path.
    Bearer,
}

impl AuthScheme {
    /// The `Authorization` header for the project id `user` and its `token` (or API key).
    pub fn header(self, user: &str, token: &str) -> String {
        match self {
            AuthScheme::Basic => basic_header(user, token),
            AuthScheme::Bearer => format!("Bearer {token}"),
        }
    }

    /// The user (none under Bearer) and the token a header carries in this scheme; `None` for a
    /// header of another scheme or one that does not decode. The scheme's name is
    /// case-insensitive (RFC 7235).
    pub fn credentials(self, header: Option<&str>) -> Option<(Option<String>, String)> {
        match self {
            AuthScheme::Basic => basic_credentials(header).map(|(u, p)| (Some(u), p)),
            AuthScheme::Bearer => {
                let (scheme, token) = header?.trim().split_once(' ')?;
                let token = token.trim();
                (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
                    .then(|| (None, token.to_string()))
            }
        }
    }

    /// The part of a header `header` built that carries the secret (the encoded pair, or the
    /// key itself), so a body that echoes it can be scrubbed.
    pub fn secret_part(header: &str) -> &str {
        header.split_once(' ').map_or(header, |(_, s)| s)
    }
}

/// Whether a `Content-Type` declares a form body (parameters such as `charset` allowed).
pub fn is_form(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|c| c.split(';').next())
        .is_some_and(|c| c.trim().eq_ignore_ascii_case(FORM))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_reads_any_case_of_the_scheme() {
        let header = basic_header("user", "pa:ss");
        assert_eq!(basic_credentials(Some(&header)), Some(("user".into(), "pa:ss".into())));
        let lower = header.replacen("Basic", "basic", 1);
        assert_eq!(basic_credentials(Some(&lower)), Some(("user".into(), "pa:ss".into())));
        assert_eq!(basic_credentials(Some("Bearer abc")), None);
        assert_eq!(basic_credentials(Some("Basic !!!")), None);
        assert_eq!(basic_credentials(None), None);
    }

    #[test]
    fn bearer_carries_the_key_alone_and_refuses_basic() {
        let bearer = AuthScheme::Bearer;
        assert_eq!(bearer.header("project", "key-1"), "Bearer key-1");
        assert_eq!(bearer.credentials(Some("bearer key-1")), Some((None, "key-1".into())));
        assert_eq!(bearer.credentials(Some(&basic_header("project", "key-1"))), None);
        assert_eq!(bearer.credentials(Some("Bearer ")), None);
        assert_eq!(
            AuthScheme::Basic.credentials(Some("Bearer key-1")),
            None,
            "Basic refuses a Bearer header"
        );
        assert_eq!(AuthScheme::secret_part("Bearer key-1"), "key-1");
    }

    #[test]
    fn forms_are_recognised_with_parameters() {
        assert!(is_form(Some("application/x-www-form-urlencoded; charset=utf-8")));
        assert!(!is_form(Some("application/json")));
        assert!(!is_form(None));
    }
}
