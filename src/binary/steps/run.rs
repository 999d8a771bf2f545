//! The one state a run shares among its scenarios: what it runs against (the target, the
//! profile, the baseline mode), fixed before the first scenario starts, and what its scenarios
//! tally for the end of the run (drifts, recording files, participants not restored), each
//! behind its own lock.
//!
//! cucumber builds each scenario's World with no argument, so what every scenario must see
//! lives in one process-wide value, set once by the run command before cucumber starts.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use laml_conformance::baseline::Mode;
use laml_conformance::spec::Profile;
use laml_conformance::target::Target;

/// The run of this process, once started.
static RUN: OnceLock<Run> = OnceLock::new();

/// One run of the suite.
#[derive(Debug)]
pub struct Run {
    /// Where the requests go.
    pub target: Target,
    /// The generation of the documentation this run judges by.
    pub profile: &'static Profile,
    /// Whether and where the run records or compares baselines.
    pub baseline: Option<Mode>,
    /// How many scenarios drifted from their baseline (or could not be recorded).
    drifted: AtomicUsize,
    /// The recording files written or compared: two scenarios that would share one (features
    /// of the same name in two folders, say) are an error, not one overwriting the other.
    files: Mutex<Vec<String>>,
    /// The participants (by name and call sid) that could not be restored: each is counted
    /// once, however many scenarios met it.
    not_restored: Mutex<BTreeSet<(String, String)>>,
}

/// A lock whose holder panicked still guards a tally worth reading.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Run {
    /// Makes this the run of the process; `Err` if a run was started already (a bug).
    pub fn start(target: Target, profile: &'static Profile, baseline: Option<Mode>) -> Result<(), String> {
        let run = Run {
            target,
            profile,
            baseline,
            drifted: AtomicUsize::new(0),
            files: Mutex::new(Vec::new()),
            not_restored: Mutex::new(BTreeSet::new()),
        };
        RUN.set(run)
            .map_err(|_| "the run was started twice; this is a bug of laml-conformance".to_string())
    }

    /// The run, once the run command started it.
    pub fn current() -> Option<&'static Run> {
        RUN.get()
    }

    /// Counts one scenario that drifted from its baseline.
    pub fn drifted_once(&self) {
        self.drifted.fetch_add(1, Ordering::SeqCst);
    }

    /// How many scenarios drifted from their baseline (or could not be recorded).
    pub fn drifted(&self) -> usize {
        self.drifted.load(Ordering::SeqCst)
    }

    /// Claims a recording file for one scenario; false if another scenario claimed it.
    pub fn claim_file(&self, file: &str) -> bool {
        let mut files = locked(&self.files);
        if files.iter().any(|f| f == file) {
            return false;
        }
        files.push(file.to_string());
        true
    }

    /// Keeps a participant that could not be restored.
    pub fn not_restorable(&self, name: &str, sid: &str) {
        locked(&self.not_restored).insert((name.to_string(), sid.to_string()));
    }

    /// The participants (name, call sid) that could not be restored so far.
    pub fn not_restored(&self) -> Vec<(String, String)> {
        locked(&self.not_restored).iter().cloned().collect()
    }

    /// Whether a participant could not be restored: the run stops after its scenario.
    pub fn restore_failed(&self) -> bool {
        !locked(&self.not_restored).is_empty()
    }
}
