//! Putting shared, live participants back as they were when a scenario began.
//!
//! Only on a target whose participants are configured (a live conference): there scenarios
//! share participants, so each one restores the muted, hold and coaching state it touched. A
//! restore that fails is printed and counted; the run then ends with exit code 4.

use std::sync::atomic::{AtomicUsize, Ordering};

use laml_conformance::client::ParticipantUpdate;
use serde_json::Value;

use super::ConformanceWorld;

/// How many restores failed in this run.
pub static FAILED_RESTORES: AtomicUsize = AtomicUsize::new(0);

/// The fields a scenario may change and a restore puts back.
const RESTORED: [&str; 4] = ["muted", "hold", "coaching", "call_sid_to_coach"];

impl ConformanceWorld {
    /// Restores every shared participant the scenario met; failures are reported, not hidden.
    pub async fn restore(&self) {
        for (name, initial) in &self.initial {
            if let Err(e) = self.restore_one(name, initial).await {
                FAILED_RESTORES.fetch_add(1, Ordering::SeqCst);
                eprintln!("laml-conformance: could not restore {name:?} to its state before the scenario: {e}");
            }
        }
    }

    async fn restore_one(&self, name: &str, initial: &Value) -> Result<(), String> {
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
            Some(k) => Err(format!("{k} is {} after the restore, was {}", after[*k], initial[*k])),
        }
    }
}
