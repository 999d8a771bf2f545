//! The `meta` envelope: the protocol's version, the harness, the platform, and the CI build
//! the run is part of (GitHub Actions, read from the variables it sets; none elsewhere).

use super::PROTOCOL_VERSION;
use super::envelope::{Ci, Git, Meta, Product};

/// The meta of a run, with the CI build `var` (an environment lookup) says.
pub fn meta(var: &dyn Fn(&str) -> Option<String>) -> Meta {
    let product = |name: &str, version: Option<&str>| Product {
        name: name.to_string(),
        version: version.map(str::to_string),
    };
    Meta {
        protocol_version: PROTOCOL_VERSION.to_string(),
        implementation: product("laml-conformance", Some(env!("CARGO_PKG_VERSION"))),
        runtime: product("Rust", None),
        os: product(std::env::consts::OS, None),
        cpu: product(std::env::consts::ARCH, None),
        ci: github(var),
    }
}

/// The GitHub Actions build of the run, if it is one: its run's page, its number, and the
/// commit it built (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_RUN_ID`,
/// `GITHUB_RUN_NUMBER`, `GITHUB_SHA`, `GITHUB_REF_NAME`).
fn github(var: &dyn Fn(&str) -> Option<String>) -> Option<Ci> {
    var("GITHUB_ACTIONS").filter(|v| v == "true")?;
    let server = var("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into());
    let repository = var("GITHUB_REPOSITORY");
    let remote = repository.as_ref().map(|r| format!("{server}/{r}"));
    let url = remote
        .as_ref()
        .zip(var("GITHUB_RUN_ID"))
        .map(|(remote, run)| format!("{remote}/actions/runs/{run}"));
    let git = remote.zip(var("GITHUB_SHA")).map(|(remote, revision)| Git {
        remote,
        revision,
        branch: var("GITHUB_REF_NAME"),
    });
    Some(Ci {
        name: "GitHub Actions".into(),
        url,
        build_number: var("GITHUB_RUN_NUMBER"),
        git,
    })
}
