//! A run's share of the scenarios (`--shard I/N`, or `CI_NODE_INDEX` and `CI_NODE_TOTAL`), and
//! its results for `merge` (`--shard-out DIR`).
//!
//! The share is taken after `--tags` and `--name`. cucumber's `filter_run` does not compose a
//! filter with those: given either, it uses it instead of the filter it is handed. So a sharded
//! run takes both out of cucumber's options and applies them here, as cucumber would (`--name`
//! first; the tags of the feature, the rule and the scenario), before the shard's own test.

use std::cell::Cell;
use std::rc::Rc;

use cucumber::gherkin::{self, tagexpr::TagOperation};
use cucumber::tag::Ext as _;
use laml_conformance::spec::Profile;
use laml_conformance::target::Target;

use super::Opts;
use crate::features;
use crate::report::shard::{Content, FeatureText, LedgerText, Out, Plan};
use crate::report::shown_path;
use crate::shard::Shard;

/// The shard of this run and where it was named, if it is one: `--shard`, else the CI's
/// variables; a bad value is one sentence.
pub fn chosen(flag: Option<&str>) -> Result<Option<(Shard, &'static str)>, String> {
    let source = if flag.is_some() {
        "--shard"
    } else {
        "CI_NODE_INDEX and CI_NODE_TOTAL"
    };
    Shard::chosen(flag, |name| std::env::var(name).ok()).map(|s| s.map(|s| (s, source)))
}

/// What a shard checks before its run, and the file of its results (`--shard-out`): a
/// configured conference is refused (its participants are shared, one scenario at a time, and
/// two machines would change them under each other), and the shard is said.
pub fn prepare(
    opts: &Opts,
    shard: Option<(Shard, &str)>,
    profile: &Profile,
    target: &Target,
) -> Result<Option<Out>, String> {
    if let Some((shard, from)) = shard
        && shard.splits()
        && target.shares_participants()
    {
        return Err(format!(
            "shard {shard} (from {from}) cannot be run on a configured conference: its participants are shared, and two machines cannot use them at once; run the whole suite on one machine, or give each machine a setup endpoint (--setup-url)"
        ));
    }
    let out = match &opts.custom.shard_out {
        Some(dir) => {
            let id = shard.map_or(Shard::WHOLE, |(s, _)| s);
            let embedded = super::prepare::embedded_url(target).pop();
            Some(Out::open(dir, id, plan(opts, id, &profile.name), embedded)?)
        }
        None => None,
    };
    if let Some((shard, from)) = shard {
        super::tell(
            &opts.custom,
            &format!(
                "laml-conformance: shard {shard} (from {from}): only the scenarios that hash to it run here, after --tags and --name"
            ),
        );
    }
    Ok(out)
}

/// The plan of the run, as every shard must share it: the features read, the filters, the
/// number of shards, the profile and the fault.
fn plan(opts: &Opts, shard: Shard, profile: &str) -> Plan {
    let source = opts.custom.features.clone().unwrap_or_default();
    let features = features::texts(&source)
        .into_iter()
        .map(|(path, text)| FeatureText {
            path: shown_path(&path),
            content: match text {
                Ok(text) => Content::Text(text),
                Err(e) => Content::Unreadable(e.to_string()),
            },
        })
        .collect();
    Plan {
        harness: env!("CARGO_PKG_VERSION").into(),
        shards: shard.total,
        features,
        profile: profile.into(),
        fault: opts.custom.fault.clone(),
        tags: opts.tags_filter.as_ref().map(tags_text),
        name: opts.re_filter.as_ref().map(|re| re.as_str().to_string()),
        // read and checked a moment ago (`verdict::Known::prepare`)
        known: opts.custom.known.as_ref().map(|path| LedgerText {
            file: path.display().to_string(),
            text: std::fs::read_to_string(path).unwrap_or_default(),
        }),
    }
}

/// How many scenarios `--tags` and `--name` selected, and how many of them the shard took.
#[derive(Clone, Default)]
pub struct Counted {
    selected: Rc<Cell<usize>>,
    taken: Rc<Cell<usize>>,
}

impl Counted {
    /// The sentence a shard that took none of the selected scenarios ends with, if it did.
    pub fn empty_share(&self, shard: Shard) -> Option<String> {
        (self.taken.get() == 0 && self.selected.get() > 0).then(|| {
            format!(
                "shard {shard} holds none of the {} scenario(s) selected, so nothing ran here; the other shards run them",
                self.selected.get()
            )
        })
    }

    /// "shard 2/3 ran 31 of the 97 scenarios selected".
    pub fn said(&self, shard: Shard) -> String {
        format!(
            "laml-conformance: shard {shard} took {} of the {} scenario(s) selected",
            self.taken.get(),
            self.selected.get()
        )
    }
}

/// The scenario filter of the run. Sharded, it is `--name` or `--tags` (taken out of
/// cucumber's options) then the shard; otherwise it passes every scenario, and cucumber applies
/// its own filters.
pub fn filter(
    opts: &mut Opts,
    shard: Option<Shard>,
    counted: Counted,
) -> impl Fn(&gherkin::Feature, Option<&gherkin::Rule>, &gherkin::Scenario) -> bool + 'static {
    let (name, tags) = match shard {
        Some(_) => (opts.re_filter.take(), opts.tags_filter.take()),
        None => (None, None),
    };
    move |feature, rule, scenario| {
        let Some(shard) = shard else { return true };
        let selected = match (&name, &tags) {
            (Some(re), _) => re.is_match(&scenario.name),
            (None, Some(tags)) => tags.eval(
                feature
                    .tags
                    .iter()
                    .chain(rule.iter().flat_map(|r| &r.tags))
                    .chain(scenario.tags.iter()),
            ),
            (None, None) => true,
        };
        if !selected {
            return false;
        }
        counted.selected.set(counted.selected.get() + 1);
        let path = feature.path.as_deref().map(shown_path).unwrap_or_default();
        let taken = shard.takes(&path, &scenario.name, scenario.position.line);
        if taken {
            counted.taken.set(counted.taken.get() + 1);
        }
        taken
    }
}

/// A tag expression written out one way, whatever its spelling: `@a and (@b or not @c)`.
fn tags_text(op: &TagOperation) -> String {
    let inner = |op: &TagOperation| match op {
        TagOperation::Tag(_) | TagOperation::Not(_) => tags_text(op),
        _ => format!("({})", tags_text(op)),
    };
    match op {
        TagOperation::Tag(t) => format!("@{t}"),
        TagOperation::Not(x) => format!("not {}", inner(x)),
        TagOperation::And(a, b) => format!("{} and {}", inner(a), inner(b)),
        TagOperation::Or(a, b) => format!("{} or {}", inner(a), inner(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_expression_reads_the_same_whatever_its_spelling() {
        let text = |s: &str| tags_text(&s.parse::<TagOperation>().unwrap());
        assert_eq!(text("@a"), "@a");
        assert_eq!(text("(@a and not @b)"), "@a and not @b");
        assert_eq!(text("@a and (@b or not @c)"), "@a and (@b or not @c)");
        assert_eq!(text("not (@a or @b)"), "not (@a or @b)");
    }
}
