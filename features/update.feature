@update
Feature: Update a participant
  A participant of a running conference is updated by a POST of form parameters to its own
  URL, …/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants/{CallSid}.json, with
  Basic authentication (the project id and its API token). Every parameter is optional; the
  answer is the participant as it is after the update.

  Every answer is compared with a documented example after its volatile values (sids, dates,
  uri, status) have been checked and replaced by typed placeholders; what the update controls
  (muted, hold, coaching) is compared as it is.

  # Choice (errata 9): the documentation's first example sends no parameters and shows no
  # response. We hold it to the resource page's sample participant: the answer is the
  # participant, unchanged but for date_updated, which moves forward on every successful
  # update while date_created never moves.

  Background:
    Given a conference with participants "agent" and "customer"

  @live-safe
  Scenario: An update with no parameters changes nothing but the update date
    When "agent" is updated with no parameters
    Then the update succeeds with the documented "participant" shape
    And the request conforms to the documentation
    And "agent" is unchanged but for its update date
    And a retrieve of "agent" shows the same participant

  @live-safe
  Scenario: Updating one participant leaves the others as they were
    When "agent" is updated with:
      | Muted | true |
    Then the update succeeds with the documented "mute" shape
    And "agent" is muted
    And no participant but "agent" has changed
    And a retrieve of "agent" shows the same participant

  @live-safe
  Scenario: Updating a participant leaves the account's other conferences alone
    Given another conference of the same account with participants "caller" and "host"
    When "agent" is updated with:
      | Muted | true |
    Then the update succeeds with the documented "mute" shape
    And "agent" is muted
    And no participant but "agent" has changed
    And a retrieve of "agent" shows the same participant
