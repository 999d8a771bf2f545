//! A page of the participant list, normalised: its envelope keys as the profile documents them,
//! with placeholders where a value has the documented form. The participants in it are judged
//! one by one as resources (by the step that lists); the page itself by its profile's committed
//! snapshot (`list.snap`, `<profile>_list.snap`), which Twilio's four documented pages reproduce.

use serde_json::{Map, Value};

use crate::spec::{ApiPath, Dialect, Profile};

/// The placeholder of the page's participants, which are judged one by one.
pub const PARTICIPANTS: &str = "[the participants of the page, each judged as a resource]";
/// The placeholder of a path of this conference's participant list (with any query).
pub const LIST_PATH: &str = "[a path of the conference's participant list]";
/// The placeholder of a page link that is absent on the first or the last page.
pub const LIST_PATH_OR_NULL: &str = "[a path of the conference's participant list, or null]";
/// The placeholder of a page number or a participant's position in the list.
pub const COUNT: &str = "[a whole number from 0]";
/// The placeholder of a page size.
pub const SIZE: &str = "[a whole number from 1]";
/// The placeholder of the account's own sid.
const ACCOUNT_SID: &str = super::shape::ACCOUNT_SID;
/// The placeholder of the conference's own sid.
const CONFERENCE_SID: &str = super::shape::CONFERENCE_SID;

/// Whose list a page is: the account and conference it must name, and the path form asked.
#[derive(Debug, Clone)]
pub struct ListSubject<'a> {
    /// The AccountSid.
    pub account: &'a str,
    /// The ConferenceSid.
    pub conference: &'a str,
    /// The path form the request used: the page's links may take it or the profile's.
    pub dialect: Dialect,
    /// The generation the page is judged by.
    pub profile: &'a Profile,
}

/// The placeholder of one envelope key, before checking its value.
fn placeholder_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "participants" => PARTICIPANTS,
        "uri" | "first_page_uri" => LIST_PATH,
        "next_page_uri" | "previous_page_uri" => LIST_PATH_OR_NULL,
        "page" | "start" | "end" => COUNT,
        "page_size" => SIZE,
        "account_sid" => ACCOUNT_SID,
        "conference_sid" => CONFERENCE_SID,
        _ => return None,
    })
}

/// The shape of a page as `profile` documents it: what [`normalise_page`] makes of any page that
/// fits. Its committed snapshot is the check of every listed page.
pub fn page_shape(profile: &Profile) -> Value {
    let keys = profile
        .list
        .envelope
        .iter()
        .map(|k| (k.clone(), Value::from(placeholder_of(k).unwrap_or("[undocumented]"))))
        .collect();
    Value::Object(keys)
}

/// Normalises a page: the profile's envelope keys first, in its order, each a placeholder where
/// its value has the documented form; other keys after them, verbatim.
pub fn normalise_page(body: &Value, subject: &ListSubject<'_>) -> Value {
    let Value::Object(fields) = body else {
        return body.clone();
    };
    let envelope = &subject.profile.list.envelope;
    let mut out = Map::new();
    for key in envelope {
        if let Some(v) = fields.get(key) {
            let fits = match key.as_str() {
                "participants" => v.is_array(),
                "uri" | "first_page_uri" => v.as_str().is_some_and(|p| is_list_path(p, subject)),
                "next_page_uri" | "previous_page_uri" => {
                    v.is_null() || v.as_str().is_some_and(|p| is_list_path(p, subject))
                }
                "page" | "start" | "end" => v.is_u64(),
                "page_size" => v.as_u64().is_some_and(|n| n >= 1),
                "account_sid" => v.as_str() == Some(subject.account),
                "conference_sid" => v.as_str() == Some(subject.conference),
                _ => false,
            };
            let value = match placeholder_of(key) {
                Some(p) if fits => Value::from(p),
                _ => v.clone(),
            };
            out.insert(key.clone(), value);
        }
    }
    for (k, v) in fields {
        if !envelope.contains(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// A path of this conference's list, in the profile's base path or the request's form, with
/// `.json` unless the profile lets it go, and any query.
fn is_list_path(uri: &str, subject: &ListSubject<'_>) -> bool {
    let path = uri.split_once('?').map_or(uri, |(p, _)| p);
    let prefixes = [subject.profile.base_path.as_str(), subject.dialect.prefix()];
    if !prefixes.iter().any(|p| path.starts_with(p)) {
        return false;
    }
    let json_required = subject.profile.uri_json == crate::spec::profile::UriJson::Required;
    if json_required && !path.ends_with(".json") {
        return false;
    }
    matches!(
        crate::spec::parse_path(path),
        Some(ApiPath::List { account, conference, .. })
            if account == subject.account && conference == subject.conference
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn twilio() -> &'static Profile {
        Profile::by_name("twilio").unwrap()
    }

    fn subject(profile: &'static Profile) -> ListSubject<'static> {
        ListSubject {
            account: "ACa",
            conference: "CFc",
            dialect: profile.dialect(),
            profile,
        }
    }

    #[test]
    fn a_page_that_fits_becomes_the_shape_and_what_does_not_stays() {
        let page = json!({
            "participants": [], "uri": "/2010-04-01/Accounts/ACa/Conferences/CFc/Participants.json?Muted=true",
            "first_page_uri": "/2010-04-01/Accounts/ACa/Conferences/CFc/Participants.json?Page=0",
            "next_page_uri": null, "previous_page_uri": null,
            "page": 0, "page_size": 50, "start": 0, "end": 0,
        });
        assert_eq!(normalise_page(&page, &subject(twilio())), page_shape(twilio()));
        let mut bad = page.clone();
        bad["uri"] = json!("/2010-04-01/Accounts/ACa/Conferences/CFother/Participants.json");
        bad["page_size"] = json!(0);
        bad["page"] = json!("0");
        bad["account_sid"] = json!("ACa");
        let n = normalise_page(&bad, &subject(twilio()));
        let deviations: Vec<String> = crate::check::compare(&page_shape(twilio()), &n)
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert_eq!(deviations, ["uri", "page", "page_size", "account_sid"]);
    }

    #[test]
    fn each_generation_has_its_own_envelope() {
        let seed = page_shape(Profile::seed());
        assert_eq!(seed["account_sid"], ACCOUNT_SID);
        let signalwire = page_shape(Profile::by_name("signalwire").unwrap());
        assert!(signalwire.get("start").is_none() && signalwire.get("account_sid").is_none());
        assert_eq!(page_shape(twilio())["end"], COUNT);
    }

    #[test]
    fn links_without_json_pass_only_where_the_profile_lets_it_go() {
        let bare = "/api/laml/2010-04-01/Accounts/ACa/Conferences/CFc/Participants?Page=1";
        assert!(!is_list_path(bare, &subject(Profile::seed())));
        assert!(is_list_path(bare, &subject(Profile::by_name("signalwire").unwrap())));
    }
}
