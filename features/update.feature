@update
Feature: Update a participant
  A participant of a running conference is updated by a POST of form parameters to its own
  URL, …/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants/{CallSid}.json, with
  Basic authentication (the project id and its API token). Every parameter is optional; the
  answer is the participant as it is after the update.

  Every answer is compared with the participant resource of the run's profile after its
  volatile values (sids, dates, uri, status) have been checked and replaced by typed
  placeholders; what the update controls (muted, hold, coaching) is checked by the value steps.

  # Generations (SPEC.md section 6, PROFILES.md): the answer is held to the run's profile
  # (--profile; the seed page by default). Under the seed, call_sid_to_coach is a sid even
  # when nobody is coached (the page prints a placeholder; a null is a deviation), the
  # resource has exactly its thirteen fields (Twilio's label and queue_time are extra), and
  # the status may be any a participant in the conference has in some generation (complete,
  # in-progress, connected; errata 4). The signalwire and twilio profiles hold the answer to
  # their own fields, nulls and statuses.
  # Choice (errata 9): the documentation's first example sends no parameters and shows no
  # response. We hold it to the resource page's sample participant: the answer is the
  # participant, unchanged but for date_updated, which moves forward on every successful
  # update while date_created never moves.

  Background:
    Given a conference with participants "agent" and "customer"

  @live-safe
  Scenario: An update with no parameters changes nothing but the update date
    When "agent" is updated with no parameters
    Then the update succeeds
    And "agent" is otherwise unchanged
    And a retrieve of "agent" shows the same participant

  @live-safe
  Scenario: Updating one participant leaves the others as they were
    When "agent" is updated with:
      | Muted | true |
    Then the update succeeds
    And "agent" is muted
    And "agent" is otherwise unchanged
    And no participant but "agent" has changed
    And a retrieve of "agent" shows the same participant

  @live-safe @needs-another-conference
  Scenario: Updating a participant leaves the account's other conferences alone
    Given another conference of the same account with participants "caller" and "host"
    When "agent" is updated with:
      | Muted | true |
    Then the update succeeds
    And "agent" is muted
    And "agent" is otherwise unchanged
    And no participant but "agent" has changed
    And a retrieve of "agent" shows the same participant

  # Twilio's API leaves out keys it does not know; the seed and SignalWire's description refuse
  # them (errors.feature).
  @live-safe @except-seed @except-signalwire
  Scenario: An undocumented key is left out under Twilio's API
    When "agent" is updated with the undocumented parameter "Volume" set to "5"
    Then the update succeeds
    And "agent" is otherwise unchanged
    And no participant but "agent" has changed
    And a retrieve of "agent" shows the same participant
