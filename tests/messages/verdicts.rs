//! What the two reports of one run say of each scenario: the Cucumber JSON report (the
//! verdicts the other reports share) and the Cucumber Messages (each test case's step statuses
//! and messages).

use serde_json::Value;

/// Each scenario of a Cucumber JSON report: its file, line and name, its verdict, and the
/// reason a skipped one was skipped (its skipped step's text).
pub fn expected(report: &Value) -> Vec<(String, u64, String, &'static str, Option<String>)> {
    let mut out = Vec::new();
    for feature in report.as_array().unwrap() {
        for element in feature["elements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] != "background")
        {
            let steps = element["steps"].as_array().unwrap();
            let status = |s: &Value| s["result"]["status"].as_str().unwrap().to_string();
            let verdict = if steps
                .iter()
                .any(|s| !matches!(status(s).as_str(), "passed" | "skipped"))
            {
                "failed"
            } else if steps.iter().any(|s| status(s) == "skipped") {
                "skipped"
            } else {
                "passed"
            };
            let reason = steps
                .iter()
                .find(|s| status(s) == "skipped")
                .map(|s| s["name"].as_str().unwrap().to_string());
            let (uri, line, name) = (
                feature["uri"].as_str().unwrap(),
                element["line"].as_u64().unwrap(),
                element["name"].as_str().unwrap(),
            );
            out.push((uri.to_string(), line, name.to_string(), verdict, reason));
        }
    }
    out
}

/// A test case of a stream: its pickle's file, line and name, the statuses of its steps, and
/// the messages of their results.
pub struct Case {
    pub uri: String,
    pub line: u64,
    pub name: String,
    pub statuses: Vec<String>,
    pub messages: Vec<String>,
}

impl Case {
    /// Its steps' severest status, as the Cucumber JSON report's verdict says it.
    pub fn verdict(&self) -> &'static str {
        severest(&self.statuses)
    }
}

/// Failed if a step failed (or is undefined, ambiguous, pending or unknown), else skipped if
/// one was skipped, else passed, as the other reports decide.
pub fn severest(statuses: &[String]) -> &'static str {
    if statuses.iter().any(|s| !matches!(s.as_str(), "PASSED" | "SKIPPED")) {
        "failed"
    } else if statuses.iter().any(|s| s == "SKIPPED") {
        "skipped"
    } else {
        "passed"
    }
}

/// Every test case of a stream, in the order they started.
pub fn cases(stream: &[Value]) -> Vec<Case> {
    let find = |kind: &str, id: &Value| {
        stream
            .iter()
            .filter_map(|e| e.get(kind))
            .find(|v| v["id"] == *id)
            .cloned()
    };
    let mut out = Vec::new();
    for started in stream.iter().filter_map(|e| e.get("testCaseStarted")) {
        let case = find("testCase", &started["testCaseId"]).expect("its test case");
        let pickle = find("pickle", &case["pickleId"]).expect("its pickle");
        let results: Vec<&Value> = stream
            .iter()
            .filter_map(|e| e.get("testStepFinished"))
            .filter(|f| f["testCaseStartedId"] == started["id"])
            .map(|f| &f["testStepResult"])
            .collect();
        out.push(Case {
            uri: pickle["uri"].as_str().unwrap().to_string(),
            line: pickle["location"]["line"].as_u64().unwrap(),
            name: pickle["name"].as_str().unwrap().to_string(),
            statuses: results
                .iter()
                .map(|r| r["status"].as_str().unwrap().to_string())
                .collect(),
            messages: results
                .iter()
                .filter_map(|r| r["message"].as_str().map(str::to_string))
                .collect(),
        });
    }
    out
}
