@exit @except-seed @except-signalwire
Feature: What happens when a participant leaves
  Twilio's API takes BeepOnExit, whether a beep plays when the participant leaves, and
  EndConferenceOnExit, whether the conference ends when it leaves, each true or false. The
  resource shows the second as end_conference_on_exit; the beep is not visible in it. The seed
  page and SignalWire's current description take neither (SignalWire refuses them:
  errors.feature).

  # Not @live-safe: the restore of a live participant takes back only muted, hold and coaching.

  Background:
    Given a conference with participants "agent" and "customer"

  Scenario: The conference ends when the agent leaves
    When "agent" is updated with:
      | EndConferenceOnExit | true |
    Then the update succeeds
    And "agent" ends the conference when it leaves
    And "agent" is otherwise unchanged
    And no participant but "agent" has changed
    And a retrieve of "agent" shows the same participant

  Scenario: The conference goes on when the agent leaves
    Given "agent" ends the conference when it leaves
    When "agent" is updated with:
      | EndConferenceOnExit | False |
    Then the update succeeds
    And "agent" does not end the conference when it leaves
    And "agent" is otherwise unchanged
    And a retrieve of "agent" shows the same participant

  Scenario Outline: A beep when the customer leaves: <value>
    When "customer" is updated with:
      | BeepOnExit | <value> |
    Then the update succeeds
    And "customer" is otherwise unchanged
    And a retrieve of "customer" shows the same participant

    Examples:
      | value |
      | true  |
      | False |

  # Choice: Twilio's API reads only Muted leniently ("any value other than true or false is
  # interpreted as false"); for the other booleans it says "true or false", and this harness
  # refuses anything else with 10000, as for Hold.
  @choice
  Scenario Outline: <parameter> of <value> is refused
    When "customer" is updated with:
      | <parameter> | <value> |
    Then the update is refused with status 400 and code 10000
    And no participant has changed

    Examples:
      | parameter           | value |
      | EndConferenceOnExit | maybe |
      | BeepOnExit          | 1     |
