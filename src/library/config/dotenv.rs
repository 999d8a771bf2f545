//! The `.env` file of the working directory, read as dotenvy reads it, into a map: the process
//! environment is left as it is, so that it still wins over the file.

use std::collections::HashMap;
use std::path::Path;

use super::ConfigError;

/// Reads the `KEY=VALUE` lines of a `.env` file (dotenvy's syntax: `export `, quotes and `#`
/// comments allowed) into a map, leaving the process environment as it is: the environment must
/// still win over the file. A missing file is no error.
pub fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let cannot = |e: dotenvy::Error| {
        ConfigError(format!(
            "cannot read {}: {e}; fix or remove the line, or the file",
            path.display()
        ))
    };
    match dotenvy::from_path_iter(path) {
        Ok(lines) => lines.collect::<Result<_, _>>().map_err(cannot),
        Err(e) if e.not_found() => Ok(HashMap::new()),
        Err(e) => Err(cannot(e)),
    }
}

/// The variable lookup of a run: the process environment first, then the `.env` of the working
/// directory (read once, here).
pub fn lookup() -> Result<impl Fn(&str) -> Option<String>, ConfigError> {
    let dotenv = read_dotenv(Path::new(".env"))?;
    Ok(move |key: &str| std::env::var(key).ok().or_else(|| dotenv.get(key).cloned()))
}
