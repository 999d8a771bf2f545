//! `--seeds A..B`: the seeds one `explore` runs, one after the other, each as `--seed` would
//! run it (with its own `--steps` and `--time`), so the machines of a CI matrix can each take a
//! range of one campaign (`--seeds 0..100`, `--seeds 100..200`, …). The first seed that
//! diverges is printed as a single seed's divergence is, with the command that finds it again
//! (this run's arguments, with that one seed).

use std::ops::RangeInclusive;

/// The seeds of a run: `A..B` (B left out, as Rust writes ranges) or `A..=B`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeds(RangeInclusive<u64>);

impl Seeds {
    /// The seeds of `--seeds`, else the one of `--seed`, else one from the clock.
    pub fn chosen(seed: Option<u64>, seeds: Option<&str>) -> Result<Seeds, String> {
        match seeds {
            Some(text) => Seeds::parse(text),
            None => {
                let seed = seed.unwrap_or_else(clock_seed);
                Ok(Seeds(seed..=seed))
            }
        }
    }

    /// `A..B` or `A..=B`, or the sentence that says what is wrong with it.
    pub fn parse(text: &str) -> Result<Seeds, String> {
        let number = |s: &str| s.trim().parse::<u64>().ok();
        let range = if let Some((a, b)) = text.split_once("..=") {
            number(a).zip(number(b)).map(|(a, b)| (a, Some(b)))
        } else if let Some((a, b)) = text.split_once("..") {
            number(a).zip(number(b)).map(|(a, b)| (a, b.checked_sub(1)))
        } else {
            None
        };
        let Some((start, end)) = range else {
            return Err(format!(
                "--seeds {text} is not a range of seeds: give A..B (from A to B, B left out) or A..=B, for example --seeds 0..100"
            ));
        };
        match end.filter(|end| start <= *end) {
            Some(end) => Ok(Seeds(start..=end)),
            None => Err(format!(
                "--seeds {text} holds no seed: give A..B with A below B (B is left out), or A..=B"
            )),
        }
    }

    /// Each seed, in order.
    pub fn iter(&self) -> RangeInclusive<u64> {
        self.0.clone()
    }

    /// How many there are (at most `u64::MAX`).
    pub fn count(&self) -> u64 {
        (self.0.end() - self.0.start()).saturating_add(1)
    }

    /// `0..=9`, as a summary line says them.
    pub fn said(&self) -> String {
        format!("{}..={}", self.0.start(), self.0.end())
    }
}

/// This run's arguments after `explore`, without the seed and the bounds: the target options
/// (and fault) the suite takes too.
pub fn run_args() -> Vec<String> {
    let mut kept = Vec::new();
    let mut args = std::env::args().skip(2);
    while let Some(arg) = args.next() {
        let flag = arg.split('=').next().unwrap_or_default();
        if ["--seed", "--seeds", "--steps", "--time"].contains(&flag) {
            if !arg.contains('=') {
                args.next();
            }
            continue;
        }
        kept.push(arg);
    }
    kept
}

/// The command that finds the divergence again: this run's arguments, with the seed and just
/// enough steps (the sequences are drawn from the seed alone, never from an answer).
pub fn command(seed: u64, steps: u64) -> String {
    let quoted = run_args().into_iter().map(|arg| {
        if arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_=./:@,".contains(c)) {
            arg
        } else {
            format!("'{}'", arg.replace('\'', "'\\''"))
        }
    });
    let mut words = vec!["laml-conformance".to_string(), "explore".to_string()];
    words.extend(quoted);
    words.extend(["--seed".into(), seed.to_string(), "--steps".into(), steps.to_string()]);
    words.join(" ")
}

/// A seed from the clock, for a run that names none.
fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_rust_writes_them() {
        assert_eq!(Seeds::parse("3..6").unwrap().iter().collect::<Vec<_>>(), [3, 4, 5]);
        assert_eq!(Seeds::parse("3..=6").unwrap().iter().collect::<Vec<_>>(), [3, 4, 5, 6]);
        assert_eq!(Seeds::parse("7..=7").unwrap().count(), 1);
        for empty in ["5..5", "6..2", "0..0"] {
            let said = Seeds::parse(empty).unwrap_err();
            assert!(said.contains("holds no seed"), "{said}");
        }
        for junk in ["5", "a..b", "1...3", "-1..3", ""] {
            let said = Seeds::parse(junk).unwrap_err();
            assert!(said.contains("is not a range of seeds"), "{junk}: {said}");
        }
    }
}
