//! Steps that arrange conferences, their participants, and the participants' starting state.

use cucumber::given;
use laml_conformance::client::ParticipantUpdate;
use laml_conformance::failure::Failure;
use laml_conformance::target::Need;

use super::ConformanceWorld;
use super::needs::tag_of;
use super::parameters::{Flag, Participant};

/// Fails when the target cannot arrange `need`: the scenario lacks the tag that would have
/// had it skipped there, which is the scenario's mistake, said as such.
pub(super) fn needs(world: &ConformanceWorld, need: Need) -> Result<(), Failure> {
    match world.run.target.cannot_arrange(&need) {
        None => Ok(()),
        Some(why) => Err(format!(
            "this scenario {why}; tag it {} so that such targets skip it",
            tag_of(&need)
        )
        .into()),
    }
}

/// Reads `"a", "b" and "c"` into names.
pub(super) fn names(list: &str) -> Vec<String> {
    list.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

#[given(regex = r#"^a conference with participants? ((?:"[^"]+"(?:, | and )?)+)$"#)]
async fn a_conference(world: &mut ConformanceWorld, list: String) -> Result<(), Failure> {
    let names = names(&list);
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let arranged = world
        .run
        .target
        .arrange_conference(&refs)
        .await
        .map_err(|e| e.to_string())?;
    world.add_conference(arranged).await
}

#[given(regex = r#"^another conference of the same account with participants? ((?:"[^"]+"(?:, | and )?)+)$"#)]
async fn another_conference(world: &mut ConformanceWorld, list: String) -> Result<(), Failure> {
    let names = names(&list);
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    needs(world, Need::AnotherConference)?;
    let first = world.conference()?;
    let arranged = world
        .run
        .target
        .arrange_another_conference(first, &refs)
        .await
        .map_err(|e| e.to_string())?;
    world.add_conference(arranged).await
}

#[given(expr = "the conference has completed")]
async fn completed(world: &mut ConformanceWorld) -> Result<(), Failure> {
    needs(world, Need::CompletedConference)?;
    world
        .run
        .target
        .complete_conference(world.conference()?)
        .await
        .map_err(|e| e.to_string())
        .map_err(Failure::from)
}

/// Arranges a starting state through the endpoint itself; if the target refuses, the scenario
/// cannot say anything about what follows, so the step fails and says why.
async fn arrange(world: &mut ConformanceWorld, name: &str, params: &[(&str, &str)], what: &str) -> Result<(), Failure> {
    let mut update = ParticipantUpdate::new();
    for (k, v) in params {
        update = update.param(*k, world.resolve(k, v)?);
    }
    world
        .update_ok(name, &update, &format!("the update arranging that {name:?} {what}"))
        .await
}

#[given(expr = "{participant} is {flag}")]
async fn flag_is(world: &mut ConformanceWorld, name: Participant, flag: Flag) -> Result<(), Failure> {
    let key = if flag.field == "muted" { "Muted" } else { "Hold" };
    let what = format!("has {} {}", flag.field, flag.set);
    arrange(world, &name.0, &[(key, if flag.set { "true" } else { "false" })], &what).await
}

#[given(expr = "{participant} is coaching {participant}")]
async fn is_coaching(world: &mut ConformanceWorld, name: Participant, coached: Participant) -> Result<(), Failure> {
    let (name, coached) = (name.0, coached.0);
    let what = format!("is coaching {coached:?}");
    arrange(
        world,
        &name,
        &[("Coaching", "true"), ("CallSidToCoach", &coached)],
        &what,
    )
    .await
}

#[given(regex = r#"^"([^"]+)" (ends|does not end) the conference when it leaves$"#)]
async fn ends_on_exit(world: &mut ConformanceWorld, name: String, ends: String) -> Result<(), Failure> {
    let value = if ends == "ends" { "true" } else { "false" };
    let what = format!("{ends} the conference when it leaves");
    arrange(world, &name, &[("EndConferenceOnExit", value)], &what).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_read_from_a_quoted_list() {
        assert_eq!(
            super::names(r#""agent", "customer" and "supervisor""#),
            ["agent", "customer", "supervisor"]
        );
        assert_eq!(super::names(r#""agent""#), ["agent"]);
    }
}
