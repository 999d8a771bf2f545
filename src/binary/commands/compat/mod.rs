//! `laml-conformance compat [--format md|json] [--target URL --profile P]`: what each vendor's
//! document says, side by side, read from the profiles' data alone. Its rows are the documents'
//! traits (auth scheme, error envelope, ids, statuses…) and then every item of the coverage rows
//! (`crate::coverage::rows`), one row per parameter, filter, page key, field, error code and path,
//! so a profile's new item is a row here at once. Each vendor's cell says how it differs from
//! Twilio's.
//!
//! With `--target URL --profile P`, the suite runs once against the target as P (a child process,
//! as `profiles` runs it), and each row also says whether the target behaved as P's document says:
//! the verdicts of the scenarios the coverage matrix names as judging the row's items.
//!
//! Exit codes: 0 the table was printed (and, measured, no judged item failed); 1 a judged item
//! failed; 2 a usage error; 3 the target is unreachable or not LaML.

use std::collections::BTreeMap;
use std::process::ExitCode;

use laml_conformance::exit::Exit;
use laml_conformance::spec::envelope::ErrorEnvelope;
use laml_conformance::spec::profile::{PROFILES, Profile, UnknownParams, UriJson};
use laml_conformance::spec::wire::AuthScheme;
use serde_json::{Value, json};

use crate::child::cucumber_json::{Feature, Kind};
use crate::child::{Verdict, run_suite_coded, verdicts};
use crate::coverage::matrix::{Matrix, Verdict as Coverage};
use crate::coverage::rows::{Item, rows};

/// The output's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One Markdown table, a column per vendor.
    Md,
    /// One JSON document: every row, each vendor's cell and how it compares with Twilio's.
    Json,
}

/// The compatibility table across the vendors' documents.
#[derive(clap::Args, Debug)]
pub struct CompatOptions {
    /// md or json.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Also measure this target (a URL, or `embedded`): run the suite against it as --profile.
    #[arg(long, value_name = "URL", requires = "profile")]
    target: Option<String>,
    /// The document the target claims to follow (seed, signalwire, twilio, telnyx).
    #[arg(long, value_name = "P", requires = "target")]
    profile: Option<String>,
}

/// The vendor every other is compared with.
const REFERENCE: &str = "twilio";

/// One row: a documented trait or item, and each profile's words for it (`None`: not documented).
#[derive(Debug)]
struct Row {
    key: String,
    cells: Vec<Option<String>>,
}

/// How a vendor's cell compares with Twilio's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Versus {
    Same,
    Differs,
    /// Twilio documents it, this vendor does not.
    Missing,
    /// This vendor documents what Twilio does not.
    Added,
    /// Neither documents it.
    Neither,
}

impl Versus {
    fn of(cell: Option<&str>, twilio: Option<&str>) -> Versus {
        match (cell, twilio) {
            (Some(a), Some(b)) if a == b => Versus::Same,
            (Some(_), Some(_)) => Versus::Differs,
            (None, Some(_)) => Versus::Missing,
            (Some(_), None) => Versus::Added,
            (None, None) => Versus::Neither,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Versus::Same => "same",
            Versus::Differs => "differs",
            Versus::Missing => "missing",
            Versus::Added => "added",
            Versus::Neither => "neither",
        }
    }
}

/// The documents' traits that are no single item: how a client authenticates, where the ids
/// and errors stand.
fn traits(p: &Profile) -> Vec<(&'static str, String)> {
    let auth = match p.auth {
        AuthScheme::Basic => "Basic (account id : token)",
        AuthScheme::Bearer => "Bearer (API key)",
    };
    let errors = match &p.error_envelope {
        ErrorEnvelope::Flat => "flat {code, message, more_info, status}".to_string(),
        ErrorEnvelope::Listed(l) => format!(
            "{}[]: {{{} (string), {}, {}}}",
            l.list,
            l.code,
            l.message,
            l.more_info.join(".")
        ),
    };
    let ids = format!("{:?}", p.ids).to_lowercase();
    let call_ids = p.call_ids.map_or(ids.clone(), |f| match f {
        laml_conformance::spec::ids::IdFormat::Tagged => format!("{}…", p.id_tag),
        other => format!("{other:?}").to_lowercase(),
    });
    let mut statuses = p.active_statuses.clone();
    statuses.sort(); // the documents' order says nothing; sorted, equal sets read equal
    let renamed: Vec<String> = p
        .renamed
        .iter()
        .map(|(from, to)| format!("{from} → {}", to.join(", ")))
        .collect();
    vec![
        ("auth", auth.to_string()),
        ("base path", p.base_path.clone()),
        ("error envelope", errors),
        ("account and conference ids", ids),
        ("call ids", call_ids),
        ("statuses of a participant", statuses.join(", ")),
        (
            "uri field",
            match p.uri_json {
                UriJson::Required => "ends in .json".into(),
                UriJson::Optional => "with or without .json".into(),
            },
        ),
        ("renamed fields", renamed.join("; ")),
    ]
}

/// The row an item falls in: a parameter's value classes and a field's judgements are one row.
fn key(item: &Item) -> String {
    match item {
        Item::Param(name, _) => format!("param.{name}"),
        Item::Field(name, _) => format!("field.{name}"),
        Item::Path(of, _) => {
            let id = Item::Path(*of, crate::coverage::rows::Form::Json).to_string();
            id.trim_end_matches(".json").to_string()
        }
        other => other.to_string(),
    }
}

/// What `profile` documents of the item's row.
fn documented(profile: &Profile, item: &Item, what: &str) -> String {
    match item {
        Item::Param(name, _) => profile
            .param_defaults
            .get(name)
            .map_or("yes".into(), |d| format!("yes, default {d}")),
        Item::Field(name, _) => {
            let optional = profile.optional_fields.iter().any(|f| f.name == *name);
            let field = profile
                .fields
                .iter()
                .chain(&profile.optional_fields)
                .find(|f| f.name == *name);
            let mut text = field.map_or(String::new(), |f| snake(&format!("{:?}", f.format)));
            if let Some(value) = field.and_then(|f| f.value.as_ref()) {
                text = format!("{text} \"{value}\"");
            }
            if field.is_some_and(|f| f.nullable) {
                text.push_str(", nullable");
            }
            if optional {
                text.push_str(", optional");
            }
            text
        }
        Item::Error(code) => {
            let statuses: Vec<String> = profile.errors.codes[code].iter().map(u16::to_string).collect();
            let own = match &profile.error_envelope {
                ErrorEnvelope::Listed(l) => l.codes.get(code).map(|c| format!(", as \"{c}\"")),
                ErrorEnvelope::Flat => None,
            };
            format!("{}{}", statuses.join(" or "), own.unwrap_or_default())
        }
        Item::Path(..) => what.to_string(),
        Item::UndocumentedParam => match profile.unknown_params {
            UnknownParams::Refuse => "refused (10000)".into(),
            UnknownParams::Ignore => "ignored".into(),
        },
        _ => "yes".into(),
    }
}

/// `CoachTarget` → `coach_target`.
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Every row, each profile's cell, in the profiles' order.
fn table(profiles: &[&Profile]) -> Vec<Row> {
    let mut order: Vec<String> = Vec::new();
    let mut cells: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    let mut put = |key: String, i: usize, text: String| {
        if !cells.contains_key(&key) {
            order.push(key.clone());
        }
        let row = cells.entry(key).or_insert_with(|| vec![None; profiles.len()]);
        row[i].get_or_insert(text);
    };
    for (i, p) in profiles.iter().enumerate() {
        // an empty trait (no field renamed) is one the document does not have
        for (name, text) in traits(p).into_iter().filter(|(_, t)| !t.is_empty()) {
            put(name.to_string(), i, text);
        }
    }
    for (i, p) in profiles.iter().enumerate() {
        for row in rows(p) {
            put(key(&row.item), i, documented(p, &row.item, &row.what));
        }
    }
    order
        .into_iter()
        .map(|key| Row {
            cells: cells.remove(&key).unwrap_or_default(),
            key,
        })
        .collect()
}

/// What the target did for each row, from the scenarios that judge the row's items.
fn measure(matrix: &Matrix, report: &[Feature]) -> BTreeMap<String, &'static str> {
    let ran: BTreeMap<(String, usize), Verdict> = scenario_verdicts(report);
    let mut out: BTreeMap<String, &'static str> = BTreeMap::new();
    for line in &matrix.lines {
        let said = match &line.verdict {
            Coverage::Unjudged => "unjudged",
            Coverage::OutOfScope(_) => "out of scope",
            Coverage::Judged | Coverage::JudgedButOutOfScope(_) => {
                let seen: Vec<Verdict> = line
                    .judged_by
                    .iter()
                    .filter_map(|s| ran.get(&(file_name(&s.scenario.file), s.scenario.line)).copied())
                    .collect();
                if seen.contains(&Verdict::Failed) {
                    "FAILED"
                } else if seen.contains(&Verdict::Passed) {
                    "as documented"
                } else {
                    "not run"
                }
            }
        };
        let entry = out.entry(key(&line.row.item)).or_insert(said);
        *entry = worse(entry, said);
    }
    out
}

/// Of two verdicts of one row's items, the one to show: a failure first, then what was judged.
fn worse(a: &'static str, b: &'static str) -> &'static str {
    let rank = |s: &str| match s {
        "FAILED" => 0,
        "unjudged" => 1,
        "as documented" => 2,
        "not run" => 3,
        _ => 4,
    };
    if rank(b) < rank(a) { b } else { a }
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Each scenario of a report by its file and line, as the coverage walk names it.
fn scenario_verdicts(report: &[Feature]) -> BTreeMap<(String, usize), Verdict> {
    let mut by_name: BTreeMap<(String, String), Verdict> = BTreeMap::new();
    for (feature, name, verdict) in verdicts(report) {
        by_name.insert((feature, name), verdict);
    }
    let mut out = BTreeMap::new();
    for feature in report {
        let file = file_name(feature.uri.as_deref().unwrap_or_default());
        for element in feature.elements.iter().filter(|e| e.kind != Kind::Background) {
            if let Some(v) = by_name.get(&(feature.name.clone(), element.name.clone())) {
                out.insert((file.clone(), element.line), *v);
            }
        }
    }
    out
}

fn cell(row: &Row, i: usize, reference: Option<usize>) -> String {
    let text = row.cells[i].as_deref();
    let twilio = reference.and_then(|r| row.cells[r].as_deref());
    if Some(i) == reference {
        return text.unwrap_or("–").to_string();
    }
    match Versus::of(text, twilio) {
        Versus::Same => "= Twilio".into(),
        Versus::Differs => format!("≠ {}", text.unwrap_or_default()),
        Versus::Missing => "– (not documented)".into(),
        Versus::Added => format!("+ {}", text.unwrap_or_default()),
        Versus::Neither => "–".into(),
    }
}

/// The table as Markdown: a column per vendor, and the measured target's column last.
fn markdown(rows: &[Row], profiles: &[&Profile], measured: Option<(&str, &BTreeMap<String, &str>)>) -> String {
    let reference = profiles.iter().position(|p| p.name == REFERENCE);
    let mut head: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
    if let Some((name, _)) = measured {
        head.push(format!("{name}: the target"));
    }
    let mut text = format!("| item | {} |\n|---|{}\n", head.join(" | "), "---|".repeat(head.len()));
    for row in rows {
        let mut cells: Vec<String> = (0..profiles.len()).map(|i| cell(row, i, reference)).collect();
        if let Some((_, verdicts)) = measured {
            cells.push(verdicts.get(&row.key).copied().unwrap_or("–").to_string());
        }
        let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
        text.push_str(&format!("| `{}` | {} |\n", row.key, cells.join(" | ")));
    }
    text
}

fn to_json(rows: &[Row], profiles: &[&Profile], measured: Option<(&str, &BTreeMap<String, &str>)>) -> Value {
    let reference = profiles.iter().position(|p| p.name == REFERENCE);
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            let twilio = reference.and_then(|r| row.cells[r].as_deref());
            let vendors: serde_json::Map<String, Value> = profiles
                .iter()
                .zip(&row.cells)
                .map(|(p, c)| {
                    let versus = Versus::of(c.as_deref(), twilio).id();
                    (p.name.clone(), json!({ "documented": c, "vs_twilio": versus }))
                })
                .collect();
            let mut value = json!({ "item": row.key, "vendors": vendors });
            if let Some((_, verdicts)) = measured {
                value["measured"] = json!(verdicts.get(&row.key));
            }
            value
        })
        .collect();
    let mut doc = json!({ "reference": REFERENCE, "rows": rows });
    if let Some((name, _)) = measured {
        doc["measured_profile"] = json!(name);
    }
    doc
}

/// The suite's run against `target` as `profile`, and the verdict of each row.
fn measured(target: &str, profile: &'static Profile) -> Result<BTreeMap<String, &'static str>, (u8, String)> {
    let features = crate::coverage::read_features(None).map_err(|e| (2, e))?;
    let matrix = crate::coverage::matrices(&features, &[profile])
        .map_err(|e| (2, e.join("; ")))?
        .remove(0);
    let (exe, dir) = crate::child::scratch("compat").map_err(|e| (2, e))?;
    let args = ["--target", target, "--profile", &profile.name]
        .map(String::from)
        .to_vec();
    let report = run_suite_coded(&exe, &args, &dir.join("run.json"));
    std::fs::remove_dir_all(&dir).ok();
    Ok(measure(&matrix, &report?))
}

/// Prints the table; see the module docs for the exit codes.
pub fn main(opts: CompatOptions) -> ExitCode {
    let profiles: Vec<&Profile> = PROFILES.iter().collect();
    let rows = table(&profiles);
    let verdicts = match (&opts.target, &opts.profile) {
        (Some(target), Some(name)) => {
            let profile = match Profile::by_name(name) {
                Ok(p) => p,
                Err(e) => return super::usage_error(&e),
            };
            match measured(target, profile) {
                Ok(v) => Some((profile.name.as_str(), v)),
                Err((code, e)) => {
                    eprintln!("laml-conformance compat: {e}");
                    return Exit::from_code(code.into()).unwrap_or(Exit::Usage).into();
                }
            }
        }
        _ => None,
    };
    let shown = verdicts.as_ref().map(|(n, v)| (*n, v));
    match opts.format {
        Format::Md => print!("{}", markdown(&rows, &profiles, shown)),
        Format::Json => println!("{:#}", to_json(&rows, &profiles, shown)),
    }
    let failed = verdicts.is_some_and(|(_, v)| v.values().any(|s| *s == "FAILED"));
    if failed {
        Exit::Failed.into()
    } else {
        Exit::Passed.into()
    }
}

#[cfg(test)]
mod tests;
