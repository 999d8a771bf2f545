//! A catalogue of named faults: realistic ways an implementation deviates from the
//! documentation, which the simulated space can be started with (`--fault NAME`).
//!
//! Each fault names, next to itself, the scenarios declared to catch it. `laml-conformance
//! faults` (and `tests/faults.rs`) runs the suite once per fault and proves that each declared
//! scenario fails, and that the healthy space passes everything: a check that no fault makes
//! fail would be a check that cannot fail. A fault no scenario catches is a gap in the suite:
//! sharpen a scenario, never delete the fault.

use serde_json::{Value, json};

/// One way the simulated space can be broken on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The `hold` field is missing from every participant.
    DropHold,
    /// `muted` is sent as the string "true"/"false".
    MutedAsString,
    /// `coaching` is sent as 0/1.
    CoachingAsNumber,
    /// Dates are ISO 8601 instead of RFC 2822.
    IsoDates,
    /// `uri` lacks `.json`.
    UriWithoutJson,
    /// `uri` names another participant.
    UriOfAnotherParticipant,
    /// `status` is a value no generation documents.
    UndocumentedStatus,
    /// An undocumented field is added.
    ExtraField,
    /// `account_sid` is another account's.
    WrongAccountSid,
    /// `call_sid_to_coach` is null when nobody is coached (a later generation's habit).
    NullCallSidToCoach,
    /// `Muted` is accepted and ignored.
    IgnoreMuted,
    /// `Hold` is answered but not persisted.
    HoldNotPersisted,
    /// `coaching` is set but `call_sid_to_coach` is not.
    CoachingWithoutTarget,
    /// `Coaching=false` leaves `call_sid_to_coach` naming the coached participant.
    StopCoachingKeepsTarget,
    /// `CallSidToCoach` is not validated (self, other conference).
    CoachTargetNotValidated,
    /// `Coaching=true` without `CallSidToCoach` is accepted.
    CoachingWithoutCallSidAccepted,
    /// Boolean values are not validated: anything but `true` reads as false.
    BooleansNotValidated,
    /// Booleans are case-sensitive: `True` is refused.
    BooleansCaseSensitive,
    /// `HoldMethod` / `AnnounceMethod` take any value.
    MethodNotValidated,
    /// `HoldUrl` / `AnnounceUrl` take relative and non-http URLs.
    UrlNotValidated,
    /// Unknown parameters are ignored instead of refused.
    UnknownParametersIgnored,
    /// A JSON body is read as if it were the form.
    JsonBodyAccepted,
    /// `date_updated` does not move.
    DateUpdatedFrozen,
    /// `date_created` moves with every update.
    DateCreatedMoves,
    /// An update also applies to the participants at the same place in the account's other
    /// conferences.
    StateLeaksAcrossConferences,
    /// The update is applied to the next participant of the conference.
    WrongParticipantUpdated,
    /// Basic auth is not checked.
    AuthNotChecked,
    /// A participant of a completed conference can still be updated.
    CompletedConferenceUpdatable,
    /// PUT and PATCH are treated as POST.
    PutAccepted,
    /// The list ignores its `Muted` and `Hold` filters.
    ListFilterIgnored,
    /// 404 is answered as 400.
    NotFoundAs400,
    /// Errors come back as an HTML page.
    ErrorsAsHtml,
    /// The error body's `status` is a string.
    ErrorStatusAsString,
    /// The error body lacks `more_info`.
    ErrorWithoutMoreInfo,
    /// JSON answers are labelled `text/plain`.
    ContentTypeNotJson,
    /// The parameters of a refused update that are valid alone are applied anyway.
    RefusedUpdatePartlyApplied,
    /// Playing an announcement unmutes the participant.
    AnnounceUnmutes,
    /// `status` is `failed`: documented, but not for a participant still in the conference.
    StatusFailed,
    /// `uri` is in the other path form than the request's (no `/api/laml`).
    UriInOtherPathForm,
    /// `call_sid_to_coach` names a call that is not the coached participant's.
    CoachesAnotherCall,
    /// Every muted participant is also answered as on hold.
    MutedAlsoHolds,
    /// A page's `start` is its page number, and `end` counts from it.
    PageCountsWrong,
    /// Every page links a next page, the last one too.
    NextPageAlwaysLinked,
    /// Listed participants show `muted` the other way round.
    ListedFlagsInverted,
    /// The list holds the participants of the account's other conferences too.
    ListShowsOtherConferences,
    /// A removal answers 200 with the participant instead of 204 with no body.
    RemovalAnswers200,
    /// A removal answers 204 but the participant stays.
    RemovalNotApplied,
    /// A 405 carries no `Allow` header.
    NoAllowHeader,
    /// A 405's `Allow` header leaves out `DELETE`, which the resource allows.
    AllowWithoutDelete,
    /// Only paths with `.json` are served (SignalWire documents them without).
    JsonPathsOnly,
    /// Keys of other generations (`Beep`, `BeepOnExit`, …) are taken, not refused.
    OtherGenerationsKeysAccepted,
    /// A key the generation does not know is refused (Twilio's API leaves it out).
    UnknownKeysRefused,
    /// A `Muted` other than true or false is refused (Twilio's API reads it as false).
    MutedStrict,
    /// The list ignores its `Coaching` filter.
    CoachingFilterIgnored,
    /// `EndConferenceOnExit` is answered but not stored.
    EndConferenceOnExitNotStored,
    /// Its ids are another generation's: `AC…`/`CF…`/`CA…` where uuids are documented, and
    /// the other way round.
    SidsInAnotherFormat,
    /// `Coaching=false` is accepted and ignored: the participant goes on coaching whom it
    /// coached.
    CoachingNotStopped,
    /// `EndConferenceOnExit` is accepted and ignored, in the answer as in the state.
    EndConferenceOnExitIgnored,
    /// A participant named by its label is answered with its label in its `uri`.
    UriByLabel,
    /// Listed participants lack their `uri`; a participant retrieved alone keeps it.
    ListedWithoutUri,
    /// A coaching participant is answered as coaching itself.
    CoachesItself,
    /// Every update that sends `Muted` also sets `end_conference_on_exit`.
    MutingEndsTheConference,
    /// `EndConferenceOnExit=true` sticks: once set, a `false` is accepted and ignored.
    EndConferenceOnExitSticks,
    /// Allowed: every JSON object's keys come in the reverse order.
    KeysReversed,
    /// Allowed where no default is documented: a page holds 20 participants unless asked.
    DefaultPageSize20,
    /// Allowed: page links carry a `PageToken` cursor, as Twilio's do.
    PageTokens,
    /// Allowed where labels are optional: participants have no label.
    LabelsAbsent,
    /// Allowed under SignalWire's description: only its bare paths are served, `.json` ones
    /// are not found.
    BarePathsOnly,
    /// Allowed: the server's clock is an hour ahead of the harness's, in its dates and its
    /// `Date` header alike (nothing documented ties a server's clock to its clients').
    ClockAnHourAhead,
}

/// A fault, its command-line name, what it does, and the scenarios declared to catch it.
#[derive(Debug, Clone, Copy)]
pub struct FaultInfo {
    /// The fault.
    pub fault: Fault,
    /// Its name on the command line.
    pub name: &'static str,
    /// What an implementation with this fault does.
    pub what: &'static str,
    /// Scenario names (as the report prints them) that must fail under this fault.
    pub caught_by: &'static [&'static str],
    /// The profile the suite runs under to catch it: the generation whose documents the fault
    /// breaks (most break the seed's, which every generation shares).
    pub profile: &'static str,
}

/// The profile most faults are caught under.
const SEED: &str = "seed";

const MUTE: &str = "Mute a participant (documented example \"Mute a Participant\")";
const COACH: &str = "A supervisor starts coaching the agent (documented example \"Coaching a Participant\")";
const MONITOR: &str = "A supervisor monitors the agent (documented example \"Monitoring a Conference\")";
const BARGE: &str = "A coaching supervisor barges in (documented example \"Barge a Conference\")";
const HOLD: &str = "Put a participant on hold with hold music (documented example \"Put a Participant on Hold\")";
const NO_PARAMS: &str = "An update with no parameters changes nothing but the update date";
const ONE_PAGE: &str = "Every participant on one page";
const PAGE_TWO: &str = "Page through the participants two at a time";
const PAGE_MUTED: &str =
    "Page through the muted participants (as Twilio's examples \"readFull\", \"readNext\" and \"readPrevious\")";
const REMOVE: &str = "Remove a participant";

/// Every fault, with the scenarios declared to catch it.
pub const CATALOGUE: &[FaultInfo] = &[
    FaultInfo {
        fault: Fault::DropHold,
        name: "drop-hold",
        what: "omits the hold field",
        caught_by: &[MUTE, HOLD, NO_PARAMS],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::MutedAsString,
        name: "muted-as-string",
        what: "sends muted as the string \"true\"/\"false\"",
        caught_by: &[MUTE, "Unmute a muted participant"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::CoachingAsNumber,
        name: "coaching-as-number",
        what: "sends coaching as 0/1",
        caught_by: &[COACH, BARGE],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::IsoDates,
        name: "iso-dates",
        what: "writes dates in ISO 8601 instead of RFC 2822",
        caught_by: &[MUTE, COACH, NO_PARAMS],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::UriWithoutJson,
        name: "uri-without-json",
        what: "writes uri without .json",
        caught_by: &[MUTE, HOLD],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::UriOfAnotherParticipant,
        name: "uri-of-another-participant",
        what: "writes a uri naming another participant",
        caught_by: &[MUTE, COACH],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::UndocumentedStatus,
        name: "undocumented-status",
        what: "answers status \"active\", which no generation documents",
        caught_by: &[MUTE, NO_PARAMS],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::ExtraField,
        name: "extra-field",
        what: "adds a field this page's resource does not have (Twilio's queue_time)",
        caught_by: &[MUTE, MONITOR],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::WrongAccountSid,
        name: "wrong-account-sid",
        what: "answers another account's sid in account_sid",
        caught_by: &[MUTE, BARGE],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::NullCallSidToCoach,
        name: "null-call-sid-to-coach",
        what: "answers call_sid_to_coach null when nobody is coached, as later generations do, where this page shows a sid",
        caught_by: &[MUTE, BARGE, NO_PARAMS],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::IgnoreMuted,
        name: "ignore-muted",
        what: "accepts Muted and ignores it",
        caught_by: &[MUTE, MONITOR, "Only muted participants are listed as muted"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::HoldNotPersisted,
        name: "hold-not-persisted",
        what: "answers the held participant but does not keep it on hold",
        caught_by: &[HOLD, "Only participants on hold are listed as on hold"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::CoachingWithoutTarget,
        name: "coaching-without-target",
        what: "sets coaching but never call_sid_to_coach",
        caught_by: &[COACH, MONITOR, "A coach turns to coaching another participant"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::StopCoachingKeepsTarget,
        name: "stop-coaching-keeps-target",
        what: "leaves call_sid_to_coach naming the coached participant after Coaching=false",
        caught_by: &[BARGE, "A supervisor stops coaching and stays muted"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::CoachTargetNotValidated,
        name: "coach-target-not-validated",
        what: "accepts a CallSidToCoach of another conference, or the participant itself",
        caught_by: &[
            "Coaching a participant of another conference is refused",
            "A participant cannot coach itself",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::CoachingWithoutCallSidAccepted,
        name: "coaching-without-call-sid-accepted",
        what: "accepts Coaching=true without CallSidToCoach",
        caught_by: &["Coaching without naming whom to coach is refused"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::BooleansNotValidated,
        name: "booleans-not-validated",
        what: "reads any boolean value but true as false (200 for invalid input)",
        caught_by: &[
            "A parameter with Muted neither true nor false is refused",
            "A parameter with Hold as a number is refused",
            "A parameter with Coaching as on is refused",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::BooleansCaseSensitive,
        name: "booleans-case-sensitive",
        what: "refuses True and TRUE, accepting only lowercase",
        caught_by: &[MUTE, COACH, "Muted is read in any case: uppercase"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::MethodNotValidated,
        name: "method-not-validated",
        what: "accepts any HoldMethod or AnnounceMethod (and ignores it)",
        caught_by: &[
            "A parameter with HoldMethod PUT is refused",
            "A parameter with AnnounceMethod DELETE is refused",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::UrlNotValidated,
        name: "url-not-validated",
        what: "accepts relative and non-http HoldUrl and AnnounceUrl (and ignores them)",
        caught_by: &[
            "A parameter with HoldUrl a relative path is refused",
            "A parameter with AnnounceUrl not over http is refused",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::UnknownParametersIgnored,
        name: "unknown-parameters-ignored",
        what: "ignores unknown and camelCase keys instead of refusing them",
        caught_by: &[
            "An undocumented key, a key of no generation, is refused",
            "An undocumented key, a camelCase key, as one SDK tab, is refused",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::JsonBodyAccepted,
        name: "json-body-accepted",
        what: "reads a JSON body as if it were the form",
        caught_by: &["A JSON body instead of a form is refused"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::DateUpdatedFrozen,
        name: "date-updated-frozen",
        what: "never moves date_updated",
        caught_by: &[NO_PARAMS, MUTE],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::DateCreatedMoves,
        name: "date-created-moves",
        what: "moves date_created with every update",
        caught_by: &[NO_PARAMS, HOLD],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::StateLeaksAcrossConferences,
        name: "state-leaks-across-conferences",
        what: "applies an update to the same place in the account's other conferences too",
        caught_by: &["Updating a participant leaves the account's other conferences alone"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::WrongParticipantUpdated,
        name: "wrong-participant-updated",
        what: "applies the update to the next participant of the conference",
        caught_by: &[MUTE, "Updating one participant leaves the others as they were"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::AuthNotChecked,
        name: "auth-not-checked",
        what: "does not check Basic auth",
        caught_by: &[
            "A mute sent without credentials is refused",
            "A mute sent with a wrong token is refused",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::CompletedConferenceUpdatable,
        name: "completed-conference-updatable",
        what: "updates participants of a completed conference",
        caught_by: &["A participant of a completed conference cannot be updated"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::PutAccepted,
        name: "put-accepted",
        what: "treats PUT and PATCH as POST",
        caught_by: &[
            "A PUT request is refused as a method the resource does not allow",
            "A PATCH request is refused as a method the resource does not allow",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::ListFilterIgnored,
        name: "list-filter-ignored",
        what: "lists every participant whatever the Muted and Hold filters say",
        caught_by: &[
            "Only muted participants are listed as muted",
            "Only participants on hold are listed as on hold",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::NotFoundAs400,
        name: "not-found-as-400",
        what: "answers 400 where the documentation says 404",
        caught_by: &[
            "An update of a participant in an unknown conference is refused as not found",
            "An update of a participant that is not in it is refused as not found",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::ErrorsAsHtml,
        name: "errors-as-html",
        what: "answers errors with an HTML page",
        caught_by: &[
            "A mute sent with a wrong token is refused",
            "A parameter with HoldMethod PUT is refused",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::ErrorStatusAsString,
        name: "error-status-as-string",
        what: "writes the error body's status as a string",
        caught_by: &[
            "A mute sent without credentials is refused",
            "A JSON body instead of a form is refused",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::ErrorWithoutMoreInfo,
        name: "error-without-more-info",
        what: "leaves more_info out of error bodies",
        caught_by: &[
            "A participant cannot coach itself",
            "An update of a participant in an unknown conference is refused as not found",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::ContentTypeNotJson,
        name: "content-type-not-json",
        what: "labels its JSON answers text/plain",
        caught_by: &[MUTE, "A mute sent with a wrong token is refused"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::RefusedUpdatePartlyApplied,
        name: "refused-update-partly-applied",
        what: "refuses an update but applies those of its parameters that are valid on their own",
        caught_by: &["An empty CallSidToCoach is refused as blank"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::AnnounceUnmutes,
        name: "announce-unmutes",
        what: "unmutes a participant to play an announcement",
        caught_by: &["An announcement to a muted participant keeps them muted"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::StatusFailed,
        name: "status-failed",
        what: "answers status \"failed\", a documented status but not of a participant still in the conference",
        caught_by: &[MUTE, NO_PARAMS],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::UriInOtherPathForm,
        name: "uri-in-other-path-form",
        what: "writes uri without /api/laml, in the other path form than the request's",
        caught_by: &[MUTE, HOLD],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::CoachesAnotherCall,
        name: "coaches-another-call",
        what: "answers a call_sid_to_coach that is not the coached participant's while coaching",
        caught_by: &[
            COACH,
            MONITOR,
            "A monitoring supervisor unmutes to whisper to the agent, and keeps coaching",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::MutedAlsoHolds,
        name: "muted-also-holds",
        what: "answers every muted participant as on hold too",
        caught_by: &[
            MUTE,
            "Updating one participant leaves the others as they were",
            "Muted is read in any case: uppercase",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::PageCountsWrong,
        name: "page-counts-wrong",
        what: "writes a page's number as its start, and counts its end from there",
        caught_by: &[PAGE_TWO],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::NextPageAlwaysLinked,
        name: "next-page-always-linked",
        what: "links a next page from every page, the last one too",
        caught_by: &[
            ONE_PAGE,
            PAGE_TWO,
            "A filter nobody matches gives one empty page (as Twilio's example \"readEmpty\")",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::ListedFlagsInverted,
        name: "listed-flags-inverted",
        what: "lists each participant with muted the other way round",
        caught_by: &["Only muted participants are listed as muted", PAGE_MUTED],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::ListShowsOtherConferences,
        name: "list-shows-other-conferences",
        what: "lists the participants of the account's other conferences too",
        caught_by: &["The list holds only the conference's own participants"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::RemovalAnswers200,
        name: "removal-answers-200",
        what: "answers a removal 200 with the participant instead of 204 with no body",
        caught_by: &[REMOVE],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::RemovalNotApplied,
        name: "removal-not-applied",
        what: "answers a removal 204 but keeps the participant",
        caught_by: &[REMOVE],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::NoAllowHeader,
        name: "no-allow-header",
        what: "answers 405 without the Allow header",
        caught_by: &[
            "A PUT request is refused as a method the resource does not allow",
            "A PATCH request is refused as a method the resource does not allow",
        ],
        profile: SEED,
    },
    // `the refusal names the allowed methods` fails first only where the header is there but
    // wrong: a step that asked whether each method is in the header, and not whether each is
    // one of the header's, would pass against it.
    FaultInfo {
        fault: Fault::AllowWithoutDelete,
        name: "allow-without-delete",
        what: "answers 405 with an Allow header that names GET and POST, not DELETE",
        caught_by: &[
            "A PUT request is refused as a method the resource does not allow",
            "A PATCH request is refused as a method the resource does not allow",
        ],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::JsonPathsOnly,
        name: "json-paths-only",
        what: "serves only paths ending in .json, where SignalWire documents them without",
        // Every other scenario stops in its When (a retrieve before the update is refused).
        caught_by: &[ONE_PAGE, PAGE_TWO],
        profile: "signalwire",
    },
    FaultInfo {
        fault: Fault::OtherGenerationsKeysAccepted,
        name: "other-generations-keys-accepted",
        what: "takes Beep, BeepOnExit and EndConferenceOnExit, which SignalWire's description does not list",
        caught_by: &[
            "A key of another generation, Beep, is refused by SignalWire's description",
            "A key of another generation, BeepOnExit, is refused by SignalWire's description",
            "A key of another generation, EndConferenceOnExit, is refused by SignalWire's description",
        ],
        profile: "signalwire",
    },
    FaultInfo {
        fault: Fault::UnknownKeysRefused,
        name: "unknown-keys-refused",
        what: "refuses a key it does not know, which Twilio's API leaves out",
        caught_by: &["An undocumented key is left out under Twilio's API"],
        profile: "twilio",
    },
    FaultInfo {
        fault: Fault::MutedStrict,
        name: "muted-strict",
        what: "refuses a Muted other than true or false, which Twilio's API reads as false",
        caught_by: &[
            "Twilio's API reads a Muted of yes as false",
            "Twilio's API reads a Muted of nothing as false",
        ],
        profile: "twilio",
    },
    FaultInfo {
        fault: Fault::CoachingFilterIgnored,
        name: "coaching-filter-ignored",
        what: "lists every participant whatever Coaching asks",
        caught_by: &["Only coaching participants are listed as coaching"],
        profile: "twilio",
    },
    FaultInfo {
        fault: Fault::EndConferenceOnExitNotStored,
        name: "end-conference-on-exit-not-stored",
        what: "answers EndConferenceOnExit=true but keeps end_conference_on_exit as it was",
        caught_by: &["The conference ends when the agent leaves"],
        profile: "twilio",
    },
    FaultInfo {
        fault: Fault::SidsInAnotherFormat,
        name: "sids-in-another-format",
        what: "makes its ids in Twilio's AC/CF/CA form where the generation documents uuids",
        caught_by: &[MUTE, NO_PARAMS],
        profile: SEED,
    },
    // The next four make a `Then` step the first to fail that another step shadowed before
    // (tests/faults.rs, every `Then` step pinned): each breaks what that step alone states.
    FaultInfo {
        fault: Fault::CoachingNotStopped,
        name: "coaching-not-stopped",
        what: "accepts Coaching=false and ignores it: the participant goes on coaching",
        caught_by: &["A supervisor stops coaching and stays muted"],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::EndConferenceOnExitIgnored,
        name: "end-conference-on-exit-ignored",
        what: "accepts EndConferenceOnExit=true and ignores it, in the answer as in the state",
        caught_by: &["The conference ends when the agent leaves"],
        profile: "twilio",
    },
    FaultInfo {
        fault: Fault::UriByLabel,
        name: "uri-by-label",
        what: "answers a participant named by its label with the label in its uri, not its call sid",
        caught_by: &["Retrieve a participant named by its label (documented example \"fetchByLabel\")"],
        profile: "twilio",
    },
    FaultInfo {
        fault: Fault::ListedWithoutUri,
        name: "listed-without-uri",
        what: "lists participants without their uri, which a participant retrieved alone has",
        caught_by: &[ONE_PAGE],
        profile: SEED,
    },
    // The next two make the checks that a mutant of the steps weakened (MUTANTS.md) the first
    // to speak, so their snapshots show the check at work: the normaliser's "another
    // participant of the conference", and the fields an update may set.
    FaultInfo {
        fault: Fault::CoachesItself,
        name: "coaches-itself",
        what: "answers a coaching participant with its own call sid as the one it coaches",
        caught_by: &[COACH],
        profile: SEED,
    },
    FaultInfo {
        fault: Fault::MutingEndsTheConference,
        name: "muting-ends-the-conference",
        what: "sets end_conference_on_exit on every update that sends Muted",
        caught_by: &["Muted is read in any case: lowercase, as the table"],
        profile: SEED,
    },
    // Caught only when the `Given` before it really set the flag: a `Given` that arranged
    // nothing would leave the scenario nothing to turn off (MUTANTS.md, `steps/conference.rs`).
    FaultInfo {
        fault: Fault::EndConferenceOnExitSticks,
        name: "end-conference-on-exit-sticks",
        what: "sets end_conference_on_exit on EndConferenceOnExit=true but never clears it on false",
        caught_by: &["The conference goes on when the agent leaves"],
        profile: "twilio",
    },
];
/// A way a server may differ from the simulated space that the documents of `profiles` allow:
/// the suite must pass against the space varied so under each (`tests/variations.rs`). Each
/// is started as a fault is (`--fault NAME`), since it wraps the healthy space the same way.
#[derive(Debug, Clone, Copy)]
pub struct VariationInfo {
    /// The variation.
    pub fault: Fault,
    /// Its name on the command line.
    pub name: &'static str,
    /// What a server varied so does.
    pub what: &'static str,
    /// The profiles whose documents allow it.
    pub profiles: &'static [&'static str],
}

/// Every allowed variation: none may fail a scenario under the profiles it names.
pub const VARIATIONS: &[VariationInfo] = &[
    VariationInfo {
        fault: Fault::ClockAnHourAhead,
        name: "clock-an-hour-ahead",
        what: "runs its clock an hour ahead of the harness's: its dates and its Date header alike",
        profiles: &["seed", "signalwire", "twilio"],
    },
    VariationInfo {
        fault: Fault::KeysReversed,
        name: "keys-reversed",
        what: "writes every JSON object's keys in the reverse order (JSON objects are unordered)",
        profiles: &["seed", "signalwire", "twilio"],
    },
    VariationInfo {
        fault: Fault::DefaultPageSize20,
        name: "default-page-size-20",
        what: "puts 20 participants on a page unless PageSize says (the seed and SignalWire document no default)",
        profiles: &["seed", "signalwire"],
    },
    VariationInfo {
        fault: Fault::PageTokens,
        name: "page-tokens",
        what: "writes a PageToken cursor into its next and previous page links, as Twilio's examples do",
        profiles: &["signalwire", "twilio"],
    },
    VariationInfo {
        fault: Fault::LabelsAbsent,
        name: "labels-absent",
        what: "gives its participants no label (label is optional and nullable in Twilio's API)",
        profiles: &["twilio"],
    },
    VariationInfo {
        fault: Fault::BarePathsOnly,
        name: "bare-paths-only",
        what: "serves only the paths SignalWire documents, without .json",
        profiles: &["signalwire"],
    },
];

/// The fault or allowed variation with this command-line name, or the list of names.
pub fn by_name(name: &str) -> Result<Fault, String> {
    CATALOGUE
        .iter()
        .map(|f| (f.name, f.fault))
        .chain(VARIATIONS.iter().map(|v| (v.name, v.fault)))
        .find(|(n, _)| *n == name)
        .map(|(_, f)| f)
        .ok_or_else(|| {
            let names: Vec<&str> = CATALOGUE.iter().map(|f| f.name).collect();
            let allowed: Vec<&str> = VARIATIONS.iter().map(|v| v.name).collect();
            format!(
                "no fault named {name:?}; the faults are: {}; the allowed variations: {}",
                names.join(", "),
                allowed.join(", ")
            )
        })
}

/// Distorts one rendered participant as the fault would.
pub fn distort_participant(fault: Fault, p: &mut Value) {
    let Value::Object(fields) = p else { return };
    match fault {
        Fault::LabelsAbsent if fields.contains_key("label") => {
            fields.insert("label".into(), Value::Null);
        }
        Fault::DropHold => {
            fields.remove("hold");
        }
        Fault::MutedAsString => {
            let muted = fields.get("muted").and_then(Value::as_bool).unwrap_or(false);
            fields.insert("muted".into(), Value::from(muted.to_string()));
        }
        Fault::CoachingAsNumber => {
            let coaching = fields.get("coaching").and_then(Value::as_bool).unwrap_or(false);
            fields.insert("coaching".into(), Value::from(u8::from(coaching)));
        }
        Fault::IsoDates => {
            for key in ["date_created", "date_updated"] {
                if let Some(d) = fields
                    .get(key)
                    .and_then(Value::as_str)
                    .and_then(crate::spec::participant::parse_date)
                {
                    let iso = d
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default();
                    fields.insert(key.into(), Value::from(iso));
                }
            }
        }
        Fault::UriWithoutJson => {
            if let Some(uri) = fields
                .get("uri")
                .and_then(Value::as_str)
                .map(|u| u.trim_end_matches(".json").to_string())
            {
                fields.insert("uri".into(), Value::from(uri));
            }
        }
        Fault::UriOfAnotherParticipant => {
            let call = fields
                .get("call_sid")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if let Some(uri) = fields
                .get("uri")
                .and_then(Value::as_str)
                .map(|u| u.replace(&call, crate::spec::participant::NOBODY))
            {
                fields.insert("uri".into(), Value::from(uri));
            }
        }
        Fault::UndocumentedStatus => {
            fields.insert("status".into(), Value::from("active"));
        }
        Fault::ExtraField => {
            fields.insert("queue_time".into(), Value::from("0"));
        }
        Fault::WrongAccountSid => {
            fields.insert(
                "account_sid".into(),
                Value::from("0c0ffee0-0000-4000-8000-000000000000"),
            );
        }
        Fault::NullCallSidToCoach if fields.get("coaching") == Some(&Value::Bool(false)) => {
            fields.insert("call_sid_to_coach".into(), Value::Null);
        }
        Fault::StatusFailed => {
            fields.insert("status".into(), Value::from("failed"));
        }
        Fault::UriInOtherPathForm => {
            if let Some(uri) = fields
                .get("uri")
                .and_then(Value::as_str)
                .and_then(|u| u.strip_prefix("/api/laml"))
                .map(str::to_string)
            {
                fields.insert("uri".into(), Value::from(uri));
            }
        }
        Fault::CoachesAnotherCall if fields.get("coaching") == Some(&Value::Bool(true)) => {
            fields.insert(
                "call_sid_to_coach".into(),
                Value::from("0c0ffee0-0000-4000-8000-0000000000ca"),
            );
        }
        Fault::CoachesItself if fields.get("coaching") == Some(&Value::Bool(true)) => {
            if let Some(own) = fields.get("call_sid").cloned() {
                fields.insert("call_sid_to_coach".into(), own);
            }
        }
        Fault::MutedAlsoHolds if fields.get("muted") == Some(&Value::Bool(true)) => {
            fields.insert("hold".into(), Value::Bool(true));
        }
        _ => {}
    }
}

/// Distorts an error body (and its HTTP status) as the fault would.
pub fn distort_error(fault: Fault, status: &mut u16, body: &mut Value) {
    match fault {
        Fault::NotFoundAs400 if *status == 404 => {
            *status = 400;
            body["status"] = json!(400);
        }
        Fault::ErrorStatusAsString => body["status"] = Value::from(status.to_string()),
        Fault::ErrorWithoutMoreInfo => {
            if let Value::Object(fields) = body {
                fields.remove("more_info");
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_fault_declares_its_catchers() {
        let mut names: Vec<&str> = CATALOGUE.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len());
        assert!(CATALOGUE.len() >= 25);
        assert!(CATALOGUE.iter().all(|f| !f.caught_by.is_empty()));
        assert!(by_name("no-such-fault").unwrap_err().contains("drop-hold"));
    }
}
