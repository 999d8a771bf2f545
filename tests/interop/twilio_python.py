"""The official Twilio Python library (PyPI `twilio`), driven through a participant's lifecycle
against `laml-conformance serve --profile twilio`: retrieve, list with a filter and page by
page, update (mute,
hold with music, coaching on and off, announce), a refused update whose exception carries the
documented status and code, and delete. Every step asserts what the library hands back.

Usage: python3 twilio_python.py BASE_URL ENV_FILE   (ENV_FILE: the LAML_* lines serve printed)
"""

import sys

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


def main(base, env_file):
    env = dict(l.strip().split("=", 1) for l in open(env_file) if l.startswith("LAML_"))
    names = dict(p.split("=") for p in env["LAML_PARTICIPANTS"].split(","))
    client = Client(env["LAML_PROJECT_ID"], env["LAML_API_TOKEN"])
    client.api.base_url = base  # the loopback server instead of api.twilio.com
    conference = client.conferences(env["LAML_CONFERENCE_SID"])
    agent, customer, supervisor = (conference.participants(names[n]) for n in ("agent", "customer", "supervisor"))

    fetched = agent.fetch()
    assert fetched.call_sid == names["agent"] and fetched.muted is False, fetched
    assert fetched.status == "connected", fetched.status

    listed = [p.call_sid for p in conference.participants.list(muted=False)]
    assert sorted(listed) == sorted(names.values()), listed

    paged = [p.call_sid for p in conference.participants.list(page_size=1)]
    assert sorted(paged) == sorted(names.values()), paged
    first_page = conference.participants.page(page_size=2)
    second_page = first_page.next_page()
    assert len(list(first_page)) == 2 and len(list(second_page)) == 1, "a second page"
    assert second_page.next_page() is None

    assert agent.update(muted=True).muted is True
    assert [p.call_sid for p in conference.participants.list(muted=True)] == [names["agent"]]

    held = customer.update(hold=True, hold_url="http://www.myapp.com/hold", hold_method="GET")
    assert held.hold is True, held

    coaching = supervisor.update(coaching=True, call_sid_to_coach=names["agent"])
    assert coaching.coaching is True and coaching.call_sid_to_coach == names["agent"], coaching
    assert [p.call_sid for p in conference.participants.list(coaching=True)] == [names["supervisor"]]
    stopped = supervisor.update(coaching=False)
    assert stopped.coaching is False and stopped.call_sid_to_coach is None, stopped

    waiting = customer.update(wait_url="http://www.myapp.com/wait", wait_method="GET", beep_on_exit=False, end_conference_on_exit=True)
    assert waiting.end_conference_on_exit is True, waiting

    announced = agent.update(announce_url="http://www.myapp.com/announce")
    assert announced.muted is True, "an announcement changes nothing else"

    try:
        agent.update(hold_method="PUT")
        raise AssertionError("HoldMethod=PUT was accepted")
    except TwilioRestException as e:
        assert (e.status, e.code) == (400, 13221), (e.status, e.code)

    assert customer.delete() is True
    remaining = sorted(p.call_sid for p in conference.participants.list())
    assert remaining == sorted([names["agent"], names["supervisor"]]), remaining
    print("twilio (PyPI): retrieve, list with filters and pages, mute, hold, coaching on and off, wait music and exit flags, announce, refusal, delete: all as documented")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
