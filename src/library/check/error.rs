//! Error bodies: `{code, message, more_info, status}` (SPEC.md section 4), normalised.
//!
//! The code and status are what a scenario controls and stay as they came; the message and the
//! URL become placeholders once they are checked to be a non-empty string and an absolute URL.

use serde_json::{Map, Value, json};

use crate::spec::Profile;
use crate::spec::errors::{ERROR_FIELDS, ErrorCode};
use crate::spec::params::is_absolute_url;

use super::placeholder::Placeholder;
use super::{Deviation, snapshot};

/// The documented error body for `code`, from the error table: what its committed snapshot must
/// reproduce (`tests/documented_snapshots.rs`), and so what normalised bodies are compared with.
pub fn documented_error_shape(code: ErrorCode) -> Value {
    json!({
        "code": code.code(),
        "message": Value::from(Placeholder::Message),
        "more_info": Value::from(Placeholder::Url),
        "status": code.http_status(),
    })
}

/// Documented keys first, in order, with placeholders where the value has the right form;
/// other keys after them, verbatim.
pub fn normalise_error(body: &Value) -> Value {
    let Value::Object(fields) = body else {
        return body.clone();
    };
    let mut out = Map::new();
    for key in ERROR_FIELDS {
        if let Some(v) = fields.get(*key) {
            let text = v.as_str();
            let placeholder = match *key {
                "message" => text.filter(|t| !t.trim().is_empty()).map(|_| Placeholder::Message),
                "more_info" => text.filter(|t| is_absolute_url(t)).map(|_| Placeholder::Url),
                _ => None,
            };
            out.insert(
                key.to_string(),
                placeholder.map(Value::from).unwrap_or_else(|| v.clone()),
            );
        }
    }
    for (k, v) in fields {
        if !ERROR_FIELDS.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// The HTTP status and the normalised body against the committed snapshot of the documented
/// refusal `code`, read back into the flat fields from the profile's error envelope first; the keys `profile` lets an error body carry besides (Twilio's `details`)
/// are left out first. The status may be any `profile` declares for the code (SignalWire's 422
/// beside 400), and the body's `status` must then equal it.
pub fn check_error(http_status: u16, body: &Value, code: ErrorCode, profile: &Profile) -> Result<(), Vec<Deviation>> {
    let mut body = crate::spec::envelope::unwrap(body, &profile.error_envelope, code, http_status);
    if let Value::Object(fields) = &mut body {
        fields.retain(|k, _| !profile.error_optional_fields.contains(k));
    }
    let body = &body;
    let mut deviations = Vec::new();
    let allowed = profile.errors.statuses(code.code());
    let mut expected_status = code.http_status();
    if allowed.contains(&http_status) {
        expected_status = http_status;
    } else {
        let mut deviation = Deviation::values("(HTTP status)", &json!(code.http_status()), &json!(http_status));
        if allowed.len() > 1 {
            let each: Vec<String> = allowed.iter().map(|s| super::show(&json!(s))).collect();
            deviation.expected = format!("one of {}", each.join(", "));
        }
        deviations.push(deviation);
    }
    match snapshot::committed(&snapshot::error_name(code)) {
        Some(mut expected) => {
            expected["status"] = json!(expected_status);
            deviations.extend(super::compare(&expected, &normalise_error(body), super::Scope::Exact))
        }
        None => deviations.push(Deviation {
            path: "(snapshot)".into(),
            expected: format!("the committed snapshot {}", snapshot::error_name(code)),
            actual: "missing: this build of laml-conformance lacks it".into(),
        }),
    }
    if deviations.is_empty() { Ok(()) } else { Err(deviations) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_body_passes_and_a_mismatched_status_field_fails() {
        let good = json!({"code": 20003, "message": "no", "more_info": "https://x.y/20003", "status": 401});
        assert_eq!(
            check_error(401, &good, ErrorCode::AuthenticationFailed, Profile::seed()),
            Ok(())
        );
        let bad = json!({"code": 20003, "message": "", "more_info": "/20003", "status": "401"});
        let d = check_error(400, &bad, ErrorCode::AuthenticationFailed, Profile::seed()).unwrap_err();
        let paths: Vec<_> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["(HTTP status)", "message", "more_info", "status"]);
    }

    #[test]
    fn twilio_s_details_are_allowed_under_its_profile_only() {
        let body =
            json!({"code": 20003, "message": "no", "more_info": "https://x.y/20003", "status": 401, "details": {}});
        let twilio = Profile::by_name("twilio").unwrap();
        assert_eq!(check_error(401, &body, ErrorCode::AuthenticationFailed, twilio), Ok(()));
        let d = check_error(401, &body, ErrorCode::AuthenticationFailed, Profile::seed()).unwrap_err();
        assert_eq!(d[0].path, "details");
    }

    #[test]
    fn signalwire_s_422_stands_for_400_there_only_and_the_body_must_agree() {
        let body =
            |status: u16| json!({"code": 10000, "message": "no", "more_info": "https://x.y/1", "status": status});
        let signalwire = Profile::by_name("signalwire").unwrap();
        let invalid = ErrorCode::InvalidArgument;
        assert_eq!(check_error(422, &body(422), invalid, signalwire), Ok(()));
        assert_eq!(check_error(400, &body(400), invalid, signalwire), Ok(()));
        let d = check_error(422, &body(400), invalid, signalwire).unwrap_err();
        assert_eq!(d[0].path, "status");
        let d = check_error(422, &body(422), invalid, Profile::seed()).unwrap_err();
        assert_eq!(
            (d[0].path.as_str(), d[0].expected.as_str()),
            ("(HTTP status)", "<400> (number)")
        );
        let d = check_error(404, &body(404), ErrorCode::AuthenticationFailed, signalwire).unwrap_err();
        assert_eq!(d[0].expected, "<401> (number)");
        let d = check_error(404, &body(404), invalid, signalwire).unwrap_err();
        assert_eq!(d[0].expected, "one of <400> (number), <422> (number)");
    }
}
