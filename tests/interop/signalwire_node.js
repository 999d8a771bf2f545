// SignalWire's Node package (npm `@signalwire/compatibility-api` 3.2.0, which bundles a fork of
// twilio-node 3), driven through a participant's lifecycle against
// `laml-conformance serve --profile signalwire`: retrieve, list with the Muted and Hold filters and
// page by page, update (mute, hold with music, coaching on and off, wait music, announce), the
// refusal of BeepOnExit (a key this generation does not document), a refused update whose
// exception carries the documented status and code, and delete. Every step asserts what the
// library hands back; a failed step is printed and the next one runs.
//
// Pointing it at serve: `RestClient(project, token, { signalwireSpaceUrl })` builds a twilio
// client for "AC" + project (twilio-node insists on AC), then puts the project back as the account
// sid and sets `client.api.baseUrl` to "https://" + host (src/index.ts, `RestClient`; the host
// from `getHost`, src/helpers.ts): the scheme is always https. serve speaks plain http, so after
// checking what the library made of the space URL, the script puts http back on the same
// `client.api.baseUrl`. The paths are the library's: `/2010-04-01/Accounts/…/{CallSid}.json`
// (dist/index.node.js, ParticipantContext), as it sends to a real space. The space URL is the host
// alone: a path in it (`…/api/laml`) would come before every request, but a next page is baseUrl +
// `next_page_uri` (lib/base/Page.js `getNextPageUrl`), which already starts with `/api/laml`.
//
// Usage: node signalwire_node.js BASE_URL ENV_FILE   (ENV_FILE: the LAML_* lines serve printed)
"use strict";
const { RestClient } = require("@signalwire/compatibility-api");
const { Space, steps, same, refusal, installedVersion } = require("./interop");

async function main(base, envFile) {
  const space = new Space(base, envFile);
  const names = space.names;
  const version = installedVersion("@signalwire/compatibility-api");
  const step = steps(`@signalwire/compatibility-api (npm) ${version} against serve --profile signalwire`, space);
  const host = new URL(base).host;
  const client = RestClient(space.account, space.token, { signalwireSpaceUrl: host });
  same(client.api.baseUrl, `https://${host}`, "what the library makes of a space URL");
  client.api.baseUrl = base; // the same host, over the plain http serve speaks
  const conference = client.api.v2010.account.conferences(space.conference);
  const [agent, customer, supervisor] = ["agent", "customer", "supervisor"].map((n) => conference.participants(names[n]));
  const everyone = Object.values(names).sort();
  const sids = (participants) => participants.map((p) => p.callSid);
  const restException = (e) => { if (e.constructor.name !== "RestException") throw e; return e; };

  await step("retrieve", async () => {
    const fetched = await agent.fetch();
    same([fetched.callSid, fetched.muted, fetched.status], [names.agent, false, "in-progress"], "call_sid, muted, status");
    same([fetched.accountSid, fetched.conferenceSid], [space.account, space.conference], "account_sid, conference_sid");
    if (!(fetched.dateUpdated instanceof Date) || isNaN(fetched.dateUpdated)) throw new Error(`date_updated not read as a date: ${fetched.dateUpdated}`);
  });

  await step("list with Muted=false and Hold=false", async () => {
    same(sids(await conference.participants.list({ muted: false })).sort(), everyone, "Muted=false");
    same(sids(await conference.participants.list({ hold: false })).sort(), everyone, "Hold=false");
  });

  await step("list page by page (PageSize=1, then the next page until none)", async () => {
    same(sids(await conference.participants.list({ pageSize: 1 })).sort(), everyone, "every page of PageSize=1");
    const first = await conference.participants.page({ pageSize: 1 });
    const second = await first.nextPage();
    const third = await second.nextPage();
    const pages = [first, second, third].map((page) => sids(page.instances));
    same(pages.flat().sort(), everyone, "three pages of one");
    same(pages.map((p) => p.length), [1, 1, 1], "page sizes");
    same(third.nextPage(), undefined, "a page after the last");
  });

  await step("mute, then list with Muted=true", async () => {
    same((await agent.update({ muted: true })).muted, true, "muted");
    same(sids(await conference.participants.list({ muted: true })), [names.agent], "Muted=true");
  });

  await step("hold with HoldUrl and HoldMethod, then list with Hold=true", async () => {
    const held = await customer.update({ hold: true, holdUrl: "http://www.myapp.com/hold", holdMethod: "GET" });
    same([held.callSid, held.hold], [names.customer, true], "call_sid, hold");
    same(sids(await conference.participants.list({ hold: true })), [names.customer], "Hold=true");
  });

  await step("coaching on (CallSidToCoach), coaching off", async () => {
    const coaching = await supervisor.update({ coaching: true, callSidToCoach: names.agent });
    same([coaching.coaching, coaching.callSidToCoach], [true, names.agent], "coaching, call_sid_to_coach");
    const stopped = await supervisor.update({ coaching: false });
    same(stopped.coaching, false, "coaching");
    // SignalWire: "uuid or null" for a participant coaching nobody; never one of the participants
    if (Object.values(names).includes(stopped.callSidToCoach)) throw new Error(`still coaching ${stopped.callSidToCoach}`);
  });

  await step("WaitUrl and WaitMethod", async () => {
    const waiting = await customer.update({ waitUrl: "http://www.myapp.com/wait", waitMethod: "GET" });
    same([waiting.callSid, waiting.hold, waiting.muted], [names.customer, true, false], "call_sid, hold, muted");
  });

  await step("BeepOnExit, which this generation does not document, is refused: 400 and 10000", async () => {
    const e = restException(await refusal(() => customer.update({ beepOnExit: false }), "BeepOnExit"));
    same([e.status, e.code], [400, 10000], "status, code");
    if (!e.message.includes("BeepOnExit")) throw new Error(`the message does not name the key: ${e.message}`);
  });

  await step("announce (AnnounceUrl)", async () => {
    const announced = await agent.update({ announceUrl: "http://www.myapp.com/announce" });
    same(announced.muted, true, "an announcement changes nothing else: muted");
  });

  await step("refused update (HoldMethod=PUT): the exception carries 400 and 13221", async () => {
    const e = restException(await refusal(() => agent.update({ holdMethod: "PUT" }), "HoldMethod=PUT"));
    same([e.status, e.code], [400, 13221], "status, code");
  });

  await step("delete, then list without it", async () => {
    same(await customer.remove(), true, "remove()");
    same(sids(await conference.participants.list()).sort(), [names.agent, names.supervisor].sort(), "the remaining participants");
  });

  await step.journalClean(["HoldMethod=PUT", "BeepOnExit=false"]);
  step.done();
}

main(process.argv[2], process.argv[3]).catch((e) => { console.error(e); process.exit(1); });
