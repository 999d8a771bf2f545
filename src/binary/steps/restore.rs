//! Putting shared, live participants back as they were when a scenario began.
//!
//! Only on a target whose participants are configured (a live conference): there scenarios
//! share participants, so each one restores the muted, hold and coaching state it touched. A
//! restore that fails fails its scenario, stops the run before the next scenario starts (more
//! scenarios on a live conference whose state is no longer known would do more harm), and the
//! run ends with exit code 4.

use laml_conformance::failure::Failure;

use laml_conformance::client::ParticipantUpdate;
use laml_conformance::spec::profile::Profile;
use serde_json::Value;

use super::ConformanceWorld;

/// The fields a scenario may change and a restore puts back.
const RESTORED: [&str; 4] = ["muted", "hold", "coaching", "call_sid_to_coach"];

/// The parameters that put a shared participant back to `state`, as it was read before: its
/// `Muted` and `Hold`, and whom it coached (`Coaching` with `CallSidToCoach`) or `Coaching`
/// false. The steps restore with it after each scenario, and `explore` after its run. Whom it
/// coaches is read under `profile`'s name for the field (Telnyx's `coaching_call_sid`).
pub fn restore_shared(state: &Value, profile: &Profile) -> Vec<(&'static str, String)> {
    let flag = |k: &str| state.get(k).and_then(Value::as_bool).unwrap_or(false);
    let mut params = vec![("Muted", flag("muted").to_string()), ("Hold", flag("hold").to_string())];
    match state.get(profile.name_of("call_sid_to_coach")).and_then(Value::as_str) {
        Some(coached) if flag("coaching") => {
            params.push(("Coaching", "true".into()));
            params.push(("CallSidToCoach", coached.into()));
        }
        _ => params.push(("Coaching", "false".into())),
    }
    params
}

impl ConformanceWorld {
    /// Restores every shared participant the scenario met; what could not be restored is the
    /// scenario's failure text, and is kept for the end of the run.
    pub async fn restore(&self) -> Option<String> {
        let mut failures = Vec::new();
        for (name, initial) in &self.initial {
            if let Err(e) = self.restore_one(name, initial).await {
                let sid = self.sid(name).unwrap_or_default();
                self.run.not_restorable(name, &sid);
                failures.push(format!(
                    "could not restore {name:?} to its state before the scenario: {e}"
                ));
            }
        }
        (!failures.is_empty()).then(|| {
            failures
                .push("the run stops here: no other scenario starts on a conference whose state is not known".into());
            failures.join("\n")
        })
    }

    async fn restore_one(&self, name: &str, initial: &Value) -> Result<(), Failure> {
        let profile = self.profile();
        let restored: Vec<&str> = RESTORED.iter().map(|k| profile.name_of(k)).collect();
        let (_, now) = self.retrieve(name).await?;
        if restored.iter().all(|k| now.get(k) == initial.get(k)) {
            return Ok(());
        }
        let update = restore_shared(initial, profile)
            .into_iter()
            .fold(ParticipantUpdate::new(), |u, (key, value)| u.param(key, value));
        self.update_ok(name, &update, "the restoring update").await?;
        let (_, after) = self.retrieve(name).await?;
        match restored.iter().find(|k| after.get(**k) != initial.get(**k)) {
            None => Ok(()),
            Some(k) => Err(format!("{k} is {} after the restore, was {}", after[*k], initial[*k]).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_shared_participant_is_put_back_flag_by_flag_and_to_whom_it_coached() {
        let coaching = json!({"muted": true, "hold": false, "coaching": true, "call_sid_to_coach": "CA1"});
        assert_eq!(
            restore_shared(&coaching, Profile::seed()),
            [
                ("Muted", "true".to_string()),
                ("Hold", "false".to_string()),
                ("Coaching", "true".to_string()),
                ("CallSidToCoach", "CA1".to_string()),
            ]
        );
        // a coach target left over without coaching is not restored as coaching
        let idle = json!({"muted": false, "hold": true, "coaching": false, "call_sid_to_coach": "CA1"});
        assert_eq!(
            restore_shared(&idle, Profile::seed()),
            [
                ("Muted", "false".to_string()),
                ("Hold", "true".to_string()),
                ("Coaching", "false".to_string()),
            ]
        );
    }
}
