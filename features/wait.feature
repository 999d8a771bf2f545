@wait @except-seed
Feature: Music while waiting for the conference to start
  SignalWire's current description and Twilio's API take WaitUrl, the music a participant
  hears until the conference starts, and WaitMethod, GET or POST, how that music is fetched
  (POST unless said). Neither is visible in the resource: an update that sets them succeeds
  and changes nothing a retrieve shows but date_updated. The seed page documents neither.

  # URL and method rules as for HoldUrl and HoldMethod (hold.feature, errors.feature): an
  # absolute http or https URL (21402 otherwise), GET or POST (13221 otherwise).
  # Not @live-safe, as for hold music: a live server would fetch the music for a real caller.

  Background:
    Given a conference with participants "agent" and "customer"

  Scenario Outline: Wait music fetched with <method>
    When "customer" is updated with:
      | WaitUrl    | http://www.your-application.com/wait |
      | WaitMethod | <method>                             |
    Then the update succeeds
    And "customer" is otherwise unchanged
    And a retrieve of "customer" shows the same participant

    Examples:
      | method |
      | GET    |
      | POST   |

  Scenario: Wait music fetched the default way
    When "customer" is updated with:
      | WaitUrl | https://www.your-application.com/wait |
    Then the update succeeds
    And "customer" is otherwise unchanged
    And a retrieve of "customer" shows the same participant

  @live-safe
  Scenario Outline: A wait parameter with <case> is refused
    When "customer" is updated with:
      | <parameter> | <value> |
    Then the update is refused with status 400 and code <code>
    And no participant has changed

    Examples:
      | case                     | parameter  | value                               | code  |
      | WaitUrl a relative path  | WaitUrl    | /wait                               | 21402 |
      | WaitUrl not over http    | WaitUrl    | ftp://www.your-application.com/wait | 21402 |

    # Telnyx documents WaitUrl without WaitMethod.
    @except-telnyx
    Examples:
      | case                     | parameter  | value                               | code  |
      | WaitMethod PUT           | WaitMethod | PUT                                 | 13221 |
