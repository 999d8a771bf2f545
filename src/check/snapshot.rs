//! Snapshots: the committed, reviewed form of each documented shape.
//!
//! One place sets where snapshots live and how they are named, so the test that proves each
//! snapshot reproduces its documented example and the steps that compare actual responses
//! with it read the same file.

use serde_json::Value;

use crate::spec::{DocumentedExample, ErrorCode};

/// The folder of the committed snapshots.
pub const SNAPSHOT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots");

/// Asserts that `normalised` equals the committed snapshot of the documented `example`.
///
/// Panics as insta does on a mismatch (after printing its diff); under `CI=true` nothing is
/// written, locally a `.snap.new` waits for `cargo insta review`.
pub fn assert_documented_snapshot(example: &DocumentedExample, normalised: &Value) {
    let (_, notes) = super::shape::corrected(example);
    let mut description = format!(
        "The documented example \"{}\" (src/spec/documented/{}.json), normalised.",
        example.title, example.name
    );
    for note in notes {
        description.push_str("\nCorrected: ");
        description.push_str(note);
    }
    assert_named_snapshot(example.name, description, normalised);
}

/// Asserts that a normalised error body equals the committed snapshot of the documented error
/// `code` (`error_<code>`), which is derived from the error table of SPEC.md section 4 (and,
/// for 20004, from the choice errors.feature explains).
pub fn assert_error_snapshot(code: ErrorCode, normalised: &Value) {
    let description = format!(
        "The documented error body {{code, message, more_info, status}} of code {} with HTTP status {}, normalised.",
        code.code(),
        code.http_status()
    );
    assert_named_snapshot(&format!("error_{}", code.code()), description, normalised);
}

/// Without the project's `snapshots/` folder (a binary copied or installed elsewhere), the
/// comparison with the compiled-in documented shape, which every caller makes first, is the
/// whole check: insta is skipped rather than failing every scenario for a missing file.
fn assert_named_snapshot(name: &str, description: String, normalised: &Value) {
    if !std::path::Path::new(SNAPSHOT_DIR).is_dir() {
        return;
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(SNAPSHOT_DIR);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(description);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_json_snapshot!(name, normalised));
}
