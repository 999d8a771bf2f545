@auth @errors
Feature: Authentication
  Every request carries Basic authentication: the project id, which is also the AccountSid in
  the path, and its API token. A request that fails authentication is refused with HTTP 401 and
  code 20003, and changes nothing.

  # Choice: valid credentials of another account are refused like wrong ones (401, 20003):
  # they authenticate, but not for the account in the path. So are they on the path of an
  # account that does not exist: a 404 there (SPEC.md section 4's 20404) would tell any holder
  # of credentials which accounts exist.

  Background:
    Given a conference with participants "agent" and "customer"

  @live-safe
  Scenario Outline: A mute sent <case> is refused
    When "agent" is muted <case>
    Then the update is refused with status 401 and code 20003
    And no participant has changed

    Examples:
      | case                                     |
      | without credentials                      |
      | with a wrong token                       |

    @needs-another-account
    Examples:
      | case                                     |
      | with the credentials of another account  |

  @live-safe
  Scenario: A mute in an account that does not exist is refused as in another's
    When "agent" is muted in an unknown account
    Then the update is refused with status 401 and code 20003
    And no participant has changed
