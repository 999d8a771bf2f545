//! The layers of DESIGN.md, one way: each module of the library uses only the modules below it.
//! Read from the source, so a new `use` that reaches sideways or back fails here, with the
//! file that made it.
//!
//! spec ← credentials ← error, exit ← setup ← client, sim, check ← config ← target; the steps and
//! commands (in the binary) may use them all.

use std::collections::BTreeSet;
use std::path::Path;

/// What each module of the library may use (`crate::…`), besides itself.
const ALLOWED: &[(&str, &[&str])] = &[
    ("spec", &[]),
    ("credentials", &[]),
    ("error", &[]),
    ("exit", &[]),
    ("failure", &["spec", "client"]),
    ("setup", &["credentials"]),
    ("check", &["spec"]),
    ("client", &["spec", "credentials", "error"]),
    ("sim", &["spec", "credentials", "error", "setup"]),
    ("config", &["spec", "credentials", "setup"]),
    ("baseline", &["spec", "credentials", "error", "client", "check"]),
    (
        "target",
        &[
            "spec",
            "credentials",
            "error",
            "exit",
            "setup",
            "client",
            "sim",
            "config",
        ],
    ),
];

/// The module a source file belongs to: its first folder (or file) under `src/library/` or
/// `src/binary/`.
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let rel = rel
        .strip_prefix("library")
        .or_else(|_| rel.strip_prefix("binary"))
        .unwrap_or(rel);
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut checked = BTreeSet::new();
    let mut wrong = Vec::new();
    for file in all {
        let module = module_of(&file, &src);
        let Some((_, allowed)) = ALLOWED.iter().find(|(m, _)| *m == module) else {
            continue;
        };
        checked.insert(module.clone());
        let text = std::fs::read_to_string(&file).unwrap();
        for used in uses(&text) {
            if used != module && !allowed.contains(&used.as_str()) {
                wrong.push(format!("{} uses crate::{used}", file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers reached sideways or back:\n{}",
        wrong.join("\n")
    );
    let listed: BTreeSet<String> = ALLOWED.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(checked, listed, "a module of ALLOWED has no source file");
}

#[test]
fn the_reader_of_uses_sees_every_crate_path() {
    let found = uses("use crate::spec::x;\nlet a = crate::sim::http::handle(); // crate::check");
    assert_eq!(found, ["check", "sim", "spec"].iter().map(|s| s.to_string()).collect());
}
