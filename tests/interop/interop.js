// What the Node interop scripts share (the counterpart of interop.py): the conference `serve`
// printed, steps that go on after a failure (each failure names the request serve last saw, from
// its journal), and a last look at the journal's verdict on every request the library sent.
"use strict";
const fs = require("fs");
const path = require("path");

class Space {
  constructor(base, envFile) {
    const env = Object.fromEntries(
      fs.readFileSync(envFile, "utf8").split("\n").filter((l) => l.startsWith("LAML_"))
        .map((l) => { const i = l.indexOf("="); return [l.slice(0, i), l.slice(i + 1).trim()]; }));
    this.base = base;
    this.account = env.LAML_PROJECT_ID;
    this.token = env.LAML_API_TOKEN;
    this.conference = env.LAML_CONFERENCE_SID;
    this.names = Object.fromEntries(env.LAML_PARTICIPANTS.split(",").map((p) => p.split("=")));
  }

  async journal() {
    const basic = Buffer.from(`${this.account}:${this.token}`).toString("base64");
    const response = await fetch(`${this.base}/__laml/journal`, { headers: { Authorization: `Basic ${basic}` } });
    return (await response.json()).requests;
  }
}

// `await step("name", async () => …)` runs one step; a failure is printed and the run goes on,
// so one defect does not hide the steps after it. `done()` exits 1 if any step failed.
function steps(library, space) {
  const passed = [], failed = [];
  console.log(`== ${library}`);
  const step = async (name, fn) => {
    try {
      await fn();
      passed.push(name);
      console.log(`   ok    ${name}`);
    } catch (e) {
      failed.push(name);
      const where = (e.stack || "").split("\n").find((l) => l.includes("tests/interop/") && !l.includes("/interop.js")) || "";
      const fields = e.status !== undefined ? ` [status ${e.status}, code ${e.code}]` : "";
      console.log(`   FAIL  ${name}: ${e.name}: ${e.message}${fields}  ${where.trim()}`);
      try {
        const last = (await space.journal()).at(-1);
        console.log(`         last request serve saw: ${last.method} ${last.path} ${JSON.stringify(last.body)} -> ${last.status}`);
      } catch (_) { /* the journal is only a hint */ }
    }
  };
  // Every request the library sent is one the journal finds nothing to say about, but for those
  // the script had refused on purpose (`refused`: bodies).
  step.journalClean = (refused) => step("every request the library sent is as documented (the journal's verdict)", async () => {
    const entries = await space.journal();
    if (entries.length === 0) throw new Error("the journal is empty");
    for (const entry of entries) {
      if (refused.includes(entry.body)) {
        if (entry.status !== 400) throw new Error(`not refused: ${JSON.stringify(entry)}`);
        continue;
      }
      if (entry.deviations.length) throw new Error(`deviations: ${JSON.stringify(entry)}`);
    }
  });
  step.done = () => {
    const total = passed.length + failed.length;
    if (failed.length) {
      console.log(`   ${library}: ${failed.length} of ${total} steps FAILED: ${failed.join(", ")}`);
      process.exit(1);
    }
    console.log(`   ${library}: all ${total} steps passed`);
  };
  return step;
}

// Throws, with both values, unless `actual` deep-equals `expected`.
function same(actual, expected, what) {
  const a = JSON.stringify(actual), b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`);
}

// Runs `fn`, which must be refused; returns the library's exception.
async function refusal(fn, what) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error(`${what} was accepted`);
}

// The installed version of a package, read from its package.json (found from its entry point: a
// package's "exports" may not list package.json).
function installedVersion(name) {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, "package.json")) || JSON.parse(fs.readFileSync(path.join(dir, "package.json"))).name !== name) {
    if (dir === path.dirname(dir)) return "?";
    dir = path.dirname(dir);
  }
  return JSON.parse(fs.readFileSync(path.join(dir, "package.json"))).version;
}

module.exports = { Space, steps, same, refusal, installedVersion };
