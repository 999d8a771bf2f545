//! Whether every id a Cucumber Messages stream names is the id of a message (or of a node of a
//! Gherkin document) of the same stream, of the kind the field names, and every id is given
//! once: the references `@cucumber/html-formatter` follows to put a result beside its step.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

/// The ids of a Gherkin document's nodes, by the field that holds them.
#[derive(Default)]
struct Nodes {
    scenarios: HashSet<String>,
    steps: HashSet<String>,
    background_steps: HashSet<String>,
    rows: HashSet<String>,
    tags: HashSet<String>,
}

fn walk(value: &Value, key: &str, in_background: bool, nodes: &mut Nodes, all: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(id) = map.get("id").and_then(Value::as_str) {
                all.push(id.to_string());
                if in_background && key == "steps" {
                    nodes.background_steps.insert(id.to_string());
                }
                let set = match key {
                    "scenario" => Some(&mut nodes.scenarios),
                    "steps" => Some(&mut nodes.steps),
                    "tableHeader" | "tableBody" | "rows" => Some(&mut nodes.rows),
                    "tags" => Some(&mut nodes.tags),
                    _ => None,
                };
                if let Some(set) = set {
                    set.insert(id.to_string());
                }
            }
            for (k, v) in map {
                walk(v, k, in_background || key == "background", nodes, all);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, key, in_background, nodes, all)),
        _ => {}
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().map(s).collect()
}

/// What the check found so far: the problems, every id given, and the document's nodes.
#[derive(Default)]
struct Check {
    out: Vec<String>,
    all: Vec<String>,
    nodes: Nodes,
}

fn of<'a>(stream: &'a [Value], kind: &'static str) -> impl Iterator<Item = &'a Value> {
    stream.iter().filter_map(move |e| e.get(kind))
}

/// Every reference of `stream` that names nothing, or names the wrong kind, and every id given
/// twice; empty when the stream is consistent.
pub fn problems(stream: &[Value]) -> Vec<String> {
    let mut c = Check::default();
    let sources: HashSet<String> = of(stream, "source").map(|v| s(&v["uri"])).collect();
    for doc in of(stream, "gherkinDocument") {
        walk(&doc["feature"], "feature", false, &mut c.nodes, &mut c.all);
        if !sources.contains(&s(&doc["uri"])) {
            c.out.push(format!("gherkinDocument {} has no source", doc["uri"]));
        }
    }
    let pickle_steps = c.pickles(stream);
    let runs: Vec<String> = of(stream, "testRunStarted").map(|r| s(&r["id"])).collect();
    c.all.extend(runs.iter().cloned());
    let case_steps = c.test_cases(stream, &pickle_steps, &runs);
    let mut out = c.out;
    let mut all = c.all;
    out.extend(execution(stream, &case_steps, &runs, &mut all));
    let mut seen = HashSet::new();
    out.extend(
        all.into_iter()
            .filter(|id| !seen.insert(id.clone()))
            .map(|id| format!("id {id} is given twice")),
    );
    let kinds: Vec<String> = stream
        .iter()
        .map(|e| e.as_object().and_then(|m| m.keys().next().cloned()).unwrap_or_default())
        .collect();
    if kinds.first().map(String::as_str) != Some("meta") || kinds.last().map(String::as_str) != Some("testRunFinished")
    {
        out.push("the stream does not open with meta and close with testRunFinished".into());
    }
    out
}

impl Check {
    /// Each pickle names its scenario (and row), its steps theirs, its tags theirs; the ids of
    /// each pickle's steps, by the pickle's id.
    fn pickles(&mut self, stream: &[Value]) -> HashMap<String, Vec<String>> {
        let mut pickle_steps: HashMap<String, Vec<String>> = HashMap::new();
        for p in of(stream, "pickle") {
            self.all.push(s(&p["id"]));
            let ast = strs(&p["astNodeIds"]);
            if !ast.first().is_some_and(|id| self.nodes.scenarios.contains(id)) {
                self.out.push(format!("pickle {} names no scenario: {ast:?}", p["id"]));
            }
            if ast.len() > 1 && !self.nodes.rows.contains(&ast[1]) {
                self.out
                    .push(format!("pickle {} names no examples row: {ast:?}", p["id"]));
            }
            for step in p["steps"].as_array().into_iter().flatten() {
                self.all.push(s(&step["id"]));
                let ids = strs(&step["astNodeIds"]);
                // a step of an outline names its row too; a background's step does not
                let background = ids.first().is_some_and(|id| self.nodes.background_steps.contains(id));
                let row_ok = if background || ast.len() == 1 {
                    ids.len() == 1
                } else {
                    ids.len() == 2 && ids[1] == ast[1]
                };
                if !ids.first().is_some_and(|id| self.nodes.steps.contains(id)) || !row_ok {
                    self.out.push(format!("pickle step {} names {ids:?}", step["id"]));
                }
                pickle_steps.entry(s(&p["id"])).or_default().push(s(&step["id"]));
            }
            for tag in p["tags"].as_array().into_iter().flatten() {
                if !self.nodes.tags.contains(&s(&tag["astNodeId"])) {
                    self.out.push(format!("pickle tag {tag} names no tag"));
                }
            }
        }
        pickle_steps
    }

    /// Each test case runs every step of its pickle once, and its hooks, with definitions and
    /// hooks of the stream; the ids of each test case's steps, by the test case's id.
    fn test_cases(
        &mut self,
        stream: &[Value],
        pickle_steps: &HashMap<String, Vec<String>>,
        runs: &[String],
    ) -> HashMap<String, Vec<String>> {
        let definitions: HashSet<String> = of(stream, "stepDefinition").map(|d| s(&d["id"])).collect();
        let hooks: HashSet<String> = of(stream, "hook").map(|h| s(&h["id"])).collect();
        self.all
            .extend(definitions.iter().cloned().chain(hooks.iter().cloned()));
        let mut case_steps: HashMap<String, Vec<String>> = HashMap::new();
        for case in of(stream, "testCase") {
            self.all.push(s(&case["id"]));
            let mut wanted = pickle_steps.get(&s(&case["pickleId"])).cloned();
            if wanted.is_none() || !runs.contains(&s(&case["testRunStartedId"])) {
                self.out
                    .push(format!("testCase {} names no pickle, or no run", case["id"]));
            }
            for step in case["testSteps"].as_array().into_iter().flatten() {
                self.all.push(s(&step["id"]));
                case_steps.entry(s(&case["id"])).or_default().push(s(&step["id"]));
                let named = match (step.get("pickleStepId"), step.get("hookId")) {
                    (Some(p), None) => wanted.as_mut().is_some_and(|w| take(w, &s(p))),
                    (None, Some(h)) => hooks.contains(&s(h)),
                    _ => false,
                };
                let defined = strs(&step["stepDefinitionIds"]).iter().all(|d| definitions.contains(d));
                if !named || !defined {
                    self.out.push(format!("test step {step} names what is not there"));
                }
            }
            if wanted.is_some_and(|w| !w.is_empty()) {
                self.out
                    .push(format!("testCase {} leaves pickle steps out", case["id"]));
            }
        }
        case_steps
    }
}

/// The events of the run: each test case started once, each of its steps started then finished
/// once, and finished once; the run finished as it started.
fn execution(
    stream: &[Value],
    case_steps: &HashMap<String, Vec<String>>,
    runs: &[String],
    all: &mut Vec<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut started: HashMap<String, String> = HashMap::new(); // testCaseStarted id → testCase id
    let mut steps_left: HashMap<String, Vec<String>> = HashMap::new();
    let mut open: HashSet<(String, String)> = HashSet::new();
    let mut finished = HashSet::new();
    for e in stream {
        if let Some(st) = e.get("testCaseStarted") {
            all.push(s(&st["id"]));
            let case = s(&st["testCaseId"]);
            if started.values().any(|c| *c == case) || !case_steps.contains_key(&case) {
                out.push(format!("testCaseStarted {} names {case} again, or nothing", st["id"]));
            }
            steps_left.insert(s(&st["id"]), case_steps.get(&case).cloned().unwrap_or_default());
            started.insert(s(&st["id"]), case);
        } else if let Some(st) = e.get("testStepStarted") {
            let key = (s(&st["testCaseStartedId"]), s(&st["testStepId"]));
            let left = steps_left.get_mut(&key.0);
            if !left.is_some_and(|l| take(l, &key.1)) {
                out.push(format!("testStepStarted {st} names no step of its case, or one again"));
            }
            open.insert(key);
        } else if let Some(st) = e.get("testStepFinished") {
            if !open.remove(&(s(&st["testCaseStartedId"]), s(&st["testStepId"]))) {
                out.push(format!("testStepFinished {st} ends no step that started"));
            }
        } else if let Some(f) = e.get("testCaseFinished") {
            let id = s(&f["testCaseStartedId"]);
            if !started.contains_key(&id)
                || !finished.insert(id.clone())
                || steps_left.get(&id).is_some_and(|l| !l.is_empty())
            {
                out.push(format!(
                    "testCaseFinished {id} ends no case that started, or one not done"
                ));
            }
        } else if let Some(f) = e.get("testRunFinished")
            && !runs.contains(&s(&f["testRunStartedId"]))
        {
            out.push("testRunFinished names no run".into());
        }
    }
    if finished.len() != case_steps.len() || !open.is_empty() {
        out.push(format!(
            "{} of {} test cases finished; {} steps left open",
            finished.len(),
            case_steps.len(),
            open.len()
        ));
    }
    out
}

/// Takes `id` out of `list`; whether it was there.
fn take(list: &mut Vec<String>, id: &str) -> bool {
    list.iter().position(|x| x == id).map(|i| list.remove(i)).is_some()
}
