@label @except-seed @except-signalwire @needs-labels
Feature: Name a participant by its label
  Twilio's API lets the CallSid of a participant path be the participant's label instead (its
  "…ByLabel" examples): the request reaches the participant that joined with that label, and
  the answer is that participant's own, with its call sid and its uri by call sid. The seed
  page and SignalWire's current description take only call sids, so these scenarios run under
  the twilio profile only.

  # Labels are optional in Twilio's API: before the run, one participant of the target is
  # looked at, and where it carries no label these scenarios are skipped with the reason
  # (@needs-labels) instead of failing.
  # Choice: the harness reads each participant's label from the target (a retrieve by call
  # sid) and never guesses it. The simulated space, and any setup endpoint, give each
  # participant the name it was arranged by as its label.

  # A label with characters a URL cannot carry as they are is sent percent-encoded, as Twilio
  # asks ("my label" as my%20label, "ünï" as its UTF-8 bytes, each %XX): the target decodes
  # the path segment before it looks the label up. The harness's client encodes the path as
  # any URL library does. (They are arranged in a second conference, so that a target whose
  # participants are configured runs the scenarios above and skips these, with the reason.)

  Background:
    Given a conference with participants "agent", "customer" and "supervisor"

  Scenario: Mute a participant named by its label (documented example "muteParticipantByLabel")
    When "customer" is updated by its label with:
      | Muted | true |
    Then the update succeeds as in the documented "mute-by-label" example
    And "customer" is muted
    And "customer" is otherwise unchanged
    And no participant but "customer" has changed
    And a retrieve of "customer" shows the same participant

  Scenario: Start coaching, the coach named by its label (documented example "modifyParticipantByLabel")
    When "customer" is updated by its label with:
      | Coaching       | true  |
      | CallSidToCoach | agent |
    Then the update succeeds as in the documented "coaching-by-label" example
    And "customer" is coaching "agent"
    And "customer" is otherwise unchanged
    And no participant but "customer" has changed
    And a retrieve of "customer" shows the same participant

  Scenario: Retrieve a participant named by its label (documented example "fetchByLabel")
    Given "customer" is coaching "agent"
    When "customer" is retrieved by its label
    Then the answer is as in the documented "participant-by-label" example
    And a retrieve of "customer" shows the same participant

  @needs-another-conference
  Scenario: Mute a participant whose label has a space, sent percent-encoded
    Given another conference of the same account with participants "my label" and "ünï"
    When "my label" is updated by its label with:
      | Muted | true |
    Then the update succeeds
    And "my label" is muted
    And "my label" is otherwise unchanged
    And no participant but "my label" has changed
    And a retrieve of "my label" shows the same participant

  @needs-another-conference
  Scenario: Retrieve and mute a participant whose label is not ASCII, sent percent-encoded
    Given another conference of the same account with participants "my label" and "ünï"
    When "ünï" is retrieved by its label
    Then a retrieve of "ünï" shows the same participant
    When "ünï" is updated by its label with:
      | Muted | true |
    Then the update succeeds
    And "ünï" is muted
    And no participant but "ünï" has changed
    And a retrieve of "ünï" shows the same participant
