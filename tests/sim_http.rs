//! The simulated space over HTTP, through the client: the sibling endpoints, both path forms,
//! authentication, and the refusals the features rely on.

use std::time::Duration;

use laml_conformance::client::{ApiClient, ParticipantRef, ParticipantUpdate};
use laml_conformance::credentials::Credentials;
use laml_conformance::sim::{ArrangedConference, Sim};
use laml_conformance::spec::Dialect;

async fn setup() -> (Sim, ArrangedConference) {
    let sim = Sim::start().await.unwrap();
    let conf = sim.arrange_conference(&["agent", "customer"]);
    (sim, conf)
}

fn client(sim: &Sim, conf: &ArrangedConference, dialect: Dialect) -> ApiClient {
    ApiClient::new(
        &sim.base_url(),
        dialect,
        Some(conf.credentials.clone()),
        Duration::from_secs(5),
    )
}

fn who(conf: &ArrangedConference, i: usize) -> ParticipantRef {
    ParticipantRef {
        account_sid: conf.credentials.project_id.clone(),
        conference_sid: conf.conference_sid.clone(),
        call_sid: conf.participants[i].1.clone(),
    }
}

#[tokio::test]
async fn both_path_forms_reach_the_same_participant() {
    let (sim, conf) = setup().await;
    let twilio = client(&sim, &conf, Dialect::Twilio);
    let x = twilio
        .update_participant(&who(&conf, 0), &ParticipantUpdate::new().param("Muted", "true"))
        .await
        .unwrap();
    assert_eq!(x.status, 200, "{}", x.describe());
    assert!(x.request.url.contains("/2010-04-01/Accounts/") && !x.request.url.contains("/api/laml"));
    let signalwire = client(&sim, &conf, Dialect::SignalWire);
    let r = signalwire.retrieve_participant(&who(&conf, 0)).await.unwrap();
    assert_eq!(r.json().unwrap()["muted"], true);
}

#[tokio::test]
async fn delete_answers_204_and_the_participant_is_gone() {
    let (sim, conf) = setup().await;
    let c = client(&sim, &conf, Dialect::SignalWire);
    let d = c.delete_participant(&who(&conf, 1)).await.unwrap();
    assert_eq!((d.status, d.body.as_str()), (204, ""));
    let r = c.retrieve_participant(&who(&conf, 1)).await.unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(r.json().unwrap()["code"], 20404);
}

#[tokio::test]
async fn list_filters_and_envelope() {
    let (sim, conf) = setup().await;
    let c = client(&sim, &conf, Dialect::SignalWire);
    c.update_participant(&who(&conf, 1), &ParticipantUpdate::new().param("Hold", "True"))
        .await
        .unwrap();
    let l = c
        .list_participants(&conf.credentials.project_id, &conf.conference_sid, &[("Hold", "true")])
        .await
        .unwrap();
    let body = l.json().unwrap();
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "participants",
        "uri",
        "first_page_uri",
        "next_page_uri",
        "previous_page_uri",
        "page",
        "page_size",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let sids: Vec<&str> = body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["call_sid"].as_str().unwrap())
        .collect();
    assert_eq!(sids, [conf.participants[1].1.as_str()]);
}

#[tokio::test]
async fn credentials_are_checked_against_the_account() {
    let (sim, conf) = setup().await;
    let other = sim.arrange_conference(&["x"]);
    let c = client(&sim, &conf, Dialect::SignalWire);
    for creds in [
        None,
        Some(Credentials::new(conf.credentials.project_id.clone(), "wrong")),
        Some(other.credentials),
    ] {
        let x = c
            .with_credentials(creds)
            .retrieve_participant(&who(&conf, 0))
            .await
            .unwrap();
        assert_eq!(x.status, 401, "{}", x.describe());
        assert_eq!(x.json().unwrap()["code"], 20003);
    }
}

#[tokio::test]
async fn a_json_body_is_refused_and_changes_nothing() {
    let (sim, conf) = setup().await;
    let c = client(&sim, &conf, Dialect::SignalWire);
    let before = c.retrieve_participant(&who(&conf, 0)).await.unwrap().json().unwrap();
    let path = who(&conf, 0).path(Dialect::SignalWire);
    // `send` declares a form; the space must look at the body it gets, so send JSON bytes
    // through the raw request of a second client that declares JSON.
    let raw = reqwest::Client::new()
        .post(format!("{}{path}", sim.base_url()))
        .basic_auth(&conf.credentials.project_id, Some(conf.credentials.token.expose()))
        .header("content-type", "application/json")
        .body(r#"{"Muted": true}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    let after = c.retrieve_participant(&who(&conf, 0)).await.unwrap().json().unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_journal_records_what_arrived() {
    let (sim, conf) = setup().await;
    let c = client(&sim, &conf, Dialect::SignalWire);
    c.update_participant(&who(&conf, 0), &ParticipantUpdate::new().param("Muted", "True"))
        .await
        .unwrap();
    let j = sim.journal();
    let last = j.last().unwrap();
    assert_eq!(
        (last.method.as_str(), last.status, last.body.as_str()),
        ("POST", 200, "Muted=True")
    );
    assert!(last.conforms(), "{:?}", last.deviations);
}

#[tokio::test]
async fn the_journal_names_how_a_request_deviates() {
    let (sim, conf) = setup().await;
    let c = client(&sim, &conf, Dialect::SignalWire);
    let update = ParticipantUpdate::new()
        .param("muted", "true")
        .param("HoldMethod", "get");
    let x = c.update_participant(&who(&conf, 0), &update).await.unwrap();
    assert_eq!(x.status, 400);
    let entry = sim.journal().pop().unwrap();
    let paths: Vec<&str> = entry.deviations.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["form muted", "form HoldMethod"]);
    assert!(
        entry.deviations[0].expected.contains("did you mean Muted?"),
        "{:?}",
        entry.deviations[0]
    );
}

/// A request is journalled only to the account its credentials prove: without them it is
/// journalled nowhere (anyone could send it), and with one account's credentials on another's
/// path it is the sender's, never the path's account's.
#[tokio::test]
async fn a_request_is_journalled_only_to_the_account_its_credentials_prove() {
    let (sim, mine) = setup().await;
    let theirs = sim.arrange_conference(&["agent"]);
    let mute = ParticipantUpdate::new().param("Muted", "true");
    let anonymous = client(&sim, &mine, Dialect::SignalWire).with_credentials(None);
    assert_eq!(
        anonymous
            .update_participant(&who(&theirs, 0), &mute)
            .await
            .unwrap()
            .status,
        401
    );
    assert!(sim.journal().is_empty(), "{:?}", sim.journal());
    let c = client(&sim, &mine, Dialect::SignalWire);
    assert_eq!(c.update_participant(&who(&theirs, 0), &mute).await.unwrap().status, 401);
    let journal = sim.journal();
    let owners: Vec<Option<&str>> = journal.iter().map(|e| e.account.as_deref()).collect();
    assert_eq!(owners, [Some(mine.credentials.project_id.as_str())]);
}

/// Credentials that do not match the path's account get the same 401, whether or not that
/// account exists: no holder of credentials learns which accounts exist.
#[tokio::test]
async fn another_account_s_path_is_refused_alike_whether_it_exists_or_not() {
    let (sim, mine) = setup().await;
    let theirs = sim.arrange_conference(&["agent"]);
    let c = client(&sim, &mine, Dialect::SignalWire);
    let mute = ParticipantUpdate::new().param("Muted", "true");
    let mut nowhere = who(&theirs, 0);
    nowhere.account_sid = format!("AC{}", "0".repeat(32));
    let existing = c.update_participant(&who(&theirs, 0), &mute).await.unwrap();
    let missing = c.update_participant(&nowhere, &mute).await.unwrap();
    assert_eq!(existing.status, 401);
    assert_eq!((missing.status, missing.body), (existing.status, existing.body));
}

#[tokio::test]
async fn the_list_pages_by_page_size_and_its_uris_lead_from_page_to_page() {
    let sim = Sim::start().await.unwrap();
    let conf = sim.arrange_conference(&["a", "b", "c"]);
    let c = client(&sim, &conf, Dialect::SignalWire);
    let (account, conference) = (&conf.credentials.project_id, &conf.conference_sid);
    let first = c
        .list_participants(account, conference, &[("PageSize", "2")])
        .await
        .unwrap();
    let first = first.json().unwrap();
    assert_eq!(first["participants"].as_array().unwrap().len(), 2, "{first}");
    assert_eq!(
        (first["page"].clone(), first["page_size"].clone()),
        (0.into(), 2.into())
    );
    let next = first["next_page_uri"].as_str().expect("a next page").to_string();
    assert!(next.ends_with("PageSize=2&Page=1"), "{next}");
    assert_eq!(first["previous_page_uri"], serde_json::Value::Null);
    let second = c.send(reqwest::Method::GET, &next, None).await.unwrap();
    let second = second.json().unwrap();
    let listed: Vec<&str> = second["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["call_sid"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [conf.participants[2].1.as_str()]);
    assert_eq!((second["start"].clone(), second["end"].clone()), (2.into(), 2.into()));
    assert_eq!(second["next_page_uri"], serde_json::Value::Null);
    assert!(
        second["previous_page_uri"]
            .as_str()
            .unwrap()
            .ends_with("PageSize=2&Page=0")
    );
    for bad in [
        ("PageSize", "0"),
        ("PageSize", "1001"),
        ("PageSize", "many"),
        ("Page", "-1"),
    ] {
        let r = c.list_participants(account, conference, &[bad]).await.unwrap();
        assert_eq!(r.status, 400, "{bad:?}: {}", r.describe());
        assert_eq!(r.json().unwrap()["code"], 10000, "{bad:?}");
    }
}

#[tokio::test]
async fn a_method_the_resource_does_not_allow_is_answered_with_allow() {
    let (sim, conf) = setup().await;
    let c = client(&sim, &conf, Dialect::SignalWire);
    let path = who(&conf, 0).path(Dialect::SignalWire);
    let r = c.send(reqwest::Method::PUT, &path, None).await.unwrap();
    assert_eq!(r.status, 405, "{}", r.describe());
    assert_eq!(r.header("allow"), Some("GET, POST, DELETE"));
    let list = laml_conformance::spec::participants_path(
        Dialect::SignalWire,
        &conf.credentials.project_id,
        &conf.conference_sid,
    );
    let r = c.send(reqwest::Method::POST, &list, None).await.unwrap();
    assert_eq!((r.status, r.header("allow")), (405, Some("GET")));
}

#[tokio::test]
async fn twilio_s_coaching_filter_lists_the_coaches() {
    let sim = Sim::start_serving(None, laml_conformance::spec::Profile::by_name("twilio").unwrap())
        .await
        .unwrap();
    let conf = sim.arrange_conference(&["agent", "supervisor"]);
    let c = client(&sim, &conf, Dialect::Twilio);
    let coach = ParticipantUpdate::new()
        .param("Coaching", "true")
        .param("CallSidToCoach", conf.participants[0].1.clone());
    assert_eq!(c.update_participant(&who(&conf, 1), &coach).await.unwrap().status, 200);
    let (account, conference) = (&conf.credentials.project_id, &conf.conference_sid);
    for (value, want) in [("true", 1), ("false", 0)] {
        let listed = c
            .list_participants(account, conference, &[("Coaching", value)])
            .await
            .unwrap();
        let listed = listed.json().unwrap();
        let sids: Vec<&str> = listed["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["call_sid"].as_str().unwrap())
            .collect();
        assert_eq!(sids, [conf.participants[want].1.as_str()], "Coaching={value}");
    }
}

#[tokio::test]
async fn what_the_space_refuses_it_refuses_everywhere() {
    let (sim, conf) = setup().await;
    let c = client(&sim, &conf, Dialect::SignalWire);
    let (account, conference) = (&conf.credentials.project_id, &conf.conference_sid);
    let twice = c
        .list_participants(account, conference, &[("Muted", "true"), ("Muted", "false")])
        .await
        .unwrap();
    assert_eq!(
        (twice.status, twice.json().unwrap()["code"].clone()),
        (400, 10000.into()),
        "a filter given twice"
    );
    let blank_key = c
        .send(
            reqwest::Method::POST,
            &who(&conf, 0).path(Dialect::SignalWire),
            Some(("application/x-www-form-urlencoded", "=true".into())),
        )
        .await
        .unwrap();
    assert!(
        blank_key.json().unwrap()["message"].as_str().unwrap().contains("\"\""),
        "{}",
        blank_key.describe()
    );
    let setup = format!("{}/__laml/setup/conferences", sim.base_url());
    let same = reqwest::Client::new()
        .post(setup)
        .header("content-type", "application/json")
        .body(serde_json::json!({ "participants": ["agent", "agent"] }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 400, "one name asked for twice");
    assert!(sim.complete_conference(account, conference));
    let gone = c.delete_participant(&who(&conf, 0)).await.unwrap();
    assert_eq!(
        (gone.status, gone.json().unwrap()["code"].clone()),
        (400, 10000.into()),
        "a delete in a completed conference"
    );
}

#[tokio::test]
async fn the_control_plane_belongs_to_each_account() {
    let sim = Sim::start().await.unwrap();
    let mine = sim.arrange_conference(&["agent"]);
    let theirs = sim.arrange_conference(&["agent"]);
    let c = client(&sim, &mine, Dialect::SignalWire);
    assert_eq!(c.retrieve_participant(&who(&mine, 0)).await.unwrap().status, 200);
    let http = reqwest::Client::new();
    let base = sim.base_url();
    let auth = |a: &ArrangedConference| {
        laml_conformance::spec::wire::basic_header(&a.credentials.project_id, a.credentials.token.expose())
    };
    let journal = |who: Option<&ArrangedConference>| {
        let mut r = http.get(format!("{base}/__laml/journal"));
        if let Some(a) = who {
            r = r.header("authorization", auth(a));
        }
        r.send()
    };
    assert_eq!(journal(None).await.unwrap().status(), 401);
    let own: serde_json::Value =
        serde_json::from_slice(&journal(Some(&mine)).await.unwrap().bytes().await.unwrap()).unwrap();
    assert_eq!(own["requests"].as_array().unwrap().len(), 1, "{own}");
    let other: serde_json::Value =
        serde_json::from_slice(&journal(Some(&theirs)).await.unwrap().bytes().await.unwrap()).unwrap();
    assert_eq!(
        other["requests"],
        serde_json::json!([]),
        "another account's traffic is not shown"
    );
    let post = |path: String, body: serde_json::Value, who: &ArrangedConference| {
        http.post(format!("{base}/__laml/setup/{path}"))
            .header("content-type", "application/json")
            .header("authorization", auth(who))
            .body(body.to_string())
            .send()
    };
    let ask = serde_json::json!({ "participants": ["x"], "account_sid": mine.credentials.project_id });
    assert_eq!(
        post("conferences".into(), ask.clone(), &theirs).await.unwrap().status(),
        401
    );
    assert_eq!(post("conferences".into(), ask, &mine).await.unwrap().status(), 201);
    let end = format!("conferences/{}/complete", mine.conference_sid);
    let account = serde_json::json!({ "account_sid": mine.credentials.project_id });
    assert_eq!(post(end.clone(), account.clone(), &theirs).await.unwrap().status(), 401);
    assert_eq!(
        c.update_participant(&who(&mine, 0), &ParticipantUpdate::new().param("Muted", "true"))
            .await
            .unwrap()
            .status,
        200
    );
    assert_eq!(post(end, account, &mine).await.unwrap().status(), 204);
}

/// `PageToken` is a paging key where the generation has one (Twilio's documented pages carry
/// it; `Page` decides the page): taken there, refused by the seed, which documents none.
#[tokio::test]
async fn page_token_is_taken_where_the_generation_pages_with_it() {
    for (profile, dialect, status) in [("twilio", Dialect::Twilio, 200), ("seed", Dialect::SignalWire, 400)] {
        let sim = Sim::start_serving(None, laml_conformance::spec::Profile::by_name(profile).unwrap())
            .await
            .unwrap();
        let conf = sim.arrange_conference(&["agent", "customer"]);
        let c = client(&sim, &conf, dialect);
        let (account, conference) = (&conf.credentials.project_id, &conf.conference_sid);
        let page = c
            .list_participants(
                account,
                conference,
                &[("PageSize", "1"), ("Page", "1"), ("PageToken", "PACPx")],
            )
            .await
            .unwrap();
        assert_eq!(page.status, status, "{profile}");
        if status == 200 {
            let page = page.json().unwrap();
            assert_eq!(page["participants"][0]["call_sid"], conf.participants[1].1.as_str());
        }
    }
}

/// A label with a space or a non-ASCII letter goes on the wire percent-encoded, and the curl
/// command of the exchange says the same URL: pasted, it sends what the harness sent.
#[tokio::test]
async fn the_reproduction_of_a_label_with_unsafe_characters_is_percent_encoded() {
    let (sim, conf) = setup().await;
    let c = client(&sim, &conf, Dialect::Twilio);
    for (label, encoded) in [("my label", "my%20label"), ("ünï", "%C3%BCn%C3%AF")] {
        let to = ParticipantRef {
            call_sid: label.to_string(),
            ..who(&conf, 0)
        };
        let x = c.retrieve_participant(&to).await.unwrap();
        let curl = x.curl();
        assert!(curl.contains(&format!("/Participants/{encoded}.json'")), "{curl}");
        assert!(!curl.contains(label), "{curl}");
    }
}
