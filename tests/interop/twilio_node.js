// The official Twilio Node library (npm `twilio` 6), driven through a participant's lifecycle
// against `laml-conformance serve --profile twilio`: retrieve, list with each filter and page by
// page, update (mute, hold with music, coaching on and off, wait music and the exit flags,
// announce), a refused update whose exception carries the documented status and code, and delete.
// Every step asserts what the library hands back; a failed step is printed and the next one runs.
//
// Pointing it at serve: the client's `api` domain is built with the base URL
// "https://api.twilio.com" (lib/rest/ApiBase.js) and kept on the client (lib/rest/Twilio.js,
// `get api()`); every URL is `domain.baseUrl` + "/2010-04-01" + the resource path
// (lib/base/Domain.js `absoluteUrl`), and a next page is `baseUrl` + the `next_page_uri` the
// server gave (lib/base/Page.js). So `client.api.baseUrl` is set to serve's URL. The account sid
// must start with AC (lib/base/BaseTwilio.js `setAccountSid`): the twilio profile's ids do.
//
// Usage: node twilio_node.js BASE_URL ENV_FILE   (ENV_FILE: the LAML_* lines serve printed)
"use strict";
const twilio = require("twilio");
const { Space, steps, same, refusal, installedVersion } = require("./interop");

async function main(base, envFile) {
  const space = new Space(base, envFile);
  const names = space.names;
  const step = steps(`twilio (npm) ${installedVersion("twilio")} against serve --profile twilio`, space);
  const client = twilio(space.account, space.token);
  client.api.baseUrl = base; // the loopback server instead of https://api.twilio.com
  const conference = client.api.v2010.account.conferences(space.conference);
  const [agent, customer, supervisor] = ["agent", "customer", "supervisor"].map((n) => conference.participants(names[n]));
  const everyone = Object.values(names).sort();
  const sids = (participants) => participants.map((p) => p.callSid);

  await step("retrieve", async () => {
    const fetched = await agent.fetch();
    same([fetched.callSid, fetched.muted, fetched.status], [names.agent, false, "connected"], "call_sid, muted, status");
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

  await step("coaching on (CallSidToCoach), list with Coaching=true, coaching off", async () => {
    const coaching = await supervisor.update({ coaching: true, callSidToCoach: names.agent });
    same([coaching.coaching, coaching.callSidToCoach], [true, names.agent], "coaching, call_sid_to_coach");
    same(sids(await conference.participants.list({ coaching: true })), [names.supervisor], "Coaching=true");
    const stopped = await supervisor.update({ coaching: false });
    same([stopped.coaching, stopped.callSidToCoach], [false, null], "coaching, call_sid_to_coach");
  });

  await step("WaitUrl and WaitMethod, BeepOnExit and EndConferenceOnExit", async () => {
    const waiting = await customer.update({ waitUrl: "http://www.myapp.com/wait", waitMethod: "GET", beepOnExit: false, endConferenceOnExit: true });
    same([waiting.callSid, waiting.endConferenceOnExit, waiting.hold], [names.customer, true, true], "call_sid, end_conference_on_exit, hold");
  });

  await step("announce (AnnounceUrl)", async () => {
    const announced = await agent.update({ announceUrl: "http://www.myapp.com/announce" });
    same(announced.muted, true, "an announcement changes nothing else: muted");
  });

  await step("refused update (HoldMethod=PUT): the exception carries 400 and 13221", async () => {
    const e = await refusal(() => agent.update({ holdMethod: "PUT" }), "HoldMethod=PUT");
    if (!(e instanceof twilio.RestException)) throw e;
    same([e.status, e.code], [400, 13221], "status, code");
  });

  await step("delete, then list without it", async () => {
    same(await customer.remove(), true, "remove()");
    same(sids(await conference.participants.list()).sort(), [names.agent, names.supervisor].sort(), "the remaining participants");
  });

  await step.journalClean(["HoldMethod=PUT"]);
  step.done();
}

main(process.argv[2], process.argv[3]).catch((e) => { console.error(e); process.exit(1); });
