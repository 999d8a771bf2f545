//! `--shard I/N`: which share of the scenarios one machine of a CI matrix runs.
//!
//! A scenario belongs to the shard its key hashes to: the feature's path as the reports show
//! it (relative), the scenario's name and its line (an outline's row has a line and a name of
//! its own, so each row is a scenario here as everywhere else). The share depends on nothing
//! else: not on the order the scenarios are parsed in, not on the machine, not on the version
//! of Rust (std's `DefaultHasher` promises none of that), so N machines given 1/N … N/N run
//! disjoint shares whose union is the whole run, and `merge` can put their results together.
//! The hash is 64-bit FNV-1a, then MurmurHash3's 64-bit finaliser: both fixed, published
//! functions (their test vectors pin them below). FNV alone leaves keys that differ in their
//! last bytes (the rows of an outline, whose names are often the same) close together in its
//! high bits; the finaliser spreads them, and the shard is read from its high bits.
//!
//! Without `--shard`, `CI_NODE_INDEX` and `CI_NODE_TOTAL` name the shard when both are set,
//! counted from 1 as GitLab's `parallel:` jobs set them (CircleCI's and Buildkite's
//! variables of another name count from 0 and are not read).

use std::fmt;

/// The variable that names this machine's shard, counted from 1 (GitLab's convention).
pub const CI_NODE_INDEX: &str = "CI_NODE_INDEX";
/// The variable that says how many shards there are.
pub const CI_NODE_TOTAL: &str = "CI_NODE_TOTAL";

/// One shard of a run cut into `total`: the `index`-th, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// Which one, from 1 to `total`.
    pub index: u32,
    /// How many there are.
    pub total: u32,
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.total)
    }
}

impl Shard {
    /// The whole run, as one shard: what `--shard-out` alone writes.
    pub const WHOLE: Shard = Shard { index: 1, total: 1 };

    /// `I/N` as `--shard` takes it, or the sentence that says what is wrong with it.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let numbers = text
            .split_once('/')
            .and_then(|(i, n)| Some((i.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?)));
        let Some((index, total)) = numbers else {
            return Err(format!(
                "--shard {text} is not a shard: give it as I/N, the I-th of N shares counted from 1, for example --shard 2/3"
            ));
        };
        Shard::new(index, total)
            .map_err(|why| format!("--shard {text}: {why}; give I/N with 1 ≤ I ≤ N, for example 2/3"))
    }

    /// The shard the CI's variables name, if both are set; `None` if neither is. `var` reads
    /// one (the environment, in a run).
    pub fn from_ci(var: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let (index, total) = match (set(CI_NODE_INDEX), set(CI_NODE_TOTAL)) {
            (None, None) => return Ok(None),
            (Some(i), Some(n)) => (i, n),
            (i, _) => {
                let (given, missing) = if i.is_some() {
                    (CI_NODE_INDEX, CI_NODE_TOTAL)
                } else {
                    (CI_NODE_TOTAL, CI_NODE_INDEX)
                };
                return Err(format!(
                    "{given} is set but {missing} is not; set both ({CI_NODE_INDEX} counts from 1, as GitLab's parallel jobs set it), or pass --shard I/N"
                ));
            }
        };
        let said = format!("{CI_NODE_INDEX}={index} and {CI_NODE_TOTAL}={total}");
        let (Ok(i), Ok(n)) = (index.trim().parse::<u32>(), total.trim().parse::<u32>()) else {
            return Err(format!(
                "{said} name no shard: both must be whole numbers; fix them, or pass --shard I/N"
            ));
        };
        Shard::new(i, n).map(Some).map_err(|_| {
            let why = if n == 0 {
                format!("{CI_NODE_TOTAL} must be at least 1")
            } else {
                format!("{CI_NODE_INDEX} counts from 1 to {CI_NODE_TOTAL}, as GitLab's parallel jobs set it")
            };
            format!("{said} name no shard: {why}; fix them, or pass --shard I/N")
        })
    }

    /// The shard `--shard` names, else the one the CI's variables name.
    pub fn chosen(flag: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        match flag {
            Some(text) => Shard::parse(text).map(Some),
            None => Shard::from_ci(var),
        }
    }

    fn new(index: u32, total: u32) -> Result<Shard, &'static str> {
        if total == 0 {
            return Err("there must be at least one shard");
        }
        if index == 0 || index > total {
            return Err("shards are counted from 1 to N");
        }
        Ok(Shard { index, total })
    }

    /// Whether this cuts the run in more than one share.
    pub fn splits(&self) -> bool {
        self.total > 1
    }

    /// Whether the scenario of `name` at `line` of the feature at `path` (as the reports show
    /// it) belongs to this shard.
    pub fn takes(&self, path: &str, name: &str, line: usize) -> bool {
        let hash = scenario_hash(path, name, line);
        // the high bits, scaled to 0..total (the multiply-shift reduction)
        let share = (u128::from(hash) * u128::from(self.total)) >> 64;
        share == u128::from(self.index - 1)
    }
}

/// The hash a scenario is shared out by: FNV-1a over the path, a zero byte, the name, a zero
/// byte and the line in decimal (a zero byte is in no path or name, so no two keys run
/// together).
pub fn scenario_hash(path: &str, name: &str, line: usize) -> u64 {
    let line = line.to_string();
    let parts: [&[u8]; 5] = [path.as_bytes(), &[0], name.as_bytes(), &[0], line.as_bytes()];
    fmix64(fnv1a(parts.iter().flat_map(|p| p.iter().copied())))
}

/// 64-bit FNV-1a (Fowler, Noll, Vo; draft-eastlake-fnv): for each byte, xor it in, then
/// multiply by the FNV prime, from the published offset basis.
fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .into_iter()
        .fold(OFFSET_BASIS, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// MurmurHash3's 64-bit finaliser (Appleby, `fmix64`): every bit of the input moves about half
/// the bits of the output.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv_1a_as_published() {
        assert_eq!(fnv1a(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(*b"foobar"), 0x8594_4171_f739_67e8);
        // fmix64 keeps 0; the value of 1 is pinned (computed apart, by a Python twin)
        assert_eq!(fmix64(0), 0);
        assert_eq!(fmix64(1), 0xb456_bcfc_34c2_cb2c);
    }

    #[test]
    fn a_scenario_s_share_is_pinned() {
        // pinned: a change here moves scenarios between the shards of machines that disagree
        let hash = scenario_hash("features/mute.feature", "Muting a participant", 7);
        assert_eq!(hash, 0xaef5_ae5f_d0a3_f8be);
        let owners: Vec<u32> = (1..=3)
            .filter(|&i| Shard { index: i, total: 3 }.takes("features/mute.feature", "Muting a participant", 7))
            .collect();
        assert_eq!(owners, [3]);
    }

    #[test]
    fn every_scenario_is_in_exactly_one_shard_and_the_shares_are_even() {
        let total = 3;
        let mut sizes = [0usize; 3];
        for line in 0..3000 {
            let owners: Vec<u32> = (1..=total)
                .filter(|&i| Shard { index: i, total }.takes("features/x.feature", "a scenario", line))
                .collect();
            assert_eq!(owners.len(), 1, "line {line}: {owners:?}");
            sizes[owners[0] as usize - 1] += 1;
        }
        assert!(sizes.iter().all(|&n| (900..=1100).contains(&n)), "{sizes:?}");
    }

    #[test]
    fn bad_shards_are_refused_with_what_to_give() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, total: 3 }));
        for bad in ["0/3", "4/3", "1/0", "junk", "1/", "-1/3", "1/3/5"] {
            let said = Shard::parse(bad).unwrap_err();
            assert!(said.starts_with(&format!("--shard {bad}")), "{said}");
            assert!(said.contains("I/N"), "{said}");
        }
    }

    #[test]
    fn the_ci_variables_count_from_one_and_come_in_pairs() {
        let env = |i: Option<&'static str>, n: Option<&'static str>| {
            move |name: &str| match name {
                CI_NODE_INDEX => i.map(str::to_string),
                CI_NODE_TOTAL => n.map(str::to_string),
                _ => None,
            }
        };
        assert_eq!(Shard::from_ci(env(None, None)), Ok(None));
        assert_eq!(
            Shard::from_ci(env(Some("3"), Some("3"))),
            Ok(Some(Shard { index: 3, total: 3 }))
        );
        assert!(
            Shard::from_ci(env(Some("0"), Some("3")))
                .unwrap_err()
                .contains("counts from 1")
        );
        assert!(
            Shard::from_ci(env(Some("1"), None))
                .unwrap_err()
                .contains("CI_NODE_TOTAL is not")
        );
        assert!(Shard::from_ci(env(Some("x"), Some("3"))).is_err());
        assert_eq!(
            Shard::chosen(Some("1/2"), env(Some("3"), Some("3"))),
            Ok(Some(Shard { index: 1, total: 2 })),
            "the flag wins"
        );
    }
}
