//! What a run checks before its first scenario: its options, its settings, its reports and its
//! baseline, each refused with one sentence (exit 2) rather than a failure per scenario.

use std::path::PathBuf;

use laml_conformance::baseline::Mode;
use laml_conformance::config::{self, Settings};
use laml_conformance::target::Target;

use super::{Opts, RunOptions};
use crate::{features, report};

/// The options cucumber would take and then hang or fail on, refused first.
pub fn check_options(opts: &Opts) -> Result<(), String> {
    // cucumber starts no scenario at a concurrency of 0 and waits for one forever.
    if opts.runner.concurrency == Some(0) {
        return Err("--concurrency 0 would run no scenario and wait forever; give 1 or more, or leave it out".into());
    }
    if let Some(path) = opts.custom.features.as_ref().filter(|p| !p.exists()) {
        return Err(format!(
            "no features at {}; pass --features with a folder of .feature files, or leave it out to run the features compiled in",
            path.display()
        ));
    }
    Ok(())
}

/// The settings of the run, with the sentence on stderr that says how a conference setting
/// decided its mode, and where that setting came from.
pub fn settings(custom: &RunOptions) -> Result<Settings, String> {
    let settings = config::lookup()
        .and_then(|var| config::settings(&custom.target, &var))
        .map_err(|e| e.to_string())?;
    if let Some(note) = &settings.mode {
        let origin = |key: &str| {
            if std::env::var_os(key).is_some() {
                "the environment"
            } else {
                ".env"
            }
        };
        eprintln!("laml-conformance: {}", note.say(&origin));
    }
    Ok(settings)
}

/// The report files asked for, opened (so that one that cannot be written is said before the
/// run, not after it).
pub fn open_reports(custom: &RunOptions) -> Result<report::Requested, String> {
    report::Requested::open(report::Paths {
        junit: custom.junit.as_deref(),
        json: custom.json.as_deref(),
        html: custom.html.as_deref(),
        summary_md: custom.summary_md.as_deref(),
        github: std::env::var_os(report::GITHUB_STEP_SUMMARY)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        messages: (custom.messages.as_deref()).map(|p| (p, custom.features.is_none().then_some(features::EMBEDDED))),
    })
    .map_err(|e| e.to_string())
}

/// `--record DIR` or `--baseline DIR`, checked: a folder to record into, or one that holds a
/// recording to compare with.
pub fn baseline(custom: &RunOptions) -> Result<Option<Mode>, String> {
    match (&custom.record, &custom.baseline) {
        (Some(dir), _) => match std::fs::create_dir_all(dir) {
            Ok(()) => Ok(Some(Mode::Record(dir.clone()))),
            Err(e) => Err(format!(
                "cannot record into {}: {e}; choose a writable folder",
                dir.display()
            )),
        },
        (None, Some(dir)) if !dir.is_dir() => Err(format!(
            "there is no baseline at {}; record one first with --record {}",
            dir.display(),
            dir.display()
        )),
        // A folder without one recording would report every scenario as a drift.
        (None, Some(dir)) if !holds_recordings(dir) => Err(format!(
            "there is no baseline in {}: it holds no .snap recording; record one first with --record {}",
            dir.display(),
            dir.display()
        )),
        (None, Some(dir)) => Ok(Some(Mode::Baseline(dir.clone()))),
        (None, None) => Ok(None),
    }
}

/// Whether a folder holds at least one recording (`*.snap`) of `--record`.
fn holds_recordings(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "snap"))
    })
}

/// For a run on the embedded space, the note every report puts beside its curl commands.
pub fn embedded_note(target: &Target, fault: Option<&str>) -> Option<String> {
    let Target::Embedded(_) = target else { return None };
    let fault = fault.map_or(String::new(), |f| format!(" --fault {f}"));
    Some(format!(
        "The curl commands name the embedded simulated space of this run ({}), which is gone with it. To reproduce a failure, start `laml-conformance serve{fault}` and rerun the scenario with `--target <its URL> --name '^<its title>$'`: its failure then shows a curl command that works when pasted.",
        target.base_url()
    ))
}
