//! A page of the participant list, normalised: its envelope keys as the profile documents them,
//! with placeholders where a value has the documented form. The participants in it are judged
//! one by one as resources (by the step that lists); the page itself by its profile's committed
//! snapshot (`list.snap`, `<profile>_list.snap`), which Twilio's four documented pages reproduce.

use serde_json::{Map, Value};

use super::Deviation;
use super::placeholder::Placeholder;
use crate::spec::{ApiPath, Dialect, Profile};

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
fn placeholder_of(key: &str) -> Option<Placeholder> {
    Some(match key {
        "participants" => Placeholder::Participants,
        "uri" | "first_page_uri" => Placeholder::ListPath,
        "next_page_uri" | "previous_page_uri" => Placeholder::ListPath.or_null(),
        "page" | "start" | "end" => Placeholder::Count,
        "page_size" => Placeholder::Size,
        "account_sid" => Placeholder::AccountSid,
        "conference_sid" => Placeholder::ConferenceSid,
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
        .map(|k| {
            (
                k.clone(),
                Value::from(placeholder_of(k).unwrap_or(Placeholder::Undocumented)),
            )
        })
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

/// The paging parameter that names a page, and the one that sizes it.
const PAGE: &str = "Page";
const PAGE_SIZE: &str = "PageSize";

/// The query of a link or request as pairs; a link without one has none.
fn query_of(uri: &str) -> Vec<(String, String)> {
    let query = uri.split_once('?').map_or("", |(_, q)| q);
    serde_urlencoded::from_str(query).unwrap_or_default()
}

fn value_of<'q>(pairs: &'q [(String, String)], key: &str) -> Option<&'q str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The filters of a query, each read as a boolean (`True` and `true` alike), sorted by name.
fn filters_of(pairs: &[(String, String)], profile: &Profile) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| profile.list.filters.contains(k))
        .map(|(k, v)| (k.clone(), v.to_ascii_lowercase()))
        .collect();
    out.sort();
    out
}

/// How a page's values differ from what the request asked and from each other; `sent` is the
/// request's query. Only keys of the documented form are read here (their form is the
/// snapshot's business), so a page judged by both is never blamed twice for one value:
/// - `page` is the `Page` asked (0 when none), `page_size` the `PageSize` asked (when none, the
///   documented default where the generation documents one, else any),
///   and the page holds at most `page_size` participants;
/// - `start` is `page` × `page_size`, and `end` is `start` + the participants − 1 (`start` on
///   an empty page, as Twilio's `readEmpty` example shows);
/// - `uri` names the filters sent, and no other, and its `Page`/`PageSize` where it has them
///   are the page's; `first_page_uri` the same filters and page 0;
/// - `previous_page_uri` is null exactly on page 0, else page − 1; `next_page_uri` is null on a
///   page with room left (the last), else page + 1, both with the same filters.
pub fn page_values(body: &Value, sent: &[(String, String)], profile: &Profile) -> Vec<Deviation> {
    let mut out = Vec::new();
    let Some(items) = body.get("participants").and_then(Value::as_array) else {
        return out;
    };
    let n = items.len() as u64;
    let int = |k: &str| body.get(k).and_then(Value::as_u64);
    let asked_page = value_of(sent, PAGE).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let asked_size = value_of(sent, PAGE_SIZE).and_then(|v| v.parse::<u64>().ok());
    let mut dev = |path: &str, expected: String, actual: String| {
        out.push(Deviation {
            path: path.into(),
            expected,
            actual,
        })
    };
    let page = int("page");
    if let Some(page) = page
        && page != asked_page
    {
        dev(
            "page",
            format!("{asked_page} (the Page asked, 0 when none)"),
            page.to_string(),
        );
    }
    let size = int("page_size").filter(|s| *s >= 1);
    let documented_default = profile.list.page_size.default_documented;
    match (size, asked_size) {
        (Some(size), Some(asked)) if size != asked => {
            dev("page_size", format!("{asked} (the PageSize asked)"), size.to_string())
        }
        (Some(size), None) if documented_default && size != profile.list.page_size.default as u64 => dev(
            "page_size",
            format!(
                "{} (the documented default, as no PageSize was asked)",
                profile.list.page_size.default
            ),
            size.to_string(),
        ),
        _ => {}
    }
    if let Some(size) = size
        && n > size
    {
        dev(
            "participants",
            format!("at most {size} (page_size) participants"),
            format!("{n} participants"),
        );
    }
    if let (Some(start), Some(page), Some(size)) = (int("start"), page, size)
        && start != page.saturating_mul(size)
    {
        dev(
            "start",
            format!("{} (page × page_size)", page.saturating_mul(size)),
            start.to_string(),
        );
    }
    if let (Some(end), Some(start)) = (int("end"), int("start")) {
        let want = start + n.max(1) - 1;
        if end != want {
            dev(
                "end",
                format!("{want} (start + the {n} participants of the page − 1)"),
                end.to_string(),
            );
        }
    }
    let filters = filters_of(sent, profile);
    let link = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    let check_link = |key: &str, uri: &str, page_no: Option<u64>, out: &mut Vec<Deviation>| {
        let pairs = query_of(uri);
        if filters_of(&pairs, profile) != filters {
            out.push(Deviation {
                path: key.into(),
                expected: format!("a link with the filters sent ({})", show_pairs(&filters)),
                actual: uri.to_string(),
            });
        }
        if let (Some(want), Some(got)) = (page_no, value_of(&pairs, PAGE))
            && got.parse::<u64>().ok() != Some(want)
        {
            out.push(Deviation {
                path: key.into(),
                expected: format!("a link to page {want}"),
                actual: uri.to_string(),
            });
        }
        if let (Some(size), Some(got)) = (size, value_of(&pairs, PAGE_SIZE))
            && got.parse::<u64>().ok() != Some(size)
        {
            out.push(Deviation {
                path: key.into(),
                expected: format!("a link with PageSize={size} (the page's size)"),
                actual: uri.to_string(),
            });
        }
    };
    if let Some(uri) = link("uri") {
        check_link("uri", &uri, page, &mut out);
    }
    if let Some(uri) = link("first_page_uri") {
        check_link("first_page_uri", &uri, Some(0), &mut out);
    }
    if body.get("previous_page_uri").is_some()
        && let Some(page) = page
    {
        match (page, link("previous_page_uri")) {
            (0, Some(uri)) => out.push(Deviation {
                path: "previous_page_uri".into(),
                expected: "null (page 0 has no previous page)".into(),
                actual: uri,
            }),
            (0, None) => {}
            (_, None) => out.push(Deviation {
                path: "previous_page_uri".into(),
                expected: format!("a link to page {}", page - 1),
                actual: crate::check::show(&body["previous_page_uri"]),
            }),
            (_, Some(uri)) => check_link("previous_page_uri", &uri, Some(page - 1), &mut out),
        }
    }
    if let Some(uri) = link("next_page_uri") {
        if size.is_some_and(|s| n < s) {
            out.push(Deviation {
                path: "next_page_uri".into(),
                expected: format!(
                    "null (the page holds {n} of {} participants, so it is the last)",
                    size.unwrap_or(0)
                ),
                actual: uri,
            });
        } else {
            check_link("next_page_uri", &uri, page.map(|p| p + 1), &mut out);
        }
    }
    out
}

fn show_pairs(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return "none".into();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
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
        let deviations: Vec<String> = crate::check::compare(&page_shape(twilio()), &n, crate::check::Scope::Exact)
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert_eq!(deviations, ["uri", "page", "page_size", "account_sid"]);
    }

    #[test]
    fn each_generation_has_its_own_envelope() {
        let seed = page_shape(Profile::seed());
        assert_eq!(seed["account_sid"], Placeholder::AccountSid);
        let signalwire = page_shape(Profile::by_name("signalwire").unwrap());
        assert!(signalwire.get("start").is_none() && signalwire.get("account_sid").is_none());
        assert_eq!(page_shape(twilio())["end"], Placeholder::Count);
    }

    #[test]
    fn links_without_json_pass_only_where_the_profile_lets_it_go() {
        let bare = "/api/laml/2010-04-01/Accounts/ACa/Conferences/CFc/Participants?Page=1";
        assert!(!is_list_path(bare, &subject(Profile::seed())));
        assert!(is_list_path(bare, &subject(Profile::by_name("signalwire").unwrap())));
    }

    /// The request a documented page answers: the query of its own `uri`.
    fn asked(page: &Value) -> Vec<(String, String)> {
        query_of(page["uri"].as_str().unwrap())
    }

    #[test]
    fn twilios_documented_pages_hold_together() {
        for (file, page) in twilio().list_examples() {
            assert_eq!(page_values(&page, &asked(&page), twilio()), vec![], "{file}");
        }
    }

    #[test]
    fn each_page_value_is_tied_to_the_request_and_to_the_others() {
        let full = twilio()
            .list_examples()
            .into_iter()
            .find(|(f, _)| f.ends_with("list-full.json"))
            .unwrap()
            .1;
        let sent = asked(&full);
        let broken = |key: &str, value: Value| {
            let mut page = full.clone();
            page[key] = value;
            let paths: Vec<String> = page_values(&page, &sent, twilio())
                .into_iter()
                .map(|d| d.path)
                .collect();
            paths
        };
        assert_eq!(
            broken("page", json!(1)),
            ["page", "start", "uri", "previous_page_uri", "next_page_uri"]
        );
        assert_eq!(
            broken("page_size", json!(3)),
            ["page_size", "uri", "first_page_uri", "next_page_uri"]
        );
        assert_eq!(broken("start", json!(1)), ["start", "end"]);
        assert_eq!(broken("end", json!(2)), ["end"]);
        let first = full["first_page_uri"].as_str().unwrap();
        assert_eq!(broken("previous_page_uri", json!(first)), ["previous_page_uri"]);
        assert_eq!(
            broken("first_page_uri", json!(first.replace("Page=0", "Page=1"))),
            ["first_page_uri"]
        );
        assert_eq!(broken("uri", json!(first.replace("Muted=true&", ""))), ["uri"]);
        assert_eq!(
            broken("next_page_uri", json!(first.replace("Page=0", "Page=3"))),
            ["next_page_uri"]
        );
        let mut last = full.clone();
        last["participants"].as_array_mut().unwrap().pop();
        let paths: Vec<String> = page_values(&last, &sent, twilio())
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert_eq!(paths, ["end", "next_page_uri"], "a page with room left is the last");
        let mut later = full.clone();
        later["page"] = json!(1);
        later["start"] = json!(2);
        later["end"] = json!(3);
        later["uri"] = json!(first.replace("Page=0", "Page=1"));
        later["next_page_uri"] = json!(first.replace("Page=0", "Page=2"));
        let on_page_1 = [
            ("Muted".to_string(), "True".to_string()),
            ("PageSize".into(), "2".into()),
            ("Page".into(), "1".into()),
        ];
        let paths: Vec<String> = page_values(&later, &on_page_1, twilio())
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert_eq!(paths, ["previous_page_uri"], "a later page needs its previous link");
    }

    #[test]
    fn a_documented_default_page_size_is_held_where_none_was_asked() {
        let page = json!({"participants": [], "page": 0, "page_size": 20});
        let paths = |p: &Profile| -> Vec<String> { page_values(&page, &[], p).into_iter().map(|d| d.path).collect() };
        assert_eq!(paths(twilio()), ["page_size"], "Twilio documents 50");
        assert!(paths(Profile::seed()).is_empty(), "the seed documents no default");
    }
}
