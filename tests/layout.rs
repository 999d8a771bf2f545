//! The layout shows the layers and stays readable: `src/` holds `lib.rs`, `main.rs` and the two
//! folders (`library/`, `binary/`; ARCHITECTURE.md), and no source file grows past 450 lines
//! unless it is a uniform catalogue, listed below with the reason. A file that grows past it
//! is split by what it holds (a module's tests in their own file, a concern in its own module).

mod common;

use std::path::Path;

/// The most lines a source file holds.
const MOST_LINES: usize = 450;

/// Files allowed past [`MOST_LINES`], with why.
const CATALOGUES: &[(&str, &str)] = &[(
    "src/library/sim/faults.rs",
    "the fault catalogue: one entry per fault, each its name, what it breaks and the scenarios that catch it",
)];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file of `src/` past `most` lines but the catalogues, as `path: N lines`.
fn too_long(most: usize) -> Vec<String> {
    common::rust_sources(&root().join("src"))
        .into_iter()
        .filter_map(|file| {
            let relative = file.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
            let lines = std::fs::read_to_string(&file).unwrap().lines().count();
            let catalogue = CATALOGUES.iter().any(|(c, _)| *c == relative);
            (lines > most && !catalogue).then(|| format!("{relative}: {lines} lines"))
        })
        .collect()
}

#[test]
fn no_source_file_but_a_catalogue_is_over_450_lines() {
    let found = too_long(MOST_LINES);
    assert!(found.is_empty(), "split these by what they hold: {found:#?}");
    for (catalogue, _) in CATALOGUES {
        let lines = std::fs::read_to_string(root().join(catalogue)).unwrap().lines().count();
        assert!(lines > MOST_LINES, "{catalogue} is short now: take it off CATALOGUES");
    }
}

#[test]
fn the_check_sees_a_long_file() {
    assert!(!too_long(100).is_empty(), "some file of src/ is over 100 lines");
}

#[test]
fn src_holds_lib_rs_main_rs_and_the_two_sides() {
    let mut entries: Vec<String> = std::fs::read_dir(root().join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["binary", "lib.rs", "library", "main.rs"]);
}
