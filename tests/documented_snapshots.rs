//! Invariant 1: each committed snapshot is its documented example, normalised.
//!
//! If someone accepts an actual response as a snapshot, or edits one by hand, this fails: the
//! snapshots cannot drift from the documentation.

use laml_conformance::check::{error, shape, snapshot};
use laml_conformance::spec::{EXAMPLES, ErrorCode};

#[test]
fn every_documented_example_reproduces_its_snapshot() {
    for example in EXAMPLES {
        assert_committed(example.name);
        snapshot::assert_documented_snapshot(example, &shape::documented_shape(example));
    }
}

#[test]
fn every_documented_error_code_reproduces_its_snapshot() {
    for code in ErrorCode::ALL {
        assert_committed(&format!("error_{}", code.code()));
        snapshot::assert_error_snapshot(code, &error::documented_error_shape(code));
    }
}

#[test]
fn every_example_has_the_resource_fields_after_correction() {
    for example in EXAMPLES {
        let shape = shape::documented_shape(example);
        let keys: Vec<&str> = shape.as_object().unwrap().keys().map(String::as_str).collect();
        let fields: Vec<&str> = laml_conformance::spec::FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(
            keys, fields,
            "the corrected {} example is not the resource's thirteen fields",
            example.name
        );
    }
}

/// The snapshot file exists: without it the comparison would be skipped (see `check::snapshot`).
fn assert_committed(name: &str) {
    let file = std::path::Path::new(snapshot::SNAPSHOT_DIR).join(format!("{name}.snap"));
    assert!(
        file.is_file(),
        "{} is missing: snapshots are committed, reviewed files",
        file.display()
    );
}
