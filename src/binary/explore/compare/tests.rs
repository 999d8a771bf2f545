use super::*;
use serde_json::json;

#[test]
fn nested_fields_differ_by_their_dotted_path() {
    let d = diff(
        &json!({"a": 1, "p": {"agent": {"muted": true}}, "gone": 1}),
        &json!({"a": 1, "p": {"agent": {"muted": false}}, "new": 2}),
    );
    let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["p.agent.muted", "gone", "new"]);
    assert!(d[1].is_missing());
    assert!(d[2].is_unexpected());
}

#[test]
fn a_refusal_against_a_success_is_said_in_brief() {
    let d = diff(
        &json!({"(HTTP status)": 400, "code": 16002, "message": Value::from(Placeholder::Message)}),
        &json!({"(HTTP status)": 200, "muted": false, "coaching": true, "call_sid_to_coach": sid_of("customer"), "uri": Value::from(Placeholder::OwnUri), "label": "[kept]"}),
    );
    assert_eq!(d.len(), 2);
    assert_eq!(d[1].expected, "code 16002");
    assert_eq!(
        d[1].actual, "muted false, coaching true, call_sid_to_coach \"[the sid of customer]\", label \"[kept]\"",
        "a placeholder is left out unless it names someone; a value in brackets that is none stays"
    );
}

#[test]
fn a_list_of_other_names_says_the_names() {
    let d = diff(
        &json!({"names": ["customer"], "page": 50, "participants": {"customer": {"muted": true}}}),
        &json!({"names": ["agent", "customer"], "page": 20, "participants": {"agent": {"muted": false}, "customer": {"muted": false}}}),
    );
    let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        ["names", "page", "participants.customer.muted"],
        "one listed on one side only is said by the names; a difference in one both list is not"
    );
}

#[test]
fn movement_names_each_date() {
    let a = json!({"date_created": "x", "date_updated": "y"});
    let b = json!({"date_created": "x", "date_updated": "z"});
    assert_eq!(movement(&a, &b), "date_created unchanged, date_updated moved");
}

#[test]
fn an_allowed_status_of_the_same_code_counts_as_the_first() {
    let signalwire = Profile::by_name("signalwire").unwrap();
    let body = |s: u16| json!({"code": 10000, "message": "m", "more_info": "https://x.y/z", "status": s});
    assert_eq!(
        error_fields(422, &body(422), signalwire),
        error_fields(400, &body(400), signalwire)
    );
    assert_ne!(
        error_fields(422, &body(422), Profile::seed()).0,
        error_fields(400, &body(400), Profile::seed()).0
    );
}

// What follows judges two sides whose sids differ (each a model arranged afresh): the path a
// target takes when the model cannot take its sids as its own (a live implementation whose ids
// look otherwise), where the views, not `alike`, decide. Against `serve` the model always takes
// its sids, so the suite and explore's own tests never reach these views.

use super::super::draw::{Generator, Limits};
use super::super::model::Model;
use super::super::ops::{Op, Plan, Val};
use std::collections::HashMap;

fn viewer<'a>(model: &'a Model, profile: &'static Profile) -> Viewer<'a> {
    Viewer {
        roster: &model.roster,
        dialect: profile.dialect(),
        profile,
        strangers_count: true,
    }
}

fn alone(profile: &'static Profile) -> Model {
    let plan = Plan {
        second: false,
        completed: false,
        ops: Vec::new(),
    };
    Model::arrange(profile, &plan)
}

fn answer(status: u16, content_type: Option<&str>, text: &str) -> Answer {
    Answer::read(status, content_type.map(str::to_string), text.to_string(), None)
}

/// Two sound sides, each on sids of its own, agree in every view over seeded campaigns of
/// every generation, judged as the lockstep judges (dates since last seen where nothing was
/// updated): a view that let a sid through as a sid, or read a success as a refusal, would
/// part them.
#[test]
fn two_sound_sides_with_sids_of_their_own_agree_in_every_view() {
    let limits = Limits {
        live: false,
        fresh: true,
        second: true,
        complete: true,
    };
    for name in ["seed", "signalwire", "twilio"] {
        let profile = Profile::by_name(name).unwrap();
        let mut draws = Generator::new(3, profile, limits);
        let (mut coached, mut refused) = (0, 0);
        for _ in 0..150 {
            let plan = draws.plan(30);
            let (mut a, mut b) = (Model::arrange(profile, &plan), Model::arrange(profile, &plan));
            assert_ne!(
                a.roster.at("agent").unwrap().call_sid,
                b.roster.at("agent").unwrap().call_sid
            );
            let mut seen: (HashMap<String, Value>, HashMap<String, Value>) = Default::default();
            for op in &plan.ops {
                let (x, y) = (a.apply(op), b.apply(op));
                let kind = match (op, op.who()) {
                    (Op::List { .. }, _) => Kind::List,
                    (_, who) => Kind::Participant(who.unwrap_or("")),
                };
                let updated = !matches!(op, Op::Retrieve { .. } | Op::List { .. }) && x.status == 200;
                let who = match kind {
                    Kind::Participant(who) if !updated => who,
                    _ => "",
                };
                let (va, vb) = (
                    view(&x, kind, &viewer(&a, profile), seen.0.get(who)),
                    view(&y, kind, &viewer(&b, profile), seen.1.get(who)),
                );
                let d = diff(&va, &vb);
                assert!(d.is_empty(), "{name}: {op:?}: {d:?}\n{va:#}\n{vb:#}");
                coached += usize::from(x.ok().is_some_and(|v| v["call_sid_to_coach"].is_string()));
                refused += usize::from(x.status >= 400);
                if let (Kind::Participant(who), (Some(vx), Some(vy))) = (kind, (x.ok(), y.ok())) {
                    seen.0.insert(who.to_string(), vx.clone());
                    seen.1.insert(who.to_string(), vy.clone());
                }
            }
        }
        assert!(
            coached > 0 && refused > 0,
            "{name}: {coached} coaching, {refused} refused"
        );
    }
}

/// The same sides, one of which did one thing the other did not: the views tell them apart
/// by the field that differs.
#[test]
fn a_side_that_did_otherwise_is_told_apart_by_the_field() {
    let profile = Profile::seed();
    let (mut a, mut b) = (alone(profile), alone(profile));
    let muting = Op::Update {
        who: "agent".into(),
        params: vec![("Muted".into(), Val::Text("true".into()))],
    };
    b.apply(&muting);
    let look = Op::Retrieve { who: "agent".into() };
    let (x, y) = (a.apply(&look), b.apply(&look));
    let kind = Kind::Participant("agent");
    let d = diff(
        &view(&x, kind, &viewer(&a, profile), None),
        &view(&y, kind, &viewer(&b, profile), None),
    );
    let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["muted"]);
}

/// A participant's view: whom by name, not by sid, and which dates moved since it was last seen.
#[test]
fn a_participant_s_view_names_whom_and_says_which_dates_moved() {
    let profile = Profile::seed();
    let mut a = alone(profile);
    let coach = Op::Update {
        who: "supervisor".into(),
        params: vec![
            ("Coaching".into(), Val::Text("true".into())),
            ("CallSidToCoach".into(), Val::Sid("agent".into())),
        ],
    };
    let before = a.apply(&Op::Retrieve {
        who: "supervisor".into(),
    });
    let after = a.apply(&coach);
    assert_eq!(after.status, 200, "{:?}", after.body);
    let v = view(
        &after,
        Kind::Participant("supervisor"),
        &viewer(&a, profile),
        before.ok(),
    );
    assert_eq!(v["(HTTP status)"], 200);
    let own = a.roster.at("supervisor").unwrap().call_sid;
    assert!(
        v["call_sid"]
            .as_str()
            .is_some_and(|s| s != own && Placeholder::parse(s).is_some())
    );
    assert_eq!(v["call_sid_to_coach"], sid_of("agent"));
    assert_eq!(v["coaching"], true);
    assert_eq!(v["(header Content-Type)"], wire::JSON);
    let moved = v["(dates since last seen)"].as_str().unwrap();
    assert!(moved.starts_with("date_created unchanged"), "{moved}");
    // an answer about the supervisor that shows the agent's call sid says whose it shows
    let mut wrong = after.ok().unwrap().clone();
    wrong["call_sid"] = Value::from(a.roster.at("agent").unwrap().call_sid);
    let shown = answer(200, Some(wire::JSON), &wrong.to_string());
    let v = view(&shown, Kind::Participant("supervisor"), &viewer(&a, profile), None);
    assert_eq!(v["call_sid"], sid_of("agent"));
}

/// A refusal's view is its error fields, the status an allowed one of its code stands for; a
/// body that is not JSON, or none, is said as such; a JSON media type is named whatever its
/// case or parameters, another as it came.
#[test]
fn refusals_and_bodies_that_are_no_json_have_views_of_their_own() {
    let profile = Profile::by_name("signalwire").unwrap();
    let a = alone(profile);
    let refusal = json!({"code": 10000, "message": "m", "more_info": "https://x.y/z", "status": 422});
    let v = view(
        &answer(422, Some("Application/JSON; charset=utf-8"), &refusal.to_string()),
        Kind::Participant("agent"),
        &viewer(&a, profile),
        None,
    );
    assert_eq!(
        (&v["(HTTP status)"], &v["code"], &v["status"]),
        (&json!(400), &json!(10000), &json!(400))
    );
    assert_eq!(v["(header Content-Type)"], wire::JSON);
    assert!(v.get("call_sid").is_none() && v.get("(dates since last seen)").is_none());
    let kind = Kind::Participant("agent");
    let empty = view(&answer(204, None, ""), kind, &viewer(&a, profile), None);
    assert_eq!(empty["(body)"], Value::from(Placeholder::EmptyBody));
    assert!(
        empty.get("(header Content-Type)").is_none(),
        "no body, no media type to judge"
    );
    let text = view(
        &answer(500, Some("text/plain"), "oops"),
        kind,
        &viewer(&a, profile),
        None,
    );
    assert_eq!(text["(body)"], Value::from(Placeholder::NotJson("oops".into())));
    assert_eq!(text["(header Content-Type)"], "text/plain");
    let bare = view(&answer(500, None, "oops"), kind, &viewer(&a, profile), None);
    assert_eq!(bare["(header Content-Type)"], Value::from(Placeholder::NoHeader));
}

/// A page's view counts the participants it lists that are no named one.
#[test]
fn a_list_s_view_counts_the_strangers_it_lists() {
    let profile = Profile::seed();
    let mut a = alone(profile);
    let listed = a.apply(&Op::List {
        filter: "Hold".into(),
        value: "false".into(),
    });
    let mut page = listed.ok().unwrap().clone();
    let stranger = json!({"call_sid": profile.fresh_id("CA"), "muted": false});
    page["participants"].as_array_mut().unwrap().push(stranger);
    let v = view(
        &answer(200, Some(wire::JSON), &page.to_string()),
        Kind::List,
        &viewer(&a, profile),
        None,
    );
    assert_eq!(v["listed participants that are no named one"], 1);
    assert_eq!(v["names"], json!(["agent", "customer", "supervisor"]), "{v:#}");
}
