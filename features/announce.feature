@announce
Feature: Announce to a participant
  AnnounceUrl names what is played to one participant, AnnounceMethod how it is fetched, GET
  or POST (POST by default). An announcement changes nothing else: the participant keeps
  their muted, hold and coaching state.

  # Not @live-safe: a live server would play the example's announcement, fetched from a
  # third party, to a real caller.

  Background:
    Given a conference with participants "agent" and "customer"

  Scenario: Play an announcement to a participant
    When "customer" is updated with:
      | AnnounceUrl | https://www.your-application.com/announce |
    Then the update succeeds
    And "customer" is otherwise unchanged
    And a retrieve of "customer" shows the same participant

  Scenario Outline: The announcement is fetched with <method>
    When "customer" is updated with:
      | AnnounceUrl    | https://www.your-application.com/announce |
      | AnnounceMethod | <method>                                  |
    Then the update succeeds
    And "customer" is otherwise unchanged
    And a retrieve of "customer" shows the same participant

    Examples:
      | method |
      | GET    |
      | POST   |

  Scenario: An announcement to a muted participant keeps them muted
    Given "customer" is muted
    When "customer" is updated with:
      | AnnounceUrl | https://www.your-application.com/announce |
    Then the update succeeds
    And "customer" is otherwise unchanged
    And a retrieve of "customer" shows the same participant
