//! How a request travels (SPEC.md section 1): Basic authentication and a form-urlencoded body.
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
    fn forms_are_recognised_with_parameters() {
        assert!(is_form(Some("application/x-www-form-urlencoded; charset=utf-8")));
        assert!(!is_form(Some("application/json")));
        assert!(!is_form(None));
    }
}
