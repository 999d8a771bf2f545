// Telnyx's Node library (npm `telnyx` 7.24.0), driven through a participant's lifecycle against
// `laml-conformance serve --profile telnyx`: retrieve, list (one page: Telnyx's list declares no
// paging parameter and the library sends none), update (mute, hold with music, coaching on and
// off, wait music and the exit flags, announce), a refused update and a missing participant whose
// exceptions carry the status and the `errors[]` body, and delete. Every step asserts what the
// library hands back; a failed step is printed and the next one runs.
//
// Pointing it at serve: `new Telnyx({ baseURL })` takes the base URL with its `/v2` (the library
// appends `/texml/Accounts/…` to it, as to https://api.telnyx.com/v2), `maxRetries: 0` so that one
// step sends one request. The key is sent as `Authorization: Bearer`; an update is the form body
// Telnyx's OpenAPI description declares (the library's participants.ts sets the form header).
//
// Usage: node telnyx_node.js BASE_URL ENV_FILE   (ENV_FILE: the LAML_* lines serve printed)
"use strict";
const { Telnyx, APIError, BadRequestError, NotFoundError } = require("telnyx");
const { Space, steps, same, refusal, installedVersion } = require("./interop");

// serve's journal judges a request path by the profile's `uri_json` (the `uri` field's form), not
// by its `paths` (the request's form): Telnyx's bare paths are flagged for lacking `.json`.
// A defect of serve (src/library/spec/request.rs `check_path`), not of the library.

async function main(base, envFile) {
  const space = new Space(base, envFile);
  const names = space.names;
  const step = steps(`telnyx (npm) ${installedVersion("telnyx")} against serve --profile telnyx`, space);
  const client = new Telnyx({ apiKey: space.token, baseURL: `${base}/v2`, maxRetries: 0 });
  const participants = client.texml.accounts.conferences.participants;
  const where = { account_sid: space.account, conference_sid: space.conference };
  const update = (name, params) => participants.update(names[name], { ...where, ...params });
  const everyone = Object.values(names).sort();
  const page = () => participants.retrieveParticipants(space.conference, { account_sid: space.account });
  const listed = async (only = {}) => (await page()).participants
    .filter((p) => Object.entries(only).every(([k, v]) => p[k] === v)).map((p) => p.call_sid).sort();
  // The exception `fn` must throw, checked to be of `kind` with `status` and an `errors[]` body.
  const refused = async (fn, what, kind, status) => {
    const e = await refusal(fn, what);
    if (!(e instanceof APIError)) throw e;
    if (!(e instanceof kind)) throw new Error(`${what}: ${e.constructor.name}, not ${kind.name}: ${e.message}`);
    same(e.status, status, `${what}: status`);
    if (!e.error?.errors?.[0]?.detail) throw new Error(`${what}: no errors[0].detail in ${JSON.stringify(e.error)}`);
    return e.error.errors[0];
  };

  await step("retrieve", async () => {
    const fetched = await participants.retrieve(names.agent, where);
    same([fetched.call_sid, fetched.muted, fetched.status], [names.agent, false, "connected"], "call_sid, muted, status");
    same([fetched.account_sid, fetched.conference_sid, fetched.api_version], [space.account, space.conference, "v2/texml"], "account_sid, conference_sid, api_version");
    if (!fetched.uri.endsWith(`/Participants/${names.agent}.json`)) throw new Error(`uri: ${fetched.uri}`);
  });

  await step("list: every participant on one page, no next page", async () => {
    const first = await page();
    same(first.participants.map((p) => p.call_sid).sort(), everyone, "participants");
    same([first.page, first.page_size, first.next_page_uri], [0, 20, null], "page, page_size, next_page_uri");
  });

  await step("mute, then the list shows it", async () => {
    same((await update("agent", { Muted: true })).muted, true, "muted");
    same(await listed({ muted: true }), [names.agent], "the muted");
  });

  await step("hold with HoldUrl and HoldMethod, then the list shows it", async () => {
    const held = await update("customer", { Hold: true, HoldUrl: "http://www.myapp.com/hold", HoldMethod: "GET" });
    same(held.hold, true, "hold");
    same(await listed({ hold: true }), [names.customer], "the held");
  });

  await step("coaching on (CallSidToCoach: coaching_call_sid answers it), coaching off", async () => {
    const coaching = await update("supervisor", { Coaching: true, CallSidToCoach: names.agent });
    same([coaching.coaching, coaching.coaching_call_sid], [true, names.agent], "coaching, coaching_call_sid");
    same(await listed({ coaching: true }), [names.supervisor], "the coaching");
    const stopped = await update("supervisor", { Coaching: false });
    same([stopped.coaching, stopped.coaching_call_sid ?? null], [false, null], "coaching, coaching_call_sid");
  });

  await step("WaitUrl, BeepOnExit and EndConferenceOnExit", async () => {
    const waiting = await update("customer", { WaitUrl: "http://www.myapp.com/wait", BeepOnExit: false, EndConferenceOnExit: true });
    same([waiting.end_conference_on_exit, waiting.hold], [true, true], "end_conference_on_exit, hold");
  });

  await step("announce (AnnounceUrl and AnnounceMethod)", async () => {
    const announced = await update("agent", { AnnounceUrl: "http://www.myapp.com/announce", AnnounceMethod: "GET" });
    same(announced.muted, true, "an announcement changes nothing else: muted");
  });

  await step("refused update (HoldMethod=PUT): BadRequestError, 400, errors[] with its detail", async () => {
    const error = await refused(() => update("agent", { HoldMethod: "PUT" }), "HoldMethod=PUT", BadRequestError, 400);
    if (!error.detail.includes("HoldMethod")) throw new Error(`detail: ${error.detail}`);
  });

  await step("a participant that is not there: NotFoundError, 404, errors[]", async () => {
    await refused(() => participants.retrieve("v3:notInThisConference", where), "a missing participant", NotFoundError, 404);
  });

  await step("delete, then the list without it", async () => {
    same(await participants.delete(names.customer, where), null, "delete()");
    same(await listed(), [names.agent, names.supervisor].sort(), "the remaining participants");
  });

  await step.journalClean(["HoldMethod=PUT"]);
  step.done();
}

main(process.argv[2], process.argv[3]).catch((e) => { console.error(e); process.exit(1); });
