//! The layers, one way, read from the source: a new `use` that reaches sideways or back, or
//! that closes a cycle, fails here with the files that made it.
//!
//! Each module uses (`crate::…`) only itself and the modules its row of `ALLOWED` names. The
//! library's modules (`src/library/`):
//! - spec: nothing
//! - credentials: nothing
//! - error: nothing
//! - exit: nothing
//! - failure: spec, client
//! - setup: credentials
//! - check: spec
//! - client: spec, credentials, error
//! - sim: spec, credentials, error, setup
//! - config: spec, credentials, setup
//! - baseline: spec, credentials, error, client, check
//! - target: spec, credentials, error, exit, setup, client, sim, config
//!
//! The binary's modules (`src/binary/`), each of which may use the whole library
//! (`laml_conformance::…`), and of the binary's own modules only these:
//! - child: nothing
//! - fail_fast: nothing
//! - features: nothing
//! - progress: nothing
//! - shard: nothing
//! - steps: nothing
//! - coverage: features
//! - report: child, fail_fast, shard
//! - explore: child, progress, steps
//! - commands: child, coverage, explore, fail_fast, features, progress, report, shard, steps
//!
//! Within a module folder (`src/library/sim/`, `src/binary/explore/`, …) the submodules use
//! each other (`super::…`, `crate::…`) without a cycle. A folder's `mod.rs` is left out of
//! that: it declares its submodules, and they may use what it holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each module may use (`crate::…`), besides itself: the library's, then the binary's.
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
    ("child", &[]),
    ("fail_fast", &[]),
    ("features", &[]),
    ("progress", &[]),
    ("shard", &[]),
    ("steps", &[]),
    ("coverage", &["features"]),
    ("report", &["child", "fail_fast", "shard"]),
    ("explore", &["child", "progress", "steps"]),
    (
        "commands",
        &[
            "child",
            "coverage",
            "explore",
            "fail_fast",
            "features",
            "progress",
            "report",
            "shard",
            "steps",
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

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file of both sides, as its path below `src/` (`library/sim/http.rs`) and its
/// text.
fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src.join("library"), &mut all);
    files(&src.join("binary"), &mut all);
    all.sort();
    all.into_iter()
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&f).unwrap())
        })
        .collect()
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
fn the_header_says_what_allowed_holds() {
    let text = include_str!("layers.rs");
    let said: Vec<(String, Vec<String>)> = text
        .lines()
        .filter_map(|l| l.strip_prefix("//! - "))
        .map(|row| {
            let (module, used) = row.split_once(": ").expect("a row reads `module: what it uses`");
            let used = match used {
                "nothing" => Vec::new(),
                _ => used.split(", ").map(str::to_string).collect(),
            };
            (module.to_string(), used)
        })
        .collect();
    let table: Vec<(String, Vec<String>)> = ALLOWED
        .iter()
        .map(|(m, used)| (m.to_string(), used.iter().map(|u| u.to_string()).collect()))
        .collect();
    assert_eq!(said, table, "the header and ALLOWED say different things");
}

#[test]
fn the_reader_of_uses_sees_every_crate_path() {
    let found = uses("use crate::spec::x;\nlet a = crate::sim::http::handle(); // crate::check");
    assert_eq!(found, ["check", "sim", "spec"].iter().map(|s| s.to_string()).collect());
}

/// A source file's side (`library` or `binary`) and its module path below the crate root
/// (`library/sim/http.rs` → `sim::http`, `binary/explore/mod.rs` → `explore`).
fn module_path(rel: &str) -> (String, Vec<String>) {
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    let side = parts.remove(0);
    let file = parts.pop().unwrap();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    (side, parts)
}

/// What the code of a file uses: its text without comment lines and without its test module.
fn code_of(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let next = lines[i + 1..].iter().map(|l| l.trim_start()).find(|l| !l.is_empty());
        if trimmed.starts_with("#[cfg(test)]") && next.is_some_and(|n| n.starts_with("mod ")) {
            break;
        }
        if !trimmed.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The paths a `use` tree (or a path in an expression) at the start of `text` names, and how
/// many bytes it took: `a::b::{c, d::e}` names `a::b::c` and `a::b::d::e`.
fn use_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut prefix: Vec<String> = Vec::new();
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'{') {
            i += 1;
            let mut all = Vec::new();
            loop {
                let (paths, used) = use_tree(&text[i..]);
                i += used;
                all.extend(paths.into_iter().map(|p| [prefix.clone(), p].concat()));
                while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace() || *b == b',') {
                    i += 1;
                }
                if bytes.get(i).is_none_or(|b| *b == b'}') || used == 0 {
                    return (all, i + 1);
                }
            }
        }
        let start = i;
        while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
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

/// Every module path the code of the module at `at` names through `crate::`, `super::` or
/// `self::`, made absolute (below the crate root).
fn references(code: &str, at: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for root in ["crate::", "super::", "self::"] {
        for (i, _) in code.match_indices(root) {
            let before = code[..i].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            for path in use_tree(&code[i..]).0 {
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

/// A folder (its side and module path) and one of its submodules.
type Node = (String, Vec<String>, String);

/// Which submodule of a folder uses which other submodule of the same folder, with the files
/// that do it.
fn sibling_uses(sources: &[(String, String)]) -> BTreeMap<(Node, String), BTreeSet<String>> {
    // the submodules (files and folders) of each folder
    let mut children: BTreeSet<(String, Vec<String>, String)> = BTreeSet::new();
    for (rel, _) in sources {
        let (side, at) = module_path(rel);
        for depth in 0..at.len() {
            children.insert((side.clone(), at[..depth].to_vec(), at[depth].clone()));
        }
    }
    let mut edges: BTreeMap<(Node, String), BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in sources {
        let (side, at) = module_path(rel);
        for used in references(&code_of(text), &at) {
            for depth in 0..at.len().min(used.len()) {
                let folder = &at[..depth];
                if used[..depth] != *folder || used[depth] == at[depth] {
                    continue;
                }
                if children.contains(&(side.clone(), folder.to_vec(), used[depth].clone())) {
                    let from = (side.clone(), folder.to_vec(), at[depth].clone());
                    edges
                        .entry((from, used[depth].clone()))
                        .or_default()
                        .insert(rel.clone());
                }
            }
        }
    }
    edges
}

/// Every cycle among the submodules of a folder, each as its modules in order and, for each
/// step, the files that make it.
fn cycles(edges: &BTreeMap<(Node, String), BTreeSet<String>>) -> Vec<String> {
    let next = |node: &Node| -> Vec<Node> {
        edges
            .keys()
            .filter(|(from, _)| from == node)
            .map(|(from, to)| (from.0.clone(), from.1.clone(), to.clone()))
            .collect()
    };
    let nodes: BTreeSet<Node> = edges.keys().map(|(from, _)| from.clone()).collect();
    let mut found = BTreeSet::new();
    // a depth-first walk from each node; a node met again on the path closes a cycle
    fn walk(
        path: &mut Vec<Node>,
        next: &dyn Fn(&Node) -> Vec<Node>,
        found: &mut BTreeSet<Vec<Node>>,
        done: &mut BTreeSet<Node>,
    ) {
        let here = path.last().unwrap().clone();
        for to in next(&here) {
            if let Some(start) = path.iter().position(|n| *n == to) {
                let mut cycle = path[start..].to_vec();
                let least = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap();
                cycle.rotate_left(least);
                found.insert(cycle);
            } else if !done.contains(&to) {
                path.push(to);
                walk(path, next, found, done);
                path.pop();
            }
        }
        done.insert(here);
    }
    let mut done = BTreeSet::new();
    for node in nodes {
        if !done.contains(&node) {
            walk(&mut vec![node], &next, &mut found, &mut done);
        }
    }
    found
        .into_iter()
        .map(|cycle| {
            let (side, folder) = (&cycle[0].0, cycle[0].1.join("/"));
            let steps: Vec<String> = cycle
                .iter()
                .zip(cycle.iter().cycle().skip(1))
                .map(|(a, b)| {
                    let by = &edges[&(a.clone(), b.2.clone())];
                    let by: Vec<&str> = by.iter().map(String::as_str).collect();
                    format!("{} uses {} ({})", a.2, b.2, by.join(", "))
                })
                .collect();
            format!("in src/{side}/{folder}: {}", steps.join("; "))
        })
        .collect()
}

#[test]
fn the_submodules_of_a_folder_use_each_other_without_a_cycle() {
    let edges = sibling_uses(&sources());
    assert!(
        edges
            .keys()
            .any(|((side, folder, _), _)| side == "library" && folder == &["sim"]),
        "the reader of uses found no use between sim's submodules"
    );
    let found = cycles(&edges);
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn a_cycle_is_found_with_the_files_that_make_it() {
    let file = |rel: &str, text: &str| (rel.to_string(), text.to_string());
    let sources = [
        file("library/sim/a.rs", "use super::b::{self, B};\n"),
        file(
            "library/sim/b.rs",
            "//! not crate::sim::a\nfn f() { crate::sim::c::go(); }\n",
        ),
        file("library/sim/c/mod.rs", "use super::a::A;\n"),
        file(
            "library/sim/d.rs",
            "use super::a;\n#[cfg(test)]\nmod tests {\n    use crate::sim::d::x;\n    use super::super::b;\n}\n",
        ),
        file("binary/explore/e.rs", "use crate::explore::{f::F, g};\n"),
        file("binary/explore/f.rs", "use super::e;\n"),
        file("binary/explore/g.rs", ""),
    ];
    assert_eq!(
        cycles(&sibling_uses(&sources)),
        [
            "in src/binary/explore: e uses f (binary/explore/e.rs); f uses e (binary/explore/f.rs)",
            "in src/library/sim: a uses b (library/sim/a.rs); b uses c (library/sim/b.rs); c uses a (library/sim/c/mod.rs)",
        ]
    );
}
