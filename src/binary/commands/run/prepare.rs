//! What a run checks before its first scenario: its options, its settings, its reports and its
//! baseline, each refused with one sentence (exit 2) rather than a failure per scenario.

use laml_conformance::baseline::Mode;
use laml_conformance::config::{self, Settings};
use laml_conformance::target::Target;

use super::{Opts, RunOptions};

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

/// The URL of the embedded space a run tests, if it tests one.
pub fn embedded_url(target: &Target) -> Vec<String> {
    match target {
        Target::Embedded(_) => vec![target.base_url()],
        Target::Remote(_) => Vec::new(),
    }
}

/// For a run on the embedded space (or the shards of one, each on its own: `urls`), the note
/// every report puts beside its curl commands.
pub fn embedded_note(urls: &[String], fault: Option<&str>) -> Option<String> {
    let fault = fault.map_or(String::new(), |f| format!(" --fault {f}"));
    let space = match urls {
        [] => return None,
        [one] => format!("the embedded simulated space of this run ({one}), which is gone with it"),
        many => format!(
            "the embedded simulated spaces of the shards' runs ({}), which are gone with them",
            many.join(", ")
        ),
    };
    Some(format!(
        "The curl commands name {space}. To reproduce a failure, start `laml-conformance serve{fault}` and rerun the scenario with `--target <its URL> --name '^<its title>$'`: its failure then shows a curl command that works when pasted."
    ))
}
