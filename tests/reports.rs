//! The reports a person reads after a run: the HTML page (`--html`), the Markdown summary
//! (`--summary-md`, also appended to `$GITHUB_STEP_SUMMARY`) and the JUnit failures' bodies,
//! from real runs of the binary against the embedded space, healthy and broken on purpose, and
//! against `serve` with a sentinel token.
//!
//! The page is read as XML (it is written well-formed): a tag a feature or a server opened would
//! break the parse or show up among the elements; nothing on it may load a resource.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use serde_json::Value;

mod common;

use common::{Serve, run, text};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-reports-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("no report at {}: {e}", path.display()))
}

/// One element of a document: its name, its attributes, and all the text inside it.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

fn element(e: &BytesStart<'_>) -> Element {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attributes");
            let value = quick_xml::escape::unescape(std::str::from_utf8(&a.value).unwrap())
                .expect("attribute values escape only known entities")
                .into_owned();
            (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), value)
        })
        .collect();
    Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs,
        text: String::new(),
    }
}

/// HTML's elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
];

/// Every element of `xml`, in the order they close; panics where it is not well-formed (an end
/// tag that closes another element, one left open, CDATA in a page that never writes any). An
/// HTML void element (`<meta …>`) closes where it opens.
fn elements(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    // The end tags are matched here, where a void element is known to have none.
    reader.config_mut().check_end_names = false;
    let (mut open, mut done): (Vec<Element>, Vec<Element>) = (Vec::new(), Vec::new());
    let add = |open: &mut Vec<Element>, text: &str| {
        for e in open.iter_mut() {
            e.text.push_str(text);
        }
    };
    loop {
        match reader.read_event() {
            Err(e) => panic!("not well-formed at byte {}: {e}", reader.buffer_position()),
            Ok(Event::Eof) => break,
            // HTML's void elements have no end tag (`<meta …>`).
            Ok(Event::Start(e)) if VOID.contains(&&*String::from_utf8_lossy(e.name().as_ref())) => {
                done.push(element(&e))
            }
            Ok(Event::Start(e)) => open.push(element(&e)),
            Ok(Event::Empty(e)) => done.push(element(&e)),
            Ok(Event::End(e)) => {
                let closed = open.pop().expect("an end tag closes an open element");
                assert_eq!(closed.name.as_bytes(), e.name().as_ref(), "mismatched end tag");
                done.push(closed);
            }
            Ok(Event::Text(t)) => add(&mut open, &t.decode().unwrap()),
            Ok(Event::CData(t)) => add(&mut open, &t.decode().unwrap()),
            Ok(Event::GeneralRef(r)) => {
                let text = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&r.decode().unwrap())
                        .expect("only XML's predefined entities")
                        .to_string(),
                };
                add(&mut open, &text);
            }
            Ok(Event::DocType(_) | Event::Decl(_) | Event::Comment(_)) => {}
            Ok(other) => panic!("unexpected {other:?}"),
        }
    }
    let left: Vec<&str> = open.iter().map(|e| e.name.as_str()).collect();
    assert!(left.is_empty(), "elements left open: {left:?}");
    done
}

/// The elements the page is written with; anything else came from a feature or a server.
const TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "footer", "section", "h1", "h2", "p", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "span", "code", "ul", "ol", "li", "details", "summary",
    "div", "pre",
];

/// The page, read: well-formed, made of the page's own elements, loading nothing.
fn page(html: &str) -> Vec<Element> {
    assert!(html.starts_with("<!DOCTYPE html>\n"), "{}", &html[..80.min(html.len())]);
    let all = elements(html);
    let names: BTreeSet<&str> = all.iter().map(|e| e.name.as_str()).collect();
    let foreign: Vec<&&str> = names.iter().filter(|n| !TAGS.contains(n)).collect();
    assert!(foreign.is_empty(), "elements the page does not write: {foreign:?}");
    for e in &all {
        for (key, value) in &e.attrs {
            assert!(
                !matches!(key.as_str(), "src" | "srcset" | "action" | "formaction" | "background")
                    && !key.starts_with("on"),
                "<{} {key}=…> on the page",
                e.name
            );
            if key == "href" {
                assert!(value.starts_with('#'), "a link out of the page: {value}");
            }
        }
    }
    let style = all.iter().find(|e| e.name == "style").expect("inline CSS");
    assert!(
        !style.text.contains("url(") && !style.text.contains("@import"),
        "CSS that loads something"
    );
    let csp = all
        .iter()
        .find(|e| e.attr("http-equiv") == Some("Content-Security-Policy"));
    assert_eq!(
        csp.and_then(|e| e.attr("content")),
        Some("default-src 'none'; style-src 'unsafe-inline'")
    );
    all
}

/// Each scenario block of the page: its verdict and the line that names it (its `<summary>`;
/// the page's only summaries are its scenarios', and neither nests, so they pair in order).
fn scenarios(page: &[Element]) -> Vec<(String, String)> {
    let summaries = page.iter().filter(|e| e.name == "summary");
    page.iter()
        .filter(|e| e.name == "details")
        .zip(summaries)
        .map(|(e, summary)| {
            let class = e.attr("class").unwrap().trim_start_matches("scenario ").to_string();
            (class, summary.text.clone())
        })
        .collect()
}

/// The page's header: its verdict (the headline's class) and what it says a term is (the `dd`
/// after the `dt` of that text).
fn header<'a>(page: &'a [Element], term: &str) -> (&'a str, &'a str) {
    let verdict = page
        .iter()
        .find_map(|e| e.attr("class").and_then(|c| c.strip_prefix("verdict ")))
        .expect("a verdict");
    let at = page.iter().position(|e| e.name == "dt" && e.text == term).expect(term);
    let said = page[at..]
        .iter()
        .find(|e| e.name == "dd")
        .map_or("", |e| e.text.as_str());
    (verdict, said)
}

/// The texts of the page's elements of this name and class.
fn texts<'a>(page: &'a [Element], name: &str, class: &str) -> Vec<&'a str> {
    page.iter()
        .filter(|e| e.name == name && e.attr("class") == Some(class))
        .map(|e| e.text.as_str())
        .collect()
}

/// Each scenario of a Cucumber JSON report with its verdict, as the page names verdicts.
fn verdicts(report: &Value) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for feature in report.as_array().unwrap() {
        for element in feature["elements"].as_array().unwrap() {
            if element["type"] == "background" {
                continue;
            }
            let statuses: Vec<&str> = element["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["result"]["status"].as_str().unwrap())
                .collect();
            let verdict = if statuses.iter().any(|s| !matches!(*s, "passed" | "skipped")) {
                "failed"
            } else if statuses.contains(&"skipped") {
                "skipped"
            } else {
                "passed"
            };
            out.push((element["name"].as_str().unwrap().to_string(), verdict));
        }
    }
    out
}

/// Every scenario of the JSON report is on the page once, with the same verdict.
fn assert_every_scenario_named(page: &[Element], report: &Value) {
    let mut shown = scenarios(page);
    let expected = verdicts(report);
    assert_eq!(shown.len(), expected.len(), "{shown:#?}");
    for (name, verdict) in expected {
        let at = shown
            .iter()
            .position(|(v, line)| v == verdict && line.contains(&format!(": {name} ")))
            .unwrap_or_else(|| panic!("{name:?} is not on the page as {verdict}: {shown:#?}"));
        shown.remove(at);
    }
}

/// The text of each `<failure>` of a JUnit report.
fn junit_failures(xml: &str) -> Vec<String> {
    elements(xml)
        .into_iter()
        .filter(|e| e.name == "failure")
        .map(|e| e.text)
        .collect()
}

struct Reports {
    html: PathBuf,
    md: PathBuf,
    junit: PathBuf,
    json: PathBuf,
    github: PathBuf,
}

impl Reports {
    fn in_dir(dir: &Path) -> Reports {
        Reports {
            html: dir.join("report.html"),
            md: dir.join("summary.md"),
            junit: dir.join("report.xml"),
            json: dir.join("report.json"),
            github: dir.join("github-step-summary.md"),
        }
    }

    /// `args` and the flags of every report.
    fn args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = args.to_vec();
        for (flag, path) in [
            ("--html", &self.html),
            ("--summary-md", &self.md),
            ("--junit", &self.junit),
            ("--json", &self.json),
        ] {
            all.extend([flag, path.to_str().unwrap()]);
        }
        all
    }

    fn github_env(&self) -> (String, String) {
        ("GITHUB_STEP_SUMMARY".into(), self.github.display().to_string())
    }
}

#[test]
fn a_failing_run_shows_every_scenario_and_the_field_diff_in_every_report() {
    let dir = temp_dir("failing");
    let r = Reports::in_dir(&dir);
    std::fs::write(&r.github, "an earlier step's summary\n").unwrap();
    let o = run(&r.args(&["--fault", "ignore-muted"]), &[r.github_env()], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let report: Value = serde_json::from_str(&read(&r.json)).unwrap();
    let html = read(&r.html);
    let page = page(&html);
    assert_every_scenario_named(&page, &report);

    let diff = "muted\n    expected: <true> (boolean)\n    actual:   <false> (boolean)";
    let failures = texts(&page, "pre", "failure");
    assert_eq!(
        failures.len(),
        verdicts(&report).iter().filter(|(_, v)| *v == "failed").count()
    );
    assert!(
        failures
            .iter()
            .all(|f| f.contains("expected: ") && f.contains("actual:   ")),
        "{failures:#?}"
    );
    assert!(failures.iter().any(|f| f.contains(diff)), "{failures:#?}");
    assert!(
        failures
            .iter()
            .any(|f| f.contains("request:  curl -X POST 'http://127.0.0.1:")),
        "the exchange is shown as the console shows it"
    );
    let profile = page.iter().find(|e| e.name == "dd" && e.text.starts_with("seed"));
    assert!(profile.is_some(), "the page names the profile");
    assert!(html.contains("<code>ignore-muted</code>"), "the page names the fault");

    let verdicts = verdicts(&report);
    let failed = verdicts.iter().filter(|(_, v)| *v == "failed").count();
    let skipped = verdicts.iter().filter(|(_, v)| *v == "skipped").count();
    let passed = verdicts.len() - failed - skipped;
    assert_eq!(
        header(&page, "Scenarios"),
        (
            "failed",
            format!("{passed} passed, {failed} failed, {skipped} skipped").as_str()
        )
    );
    let (_, finished) = header(&page, "Finished");
    let (day, time) = finished.get(..19).and_then(|t| t.split_once(' ')).unwrap_or_default();
    let digits = |s: &str, sep: char| {
        s.split(sep)
            .all(|n| n.len() >= 2 && n.bytes().all(|b| b.is_ascii_digit()))
    };
    assert!(
        digits(day, '-') && digits(time, ':') && finished[19..].starts_with(" UTC"),
        "finished at a UTC time: {finished}"
    );
    // The header's step counts are the steps' own statuses, and a failure is said at the step
    // that failed: a `Then` (or its `And`), never the `Given` or `When` before it.
    let steps: Vec<&Value> = report
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["elements"].as_array().unwrap())
        .flat_map(|e| e["steps"].as_array().unwrap())
        .collect();
    let status = |s: &str| steps.iter().filter(|st| st["result"]["status"] == s).count();
    assert_eq!(
        header(&page, "Steps").1,
        format!(
            "{} passed, {} failed, {} skipped",
            status("passed"),
            status("failed"),
            status("skipped")
        )
    );
    let failed_at: BTreeSet<&str> = steps
        .iter()
        .filter(|st| st["result"]["status"] == "failed")
        .map(|st| st["keyword"].as_str().unwrap().trim())
        .collect();
    assert!(failed_at.iter().all(|k| ["Then", "And"].contains(k)), "{failed_at:?}");
    let paths = texts(&page, "span", "path");
    assert!(
        paths.contains(&"features/mute.feature"),
        "the feature's path: {paths:?}"
    );
    let listed = page.iter().filter(|e| e.name == "li" && e.text.contains("· ")).count();
    assert_eq!(listed, failed, "each failed scenario in the list of failed ones");
    // The Cucumber JSON as cucumber writes it: a scenario's background first, then the scenario
    // with its after hooks (the run has no before hooks), a passed one as passed.
    let mute = report
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["uri"] == "features/mute.feature")
        .expect("mute.feature reported");
    let elements = mute["elements"].as_array().unwrap();
    let kinds: Vec<&str> = elements.iter().take(4).map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["background", "scenario", "background", "scenario"]);
    for scenario in elements.iter().filter(|e| e["type"] == "scenario") {
        assert!(scenario.get("before").is_none(), "{scenario}");
        let after = scenario["after"].as_array().expect("its after hook");
        assert!(after.iter().all(|h| h["result"]["status"] == "passed"), "{scenario}");
        assert!(!scenario["steps"].as_array().unwrap().is_empty(), "{scenario}");
    }
    let durations = elements.iter().flat_map(|e| e["steps"].as_array().unwrap());
    assert!(
        durations
            .filter_map(|s| s["result"]["duration"].as_u64())
            .any(|d| d > 0),
        "the steps' durations, in nanoseconds"
    );
    let md = read(&r.md);
    let skipped_text = if skipped > 0 {
        format!(", {skipped} skipped")
    } else {
        String::new()
    };
    assert!(
        md.starts_with(&format!(
            "## ❌ LaML conformance: {failed} of {} scenarios failed{skipped_text}\n",
            verdicts.len()
        )),
        "{md}"
    );
    assert!(
        md.contains(&format!("| **Total** | **{passed}** | **{failed}** | **{skipped}** |")),
        "{md}"
    );
    assert!(
        md.contains("- **Mute a participant (documented example \"Mute a Participant\")**"),
        "{md}"
    );
    assert!(md.contains(&format!("  ```text\n  the response differs from the documented \"mute\" example (Mute a Participant): 1 field(s) differ\n    {}", diff.replace('\n', "\n  "))), "{md}");
    assert_eq!(
        read(&r.github),
        format!("an earlier step's summary\n{md}\n"),
        "appended to $GITHUB_STEP_SUMMARY"
    );

    let junit = junit_failures(&read(&r.junit));
    assert_eq!(junit.len(), failed);
    assert!(junit.iter().all(|f| f.contains("request:  curl")), "{junit:#?}");
    assert!(junit.iter().any(|f| f.contains(diff)), "{junit:#?}");

    // A failing step is said in plain words everywhere, never as cucumber's "panic".
    let console = String::from_utf8_lossy(&o.stdout);
    assert!(
        console.contains("Step failed: the response differs from the documented \"mute\" example"),
        "{console}"
    );
    for (what, said) in [
        ("console", console.to_string()),
        ("HTML", html),
        ("Markdown", md),
        ("JUnit", read(&r.junit)),
        ("JSON", read(&r.json)),
    ] {
        for jargon in ["panicked", "Panicked", "Captured output"] {
            assert!(!said.contains(jargon), "the {what} report says {jargon:?}:\n{said}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_healthy_run_shows_every_scenario_passed() {
    let dir = temp_dir("healthy");
    let r = Reports::in_dir(&dir);
    let o = run(&r.args(&[]), &[r.github_env()], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let report: Value = serde_json::from_str(&read(&r.json)).unwrap();
    let html = read(&r.html);
    let page = page(&html);
    assert_every_scenario_named(&page, &report);
    assert_eq!(header(&page, "Scenarios").0, "passed");
    // Under the seed, only what another generation documents is skipped, with that reason.
    let other_generations: Vec<String> = report
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["elements"].as_array().into_iter().flatten())
        .filter(|e| {
            e["steps"].as_array().into_iter().flatten().any(|s| {
                s["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("the seed profile documents otherwise"))
            })
        })
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect();
    assert!(!other_generations.is_empty());
    assert!(
        scenarios(&page).iter().all(|(v, name)| v == "passed"
            || (v == "skipped" && other_generations.iter().any(|n| name.contains(n.as_str())))),
        "{:#?}",
        scenarios(&page)
    );
    assert!(texts(&page, "pre", "failure").is_empty());
    let verdicts = verdicts(&report);
    let n = verdicts.len();
    let skipped = verdicts.iter().filter(|(_, v)| *v == "skipped").count();
    let passed = n - skipped;
    let md = read(&r.md);
    assert!(
        md.starts_with(&format!(
            "## ✅ LaML conformance: {passed} of {n} scenarios passed, {skipped} skipped\n"
        )),
        "{md}"
    );
    assert!(!md.contains("Failed scenarios"), "{md}");
    let junit = read(&r.junit);
    assert!(junit_failures(&junit).is_empty());
    assert!(
        !junit.contains(" name=\"Errors\""),
        "no suite of parse errors without one"
    );
    assert_eq!(
        junit.matches("<system-out>").count(),
        junit.matches("<testcase ").count(),
        "every scenario's steps, passed ones too, in its system-out"
    );
    assert!(
        junit.contains("✔> Given a conference with participants") && junit.contains("\n       | Muted | true |"),
        "a step of a background, and a data table, as the console lists them"
    );
    assert!(skipped > 0);
    assert_eq!(
        junit.matches("<skipped").count(),
        skipped,
        "each skipped scenario, and no other, skipped"
    );
    assert!(
        !md.contains("To reproduce a failure"),
        "no reproduction note without a failure: {md}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn markup_in_a_feature_and_in_a_failure_reaches_the_reports_as_text() {
    let dir = temp_dir("hostile");
    let r = Reports::in_dir(&dir);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile.feature");
    let o = run(&r.args(&["--features", fixture.to_str().unwrap()]), &[], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let html = read(&r.html);
    let page = page(&html);
    let heading = page
        .iter()
        .find(|e| e.name == "h2" && e.text.starts_with("Feature:"))
        .unwrap();
    assert!(
        heading
            .text
            .contains("Markup <script>alert(\"feature\")</script> in a feature & its scenarios")
    );
    let shown = scenarios(&page);
    assert_eq!(shown.len(), 1);
    assert!(
        shown[0]
            .1
            .contains("</pre><img src=\"http://example.invalid/x.png\"> | `tick`"),
        "{shown:?}"
    );
    let failures = texts(&page, "pre", "failure");
    assert!(
        failures[0].contains("no participant is named \"<script>alert('step')</script>\" in this scenario"),
        "{failures:?}"
    );
    for raw in ["<script>", "<img"] {
        assert!(!html.contains(raw), "{raw} reached the page as markup");
    }
    let md = read(&r.md);
    assert!(
        md.contains("\\</pre\\>\\<img src=\"http://example.invalid/x.png\"\\> \\| \\`tick\\`"),
        "{md}"
    );
    assert!(!md.contains("<script>alert(\"feature\")"), "{md}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn against_serve_the_reports_give_skipped_scenarios_their_reason_and_no_token() {
    const SENTINEL: &str = "sentinel-token-report-7d2a";
    let project = ("LAML_PROJECT_ID", "sentinel-project");
    let serve = Serve::start_with(&["--fault", "ignore-muted"], &[project, ("LAML_API_TOKEN", SENTINEL)]);
    let mut env = serve.env.clone();
    env.retain(|(k, _)| k != "LAML_API_TOKEN" && k != "LAML_PROJECT_ID");
    env.push((project.0.into(), project.1.into()));
    env.push(("LAML_API_TOKEN".into(), SENTINEL.into()));
    let dir = temp_dir("serve");
    let r = Reports::in_dir(&dir);
    env.push(r.github_env());
    let conference = serve.conference();
    let args = ["--target", &serve.base, "--conference", &conference, "-vv"];
    let o = run(&r.args(&args), &env, &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let html = read(&r.html);
    let page = page(&html);
    assert_every_scenario_named(&page, &serde_json::from_str(&read(&r.json)).unwrap());
    let shown = scenarios(&page);
    for verdict in ["passed", "failed", "skipped"] {
        assert!(
            shown.iter().any(|(v, _)| v == verdict),
            "no {verdict} scenario: {shown:#?}"
        );
    }
    let reasons = texts(&page, "span", "reason");
    assert_eq!(reasons.len(), shown.iter().filter(|(v, _)| v == "skipped").count());
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("Skipped: this scenario cannot run on this target: it is not tagged @live-safe")),
        "{reasons:#?}"
    );
    assert!(html.contains(&serve.base), "the page names the target");
    for path in [&r.html, &r.md, &r.junit, &r.github] {
        assert!(!read(path).contains(SENTINEL), "the token is in {}", path.display());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unwritable_report_path_exits_2_before_the_run() {
    let dir = temp_dir("unwritable");
    for (flag, what) in [("--html", "HTML"), ("--summary-md", "Markdown summary")] {
        let o = run(&[flag, "/no/such/folder/report"], &[], &dir);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(&format!("cannot write the {what} report to /no/such/folder/report"))
                && err.contains("choose a writable path"),
            "{err}"
        );
        assert!(o.stdout.is_empty(), "the run started: {}", text(&o));
    }
    let md = dir.join("summary.md");
    let github = ("GITHUB_STEP_SUMMARY".to_string(), "/no/such/folder/summary".to_string());
    let o = run(
        &["--summary-md", md.to_str().unwrap()],
        std::slice::from_ref(&github),
        &dir,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("unset GITHUB_STEP_SUMMARY"),
        "{}",
        text(&o)
    );
    // Without --summary-md, $GITHUB_STEP_SUMMARY is not the run's to write.
    let o = run(&["--tags", "@mute"], &[github], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// XML readers turn a `message` attribute's newlines into spaces; each `<failure>` has the whole
/// text as its body, and its first line as its message.
#[test]
fn a_junit_failure_carries_the_whole_deviation_in_its_body() {
    let dir = temp_dir("junit");
    let junit = dir.join("report.xml");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/failing.feature");
    let o = run(
        &[
            "--features",
            fixture.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
        &[],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let all = elements(&read(&junit));
    let failures: Vec<&Element> = all.iter().filter(|e| e.name == "failure").collect();
    assert_eq!(failures.len(), 1, "{failures:#?}");
    let first = "Step failed: the response differs from the documented \"mute\" example (Mute a Participant): 1 field(s) differ";
    assert_eq!(failures[0].attr("message"), Some(first));
    assert_eq!(
        failures[0].attr("type"),
        Some("Step Failed"),
        "cucumber's \"Step Panicked\" in plain words"
    );
    let body = &failures[0].text;
    assert!(
        body.starts_with(&format!(
            "{first}\n  muted\n    expected: <true> (boolean)\n    actual:   <false> (boolean)\n\nrequest:  curl -X POST '"
        )),
        "{body}"
    );
    assert!(body.contains("\nresponse: 200 after "), "{body}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `--summary-md "$GITHUB_STEP_SUMMARY"` appends the summary once, after what earlier steps wrote.
#[test]
fn a_summary_written_to_the_github_summary_itself_is_appended_once() {
    let dir = temp_dir("github-same");
    let github = dir.join("step-summary.md");
    let path = github.display().to_string();
    // the same file however --summary-md spells it
    for summary_md in [path.as_str(), "step-summary.md", "./step-summary.md"] {
        std::fs::write(&github, "an earlier step's summary\n").unwrap();
        let o = run(
            &["--tags", "@mute", "--summary-md", summary_md],
            &[("GITHUB_STEP_SUMMARY".into(), path.clone())],
            &dir,
        );
        assert_eq!(o.status.code(), Some(0), "{summary_md}: {}", text(&o));
        let written = read(&github);
        assert!(
            written.starts_with("an earlier step's summary\n## ✅ LaML conformance: "),
            "{summary_md}: {written}"
        );
        assert_eq!(
            written.matches("LaML conformance").count(),
            1,
            "{summary_md}: {written}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The curl commands of a run on the embedded space name a port that is gone with the run:
/// every report that shows them says how to reproduce instead, beside them, not only stderr.
#[test]
fn reports_of_an_embedded_run_say_how_to_reproduce_beside_the_dead_port() {
    let dir = temp_dir("embedded-repro");
    let r = Reports::in_dir(&dir);
    let o = run(&r.args(&["--tags", "@mute", "--fault", "ignore-muted"]), &[], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    for (what, path) in [("HTML", &r.html), ("Markdown", &r.md)] {
        let report = read(path);
        assert!(
            report.contains("which is gone with it") && report.contains("laml-conformance serve --fault ignore-muted"),
            "{what}: {report}"
        );
        // the space it names is the one the curl commands were sent to
        let named = report
            .split("the embedded simulated space of this run (")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap_or_default();
        assert!(named.starts_with("http://127.0.0.1:"), "{what}: {named:?} in {report}");
        if what == "HTML" {
            assert!(
                report.contains(&format!("{named}/")),
                "no curl command to {named}: {report}"
            );
        }
    }
    let junit = read(&r.junit);
    let failures = junit.matches("<failure ").count();
    assert!(failures > 0, "{junit}");
    assert_eq!(
        junit.matches("which is gone with it").count(),
        failures,
        "every failure body: {junit}"
    );
}

/// A background step that fails leaves the scenario's own steps out, and its after hook still
/// runs: the Cucumber JSON keeps the scenario, with that hook, after the failed background.
#[test]
fn a_failed_background_keeps_its_scenario_and_after_hook_in_the_cucumber_json() {
    let dir = temp_dir("failing-background");
    let json = dir.join("r.json");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/failing_background.feature");
    let o = run(&["--features", fixture, "--json", json.to_str().unwrap()], &[], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let report: Value = serde_json::from_str(&read(&json)).unwrap();
    let elements = report[0]["elements"].as_array().unwrap();
    let kinds: Vec<&str> = elements.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["background", "scenario"], "{report:#}");
    assert_eq!(elements[0]["steps"][1]["result"]["status"], "failed");
    assert!(
        elements[1]["after"].as_array().is_some_and(|a| !a.is_empty()),
        "{report:#}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Each report asked for alone is written whole: the record they are rendered from is kept
/// whichever one alone asks for it.
#[test]
fn each_report_asked_for_alone_is_written() {
    let dir = temp_dir("alone");
    for (flag, file, says) in [
        ("--html", "r.html", "</html>"),
        ("--summary-md", "r.md", "LaML conformance"),
        ("--junit", "r.xml", "</testsuites>"),
        ("--json", "r.json", "\"elements\""),
        ("--messages", "r.ndjson", "\"testRunFinished\""),
    ] {
        let o = run(&["--tags", "@mute", flag, file], &[], &dir);
        assert_eq!(o.status.code(), Some(0), "{flag}: {}", text(&o));
        let written = read(&dir.join(file));
        assert!(written.contains(says), "{flag}: {written}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
