//! Error envelopes: the flat four fields `{code, message, more_info, status}` (SPEC.md
//! section 4) and where a profile's documents put them instead (a JSON:API-style `errors[]`).
//!
//! One translation both ways, read from the profile's `error_envelope`: the simulated space
//! wraps its flat refusals on the way out, and the error check reads an answer back into the
//! flat form before it compares it with the committed snapshot of the refusal, so a fourth
//! envelope is data, not code.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::ErrorCode;

/// Where an error body puts what the flat four fields hold, as a profile documents it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorEnvelope {
    /// `{code, message, more_info, status}`, as the LaML generations write it.
    #[default]
    Flat,
    /// A JSON:API-style list: `{"<list>": [{"<code>": "…", "<message>": "…", …}]}`.
    Listed(ListedErrors),
}

/// A JSON:API-style error list: the keys of its one entry that stand for the flat fields.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListedErrors {
    /// The key of the list (`errors`).
    pub list: String,
    /// The key of the entry's code, written as a string.
    pub code: String,
    /// The key of the entry's human-readable message.
    pub message: String,
    /// The keys of the entry's `more_info` URL, outermost first (`["meta", "url"]`).
    pub more_info: Vec<String>,
    /// Keys an entry may carry besides (`title`, `source`).
    #[serde(default)]
    pub optional: Vec<String>,
    /// The generation's own code for each of the harness's codes; a refusal whose code is not
    /// here may leave the entry's code out (its status says what it is).
    #[serde(default)]
    pub codes: BTreeMap<u32, String>,
}

/// A flat error body in `envelope`; a body that is not a flat error (no `code`) is left as it
/// is, so a fault that answers HTML or another shape stays visible.
pub fn wrap(flat: Value, envelope: &ErrorEnvelope) -> Value {
    let ErrorEnvelope::Listed(listed) = envelope else {
        return flat;
    };
    let Some(fields) = flat.as_object().filter(|f| f.contains_key("code")) else {
        return flat;
    };
    let mut entry = Map::new();
    let ours = fields
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u32::try_from(c).ok());
    if let Some(theirs) = ours.and_then(|c| listed.codes.get(&c)) {
        entry.insert(listed.code.clone(), Value::from(theirs.as_str()));
    }
    if let Some(message) = fields.get("message") {
        entry.insert(listed.message.clone(), message.clone());
    }
    if let (Some(url), Some((last, outer))) = (fields.get("more_info"), listed.more_info.split_last()) {
        let mut value = json!({ last.as_str(): url });
        for key in outer.iter().rev() {
            value = json!({ key.as_str(): value });
        }
        for (k, v) in value.as_object().into_iter().flatten() {
            entry.insert(k.clone(), v.clone());
        }
    }
    json!({ listed.list.as_str(): [Value::Object(entry)] })
}

/// An answer read back into the flat four fields, for the refusal `expected` that travelled
/// with `http_status`: the entry's code (a string) becomes `expected`'s number when it is the
/// generation's code for it, its message and URL their flat keys, and the status the HTTP
/// status (the envelope carries none). A code the generation has none for may be any string or
/// left out,
/// and so may the URL, which the documents do not always give (Telnyx's 404). Anything else
/// (another shape, another code, keys the envelope does not name) stays as it came, where the
/// comparison shows it.
pub fn unwrap(body: &Value, envelope: &ErrorEnvelope, expected: ErrorCode, http_status: u16) -> Value {
    let ErrorEnvelope::Listed(listed) = envelope else {
        return body.clone();
    };
    let Some(entry) = one_entry(body, listed) else {
        return body.clone();
    };
    let mut flat = Map::new();
    let theirs = listed.codes.get(&expected.code());
    match (entry.get(&listed.code), theirs) {
        (Some(Value::String(code)), Some(want)) if code == want => {
            flat.insert("code".into(), json!(expected.code()));
        }
        (None | Some(Value::String(_)), None) => {
            flat.insert("code".into(), json!(expected.code()));
        }
        (Some(other), _) => {
            flat.insert("code".into(), other.clone());
        }
        (None, Some(_)) => {}
    }
    if let Some(message) = entry.get(&listed.message) {
        flat.insert("message".into(), message.clone());
    }
    let whole = Value::Object(entry.clone());
    let url = listed.more_info.iter().try_fold(&whole, |v, k| v.get(k));
    flat.insert(
        "more_info".into(),
        url.cloned().unwrap_or_else(|| Value::from(expected.more_info())),
    );
    flat.insert("status".into(), json!(http_status));
    let named = [&listed.code, &listed.message];
    let outer = listed.more_info.first();
    for (k, v) in entry {
        if !named.contains(&k) && outer != Some(k) && !listed.optional.contains(k) {
            flat.insert(k.clone(), v.clone());
        }
    }
    Value::Object(flat)
}

/// The one entry of a listed envelope: an object with the list alone, holding one object.
fn one_entry<'a>(body: &'a Value, listed: &ListedErrors) -> Option<&'a Map<String, Value>> {
    let fields = body.as_object().filter(|f| f.len() == 1)?;
    match fields.get(&listed.list)?.as_array()?.as_slice() {
        [entry] => entry.as_object(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed() -> ErrorEnvelope {
        ErrorEnvelope::Listed(ListedErrors {
            list: "errors".into(),
            code: "code".into(),
            message: "detail".into(),
            more_info: vec!["meta".into(), "url".into()],
            optional: vec!["title".into(), "source".into()],
            codes: BTreeMap::from([(20003, "10010".into())]),
        })
    }

    #[test]
    fn a_flat_refusal_wraps_and_reads_back() {
        let code = ErrorCode::AuthenticationFailed;
        let flat = json!({"code": 20003, "message": "no", "more_info": "https://x.y/1", "status": 401});
        let wrapped = wrap(flat.clone(), &listed());
        assert_eq!(
            wrapped,
            json!({"errors": [{"code": "10010", "detail": "no", "meta": {"url": "https://x.y/1"}}]})
        );
        assert_eq!(unwrap(&wrapped, &listed(), code, 401), flat);
        assert_eq!(wrap(flat.clone(), &ErrorEnvelope::Flat), flat);
        assert_eq!(unwrap(&flat, &ErrorEnvelope::Flat, code, 401), flat);
    }

    #[test]
    fn a_code_it_has_none_for_may_be_left_out_and_another_shows() {
        let not_found = ErrorCode::NotFound;
        let bare = json!({"errors": [{"detail": "Resource not found"}]});
        let flat = unwrap(&bare, &listed(), not_found, 404);
        assert_eq!(
            (flat["code"].clone(), flat["status"].clone()),
            (json!(20404), json!(404))
        );
        let wrong = json!({"errors": [{"code": "10011", "detail": "no"}]});
        let flat = unwrap(&wrong, &listed(), ErrorCode::AuthenticationFailed, 401);
        assert_eq!(flat["code"], json!("10011"));
        let missing = json!({"errors": [{"detail": "no"}]});
        let flat = unwrap(&missing, &listed(), ErrorCode::AuthenticationFailed, 401);
        assert!(flat.get("code").is_none(), "its own code is required where it has one");
        let two = json!({"errors": [{"detail": "a"}, {"detail": "b"}]});
        assert_eq!(unwrap(&two, &listed(), not_found, 404), two);
        let extra = json!({"errors": [{"detail": "a", "title": "t", "weird": 1}]});
        let flat = unwrap(&extra, &listed(), not_found, 404);
        assert!(flat.get("weird").is_some() && flat.get("title").is_none());
    }
}
