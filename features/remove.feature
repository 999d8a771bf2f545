@remove
Feature: Remove a participant from a conference
  A participant is removed from its conference by a DELETE of its own URL. Every generation
  documents the answer as 204 with no body. The participant is then gone: a retrieve of it is
  refused as not found, and it is on no page of the list. The others stay as they were.

  # Not @live-safe: a removed live participant is a dropped call, which no restore brings back.

  Background:
    Given a conference with participants "agent", "customer" and "supervisor"

  Scenario: Remove a participant
    When "customer" is removed from the conference
    Then the removal succeeds with no body
    And "customer" is gone from the conference
    And no participant but "customer" has changed

  Scenario: Removing the participant a coach coaches leaves the others as they were
    Given "supervisor" is coaching "agent"
    When "customer" is removed from the conference
    Then the removal succeeds with no body
    And "customer" is gone from the conference
    And no participant but "customer" has changed

  @live-safe
  Scenario: Removing a participant that is not in the conference is refused as not found
    When a participant that is not in the conference is removed
    Then the removal is refused with status 404 and code 20404
    And no participant has changed
