//! Reading the ledger: TOML through `toml`'s serde reader, every key known (an unknown one is
//! most likely a typo that would drop what it says), then each entry checked, every refusal one
//! sentence with the file and the line.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{Entry, Ledger, Lists};

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    known: Vec<Spanned<Written>>,
}

/// An entry as written, each key optional here so that a missing one is said in this
/// format's words.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    feature: Option<String>,
    scenario: Option<String>,
    tag: Option<String>,
    reason: Option<String>,
    link: Option<String>,
}

/// What to do, after a sentence that says what is wrong with a ledger.
const FIX: &str = "fix the ledger of known divergences (its format: README, \"Known divergences\")";

/// The text of the ledger at `path`.
pub fn text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read the ledger of known divergences {}: {e}; give a TOML file (`--record-known FILE` writes one from a run's failures)",
            path.display()
        )
    })
}

/// The ledger written in `text`, read from `file`.
pub fn parse(file: &str, text: &str) -> Result<Ledger, String> {
    let doc: Document = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        let said = e.message().lines().next().unwrap_or("not TOML").trim_end_matches('.');
        format!("{file}:{line}: {said}; {FIX}")
    })?;
    let mut entries: Vec<Entry> = Vec::with_capacity(doc.known.len());
    for written in doc.known {
        let at = format!("{file}:{}", line_of(text, written.span().start));
        let entry = entry(at, written.into_inner())?;
        if let Some(first) = entries.iter().find(|e| e.lists == entry.lists) {
            return Err(format!(
                "{}: this entry lists {} again, as the one at {} does; keep one of them",
                entry.at,
                entry.what(),
                first.at
            ));
        }
        entries.push(entry);
    }
    Ok(Ledger {
        file: file.to_string(),
        entries,
    })
}

/// One entry, checked: it lists a scenario or a tag, and says why.
fn entry(at: String, w: Written) -> Result<Entry, String> {
    let given = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let feature = given(w.feature).map(|f| f.trim_start_matches("./").to_string());
    let tag = given(w.tag)
        .map(|t| t.trim_start_matches('@').to_string())
        .filter(|t| !t.is_empty());
    let lists = match (feature, given(w.scenario), tag) {
        (None, None, None) => {
            return Err(format!(
                "{at}: this entry lists no scenario; give `feature` and `scenario` (as the reports name them), or `tag`"
            ));
        }
        (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
            return Err(format!(
                "{at}: this entry gives both a scenario and a tag; give `feature` and `scenario` for one scenario, or `tag` for every scenario with that tag, in an entry each"
            ));
        }
        (Some(_), None, None) | (None, Some(_), None) => {
            return Err(format!(
                "{at}: this entry gives only one of `feature` and `scenario`; give both: the feature file as the reports name it, and the scenario's name"
            ));
        }
        (Some(feature), Some(name), None) => Lists::Scenario { feature, name },
        (None, None, Some(tag)) => Lists::Tag(tag),
    };
    let link = match w.link {
        Some(link) if link.trim().is_empty() => {
            return Err(format!(
                "{at}: this entry's `link` is empty; give where the divergence is tracked, or leave `link` out"
            ));
        }
        link => link.map(|l| l.trim().to_string()),
    };
    let Some(reason) = given(w.reason) else {
        return Err(format!(
            "{at}: the entry for {} gives no reason; say why the target is expected to fail it (`reason = \"…\"`)",
            lists.what()
        ));
    };
    Ok(Entry {
        at,
        lists,
        reason,
        link,
    })
}

/// The line (from 1) of the byte at `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let upto = &text.as_bytes()[..offset.min(text.len())];
    upto.iter().filter(|&&b| b == b'\n').count() + 1
}
