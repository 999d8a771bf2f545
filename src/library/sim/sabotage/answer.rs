//! On the answer: a fault distorts the rendered body, the status, or the bytes on the wire.

use serde_json::Value;

use crate::sim::faults::{Fault, distort_error, distort_participant};
use crate::sim::http::{Reply, SimResponse};

/// The faults that put something other than JSON on the wire: an error page in HTML, or JSON
/// labelled as plain text. The healthy model always answers JSON, so only a fault says this.
pub(super) fn on_the_wire(fault: Fault, response: &SimResponse) -> Option<Reply> {
    let (content_type, text) = match fault {
        Fault::ErrorsAsHtml if response.status >= 400 => (
            "text/html",
            format!("<html><body><h1>Error {}</h1></body></html>", response.status),
        ),
        Fault::ContentTypeNotJson => ("text/plain", response.body.as_ref()?.to_string()),
        _ => return None,
    };
    Some(Reply {
        status: response.status,
        content_type: Some(content_type),
        body: text.into_bytes(),
        allow: response.allow,
        retry_after: None,
        date: None,
    })
}

/// Puts the path's call segment (a label, when it is not the answered participant's call sid)
/// into the answer's `uri` in place of the call sid.
pub(super) fn uri_by_label(segment: &str, response: &mut SimResponse) {
    let Some(Value::Object(fields)) = response.body.as_mut() else {
        return;
    };
    let Some(sid) = fields.get("call_sid").and_then(Value::as_str).map(str::to_string) else {
        return;
    };
    if sid == segment {
        return;
    }
    if let Some(Value::String(uri)) = fields.get_mut("uri") {
        *uri = uri.replace(&sid, segment);
    }
}

/// How far ahead the clock of `clock-an-hour-ahead` runs.
pub(super) const AN_HOUR: time::Duration = time::Duration::hours(1);

/// Every RFC 2822 date of a body (`date_created`, `date_updated`, at every depth) `ahead` later:
/// what a server whose clock runs ahead writes.
pub(super) fn dates_ahead(v: &mut Value, ahead: time::Duration) {
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(text) if key.starts_with("date_") => {
                        if let Some(at) = crate::spec::participant::parse_date(text) {
                            *text = crate::spec::participant::format_date(at + ahead);
                        }
                    }
                    other => dates_ahead(other, ahead),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| dates_ahead(item, ahead)),
        _ => {}
    }
}

/// Every object's keys in the reverse order, at every depth.
pub(super) fn reverse_keys(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let mut pairs: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            pairs.reverse();
            for (k, mut v) in pairs {
                reverse_keys(&mut v);
                map.insert(k, v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(reverse_keys),
        _ => {}
    }
}

/// The faults that distort the rendered answer: participants (alone or listed) and error bodies.
pub(super) fn distort(fault: Fault, response: &mut SimResponse) {
    if fault == Fault::ContentTypeNotJson {
        return;
    }
    let Some(body) = response.body.as_mut() else { return };
    if response.status >= 400 {
        distort_error(fault, &mut response.status, body);
    } else if let Some(Value::Array(items)) = body.get_mut("participants") {
        items.iter_mut().for_each(|p| distort_participant(fault, p));
        if fault == Fault::ListedWithoutUri {
            for item in items.iter_mut() {
                if let Value::Object(fields) = item {
                    fields.remove("uri");
                }
            }
        }
        if fault == Fault::ListedFlagsInverted {
            for item in items {
                if let Some(Value::Bool(muted)) = item.get_mut("muted") {
                    *muted = !*muted;
                }
            }
        }
    } else {
        distort_participant(fault, body);
    }
}
