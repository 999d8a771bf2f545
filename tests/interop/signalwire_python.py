"""SignalWire's Python package (PyPI `signalwire` 2.1.1, which wraps twilio 6.54), driven through a
participant's lifecycle against `laml-conformance serve --profile signalwire`: retrieve, list with
the Muted and Hold filters and page by page, update (mute, hold with music, coaching on and off,
wait music, announce), the refusal of BeepOnExit (a key this generation does not document), a
refused update whose exception carries the documented status and code, and delete. Every step
asserts what the library hands back; a failed step is printed and the next one runs.

Pointing it at serve: `signalwire.rest.Client(..., signalwire_space_url=...)` keeps the host (and
any path) of the space URL but always makes the scheme https (signalwire/rest/__init__.py,
`ParseResult('https', netloc, path, ...)`, then `self._api.base_url = p.geturl()`). serve speaks
plain http, so after checking what the library made of the space URL, the script puts http back
on the same `client.api.base_url` (twilio 6.54's Domain.base_url). The paths are the library's:
twilio 6.54 sends `/2010-04-01/Accounts/…/Participants/{CallSid}.json`, as it does to a real space.
The space URL is the host alone: the library would keep a path (`…/api/laml`) in front of every
request, but a next page is base_url + `next_page_uri` (twilio/base/page.py `next_page_url`,
domain.py `absolute_url`), and that uri already starts with `/api/laml`, so paging would double it.

Usage: python3 signalwire_python.py BASE_URL ENV_FILE   (ENV_FILE: the LAML_* lines serve printed)
"""

import datetime
import sys
import urllib.parse
from importlib.metadata import version

from signalwire.rest import Client
from twilio.base.exceptions import TwilioRestException

from interop import Space, Steps


def main(base, env_file):
    space = Space(base, env_file)
    names = space.names
    step = Steps(f"signalwire (PyPI) {version('signalwire')} (twilio {version('twilio')}) against serve --profile signalwire", space)
    host = urllib.parse.urlsplit(base).netloc
    client = Client(space.account, space.token, signalwire_space_url=host)
    assert client.api.base_url == f"https://{host}", client.api.base_url  # what the library makes of a space URL
    client.api.base_url = base  # the same host, over the plain http serve speaks
    conference = client.conferences(space.conference)
    agent, customer, supervisor = (conference.participants(names[n]) for n in ("agent", "customer", "supervisor"))
    everyone = sorted(names.values())

    @step("retrieve")
    def _():
        fetched = agent.fetch()
        assert fetched.call_sid == names["agent"] and fetched.muted is False, fetched
        assert fetched.account_sid == space.account and fetched.conference_sid == space.conference, fetched
        assert fetched.status == "in-progress", fetched.status
        assert isinstance(fetched.date_updated, datetime.datetime), fetched.date_updated

    @step("list with Muted=False and Hold=False")
    def _():
        assert sorted(p.call_sid for p in conference.participants.list(muted=False)) == everyone
        assert sorted(p.call_sid for p in conference.participants.list(hold=False)) == everyone

    @step("list page by page (PageSize=1, then the next page until none)")
    def _():
        paged = [p.call_sid for p in conference.participants.list(page_size=1)]
        assert sorted(paged) == everyone, paged
        first_page = conference.participants.page(page_size=1)
        second_page = first_page.next_page()
        third_page = second_page.next_page()
        pages = [[p.call_sid for p in page] for page in (first_page, second_page, third_page)]
        assert sorted(sum(pages, [])) == everyone and all(len(p) == 1 for p in pages), pages
        assert third_page.next_page() is None

    @step("mute, then list with Muted=True")
    def _():
        assert agent.update(muted=True).muted is True
        assert [p.call_sid for p in conference.participants.list(muted=True)] == [names["agent"]]

    @step("hold with HoldUrl and HoldMethod, then list with Hold=True")
    def _():
        held = customer.update(hold=True, hold_url="http://www.myapp.com/hold", hold_method="GET")
        assert held.hold is True and held.call_sid == names["customer"], held
        assert [p.call_sid for p in conference.participants.list(hold=True)] == [names["customer"]]

    @step("coaching on (CallSidToCoach), coaching off")
    def _():
        coaching = supervisor.update(coaching=True, call_sid_to_coach=names["agent"])
        assert coaching.coaching is True and coaching.call_sid_to_coach == names["agent"], coaching
        stopped = supervisor.update(coaching=False)
        # SignalWire: "uuid or null" for a participant coaching nobody; never one of the participants
        assert stopped.coaching is False and stopped.call_sid_to_coach not in names.values(), stopped

    @step("WaitUrl and WaitMethod")
    def _():
        waiting = customer.update(wait_url="http://www.myapp.com/wait", wait_method="GET")
        assert waiting.call_sid == names["customer"] and waiting.hold is True and waiting.muted is False, waiting

    @step("BeepOnExit, which this generation does not document, is refused: 400 and 10000")
    def _():
        try:
            customer.update(beep_on_exit=False)
            raise AssertionError("BeepOnExit was accepted")
        except TwilioRestException as e:
            assert (e.status, e.code) == (400, 10000), (e.status, e.code)
            assert "BeepOnExit" in e.msg, e.msg

    @step("announce (AnnounceUrl)")
    def _():
        announced = agent.update(announce_url="http://www.myapp.com/announce")
        assert announced.muted is True, "an announcement changes nothing else"

    @step("refused update (HoldMethod=PUT): the exception carries 400 and 13221")
    def _():
        try:
            agent.update(hold_method="PUT")
            raise AssertionError("HoldMethod=PUT was accepted")
        except TwilioRestException as e:
            assert (e.status, e.code) == (400, 13221), (e.status, e.code)

    @step("delete, then list without it")
    def _():
        assert customer.delete() is True
        remaining = sorted(p.call_sid for p in conference.participants.list())
        assert remaining == sorted([names["agent"], names["supervisor"]]), remaining

    step.journal_clean(refused={"HoldMethod=PUT", "BeepOnExit=False"})
    step.done()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
