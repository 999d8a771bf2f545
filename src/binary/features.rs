//! The features a run reads: those compiled into the binary, so an installed binary runs from
//! any folder with its source gone, or those of a folder (or one file) that `--features` names.
//!
//! This is the run's own cucumber parser. cucumber's `parser::Basic` expands a `Scenario
//! Outline` by cloning the whole outline, every `Examples` row included, once per row, which
//! makes a 1,000-row outline cost the square of its rows. Here each row is first split into a
//! one-row outline of its own (keeping the row's line, which names and tells the expanded
//! scenarios apart), and cucumber's expansion then clones one row per scenario: linear. A
//! feature that does not parse is reported with its file, line and column and what was
//! expected there.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cucumber::feature::Ext as _;
use cucumber::gherkin::{self, Feature, GherkinEnv, Scenario};
use cucumber::parser;

/// Every feature of the source tree, compiled in; `tests` checks the list is whole.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("announce.feature", include_str!("../../features/announce.feature")),
    ("auth.feature", include_str!("../../features/auth.feature")),
    ("barge.feature", include_str!("../../features/barge.feature")),
    ("coach.feature", include_str!("../../features/coach.feature")),
    ("errors.feature", include_str!("../../features/errors.feature")),
    ("exit.feature", include_str!("../../features/exit.feature")),
    ("hold.feature", include_str!("../../features/hold.feature")),
    ("label.feature", include_str!("../../features/label.feature")),
    ("list.feature", include_str!("../../features/list.feature")),
    ("monitor.feature", include_str!("../../features/monitor.feature")),
    ("mute.feature", include_str!("../../features/mute.feature")),
    ("remove.feature", include_str!("../../features/remove.feature")),
    ("update.feature", include_str!("../../features/update.feature")),
    ("wait.feature", include_str!("../../features/wait.feature")),
];

/// Where the features come from: a folder or a file, or the compiled-in ones where it is empty
/// (cucumber wants a path here).
pub type Source = PathBuf;

/// The run's parser: reads the features of a [`Source`], splits outlines row by row, expands.
#[derive(Debug, Default, Clone, Copy)]
pub struct Features;

impl cucumber::Parser<Source> for Features {
    type Cli = cucumber::cli::Empty;
    type Output = futures::stream::Iter<std::vec::IntoIter<parser::Result<Feature>>>;

    fn parse(self, input: Source, _: Self::Cli) -> Self::Output {
        let features: Vec<parser::Result<Feature>> = texts(&input)
            .into_iter()
            .map(|(file, text)| match text {
                Ok(text) => parse_text(&text, file),
                Err(source) => {
                    eprintln!(
                        "laml-conformance: cannot read {}: {source}; make it readable, or leave it out of --features",
                        file.display()
                    );
                    Err(parser::Error::Parsing(Arc::new(gherkin::ParseFileError::Reading {
                        path: file,
                        source,
                    })))
                }
            })
            .collect();
        futures::stream::iter(features)
    }
}

/// The compiled-in features' texts, by the path a run names them by (`features/<name>`).
pub fn embedded_texts() -> Vec<(PathBuf, String)> {
    texts(&Source::default())
        .into_iter()
        .filter_map(|(path, text)| Some((path, text.ok()?)))
        .collect()
}

/// Every feature file of a [`Source`] and its text (or why it could not be read), in the
/// order the run parses them; a sharded run keeps them as its plan, and `merge` parses them
/// again.
pub fn texts(input: &Source) -> Vec<(PathBuf, std::io::Result<String>)> {
    match Some(input).filter(|p| !p.as_os_str().is_empty()) {
        None => EMBEDDED
            .iter()
            .map(|(name, text)| (Path::new("features").join(name), Ok(text.to_string())))
            .collect(),
        Some(path) => files(path)
            .into_iter()
            .map(|file| {
                let text = std::fs::read_to_string(&file);
                (file, text)
            })
            .collect(),
    }
}

/// The `.feature` files under `path` (itself, if it is one), sorted, at any depth; each folder
/// is read once, so a link back up the tree cannot make the walk endless.
fn files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        if !seen.insert(folder.canonicalize().unwrap_or_else(|_| folder.clone())) {
            continue;
        }
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                folders.push(p);
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("feature")) {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

/// One feature, parsed and expanded, or why not, with where.
pub fn parse_text(text: &str, path: PathBuf) -> parser::Result<Feature> {
    if text.trim().is_empty() {
        // gherkin says "2:1, expected a step …" of an empty file
        eprintln!(
            "laml-conformance: {}: the file is empty; a feature file starts with `Feature: <its name>`, or remove it",
            path.display()
        );
        return Err(parser::Error::Parsing(Arc::new(gherkin::ParseFileError::Reading {
            path,
            source: std::io::Error::other("the file is empty"),
        })));
    }
    match Feature::parse(text, GherkinEnv::default()) {
        Ok(mut feature) => {
            feature.path = Some(path);
            split_outlines(&mut feature);
            feature
                .expand_examples()
                .map_err(|e| parser::Error::ExampleExpansion(Arc::new(e)))
        }
        Err(source) => {
            eprintln!("laml-conformance: {}", where_and_why(&path, &source, text));
            Err(parser::Error::Parsing(Arc::new(gherkin::ParseFileError::Parsing {
                path,
                error: None,
                source,
            })))
        }
    }
}

/// `file:line:column: …` and what the Gherkin parser expected there. gherkin keeps the position
/// and the expected tokens private; its message has both (`Error at L:C: {"tok", …}`).
fn where_and_why(path: &Path, error: &gherkin::ParseError, source: &str) -> String {
    let text = error.to_string();
    let rest = text.strip_prefix("Error at ").unwrap_or(&text);
    let (at, expected) = rest.split_once(": ").unwrap_or((rest, ""));
    // gherkin puts an unknown keyword at the end of its line (`Whenn` at 5:5 is said 5:22):
    // the column a writer looks at is the line's first word
    let at = match at.split_once(':').and_then(|(l, _)| l.parse::<usize>().ok()) {
        Some(line) if expected.contains("unknown keyword") => {
            let indent = source
                .lines()
                .nth(line.saturating_sub(1))
                .map_or(0, |l| l.chars().take_while(|c| c.is_whitespace()).count());
            format!("{line}:{}", indent + 1)
        }
        _ => at.to_string(),
    };
    let mut tokens: Vec<&str> = expected
        .trim_matches(|c| c == '{' || c == '}')
        .split(", ")
        .map(|t| t.trim_matches('"').trim_matches('\\').trim_matches('"'))
        .filter(|t| !t.trim().is_empty())
        .collect();
    tokens.sort_unstable();
    tokens.dedup();
    // gherkin names its tokens for its own grammar; say what a writer of features can act on.
    let has = |t: &str| tokens.contains(&t);
    let expected = if has("inconsistent table row sizes") {
        "every row of a table with as many cells as its header".to_string()
    } else if has("unknown keyword") {
        "a Gherkin keyword (Feature:, Rule:, Background:, Scenario:, Scenario Outline:, Examples:, Given, When, Then, And, But) at the start of a line; look for a misspelt one at or above this line".to_string()
    } else if tokens.is_empty() || has("_") {
        "a step, a table row of as many cells as its header, or a keyword; look at the lines just above".to_string()
    } else {
        format!("one of {}", tokens.join(", "))
    };
    format!(
        "{}:{at}: this Gherkin cannot be read; expected {expected}",
        path.display()
    )
}

/// The step of the compiled-in features nearest to `text` (a step's words after its keyword),
/// as `Keyword words` and `features/<file>:<line>`: what a misspelt step most likely meant.
pub fn nearest_step(text: &str) -> Option<(String, String)> {
    let mut best: Option<(usize, String, String)> = None;
    for (name, feature) in EMBEDDED {
        for (n, line) in feature.lines().enumerate() {
            let line = line.trim();
            let Some((keyword, words)) = line.split_once(' ') else {
                continue;
            };
            if !["Given", "When", "Then", "And", "But"].contains(&keyword) {
                continue;
            }
            let d = distance(text, words);
            if best.as_ref().is_none_or(|(b, _, _)| d < *b) {
                best = Some((d, line.to_string(), format!("features/{name}:{}", n + 1)));
            }
        }
    }
    // a suggestion further than half the text away is no suggestion
    best.filter(|(d, _, _)| *d * 2 <= text.chars().count())
        .map(|(_, line, at)| (line, at))
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

/// Every outline of the feature (and of its rules) becomes one outline per `Examples` row.
fn split_outlines(feature: &mut Feature) {
    feature.scenarios = split(std::mem::take(&mut feature.scenarios));
    for rule in &mut feature.rules {
        rule.scenarios = split(std::mem::take(&mut rule.scenarios));
    }
}

/// One outline per row of each `Examples` table: the scenario without its examples, cloned
/// once per row, with a one-row table whose position is moved down by the row's index, so the
/// expanded scenario keeps the line cucumber would have given it.
fn split(scenarios: Vec<Scenario>) -> Vec<Scenario> {
    let mut out = Vec::with_capacity(scenarios.len());
    for mut scenario in scenarios {
        if scenario.examples.is_empty() {
            out.push(scenario);
            continue;
        }
        let examples = std::mem::take(&mut scenario.examples);
        for mut block in examples {
            let Some(mut table) = block.table.take() else {
                continue;
            };
            let rows = std::mem::take(&mut table.rows);
            let Some((header, values)) = rows.split_first() else {
                continue;
            };
            for (i, row) in values.iter().enumerate() {
                let mut one = block.clone();
                one.position.line += i;
                one.table = Some(gherkin::Table {
                    rows: vec![header.clone(), row.clone()],
                    ..table.clone()
                });
                let mut outline = scenario.clone();
                outline.examples = vec![one];
                out.push(outline);
            }
        }
    }
    out
}

/// Writes the compiled-in features into `dir`, as a start for features of one's own; refuses
/// to overwrite a file that is there.
pub fn export(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create {}: {e}; choose a writable folder", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in EMBEDDED {
        let path = dir.join(name);
        if path.exists() {
            return Err(format!(
                "{} is there already; export into an empty folder, or move it away",
                path.display()
            ));
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_of_the_source_is_compiled_in_as_it_is() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
        let on_disk = files(&dir);
        let names: Vec<String> = on_disk
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        let embedded: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, embedded, "add the feature to EMBEDDED in src/binary/features.rs");
        for (path, (_, text)) in on_disk.iter().zip(EMBEDDED) {
            assert_eq!(&std::fs::read_to_string(path).unwrap(), text);
        }
    }

    #[test]
    fn an_outline_expands_as_cucumber_s_own_expansion_does() {
        let text = "Feature: f\n  Scenario Outline: o <a>\n    Given <a>\n\n    @t\n    Examples:\n      | a |\n      | 1 |\n      | 2 |\n\n    Examples:\n      | a |\n      | 3 |\n";
        let theirs = Feature::parse(text, GherkinEnv::default())
            .unwrap()
            .expand_examples()
            .unwrap();
        let ours = parse_text(text, PathBuf::from("f.feature")).unwrap();
        let summary = |f: &Feature| {
            f.scenarios
                .iter()
                .map(|s| {
                    (
                        s.name.clone(),
                        s.position,
                        s.tags.clone(),
                        s.steps[0].value.clone(),
                        s.examples.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(summary(&ours).len(), 3);
        assert_eq!(
            summary(&ours)
                .iter()
                .map(|s| (&s.0, s.1, &s.2, &s.3))
                .collect::<Vec<_>>(),
            summary(&theirs)
                .iter()
                .map(|s| (&s.0, s.1, &s.2, &s.3))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_folder_that_links_back_to_itself_is_read_once() {
        let dir = std::env::temp_dir().join(format!("laml-loop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.feature"), "Feature: a\n").unwrap();
        std::os::unix::fs::symlink(".", dir.join("l1")).unwrap();
        std::os::unix::fs::symlink(".", dir.join("l2")).unwrap();
        assert_eq!(files(&dir), [dir.join("a.feature")]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_undefined_step_is_matched_to_the_nearest_step_of_the_features() {
        let (line, at) = nearest_step("\"agent\" is updatd with no parameters").unwrap();
        assert_eq!(line, "When \"agent\" is updated with no parameters");
        assert!(at.starts_with("features/") && at.contains(".feature:"), "{at}");
        assert_eq!(
            nearest_step("something else entirely, nothing like a step of ours at all"),
            None
        );
    }

    #[test]
    fn a_misspelt_keyword_is_placed_at_its_word_and_an_empty_file_is_said_so() {
        let text = "Feature: x\n\n  Scenario: y\n    Given a conference with participants \"agent\"\n    Whenn \"agent\" is updated with no parameters\n";
        let e = Feature::parse(text, GherkinEnv::default()).unwrap_err();
        let said = where_and_why(Path::new("w.feature"), &e, text);
        assert!(said.starts_with("w.feature:5:5: "), "{said}");
        assert!(parse_text("  \n", PathBuf::from("e.feature")).is_err());
    }

    #[test]
    fn a_broken_feature_names_its_line() {
        let Err(parser::Error::Parsing(e)) = parse_text(
            "Feature: f\n  Scenario: s\n    Given x\n  | not a row\n",
            PathBuf::from("b.feature"),
        ) else {
            panic!("parsed")
        };
        let gherkin::ParseFileError::Parsing { source, .. } = e.as_ref() else {
            panic!("{e}")
        };
        let said = where_and_why(Path::new("b.feature"), source, "");
        assert!(said.starts_with("b.feature:5:1:"), "{said}");
        assert!(said.contains("cannot be read; expected a step"), "{said}");
    }
}
