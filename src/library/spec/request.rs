//! A request as sent (or received), compared with the documented request (SPEC.md section 1)
//! of one generation of the documentation.
//!
//! The simulated space gives every request it receives a verdict in its journal, so a client
//! author pointing a client at the simulated space reads the journal to learn where the
//! requests it builds deviate from the generation it serves: its parameters, its list filters
//! and paging, and whether its paths end in `.json`.

use super::deviation::Deviation;
use super::params::{self, PARAMS, ParamKind};
use super::profile::{PathForm, Profile, UriJson};
use super::{ApiPath, LIST_METHODS, PARTICIPANT_METHODS, wire};

/// What the check needs of a request, whichever side of the wire it was read on.
#[derive(Debug, Clone, Copy)]
pub struct RequestView<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path, without query.
    pub path: &'a str,
    /// The query string, without `?` (list filters).
    pub query: Option<&'a str>,
    /// The `Authorization` header, if any (only its form is checked; it is never kept).
    pub authorization: Option<&'a str>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The body as sent.
    pub body: &'a [u8],
}

/// Which documented endpoint a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Participant,
    List,
}

/// Every way the request deviates from what `profile` documents; empty when it conforms.
pub fn check_request(req: &RequestView<'_>, profile: &Profile) -> Vec<Deviation> {
    let mut out = Vec::new();
    let endpoint = check_path(req.path, profile, &mut out);
    let allowed: &[&str] = match endpoint {
        Some(Endpoint::List) => LIST_METHODS,
        _ => PARTICIPANT_METHODS,
    };
    if !allowed.contains(&req.method) {
        out.push(dev(
            "method",
            format!("one of {allowed:?}"),
            format!("<{}>", req.method),
        ));
    }
    if !is_documented_auth(req.authorization, profile.auth) {
        out.push(dev(
            "header Authorization",
            match profile.auth {
                wire::AuthScheme::Basic => "Basic base64(ProjectID:AuthToken)",
                wire::AuthScheme::Bearer => "Bearer <API key>",
            },
            if req.authorization.is_some() {
                "another scheme or a malformed pair"
            } else {
                "missing"
            },
        ));
    }
    if endpoint == Some(Endpoint::List) {
        check_query(req.query, profile, &mut out);
    }
    if req.method == "POST" {
        check_form(req, profile, &mut out);
    } else if !req.body.is_empty() {
        out.push(dev(
            "body",
            format!("none on a {}", req.method),
            format!("{} bytes", req.body.len()),
        ));
    }
    out
}

fn dev(path: impl Into<String>, expected: impl Into<String>, actual: impl Into<String>) -> Deviation {
    Deviation {
        path: path.into(),
        expected: expected.into(),
        actual: actual.into(),
    }
}

fn check_path(path: &str, profile: &Profile, out: &mut Vec<Deviation>) -> Option<Endpoint> {
    // A generation whose documented paths end in `.json` flags a path without it; one whose
    // paths are bare (SignalWire's current description, Telnyx's) takes both, whatever its
    // `uri` field looks like (Telnyx's `uri` keeps `.json` while its request paths drop it).
    let wants_json = profile.paths == PathForm::Json && profile.uri_json == UriJson::Required;
    let refuses_json = profile.paths == PathForm::Bare && !profile.json_paths_tolerated;
    // written only for a deviation: every request of `serve` is judged
    let template = || {
        super::in_form(
            super::participant_path(profile.dialect(), "{AccountSid}", "{ConferenceSid}", "{CallSid}"),
            profile.paths,
        )
    };
    let parsed = super::parse_path(path);
    // a path in another generation's form (a Twilio path sent to a Telnyx server) is no path
    // of this one, although the space answers it for runs that compare generations
    if parsed.is_some() && !super::path_form(path).is_some_and(|form| profile.serves(form)) {
        out.push(dev("path", template(), format!("<{path}>")));
        return None;
    }
    match parsed {
        Some(ApiPath::List { json, .. }) => {
            let list = super::participants_path(profile.dialect(), "{AccountSid}", "{ConferenceSid}");
            if !json && wants_json {
                out.push(dev("path", format!("{list} (ends in .json)"), format!("<{path}>")));
            }
            if json && refuses_json {
                let bare = super::in_form(list, profile.paths);
                out.push(dev("path", format!("{bare} (no .json)"), format!("<{path}>")));
            }
            Some(Endpoint::List)
        }
        Some(ApiPath::Participant { json, .. }) => {
            if !json && wants_json {
                out.push(dev(
                    "path",
                    format!("{} (ends in .json)", template()),
                    format!("<{path}>"),
                ));
            }
            if json && refuses_json {
                out.push(dev("path", format!("{} (no .json)", template()), format!("<{path}>")));
            }
            Some(Endpoint::Participant)
        }
        None => {
            out.push(dev("path", template(), format!("<{path}>")));
            None
        }
    }
}

/// Whether the header carries credentials in the profile's scheme, none of them empty.
fn is_documented_auth(header: Option<&str>, scheme: wire::AuthScheme) -> bool {
    scheme
        .credentials(header)
        .is_some_and(|(u, p)| u.is_none_or(|u| !u.is_empty()) && !p.is_empty())
}

/// The list's query: each key a filter or paging parameter of the generation, once, and each
/// filter a boolean.
fn check_query(query: Option<&str>, profile: &Profile, out: &mut Vec<Deviation>) {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return;
    };
    let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(query) else {
        out.push(dev("query", "a form-urlencoded query", "a query that does not decode"));
        return;
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut unlisted = 0;
    for (key, value) in &pairs {
        if out.len() >= MAX_LISTED {
            unlisted += 1;
            continue;
        }
        let path = format!("query {key}");
        let filter = profile.list.filters.contains(key);
        if !filter && !profile.list.paging.contains(key) {
            let known: Vec<&String> = profile.list.filters.iter().chain(&profile.list.paging).collect();
            out.push(dev(
                path,
                format!("one of the {} generation's list keys {known:?}", profile.name),
                "an undocumented key",
            ));
            continue;
        }
        if seen.contains(&key.as_str()) {
            out.push(dev(path.clone(), "each key once", "given again"));
        } else {
            seen.push(key);
        }
        if filter && !ParamKind::Boolean.accepts(value) {
            out.push(dev(path, ParamKind::Boolean.expectation(), format!("<{value:?}>")));
        }
    }
    unlisted_keys("query", unlisted, out);
}

/// How many deviations one request is given: enough to show a client every mistake it makes
/// at once, and few enough that a body of thousands of bad keys costs little to judge.
pub const MAX_LISTED: usize = 100;

/// The deviation that says how many keys were not examined past [`MAX_LISTED`].
fn unlisted_keys(part: &str, unlisted: usize, out: &mut Vec<Deviation>) {
    if unlisted > 0 {
        out.push(dev(
            part,
            format!("at most {MAX_LISTED} deviations listed"),
            format!("{unlisted} more keys, not examined"),
        ));
    }
}

fn check_form(req: &RequestView<'_>, profile: &Profile, out: &mut Vec<Deviation>) {
    if req.body.is_empty() {
        return;
    }
    if !wire::is_form(req.content_type) {
        out.push(dev(
            "header Content-Type",
            wire::FORM,
            format!("<{}>", req.content_type.unwrap_or("missing")),
        ));
        return;
    }
    let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(req.body) else {
        out.push(dev("body", "a form-urlencoded body", "a body that does not decode"));
        return;
    };
    let mut seen = Vec::new();
    let mut unlisted = 0;
    for (key, value) in &form {
        if out.len() >= MAX_LISTED {
            unlisted += 1;
            continue;
        }
        let path = format!("form {key}");
        let Some(param) = params::param(key) else {
            let expected = match params::suggest(key) {
                Some(name) => format!("a documented PascalCase key: did you mean {name}?"),
                None => format!(
                    "one of the documented keys {:?}",
                    PARAMS.iter().map(|p| p.name).collect::<Vec<_>>()
                ),
            };
            out.push(dev(path, expected, "an undocumented key"));
            continue;
        };
        if !profile.has_param(param.name) {
            out.push(dev(
                path.clone(),
                format!("one of the {} generation's keys {:?}", profile.name, profile.params),
                "a key it does not document",
            ));
        }
        if seen.contains(&param.name) {
            out.push(dev(path.clone(), "each key once", "given again"));
        } else {
            seen.push(param.name);
        }
        if !param.kind.accepts(value) {
            out.push(dev(path, param.kind.expectation(), format!("<{value:?}>")));
        }
    }
    unlisted_keys("body", unlisted, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p.json";
    const AUTH: &str = "Basic dXNlcjpwYXNz";

    fn seed() -> &'static Profile {
        Profile::seed()
    }

    fn view<'a>(path: &'a str, body: &'a str, auth: Option<&'a str>) -> RequestView<'a> {
        RequestView {
            method: "POST",
            path,
            query: None,
            authorization: auth,
            content_type: Some("application/x-www-form-urlencoded"),
            body: body.as_bytes(),
        }
    }

    #[test]
    fn the_documented_examples_conform() {
        for body in [
            "",
            "Muted=False&Coaching=True&Beep=False&CallSidToCoach=x",
            "Hold=True&HoldUrl=http%3A%2F%2Fwww.your-application.com%2Fhold",
            "HoldMethod=GET&AnnounceUrl=https%3A%2F%2Fa.b%2Fc&AnnounceMethod=POST",
        ] {
            assert_eq!(check_request(&view(PATH, body, Some(AUTH)), seed()), vec![], "{body}");
        }
    }

    #[test]
    fn each_deviation_is_named() {
        let paths = |v: RequestView<'_>| {
            check_request(&v, seed())
                .into_iter()
                .map(|d| d.path)
                .collect::<Vec<_>>()
        };
        assert_eq!(paths(view(PATH, "", None)), ["header Authorization"]);
        assert_eq!(
            paths(view(
                "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p",
                "",
                Some(AUTH)
            )),
            ["path"]
        );
        assert_eq!(paths(view(PATH, "muted=true", Some(AUTH))), ["form muted"]);
        assert_eq!(
            paths(view(PATH, "Muted=yes&HoldUrl=%2Fhold&HoldMethod=get", Some(AUTH))),
            ["form Muted", "form HoldUrl", "form HoldMethod"]
        );
        let json = RequestView {
            content_type: Some("application/json"),
            ..view(PATH, "{}", Some(AUTH))
        };
        assert_eq!(paths(json), ["header Content-Type"]);
    }

    #[test]
    fn the_list_allows_only_get_and_the_participant_get_post_and_delete() {
        let list = "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants.json";
        let with = |method, path| {
            let v = RequestView {
                method,
                ..view(path, "", Some(AUTH))
            };
            check_request(&v, seed())
                .into_iter()
                .map(|d| d.path)
                .collect::<Vec<_>>()
        };
        assert!(with("GET", list).is_empty());
        assert_eq!(with("POST", list), ["method"]);
        assert_eq!(with("DELETE", list), ["method"]);
        for method in ["GET", "POST", "DELETE"] {
            assert!(with(method, PATH).is_empty(), "{method}");
        }
        assert_eq!(with("PUT", PATH), ["method"]);
    }

    #[test]
    fn only_a_post_carries_a_body() {
        let get = |body| RequestView {
            method: "GET",
            ..view(PATH, body, Some(AUTH))
        };
        assert!(check_request(&get(""), seed()).is_empty());
        let d = check_request(&get("Muted=true"), seed());
        assert_eq!((d[0].path.as_str(), d[0].actual.as_str()), ("body", "10 bytes"));
    }

    #[test]
    fn basic_auth_needs_both_a_user_and_a_token() {
        let header = |user, token| super::wire::basic_header(user, token);
        for (user, token, ok) in [("u", "t", true), ("", "t", false), ("u", "", false), ("", "", false)] {
            let h = header(user, token);
            let d = check_request(&view(PATH, "", Some(&h)), seed());
            assert_eq!(d.is_empty(), ok, "{user:?}:{token:?}");
        }
    }

    #[test]
    fn each_generation_judges_by_its_own_keys_paths_and_list() {
        let [signalwire, twilio] = ["signalwire", "twilio"].map(|n| Profile::by_name(n).unwrap());
        let paths = |v: RequestView<'_>, p| check_request(&v, p).into_iter().map(|d| d.path).collect::<Vec<_>>();
        let wait = view(PATH, "WaitUrl=https%3A%2F%2Fa.b%2Fw&Beep=false", Some(AUTH));
        assert_eq!(paths(wait, seed()), ["form WaitUrl"]);
        assert_eq!(paths(wait, signalwire), ["form Beep"]);
        let bare = "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p";
        assert_eq!(paths(view(bare, "", Some(AUTH)), seed()), ["path"]);
        assert!(paths(view(bare, "", Some(AUTH)), signalwire).is_empty());
        let list = |query| RequestView {
            method: "GET",
            query: Some(query),
            ..view("/2010-04-01/Accounts/a/Conferences/c/Participants.json", "", Some(AUTH))
        };
        assert!(paths(list("Coaching=true&PageSize=2&Page=1&PageToken=PA1"), twilio).is_empty());
        let bare_list = RequestView {
            method: "GET",
            ..view("/2010-04-01/Accounts/a/Conferences/c/Participants", "", Some(AUTH))
        };
        assert_eq!(paths(bare_list, twilio), ["path"]);
        assert!(paths(bare_list, signalwire).is_empty());
        assert_eq!(paths(list("Coaching=true"), seed()), ["query Coaching"]);
        // bare request paths, although its `uri` field ends in .json
        let telnyx = Profile::by_name("telnyx").unwrap();
        let bearer = "Bearer a-key";
        let texml = "/v2/texml/Accounts/a/Conferences/c/Participants";
        let bare_texml = |path| RequestView {
            method: "GET",
            ..view(path, "", Some(bearer))
        };
        assert!(paths(bare_texml(texml), telnyx).is_empty());
        let one = format!("{texml}/p");
        assert!(paths(bare_texml(&one), telnyx).is_empty());
        // Telnyx documents no .json on a request path; SignalWire's libraries still send it
        let json = format!("{texml}/p.json");
        assert_eq!(paths(bare_texml(&json), telnyx), ["path"]);
        let list_json = format!("{texml}.json");
        assert_eq!(paths(bare_texml(&list_json), telnyx), ["path"]);
        let signalwire_json = "/api/laml/2010-04-01/Accounts/a/Conferences/c/Participants/p.json";
        assert!(paths(view(signalwire_json, "", Some(AUTH)), signalwire).is_empty());
        // another generation's path form is flagged; the two LaML forms stand for each other
        let laml = "/2010-04-01/Accounts/a/Conferences/c/Participants/p.json";
        assert_eq!(paths(bare_texml(laml), telnyx), ["path"]);
        assert_eq!(paths(view(&one, "", Some(AUTH)), seed()), ["path"]);
        assert!(paths(view(laml, "", Some(AUTH)), seed()).is_empty());
        assert_eq!(
            paths(list("Muted=yes&Muted=true&Sort=x"), twilio),
            ["query Muted", "query Muted", "query Sort"]
        );
    }
}
