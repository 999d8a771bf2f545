//! A scenario's exchanges as a regression baseline (`--record DIR`, `--baseline DIR`): after
//! the scenario, its exchanges, normalised, are written into the folder or compared with what
//! is there (`laml_conformance::baseline`). A drift is printed with its field diff and counted;
//! the run then ends with exit 1.

use laml_conformance::failure::{Failure, Kind};

use cucumber::gherkin::{Feature, Scenario};
use laml_conformance::baseline::{self, Names};

use super::{ConformanceWorld, report};

impl ConformanceWorld {
    /// The ids of the scenario and the names a recording writes for them.
    fn names(&self) -> Names {
        let mut names = Names::default();
        for named in &self.participants {
            names.add(&named.at.call_sid, &named.name);
        }
        for (i, c) in self.conferences.iter().enumerate() {
            let nth = |what: &str| {
                if i == 0 {
                    what.to_string()
                } else {
                    format!("{what} {}", i + 1)
                }
            };
            names.add(&c.credentials.project_id, &nth("account"));
            names.add(&c.conference_sid, &nth("conference"));
        }
        names
    }

    /// Records the scenario's exchanges, or compares them with the baseline; a scenario that
    /// sent nothing (skipped) records nothing. Returns the drift (or why it could not be
    /// recorded) as the scenario's failure, of [`Kind::Drift`]: a drift is a failure in every
    /// report, with its field diff, not a line on stderr beside a green one.
    pub fn record(&self, feature: &Feature, scenario: &Scenario) -> Option<Failure> {
        let mode = self.run.baseline.as_ref()?;
        let exchanges = self.recorder.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if exchanges.is_empty() {
            return None;
        }
        let stem = feature
            .path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map_or_else(|| feature.name.clone(), |s| s.to_string_lossy().into_owned());
        let file = baseline::file_name(&stem, &scenario.name, scenario.position.line);
        let what = format!("{stem}: {}", scenario.name);
        if !self.run.claim_file(&file) {
            self.run.drifted_once();
            return Some(Failure::new(format!(
                "{what} would record to {file}, as another scenario does; give one of the features or scenarios another name"
            )));
        }
        let recording = baseline::recording(&exchanges, &self.names());
        let failure = match baseline::apply(mode, &file, &what, &recording) {
            Ok(None) => return None,
            Ok(Some(deviations)) => report(
                &format!("{what} drifted from its baseline ({file}; the new recording is {file}.new)"),
                &deviations,
            ),
            Err(e) => e.to_string().into(),
        };
        self.run.drifted_once();
        Some(failure.of_kind(Kind::Drift))
    }
}
