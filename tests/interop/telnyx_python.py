"""Telnyx's Python library (PyPI `telnyx` 4.189.0), driven through a participant's lifecycle against
`laml-conformance serve --profile telnyx`: retrieve, list (one page: Telnyx's list declares no
paging parameter and the library sends none), update (mute, hold with music, coaching on and off,
wait music and the exit flags, announce), a refused update and a missing participant whose
exceptions carry the status and the `errors[]` body, and delete. Every step asserts what the
library hands back; a failed step is printed and the next one runs.

Pointing it at serve: `Telnyx(base_url=...)` takes the base URL with its `/v2` (the library appends
`/texml/Accounts/…` to it, as to https://api.telnyx.com/v2), `max_retries=0` so that one step sends
one request. The key is sent as `Authorization: Bearer`.

The body of an update, where Telnyx's documents disagree with themselves: the OpenAPI description
(team-telnyx/openapi spec3.yml, UpdateTexmlConferenceParticipant) declares the request body
`application/x-www-form-urlencoded` only, and Telnyx's Node library sends a form; this Python
library's typed `participants.update(...)` sends `application/json` (its resources/texml has no
form header; the client's default is JSON), which serve --profile telnyx refuses with 400 as the
OpenAPI description has it. The script asserts that refusal once, as a step of its own, then sends
each update through the same library's client (`client.post`, its auth, errors and
`ParticipantResource` model) with the form body Telnyx documents.

Usage: python3 telnyx_python.py BASE_URL ENV_FILE   (ENV_FILE: the LAML_* lines serve printed)
"""

import sys
import urllib.parse
from importlib.metadata import version

import telnyx
from telnyx.types.texml.accounts.conferences.participant_resource import ParticipantResource

from interop import Space, Steps

FORM = {"headers": {"Content-Type": "application/x-www-form-urlencoded"}}

# serve's journal judges a request path by the profile's `uri_json` (the `uri` field's form), not
# by its `paths` (the request's form): Telnyx's bare paths are flagged for lacking `.json`.
# A defect of serve (src/library/spec/request.rs `check_path`), not of the library.

def main(base, env_file):
    space = Space(base, env_file)
    names = space.names
    step = Steps(f"telnyx (PyPI) {version('telnyx')} against serve --profile telnyx", space)
    client = telnyx.Telnyx(api_key=space.token, base_url=base + "/v2", max_retries=0)
    participants = client.texml.accounts.conferences.participants
    where = {"account_sid": space.account, "conference_sid": space.conference}
    everyone = sorted(names.values())

    def update(name, **params):
        """The documented update: a form body, through the library's client and model."""
        path = f"/texml/Accounts/{space.account}/Conferences/{space.conference}/Participants/{names[name]}"
        body = urllib.parse.urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()})
        return client.post(path, cast_to=ParticipantResource, content=body.encode(), options=FORM)

    def listed(**only):
        page = participants.retrieve_participants(space.conference, account_sid=space.account)
        return sorted(p.call_sid for p in page.participants if all(getattr(p, k) == v for k, v in only.items()))

    @step("retrieve")
    def _():
        fetched = participants.retrieve(names["agent"], **where)
        assert fetched.call_sid == names["agent"] and fetched.muted is False, fetched
        assert fetched.account_sid == space.account and fetched.conference_sid == space.conference, fetched
        assert fetched.status == "connected" and fetched.api_version == "v2/texml", fetched
        assert fetched.uri.endswith(f"/Participants/{names['agent']}.json"), fetched.uri

    @step("list: every participant on one page, no next page")
    def _():
        page = participants.retrieve_participants(space.conference, account_sid=space.account)
        assert sorted(p.call_sid for p in page.participants) == everyone, page
        assert (page.page, page.page_size, page.next_page_uri) == (0, 20, None), page
        assert page.uri.endswith("/Participants.json"), page.uri

    @step("the typed update sends JSON, which the documents do not declare: 400, BadRequestError")
    def _():
        try:
            participants.update(names["agent"], **where, muted=True)
            raise AssertionError("a JSON body was accepted")
        except telnyx.BadRequestError as e:
            assert e.status_code == 400 and "form-urlencoded" in e.body["errors"][0]["detail"], e.body

    @step("mute (form body), then the list shows it")
    def _():
        assert update("agent", Muted=True).muted is True
        assert listed(muted=True) == [names["agent"]]

    @step("hold with HoldUrl and HoldMethod, then the list shows it")
    def _():
        held = update("customer", Hold=True, HoldUrl="http://www.myapp.com/hold", HoldMethod="GET")
        assert held.hold is True, held
        assert listed(hold=True) == [names["customer"]]

    @step("coaching on (CallSidToCoach: coaching_call_sid answers it), coaching off")
    def _():
        coaching = update("supervisor", Coaching=True, CallSidToCoach=names["agent"])
        assert coaching.coaching is True and coaching.coaching_call_sid == names["agent"], coaching
        assert listed(coaching=True) == [names["supervisor"]]
        stopped = update("supervisor", Coaching=False)
        assert stopped.coaching is False and stopped.coaching_call_sid is None, stopped

    @step("WaitUrl, BeepOnExit and EndConferenceOnExit")
    def _():
        waiting = update("customer", WaitUrl="http://www.myapp.com/wait", BeepOnExit=False, EndConferenceOnExit=True)
        assert waiting.end_conference_on_exit is True, waiting

    @step("announce (AnnounceUrl and AnnounceMethod)")
    def _():
        announced = update("agent", AnnounceUrl="http://www.myapp.com/announce", AnnounceMethod="GET")
        assert announced.muted is True, "an announcement changes nothing else"

    @step("refused update (HoldMethod=PUT): BadRequestError, 400, errors[] with its detail")
    def _():
        try:
            update("agent", HoldMethod="PUT")
            raise AssertionError("HoldMethod=PUT was accepted")
        except telnyx.BadRequestError as e:
            assert e.status_code == 400 and "HoldMethod" in e.body["errors"][0]["detail"], e.body

    @step("a participant that is not there: NotFoundError, 404, errors[]")
    def _():
        try:
            participants.retrieve("v3:notInThisConference", **where)
            raise AssertionError("a missing participant was found")
        except telnyx.NotFoundError as e:
            assert e.status_code == 404 and e.body["errors"][0]["detail"], e.body

    @step("delete, then the list without it")
    def _():
        assert participants.delete(names["customer"], **where) is None
        assert listed() == sorted([names["agent"], names["supervisor"]])

    step.journal_clean(refused={'{"Muted":true}', "HoldMethod=PUT"})
    step.done()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
