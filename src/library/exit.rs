//! The exit codes of every command, in one place: a script that runs `laml-conformance` branches
//! on them, so each means the same thing whichever command ends with it (README.md, "Exit codes,
//! the same in every command", is held to this enum by a test below).

use std::process::ExitCode;

/// How a command ended, as its exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Every scenario passed, or failed as the ledger of `--known` lists it (`profiles`: the
    /// target conforms to a profile; `explore`: no divergence).
    Passed = 0,
    /// A scenario failed or drifted from its baseline, or one the ledger of `--known` lists
    /// passed (`profiles`: no profile fits; `explore`: a divergence).
    Failed = 1,
    /// Usage or configuration: a bad flag or setting, a feature that does not parse, no scenario
    /// selected, a report that cannot be written.
    Usage = 2,
    /// The target cannot be reached, times out, or does not answer as LaML.
    Unreachable = 3,
    /// A live participant could not be restored; the run stopped there.
    NotRestored = 4,
}

impl Exit {
    /// Every exit, in the order of its code.
    pub const ALL: [Exit; 5] = [
        Exit::Passed,
        Exit::Failed,
        Exit::Usage,
        Exit::Unreachable,
        Exit::NotRestored,
    ];

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The exit a child run of this binary ended with, if its code is one of ours (a crash, such
    /// as a panic's 101, is none).
    pub fn from_code(code: i32) -> Option<Exit> {
        Exit::ALL.into_iter().find(|e| i32::from(e.code()) == code)
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Exit;

    /// The README's table is what users read: its codes are the enum's, in the same order, and
    /// its first words name the same outcome.
    #[test]
    fn the_readme_table_is_the_enum() {
        let readme = include_str!("../../README.md");
        let table = readme
            .split("## Exit codes, the same in every command")
            .nth(1)
            .expect("the README has its exit-code section");
        let rows: Vec<(u8, &str)> = table
            .lines()
            .skip_while(|l| !l.starts_with("| Code"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let mut cells = l.trim_matches('|').split('|').map(str::trim);
                let code = cells.next().unwrap_or_default().parse().expect("a code");
                (code, cells.next().unwrap_or_default())
            })
            .collect();
        let codes: Vec<u8> = rows.iter().map(|(c, _)| *c).collect();
        let ours: Vec<u8> = Exit::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(codes, ours, "README.md's exit codes against enum Exit");
        let words = ["passed", "failed", "usage", "reached", "restored"];
        for ((code, meaning), word) in rows.iter().zip(words) {
            assert!(meaning.contains(word), "code {code}: {meaning:?} does not say {word:?}");
        }
    }

    #[test]
    fn a_crash_is_no_exit_of_ours() {
        assert_eq!(Exit::from_code(3), Some(Exit::Unreachable));
        assert_eq!(Exit::from_code(101), None);
    }
}
