@list
Feature: List the participants of a conference
  The participants of a conference are listed by a GET of …/Participants.json (in SignalWire's
  current description, …/Participants), a page at a time. Muted and Hold (and, in Twilio's API,
  Coaching) narrow the list; Page and PageSize choose the page. Every page is judged whole:
  its keys by the profile's list envelope; page, page_size, start and end by the request and
  by each other; uri, first_page_uri, next_page_uri and previous_page_uri by the filters and
  the page they name, null where there is no such page; each participant on it as a resource,
  as the filters it was listed under say, and as a participant of this conference.

  # The seed's list example pages with ?Page=50 and prints page_size, start and end, so its own
  # page implies Page and PageSize: these scenarios run under every profile. PageToken
  # (SignalWire, Twilio) is a cursor a server writes into its own links; a client sends it by
  # following them, as these scenarios do.
  # Not @live-safe: a live conference may hold participants the scenario did not arrange, so
  # the counts of a page are not the scenario's to state.

  Background:
    Given a conference with participants "agent", "customer" and "supervisor"

  Scenario: Every participant on one page
    When the participants are listed
    Then the page lists 3 participants
    And the page has no previous page
    And the page has no next page
    And the pages together list exactly "agent", "customer" and "supervisor"

  # Telnyx's list operation declares no query parameter at all: no filter, no paging.
  @except-telnyx
  Scenario: Page through the participants two at a time
    When the participants are listed with:
      | PageSize | 2 |
    Then the page lists 2 participants
    And the page has no previous page
    And the page has a next page
    When the next page is followed
    Then the page lists 1 participant
    And the page has a previous page
    And the page has no next page
    And the pages together list exactly "agent", "customer" and "supervisor"

  # Telnyx's list operation declares no query parameter at all: no filter, no paging.
  @except-telnyx
  Scenario: Back from the last page to the first
    When the participants are listed with:
      | PageSize | 1 |
      | Page     | 2 |
    Then the page lists 1 participant
    And the page has a previous page
    And the page has no next page
    When the previous page is followed
    Then the page lists 1 participant
    And the page has a previous page
    And the page has a next page
    When the first page is followed
    Then the page lists 1 participant
    And the page has no previous page
    And the page has a next page

  # Telnyx's list operation declares no query parameter at all: no filter, no paging.
  @except-telnyx
  Scenario: Page through the muted participants (as Twilio's examples "readFull", "readNext" and "readPrevious")
    Given "agent" is muted
    And "supervisor" is muted
    When the participants are listed with:
      | Muted    | true |
      | PageSize | 1    |
    Then the page lists 1 participant
    And the page has a next page
    When the next page is followed
    Then the page lists 1 participant
    And the page has a previous page
    And the page has no next page
    And the pages together list exactly "agent" and "supervisor"
    When the previous page is followed
    Then the page lists 1 participant
    And the page has no previous page

  # Telnyx's list operation declares no query parameter at all: no filter, no paging.
  @except-telnyx
  Scenario: A filter nobody matches gives one empty page (as Twilio's example "readEmpty")
    When the participants are listed with:
      | Hold | true |
    Then the page lists 0 participants
    And the page has no previous page
    And the page has no next page

  @needs-another-conference
  Scenario: The list holds only the conference's own participants
    Given another conference of the same account with participants "caller" and "host"
    When the participants are listed
    Then the pages together list exactly "agent", "customer" and "supervisor"

  # Choice: the documents bound Page (from 0) and PageSize (from 1 to 1000, Twilio's API) but
  # name no error for a value outside them; this harness expects the refusal of an invalid
  # argument (10000), as for any other value a parameter does not take.
  # Telnyx's list operation declares no Page or PageSize.
  @live-safe @choice @except-telnyx
  Scenario Outline: A page asked for with <case> is refused
    When the participants are listed with:
      | <parameter> | <value> |
    Then the listing is refused with status 400 and code 10000

    Examples:
      | case                 | parameter | value |
      | PageSize 0           | PageSize  | 0     |
      | PageSize over 1000   | PageSize  | 1001  |
      | a negative Page      | Page      | -1    |
      | a Page that is text  | Page      | next  |
