@mute
Feature: Mute a participant
  A muted participant hears the conference but is not heard. Muted takes true or false in
  any case: the documentation writes lowercase, its cURL examples send True and False.

  Background:
    Given a conference with participants "agent", "customer" and "supervisor"

  @live-safe
  Scenario: Mute a participant (documented example "Mute a Participant")
    When "customer" is updated with:
      | Muted | True |
    Then the update succeeds with the documented "mute" shape
    And "customer" is muted
    And a retrieve of "customer" shows the same participant

  @live-safe
  Scenario: Unmute a muted participant
    Given "customer" is muted
    When "customer" is updated with:
      | Muted | False |
    Then the update succeeds with the documented "participant" shape
    And "customer" is not muted
    And a retrieve of "customer" shows the same participant

  @live-safe
  Scenario: Muting a muted participant leaves them muted
    Given "customer" is muted
    When "customer" is updated with:
      | Muted | True |
    Then the update succeeds with the documented "mute" shape
    And "customer" is muted
    And a retrieve of "customer" shows the same participant

  @live-safe
  Scenario Outline: Muted is read in any case: <case>
    When "customer" is updated with:
      | Muted | <value> |
    Then the update succeeds with the documented "<shape>" shape
    And "customer" is <state>
    And a retrieve of "customer" shows the same participant

    Examples:
      | case                    | value | shape       | state     |
      | lowercase, as the table | true  | mute        | muted     |
      | capitalised, as cURL    | True  | mute        | muted     |
      | uppercase               | TRUE  | mute        | muted     |
      | capitalised false       | False | participant | not muted |

  @live-safe
  Scenario: Only muted participants are listed as muted
    Given "customer" is muted
    Then listing the participants with "Muted" set to "true" gives exactly "customer"
    And listing the participants with "Muted" set to "false" gives exactly "agent" and "supervisor"
