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

// ---- draft: import cycles between sibling modules ----

/// A source file's module path below the crate root (`src/library/sim/http.rs` → `sim::http`,
/// `src/binary/explore/mod.rs` → `explore`), and which side of the crate it is on.
fn module_path(path: &Path, src: &Path) -> (String, Vec<String>) {
    let rel = path.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let side = parts.remove(0);
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    (side, parts)
}

/// The source without comments and without its `#[cfg(test)]` module: what the code uses.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every path a `use` tree (or an expression) starting at `text` names: `a::b::{c, d::e}` gives
/// `a::b::c` and `a::b::d::e`.
fn use_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut prefix: Vec<String> = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            i += 1;
            let mut all = Vec::new();
            loop {
                let (paths, used) = use_tree(&text[i..]);
                i += used;
                all.extend(paths.into_iter().map(|p| [prefix.clone(), p].concat()));
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    return (all, i + 1);
                }
            }
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i == start {
            return (vec![prefix], i);
        }
        prefix.push(text[start..i].to_string());
        if text[i..].starts_with("::") {
            i += 2;
        } else {
            return (vec![prefix], i);
        }
    }
}

/// Every module path `code` (of the module at `at`) names through `crate::`, `super::` or
/// `self::`, made absolute.
fn references(code: &str, at: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for root in ["crate::", "super::", "self::"] {
        for (i, _) in code.match_indices(root) {
            let before = code[..i].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let (paths, _) = use_tree(&code[i..]);
            for path in paths {
                let mut abs: Vec<String> = at.to_vec();
                let mut rest = path.as_slice();
                match rest.first().map(String::as_str) {
                    Some("crate") => {
                        abs.clear();
                        rest = &rest[1..];
                    }
                    Some("self") => rest = &rest[1..],
                    _ => {}
                }
                while rest.first().map(String::as_str) == Some("super") {
                    abs.pop();
                    rest = &rest[1..];
                }
                abs.extend(rest.iter().cloned());
                out.push(abs);
            }
        }
    }
    out
}

#[test]
fn draft_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src.join("library"), &mut all);
    files(&src.join("binary"), &mut all);
    // (side, folder) -> child -> child it uses, with the file
    let mut edges: std::collections::BTreeMap<(String, Vec<String>, String, String), Vec<String>> = Default::default();
    for file in &all {
        let (side, at) = module_path(file, &src);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for r in references(&code, &at) {
            for depth in 0..at.len() {
                let folder = &at[..depth];
                if r.len() > depth && r[..depth] == *folder && r[depth] != at[depth] {
                    let dir = src.join(&side).join(folder.join("/"));
                    let child = &r[depth];
                    if dir.join(format!("{child}.rs")).exists() || dir.join(child).is_dir() {
                        edges
                            .entry((side.clone(), folder.to_vec(), at[depth].clone(), child.clone()))
                            .or_default()
                            .push(file.strip_prefix(&src).unwrap().display().to_string());
                    }
                }
            }
        }
    }
    for ((side, folder, a, b), files) in &edges {
        if edges.contains_key(&(side.clone(), folder.clone(), b.clone(), a.clone())) {
            println!("{side}/{} : {a} <-> {b}  ({})", folder.join("/"), files.join(", "));
        }
    }
    for ((side, folder, a, b), _) in &edges {
        println!("EDGE {side}/{} : {a} -> {b}", folder.join("/"));
    }
}
