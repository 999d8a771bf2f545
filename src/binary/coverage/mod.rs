//! `laml-conformance coverage [--profile P] [--features PATH] [--format md|json] [--check]`:
//! the documentation coverage matrix. Its rows are every item each generation documents, read
//! from the profiles ([`rows`]); for each, the scenarios that send it and the `Then` steps that
//! judge it, read from the features and from what each step phrase declares it sends and judges
//! ([`declarations`]). Nothing beside the features and the profiles is kept by hand, so a
//! scenario deleted shows as a row no step judges.
//!
//! Exit codes: 0 the matrix was printed, or `--check` found every row judged or out of scope
//! with its reason; 1 `--check` found a row that is not; 2 a usage error (an unknown profile,
//! features that cannot be read or parsed, a step no declaration covers).

mod context;
mod declarations;
pub(crate) mod matrix;
mod render;
pub(crate) mod rows;
mod step_items;
pub(crate) mod walk;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use laml_conformance::exit::Exit;

use cucumber::gherkin::Feature;
use futures::StreamExt as _;
use laml_conformance::spec::profile::{PROFILES, Profile};

use matrix::Matrix;

/// The output's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A Markdown table per profile, a few scenarios and steps named per cell.
    Md,
    /// One JSON document, every scenario and step named.
    Json,
    /// One Markdown table: per kind of row, how many each profile judges (the README's).
    Summary,
}

/// The documentation coverage matrix: every documented item of each generation, the scenarios
/// that send it and the steps that judge it.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only this profile (seed, signalwire, twilio); every profile by default.
    #[arg(long, value_name = "P")]
    profile: Option<String>,
    /// Read the features of this folder (or file) instead of those compiled in.
    #[arg(long, value_name = "PATH")]
    features: Option<PathBuf>,
    /// md, json, or summary (one table of counts per kind of row).
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Print no matrix; exit 1 if a row is neither judged nor out of scope with its reason,
    /// naming it.
    #[arg(long, conflicts_with = "format")]
    check: bool,
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("laml-conformance coverage: {message}");
    ExitCode::from(Exit::Usage)
}

/// The features of `path`, or those compiled in; parsed and expanded as a run reads them.
pub(crate) fn read_features(path: Option<&Path>) -> Result<Vec<Feature>, String> {
    if let Some(path) = path
        && let Err(e) = std::fs::metadata(path)
    {
        return Err(format!("cannot read the features at {}: {e}", path.display()));
    }
    let source = path.map(Path::to_path_buf).unwrap_or_default();
    let stream = cucumber::Parser::parse(crate::features::Features, source, cucumber::cli::Empty);
    let parsed: Vec<_> = futures::executor::block_on(stream.collect());
    let mut features = Vec::new();
    for result in parsed {
        features.push(result.map_err(|e| format!("a feature does not parse: {e}"))?);
    }
    if features.is_empty() {
        let at = path.map_or_else(|| "compiled in".into(), |p| format!("under {}", p.display()));
        return Err(format!("there are no .feature files {at}"));
    }
    Ok(features)
}

/// The matrix of each profile, or the steps no declaration covers.
pub(crate) fn matrices(features: &[Feature], profiles: &[&Profile]) -> Result<Vec<Matrix>, Vec<String>> {
    profiles
        .iter()
        .map(|p| {
            let walked = walk::walk(features, p)?;
            Ok(Matrix::new(p, &walked, &p.out_of_scope))
        })
        .collect()
}

/// Runs the command; see the module docs for the exit code.
pub fn main(args: Args) -> ExitCode {
    let profiles: Vec<&Profile> = match &args.profile {
        Some(name) => match Profile::by_name(name) {
            Ok(p) => vec![p],
            Err(e) => return usage_error(&e),
        },
        None => PROFILES.iter().collect(),
    };
    let features = match read_features(args.features.as_deref()) {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let matrices = match matrices(&features, &profiles) {
        Ok(m) => m,
        Err(errors) => {
            for e in &errors {
                eprintln!("laml-conformance coverage: {e}");
            }
            return usage_error("every step needs a declaration of what it sends and judges");
        }
    };
    if args.check {
        let mut failed = false;
        for m in &matrices {
            let text = render::check(m);
            if m.failing().next().is_some() {
                failed = true;
                eprint!("{text}");
            } else {
                print!("{text}");
            }
        }
        return if failed {
            ExitCode::from(Exit::Failed)
        } else {
            ExitCode::from(Exit::Passed)
        };
    }
    match args.format {
        Format::Md => {
            let sections: Vec<String> = matrices.iter().map(render::markdown).collect();
            print!("{}", sections.join("\n"));
        }
        Format::Json => println!("{:#}", render::json(&matrices)),
        Format::Summary => print!("{}", render::summary(&matrices)),
    }
    ExitCode::from(Exit::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::matrix::Verdict;

    fn compiled() -> Vec<Feature> {
        read_features(None).expect("the compiled-in features parse")
    }

    /// Every step of every compiled feature, whatever its tags, has exactly one declaration, and
    /// every declaration is some step's: a step added without one fails here, and a declaration
    /// whose sentence no step says any more cannot linger.
    #[test]
    fn every_step_of_every_compiled_feature_matches_exactly_one_declaration() {
        let features = compiled();
        let (mut steps, mut used) = (0, std::collections::BTreeSet::new());
        for feature in &features {
            let scenarios = feature
                .scenarios
                .iter()
                .chain(feature.rules.iter().flat_map(|r| &r.scenarios));
            let background = feature
                .background
                .iter()
                .chain(feature.rules.iter().flat_map(|r| &r.background))
                .flat_map(|b| &b.steps);
            for step in background.chain(scenarios.flat_map(|s| &s.steps)) {
                let (declaration, _) =
                    declarations::find(step.ty, &step.value).unwrap_or_else(|e| panic!("{:?}: {e}", feature.path));
                used.insert(declaration.phrase);
                steps += 1;
            }
        }
        assert!(steps > 100, "only {steps} steps read");
        let unused: Vec<&str> = declarations::DECLARATIONS
            .iter()
            .filter(|d| !used.contains(&d.phrase))
            .map(|d| d.phrase)
            .collect();
        assert!(
            unused.is_empty(),
            "declarations no step of the features matches: {unused:?}"
        );
        assert!(matrices(&features, &PROFILES.iter().collect::<Vec<_>>()).is_ok());
    }

    #[test]
    fn rows_no_step_judges_come_first_and_a_reason_for_a_judged_row_fails_the_check() {
        let features = compiled();
        let seed = Profile::seed();
        let walked = walk::walk(&features, seed).unwrap();
        let reasons = [
            ("error.20429".to_string(), "cannot be provoked".to_string()),
            ("operation.update".to_string(), "stale".to_string()),
        ]
        .into();
        let m = Matrix::new(seed, &walked, &reasons);
        let ranks: Vec<u8> = m
            .lines
            .iter()
            .map(|l| match l.verdict {
                Verdict::Unjudged => 0,
                Verdict::JudgedButOutOfScope(_) => 1,
                Verdict::OutOfScope(_) => 2,
                Verdict::Judged => 3,
            })
            .collect();
        assert!(ranks.is_sorted(), "{ranks:?}");
        let line = |id: &str| m.lines.iter().find(|l| l.row.item.to_string() == id).unwrap();
        assert_eq!(
            line("error.20429").verdict,
            Verdict::OutOfScope("cannot be provoked".into())
        );
        assert!(line("operation.update").verdict.fails_check());
        assert!(render::check(&m).contains("operation.update"));
        let md = render::markdown(&m);
        assert!(md.contains("out of scope: cannot be provoked"), "{md}");
    }
}
