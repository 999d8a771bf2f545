//! What a page `@cucumber/html-formatter` rendered shows, read from the DOM headless Chromium
//! dumps: each scenario (each row of an outline, which the page labels `#<examples>.<row>`)
//! under its feature, with the statuses of its steps.
//!
//! The page is read as text: Chromium dumps HTML, not XML. A scenario's heading is an `h2`
//! (an outline row's an `h3`) with an `id`, and each of its steps an `li` with `data-status`.

use std::path::Path;
use std::process::Command;

use regex::Regex;

/// One scenario on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// Its feature's name.
    pub feature: String,
    /// Its name as the page heads it (an outline's, placeholders kept).
    pub scenario: String,
    /// For a row of an outline, its label (`#1.2`).
    pub row: Option<String>,
    /// The statuses of its steps, in order.
    pub statuses: Vec<String>,
}

impl Shown {
    /// Its steps' severest status ([`super::verdicts::severest`]), or that the page shows none.
    pub fn verdict(&self) -> &'static str {
        if self.statuses.is_empty() {
            "no step shown"
        } else {
            super::verdicts::severest(&self.statuses)
        }
    }
}

/// The page at `html` as headless Chromium draws it (its DOM once its script ran), every
/// feature unfolded; `None`, said loudly, where Chromium is missing.
pub fn open(html: &Path) -> Option<String> {
    if Command::new("chromium").arg("--version").output().is_err() {
        eprintln!(
            "!!! messages: chromium is missing: the page @cucumber/html-formatter rendered is NOT opened (Debian: apt-get install chromium) !!!"
        );
        return None;
    }
    // The page folds the features whose scenarios all passed, as `hidden="until-found"`: the
    // browser's find-in-page unfolds them by sending `beforematch`, as this does for all.
    let page = std::fs::read_to_string(html).unwrap();
    let unfold = r#"<script>setTimeout(function(){document.querySelectorAll("[hidden=until-found]").forEach(function(p){p.dispatchEvent(new Event("beforematch",{bubbles:true}))})},1000)</script>"#;
    let end = page.rfind("</body>").expect("the page has a body");
    let unfolded = html.with_extension("unfolded.html");
    std::fs::write(&unfolded, format!("{}{unfold}{}", &page[..end], &page[end..])).unwrap();
    let o = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", unfolded.display()))
        .output()
        .expect("chromium runs");
    assert!(o.status.success(), "chromium: {}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// The text of some HTML, its tags taken out and its entities read.
fn text(html: &str) -> String {
    let tags = Regex::new(r"<[^>]*>").unwrap();
    tags.replace_all(html, "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every scenario the page shows, in order.
pub fn scenarios(dom: &str) -> Vec<Shown> {
    let scripts = Regex::new(r"(?s)<script.*?</script>|<style.*?</style>").unwrap();
    let dom = scripts.replace_all(dom, "");
    let marks = Regex::new(r#"(?s)<h([123]) id="[^"]*"[^>]*>(.*?)</h[123]>|<li data-status="([A-Z]+)""#).unwrap();
    let (mut out, mut feature, mut outline) = (Vec::new(), String::new(), String::new());
    let mut current: Option<Shown> = None;
    for m in marks.captures_iter(&dom) {
        if let Some(status) = m.get(3) {
            if let Some(c) = current.as_mut() {
                c.statuses.push(status.as_str().to_string());
            }
            continue;
        }
        let heading = text(&m[2]);
        let (keyword, name) = heading.split_once(": ").unwrap_or(("", heading.as_str()));
        out.extend(current.take());
        match (&m[1], keyword) {
            ("1", _) => feature = name.to_string(),
            ("2", "Scenario Outline" | "Scenario Template") => outline = name.to_string(),
            ("2", "Scenario" | "Example") => {
                current = Some(Shown {
                    feature: feature.clone(),
                    scenario: name.to_string(),
                    row: None,
                    statuses: Vec::new(),
                });
            }
            ("3", _) if heading.starts_with('#') => {
                current = Some(Shown {
                    feature: feature.clone(),
                    scenario: outline.clone(),
                    row: Some(heading.trim().to_string()),
                    statuses: Vec::new(),
                });
            }
            _ => {} // a background, an Examples block, a rule: their steps are no scenario's
        }
    }
    out.extend(current);
    out
}

/// The feature file of a report's `uri`, and for the outline row on `line`, the outline's name
/// and the label the page gives the row (`#<its Examples block>.<its row>`).
pub fn outline_row(uri: &str, line: u64) -> Option<(String, String)> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(uri)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(line).unwrap() - 1;
    if !lines[at].trim_start().starts_with('|') {
        return None;
    }
    let examples = (0..at)
        .rev()
        .find(|i| lines[*i].trim_start().starts_with("Examples:"))?;
    let outline = (0..examples)
        .rev()
        .find(|i| lines[*i].trim_start().starts_with("Scenario Outline:"))?;
    let block = (outline..=examples)
        .filter(|i| lines[*i].trim_start().starts_with("Examples:"))
        .count();
    let name = lines[outline]
        .trim_start()
        .trim_start_matches("Scenario Outline:")
        .trim();
    Some((name.to_string(), format!("#{block}.{}", at - examples - 1)))
}
