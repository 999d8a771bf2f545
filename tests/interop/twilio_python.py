"""The official Twilio Python library (PyPI `twilio` 9), driven through a participant's lifecycle
against `laml-conformance serve --profile twilio`: retrieve, list with each filter and page by
page, update (mute, hold with music, coaching on and off, wait music and the exit flags,
announce), a refused update whose exception carries the documented status and code, and delete.
Every step asserts what the library hands back; a failed step is printed and the next one runs.

Usage: python3 twilio_python.py BASE_URL ENV_FILE   (ENV_FILE: the LAML_* lines serve printed)
"""

import datetime
import sys
from importlib.metadata import version

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from interop import Space, Steps


def main(base, env_file):
    space = Space(base, env_file)
    names = space.names
    step = Steps(f"twilio (PyPI) {version('twilio')} against serve --profile twilio", space)
    client = Client(space.account, space.token)
    client.api.base_url = base  # the loopback server instead of https://api.twilio.com (twilio/rest/api/ApiBase.py)
    conference = client.conferences(space.conference)
    agent, customer, supervisor = (conference.participants(names[n]) for n in ("agent", "customer", "supervisor"))
    everyone = sorted(names.values())

    @step("retrieve")
    def _():
        fetched = agent.fetch()
        assert fetched.call_sid == names["agent"] and fetched.muted is False, fetched
        assert fetched.status == "connected", fetched.status
        assert isinstance(fetched.date_updated, datetime.datetime), fetched.date_updated

    @step("list with Muted=false and Hold=false")
    def _():
        assert sorted(p.call_sid for p in conference.participants.list(muted=False)) == everyone
        assert sorted(p.call_sid for p in conference.participants.list(hold=False)) == everyone

    @step("list page by page (PageSize=1, then the next page until none)")
    def _():
        paged = [p.call_sid for p in conference.participants.list(page_size=1)]
        assert sorted(paged) == everyone, paged
        first_page = conference.participants.page(page_size=1)
        second_page = first_page.next_page()
        first, second = [p.call_sid for p in first_page], [p.call_sid for p in second_page]
        assert len(first) == 1 and len(second) == 1 and first != second, (first, second)
        first_page = conference.participants.page(page_size=2)
        second_page = first_page.next_page()
        assert len(list(first_page)) == 2 and len(list(second_page)) == 1, "a second page"
        assert second_page.next_page() is None

    @step("mute, then list with Muted=true")
    def _():
        assert agent.update(muted=True).muted is True
        assert [p.call_sid for p in conference.participants.list(muted=True)] == [names["agent"]]

    @step("hold with HoldUrl and HoldMethod, then list with Hold=true")
    def _():
        held = customer.update(hold=True, hold_url="http://www.myapp.com/hold", hold_method="GET")
        assert held.hold is True, held
        assert [p.call_sid for p in conference.participants.list(hold=True)] == [names["customer"]]

    @step("coaching on (CallSidToCoach), list with Coaching=true, coaching off")
    def _():
        coaching = supervisor.update(coaching=True, call_sid_to_coach=names["agent"])
        assert coaching.coaching is True and coaching.call_sid_to_coach == names["agent"], coaching
        assert [p.call_sid for p in conference.participants.list(coaching=True)] == [names["supervisor"]]
        stopped = supervisor.update(coaching=False)
        assert stopped.coaching is False and stopped.call_sid_to_coach is None, stopped

    @step("WaitUrl and WaitMethod, BeepOnExit and EndConferenceOnExit")
    def _():
        waiting = customer.update(wait_url="http://www.myapp.com/wait", wait_method="GET", beep_on_exit=False, end_conference_on_exit=True)
        assert waiting.end_conference_on_exit is True, waiting

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

    step.journal_clean(refused={"HoldMethod=PUT"})
    step.done()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
