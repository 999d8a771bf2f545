//! What the integration tests that run the binary share: a run with its environment and
//! folder under control, and its output as one text.

// Not every test crate uses every helper.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// Every `.rs` file under `dir`, at any depth: the source the tests that read code go through.
pub fn rust_sources(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `curl` with `auth` (its own arguments: `-u id:token`, or `-H "Authorization: …"`) to `url`:
/// a GET, or a form POST of `form` (`key=value`, url-encoded by curl), its answer as JSON.
pub fn curl_json(auth: &[&str], form: &[String], url: &str) -> serde_json::Value {
    let mut command = Command::new("curl");
    command.arg("-s").args(auth);
    for field in form {
        command.args(["--data-urlencode", field]);
    }
    let out = command.arg(url).output().expect("curl runs");
    serde_json::from_slice(&out.stdout).expect("the answer is JSON")
}

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_laml-conformance");

/// Runs the binary with `args` and `env` in `dir`, with no colour and none of the caller's tag
/// filter or profile, and no GitHub step summary or CI shard unless `env` names one (a test run
/// in CI must not write into the job's summary, nor run a share of its scenarios).
pub fn run(args: &[&str], env: &[(String, String)], dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("CI_NODE_INDEX")
        .env_remove("CI_NODE_TOTAL")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("CUCUMBER_COLOR", "never")
        .env_remove("CUCUMBER_FILTER_TAGS")
        .env_remove("LAML_PROFILE")
        .current_dir(dir)
        .output()
        .expect("the binary starts")
}

/// Standard output then standard error, for assertions and their messages.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A `serve` process and what it printed about itself.
pub struct Serve {
    /// The process.
    pub child: Child,
    /// Its base URL.
    pub base: String,
    /// The `LAML_*` lines it printed, as a `.env` file has them.
    pub env: Vec<(String, String)>,
    /// Everything it printed so far.
    printed: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Serve {
    pub fn start(env: &[(&str, &str)]) -> Serve {
        Self::start_with(&[], env)
    }

    /// `LAML_SERVE_BIN` runs another build of the binary (a benchmark comparing two commits).
    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Serve {
        let bin = std::env::var("LAML_SERVE_BIN").unwrap_or_else(|_| BIN.to_string());
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0"])
            .args(args)
            .env_remove("LAML_PROJECT_ID")
            .env_remove("LAML_API_TOKEN")
            .env_remove("LAML_PROFILE")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut base, mut vars, mut before) = (String::new(), Vec::new(), Vec::new());
        for line in lines.by_ref() {
            let line = line.unwrap();
            before.push(line.clone());
            if let Some(rest) = line.strip_prefix("laml-conformance serve: the simulated space listens on ") {
                base = rest.trim().to_string();
            }
            if let Some((k, v)) = line.split_once('=').filter(|(k, _)| k.starts_with("LAML_")) {
                vars.push((k.to_string(), v.to_string()));
            }
            if line.contains("Ctrl-C stops it") {
                break;
            }
        }
        let printed = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let rest = printed.clone();
        rest.lock().unwrap().push_str(&before.join("\n"));
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                rest.lock().unwrap().push_str(&line);
            }
        });
        assert!(base.starts_with("http://127.0.0.1:"), "serve printed no base URL");
        Serve {
            child,
            base,
            env: vars,
            printed,
        }
    }

    /// One of the `LAML_*` lines it printed.
    pub fn var(&self, key: &str) -> String {
        self.env
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("serve printed no {key}"))
    }

    /// The conference it arranged for clients (`LAML_CONFERENCE_SID`), for a run in configured
    /// mode (`--conference`).
    pub fn conference(&self) -> String {
        self.var("LAML_CONFERENCE_SID")
    }

    /// The call sid of one participant of that conference, by name.
    pub fn participant(&self, name: &str) -> String {
        self.var("LAML_PARTICIPANTS")
            .split(',')
            .find_map(|p| p.strip_prefix(&format!("{name}=")).map(str::to_string))
            .unwrap_or_else(|| panic!("serve printed no participant {name}"))
    }

    /// Stops it with Ctrl-C and returns everything it printed.
    pub fn interrupt_output(self) -> String {
        let printed = self.printed.clone();
        assert!(self.interrupt().success());
        printed.lock().unwrap().clone()
    }

    /// Stops it as a user does, with Ctrl-C (SIGINT), and returns its exit status.
    pub fn interrupt(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        std::mem::forget(self);
        exit
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// The `N <word>` of cucumber's scenario summary line (`N scenarios (N passed, N failed, N
/// skipped)`), 0 when the line or the word is not there.
pub fn summary_count(out: &str, word: &str) -> usize {
    let line = out
        .lines()
        .find(|l| {
            l.split_once(' ')
                .is_some_and(|(n, rest)| n.parse::<usize>().is_ok() && rest.starts_with("scenario"))
        })
        .unwrap_or_default();
    line.split([' ', '(', ',', ')'])
        .collect::<Vec<_>>()
        .windows(2)
        .find(|w| w[1].starts_with(word))
        .and_then(|w| w[0].parse().ok())
        .unwrap_or(0)
}
