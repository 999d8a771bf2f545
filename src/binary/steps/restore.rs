//! Putting shared, live participants back as they were when a scenario began.
//!
//! Only on a target whose participants are configured (a live conference): there scenarios
//! share participants, so each one restores the muted, hold and coaching state it touched. A
//! restore that fails fails its scenario, stops the run before the next scenario starts (more
//! scenarios on a live conference whose state is no longer known would do more harm), and the
//! run ends with exit code 4.

use laml_conformance::failure::Failure;
use std::collections::BTreeSet;
use std::sync::Mutex;

use laml_conformance::client::ParticipantUpdate;
use serde_json::Value;

use super::ConformanceWorld;

/// The participants (by name and call sid) that could not be restored in this run: each is
/// counted once, however many scenarios met it.
pub static FAILED_RESTORES: Mutex<BTreeSet<(String, String)>> = Mutex::new(BTreeSet::new());

/// How many participants could not be restored so far.
pub fn failed_restores() -> usize {
    FAILED_RESTORES.lock().unwrap_or_else(|p| p.into_inner()).len()
}

/// The fields a scenario may change and a restore puts back.
const RESTORED: [&str; 4] = ["muted", "hold", "coaching", "call_sid_to_coach"];

impl ConformanceWorld {
    /// Restores every shared participant the scenario met; what could not be restored is the
    /// scenario's failure text, and is kept for the end of the run.
    pub async fn restore(&self) -> Option<String> {
        let mut failures = Vec::new();
        for (name, initial) in &self.initial {
            if let Err(e) = self.restore_one(name, initial).await {
                let sid = self.sid(name).unwrap_or_default();
                FAILED_RESTORES
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert((name.clone(), sid));
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
        let (_, now) = self.retrieve(name).await?;
        if RESTORED.iter().all(|k| now.get(k) == initial.get(k)) {
            return Ok(());
        }
        let flag = |k: &str| initial.get(k).and_then(Value::as_bool).unwrap_or(false).to_string();
        let mut update = ParticipantUpdate::new()
            .param("Muted", flag("muted"))
            .param("Hold", flag("hold"));
        update = match initial.get("call_sid_to_coach").and_then(Value::as_str) {
            Some(coached) if flag("coaching") == "true" => {
                update.param("Coaching", "true").param("CallSidToCoach", coached)
            }
            _ => update.param("Coaching", "false"),
        };
        self.update_ok(name, &update, "the restoring update").await?;
        let (_, after) = self.retrieve(name).await?;
        match RESTORED.iter().find(|k| after.get(**k) != initial.get(**k)) {
            None => Ok(()),
            Some(k) => Err(format!("{k} is {} after the restore, was {}", after[*k], initial[*k]).into()),
        }
    }
}
