//! The plan of a sharded run, as each shard writes it beside its results: what the shards of one
//! run must agree on for their results to make one run when merged. It is kept whole rather
//! than as a digest, so that a disagreement is said as what differs ("shard 2/3 was run with
//! --tags '@x', the others with none"), and so that `merge` can parse the features again.

use crate::shard::Shard;

/// What every shard of one run must share.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// The version of laml-conformance that ran the shard: its steps judge the scenarios.
    pub harness: String,
    /// How many shards the run was cut into.
    pub shards: u32,
    /// Every feature the run read, in the order it read them (before any filter).
    pub features: Vec<FeatureText>,
    /// The profile the answers were judged by.
    pub profile: String,
    /// The fault the embedded space was broken with.
    pub fault: Option<String>,
    /// `--tags` (or `CUCUMBER_FILTER_TAGS`), written out the same way whatever its spelling.
    pub tags: Option<String>,
    /// `--name`.
    pub name: Option<String>,
    /// The ledger of known divergences (`--known`) the shard judged by: its verdicts depend on
    /// it, and `merge` reads it again for the reports and the entries that list no scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<LedgerText>,
}

/// A ledger of known divergences as a shard read it: the file as given, and its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerText {
    /// The file, as `--known` gave it (the reports name its lines so).
    pub file: String,
    /// What it held.
    pub text: String,
}

/// One feature file of the plan: its path as the reports show it, and its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeatureText {
    /// The path, relative where the reports show it relative.
    pub path: String,
    /// What was read there.
    #[serde(flatten)]
    pub content: Content,
}

/// What a feature file held.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    /// Its text.
    Text(String),
    /// It could not be read, and why.
    Unreadable(String),
}

/// How one shard says a part of the plan, and how the others' differs: the two halves of
/// "shard 2/3 was run with --tags '@x', the others with none".
struct Said {
    odd: String,
    others: String,
}

/// An option of the plan, as a sentence says it.
fn option(flag: &str, value: Option<&str>) -> Said {
    match value {
        Some(v) => Said {
            odd: format!("was run with {flag} '{v}'"),
            others: format!("with {flag} '{v}'"),
        },
        None => Said {
            odd: format!("was run with no {flag}"),
            others: "with none".into(),
        },
    }
}

impl Plan {
    /// Each part the shards must agree on, in the order a disagreement is said: the value that
    /// is compared, and how the sentence says it.
    fn parts(&self) -> Vec<(String, Said)> {
        let features = serde_json::to_string(&self.features).unwrap_or_default();
        vec![
            (
                self.harness.clone(),
                Said {
                    odd: format!("was run by laml-conformance {}", self.harness),
                    others: format!("by {}", self.harness),
                },
            ),
            (
                self.shards.to_string(),
                Said {
                    odd: format!("cut the run into {} shards", self.shards),
                    others: format!("into {}", self.shards),
                },
            ),
            (
                features,
                Said {
                    odd: String::new(),
                    others: String::new(),
                },
            ),
            (
                self.profile.clone(),
                Said {
                    odd: format!("was run under the profile {}", self.profile),
                    others: format!("under {}", self.profile),
                },
            ),
            (
                self.fault.clone().unwrap_or_default(),
                option("--fault", self.fault.as_deref()),
            ),
            (
                self.tags.clone().unwrap_or_default(),
                option("--tags", self.tags.as_deref()),
            ),
            (
                self.name.clone().unwrap_or_default(),
                option("--name", self.name.as_deref()),
            ),
            (
                self.known
                    .as_ref()
                    .map(|k| format!("{}\n{}", k.file, k.text))
                    .unwrap_or_default(),
                option("--known", self.known.as_ref().map(|k| k.file.as_str())),
            ),
        ]
    }

    /// How this plan's features differ from `other`'s, as the rest of "shard 2/3 ran other
    /// features than the others: …".
    fn features_differ(&self, other: &Plan) -> String {
        let find = |plan: &Plan, path: &str| plan.features.iter().find(|f| f.path == path).cloned();
        for f in &self.features {
            match find(other, &f.path) {
                None => return format!("it has {}, which they lack", f.path),
                Some(o) if o != *f => return format!("its {} differs from theirs", f.path),
                Some(_) => {}
            }
        }
        match other.features.iter().find(|f| find(self, &f.path).is_none()) {
            Some(f) => format!("it lacks {}", f.path),
            None => "they are read in another order".into(),
        }
    }
}

/// The sentence that says the first part of the plan the shards disagree on, naming the shard
/// that differs from the most (the first shard's side, on a tie); `None` when they agree.
pub fn disagreement(shards: &[(Shard, &Plan)]) -> Option<String> {
    let parts: Vec<Vec<(String, Said)>> = shards.iter().map(|(_, p)| p.parts()).collect();
    let count = parts.first().map_or(0, Vec::len);
    let sentence = (0..count).find_map(|part| {
        let column: Vec<&(String, Said)> = parts.iter().map(|p| &p[part]).collect();
        disagreeing(shards, &column)
    })?;
    Some(format!(
        "{sentence}; run every shard of a run with the same binary, features and options, then merge their results"
    ))
}

/// How the shards say one part of the plan (`column`, in the order of `shards`): the sentence
/// naming the first that differs from the most, if one does.
fn disagreeing(shards: &[(Shard, &Plan)], column: &[&(String, Said)]) -> Option<String> {
    let agreeing = |i: usize| column.iter().filter(|c| c.0 == column[i].0).count();
    // the side with the most shards; the first shard's on a tie
    let common = (0..column.len()).fold(0, |best, i| if agreeing(i) > agreeing(best) { i } else { best });
    let odd = (0..column.len()).find(|&i| column[i].0 != column[common].0)?;
    let others = if agreeing(common) > 1 {
        "the others".to_string()
    } else {
        format!("shard {}", shards[common].0)
    };
    let (shard, plan) = shards[odd];
    Some(if column[odd].1.odd.is_empty() {
        let differ = plan.features_differ(shards[common].1);
        format!("shard {shard} ran other features than {others}: {differ}")
    } else {
        format!(
            "shard {shard} {}, {others} {}",
            column[odd].1.odd, column[common].1.others
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            harness: "0.1.0".into(),
            shards: 3,
            features: vec![FeatureText {
                path: "features/mute.feature".into(),
                content: Content::Text("Feature: Mute\n".into()),
            }],
            profile: "seed".into(),
            fault: None,
            tags: None,
            name: None,
            known: None,
        }
    }

    fn shard(index: u32) -> Shard {
        Shard { index, total: 3 }
    }

    #[test]
    fn the_shard_that_differs_is_named_with_what_differs() {
        let (a, mut b, c) = (plan(), plan(), plan());
        assert_eq!(disagreement(&[(shard(1), &a), (shard(2), &b), (shard(3), &c)]), None);
        b.tags = Some("@x".into());
        let said = disagreement(&[(shard(1), &a), (shard(2), &b), (shard(3), &c)]).unwrap();
        assert!(
            said.starts_with("shard 2/3 was run with --tags '@x', the others with none;"),
            "{said}"
        );
        let said = disagreement(&[(shard(1), &b), (shard(2), &a)]).unwrap();
        assert!(
            said.starts_with("shard 2/3 was run with no --tags, shard 1/3 with --tags '@x';"),
            "{said}"
        );
    }

    #[test]
    fn features_that_differ_are_named() {
        let (a, mut b) = (plan(), plan());
        b.features[0].content = Content::Text("Feature: Mute, changed\n".into());
        let said = disagreement(&[(shard(1), &a), (shard(2), &a), (shard(3), &b)]).unwrap();
        assert!(
            said.starts_with(
                "shard 3/3 ran other features than the others: its features/mute.feature differs from theirs;"
            ),
            "{said}"
        );
        b.features[0].path = "features/hold.feature".into();
        let said = disagreement(&[(shard(1), &a), (shard(2), &a), (shard(3), &b)]).unwrap();
        assert!(said.contains("it has features/hold.feature, which they lack"), "{said}");
        b.profile = "twilio".into();
        b.features = a.features.clone();
        let said = disagreement(&[(shard(1), &a), (shard(2), &b)]).unwrap();
        assert!(
            said.starts_with("shard 2/3 was run under the profile twilio, shard 1/3 under seed"),
            "{said}"
        );
    }
}
