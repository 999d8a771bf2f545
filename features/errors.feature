@errors
Feature: Refused updates
  An update the documentation does not allow is refused with an error body of the documented
  shape, {code, message, more_info, status}, whose status equals the HTTP status. A refused
  update changes nothing: every participant retrieves afterwards exactly as before, down to
  date_updated.

  # Choice (booleans, SPEC.md sections 5 and 7): Muted, Hold, Coaching and Beep take true or
  # false in any case (the table writes true, the cURL examples send True). Anything else,
  # 1, yes or on included, is refused with 400 and code 10000: the documentation says
  # "Possible values are true or false", and guessing would let a client's bug pass silently.
  # Choice (methods): HoldMethod and AnnounceMethod are GET or POST as the documentation
  # spells them; a lowercase get is refused with 13221 like any other value.
  # Choice (errata 3): an empty CallSidToCoach, as one tab of the barge example sends, is a
  # blank argument (10000); the other tabs omit it, and so must clients.
  # Choice: a method the resource does not allow answers 405 with code 20004, as the Twilio
  # API does; this page documents no code for it.
  # Choice (unknown keys): a key that is not in the parameter table (or Beep) is refused with
  # 10000, camelCase spellings included. The page lists every parameter an update takes, and
  # errata 2 shows SDK tabs whose camelCase keys are silently lost: refusing them is the only
  # way a client learns its update did not say what it meant. (Twilio ignores unknown keys.)
  # Coaching (SPEC.md section 4): Coaching=true without CallSidToCoach is refused with 16002,
  # as all three generations require it ("If true, call_sid_to_coach must be defined"; "Requires
  # CallSidToCoach"). A CallSidToCoach that is not another participant of the same conference
  # is refused with 16002 too. CallSidToCoach alone starts coaching: "coaching defaults to false
  # unless call_sid_to_coach is defined" (coach.feature).
  # Choice: CallSidToCoach together with Coaching=false contradicts itself; no document says
  # what then, and this harness refuses it with 16002 (@choice).
  # Names in tables stand for the participants' sids; `unknown sid` is a sid no participant has.
  # Choice (body): a body that is not form-urlencoded is an invalid argument (10000): the
  # documentation sends forms only, and reading JSON would accept requests no client of this
  # API sends.

  Background:
    Given a conference with participants "agent", "customer" and "supervisor"

  @live-safe
  Scenario Outline: An update of <case> is refused as not found
    When <request>
    Then the update is refused with status 404 and code 20404
    And no participant has changed

    Examples:
      | case                                     | request                                                 |
      | a participant in an unknown conference   | "agent" is muted in an unknown conference               |
      | a participant that is not in it          | a participant that is not in the conference is muted    |

  @live-safe
  Scenario Outline: A parameter with <case> is refused
    When "supervisor" is updated with:
      | <parameter> | <value> |
    Then the update is refused with status 400 and code <code>
    And no participant has changed

    Examples:
      | case                                | parameter      | value                          | code  |
      | HoldMethod PUT                      | HoldMethod     | PUT                            | 13221 |
      | AnnounceMethod DELETE               | AnnounceMethod | DELETE                         | 13221 |
      | HoldUrl a relative path             | HoldUrl        | /hold                          | 21402 |
      | HoldUrl without a scheme            | HoldUrl        | www.your-application.com/hold  | 21402 |
      | AnnounceUrl not over http           | AnnounceUrl    | ftp://www.your-application.com | 21402 |

    # A blank value is an invalid argument (10000, SPEC.md section 4); Twilio's API reads any
    # Muted other than true or false as false, so the twilio profile skips this row.
    @except-twilio
    Examples:
      | case                                | parameter      | value                          | code  |
      | Muted blank                         | Muted          |                                | 10000 |

    # Choice: no document says what a lowercase method or a boolean other than true or false
    # gets; this harness refuses them (see the comment at the top).
    @choice
    Examples:
      | case                                | parameter      | value                          | code  |
      | HoldMethod in lowercase             | HoldMethod     | get                            | 13221 |
      | Hold as a number                    | Hold           | 1                              | 10000 |
      | Coaching as on                      | Coaching       | on                             | 10000 |

    # Twilio's API: for Muted, "any value other than true or false is interpreted as false", so
    # the twilio profile skips this row; the seed and SignalWire's description are silent.
    @choice @except-twilio @except-telnyx
    Examples:
      | case                                | parameter      | value                          | code  |
      | Muted neither true nor false        | Muted          | yes                            | 10000 |

    # Choice: the seed's Beep is a boolean like the others (see the comment at the top);
    # SignalWire's description refuses Beep whatever its value, and Twilio's API ignores it.
    @choice @except-twilio @except-telnyx
    Examples:
      | case                                | parameter      | value                          | code  |
      | Beep as yes                         | Beep           | yes                            | 10000 |

  # Choice: the seed is silent on keys outside its table, SignalWire's description allows none,
  # Twilio ignores them; this harness refuses them (see the comment at the top). Telnyx's body
  # schema does not forbid other keys, so its profile ignores them as Twilio's does.
  @live-safe @choice @except-twilio @except-telnyx
  Scenario Outline: An undocumented key, <case>, is refused
    When "supervisor" is updated with the undocumented parameter "<key>" set to "<value>"
    Then the update is refused with status 400 and code 10000
    And no participant has changed

    Examples:
      | case                            | key            | value |
      | a key of no generation          | Volume         | 5     |
      | a camelCase key, as one SDK tab | callSidToCoach | agent |

  # SignalWire's current description lists its keys and allows no other: the seed's Beep and
  # Twilio's BeepOnExit and EndConferenceOnExit are refused there.
  @live-safe @except-seed @except-twilio @except-telnyx
  Scenario Outline: A key of another generation, <key>, is refused by SignalWire's description
    When "supervisor" is updated with:
      | <key> | <value> |
    Then the update is refused with status 400 and code 10000
    And no participant has changed

    Examples:
      | key                 | value |
      | Beep                | false |
      | BeepOnExit          | true  |
      | EndConferenceOnExit | true  |

  # The seed page documents none of the later keys, and this harness refuses keys outside its
  # table (see the comment at the top).
  @live-safe @choice @except-signalwire @except-twilio @except-telnyx
  Scenario Outline: A later generation's key, <key>, is refused under the seed
    When "supervisor" is updated with:
      | <key> | <value> |
    Then the update is refused with status 400 and code 10000
    And no participant has changed

    Examples:
      | key                 | value                                |
      | WaitUrl             | http://www.your-application.com/wait |
      | EndConferenceOnExit | true                                 |

  @live-safe
  Scenario: Coaching without naming whom to coach is refused
    When "supervisor" is updated with:
      | Coaching | true |
    Then the update is refused with status 400 and code 16002
    And no participant has changed

  @live-safe @needs-another-conference
  Scenario: Coaching a participant of another conference is refused
    Given another conference of the same account with participant "stranger"
    When "supervisor" is updated with:
      | Coaching       | true     |
      | CallSidToCoach | stranger |
    Then the update is refused with status 400 and code 16002
    And no participant has changed

  @live-safe
  Scenario: Coaching a call sid that no participant has is refused
    When "supervisor" is updated with:
      | Coaching       | true        |
      | CallSidToCoach | unknown sid |
    Then the update is refused with status 400 and code 16002
    And no participant has changed

  @live-safe @choice
  Scenario: Naming whom to coach while stopping coaching is refused
    When "supervisor" is updated with:
      | Coaching       | false |
      | CallSidToCoach | agent |
    Then the update is refused with status 400 and code 16002
    And no participant has changed

  @live-safe
  Scenario: A participant cannot coach itself
    When "supervisor" is updated with:
      | Coaching       | true       |
      | CallSidToCoach | supervisor |
    Then the update is refused with status 400 and code 16002
    And no participant has changed

  @live-safe @choice
  Scenario: An empty CallSidToCoach is refused as blank
    Given "supervisor" is coaching "agent"
    When "supervisor" is updated with:
      | Muted          | False |
      | Coaching       | False |
      | CallSidToCoach |       |
    Then the update is refused with status 400 and code 10000
    And no participant has changed

  @live-safe @choice
  Scenario: A JSON body instead of a form is refused
    When "agent" is updated with a JSON body:
      """
      {"Muted": true}
      """
    Then the update is refused with status 400 and code 10000
    And no participant has changed

  @needs-completed-conference
  Scenario: A participant of a completed conference cannot be updated
    Given the conference has completed
    When "agent" is updated with:
      | Muted | true |
    Then the update is refused with status 400 and code 10000
    And no participant has changed

  @live-safe @choice
  Scenario Outline: A <method> request is refused as a method the resource does not allow
    When a <method> request is sent to "agent"
    Then the update is refused with status 405 and code 20004
    And the refusal names the allowed methods GET, POST and DELETE
    And no participant has changed

    Examples:
      | method |
      | PUT    |
      | PATCH  |
