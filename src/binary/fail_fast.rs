//! `--fail-fast` that stops a concurrent run.
//!
//! cucumber's own `--fail-fast` (0.23, `runner/basic.rs`, `execute`) only stops *starting*
//! scenarios once one has failed: every scenario already started runs to its end and is
//! reported. Its runner starts as many scenarios as `--concurrency` allows (64 by default) in
//! the first turn of its loop, which is all 59 of this suite, so `--fail-fast` stopped nothing:
//! the whole suite ran and reported every failure.
//!
//! [`FailFast`] wraps cucumber's runner. With `--fail-fast` it holds each scenario's events
//! until the scenario ends and passes on the scenarios that ended; at the end of the first one
//! that failed (for good: not one about to be retried), it drops cucumber's runner. The
//! scenarios under way stop where they are (their futures are dropped, so they send nothing
//! more) and are left out of the console and the reports, as are the ones never started; the
//! features and rules shown get their end, then the run's. [`Stopped`] says how many ran, were
//! cut short and never started, for the summary.
//!
//! On a target whose participants are shared and live, a scenario cut short would not put back
//! the state it changed (its after hook is what restores it), so there the scenarios under way
//! run to their end (one at a time there anyway) and only new ones are not started, as cucumber
//! does.
//!
//! Without `--fail-fast` the runner's events pass through untouched.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use cucumber::event::{self, Cucumber, Source};
use cucumber::gherkin;
use cucumber::runner::basic;
use cucumber::{Event, Runner, World, parser};
use futures::stream::{self, LocalBoxStream, Stream, StreamExt as _};

/// How a run that `--fail-fast` (or a participant that could not be restored) stopped early
/// ended, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// Why it stopped: `--fail-fast`, or a restore that failed.
    pub restore: bool,
    /// Scenarios that ran to their end and are reported (the failed one among them).
    pub ran: usize,
    /// Scenarios under way when the first one failed, stopped and left out of the report.
    pub cut: usize,
    /// Every scenario the run had to run (after `--tags` and `--name`), when cucumber said.
    pub total: Option<usize>,
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let said = if self.restore {
            "The run stopped after a participant could not be restored"
        } else {
            "The run stopped at the first failed scenario (--fail-fast)"
        };
        match self.total {
            Some(total) => {
                let not_started = total.saturating_sub(self.ran + self.cut);
                write!(
                    f,
                    "{said}: {} of {total} scenarios ran; the other {} ({} cut short, {not_started} not started) are not in the report.",
                    self.ran,
                    self.cut + not_started,
                    self.cut
                )
            }
            None => write!(
                f,
                "{said}: {} scenarios ran; {} were cut short and are not in the report.",
                self.ran, self.cut
            ),
        }
    }
}

/// Where a run that stopped early says so: set before the run's `Finished` event, so the
/// reports written at that event see it too.
pub type StopNote = Rc<Cell<Option<Stopped>>>;

/// cucumber's runner, with a `--fail-fast` that also stops the scenarios under way.
pub struct FailFast<R> {
    runner: R,
    cut_short: bool,
    note: StopNote,
    stop_when: Option<fn() -> bool>,
}

impl<R> FailFast<R> {
    /// Wraps `runner`; `cut_short` is false where a scenario must not be stopped half-way (a
    /// target whose participants are shared). The note is set when the run stops early.
    pub fn new(runner: R, cut_short: bool, note: StopNote) -> Self {
        FailFast {
            runner,
            cut_short,
            note,
            stop_when: None,
        }
    }

    /// Also ends the run, with or without `--fail-fast`, at the end of the first scenario after
    /// which `stop` says so (a participant that could not be restored). The scenarios under way
    /// then are dropped: `stop` must make sure none of them has changed anything (a serial run,
    /// whose next scenario refuses to start once `stop` is true).
    pub fn stop_when(mut self, stop: fn() -> bool) -> Self {
        self.stop_when = Some(stop);
        self
    }
}

type Item<W> = parser::Result<Event<Cucumber<W>>>;

impl<W, R> Runner<W> for FailFast<R>
where
    W: World,
    R: Runner<W, Cli = basic::Cli>,
    R::EventStream: 'static,
{
    type Cli = basic::Cli;
    type EventStream = LocalBoxStream<'static, Item<W>>;

    fn run<S>(self, features: S, cli: basic::Cli) -> Self::EventStream
    where
        S: Stream<Item = parser::Result<gherkin::Feature>> + 'static,
    {
        let fail_fast = cli.fail_fast;
        let events = self.runner.run(features, cli).boxed_local();
        if !fail_fast && self.stop_when.is_none() {
            return events;
        }
        let mut held = Held::new(self.cut_short && fail_fast, self.note);
        held.stop_when = self.stop_when;
        stream::unfold((Some(events), held), |(events, mut held)| async move {
            let mut events = events?;
            loop {
                let event = events.next().await?;
                let mut out = held.take(event);
                if held.cut {
                    drop(events); // the scenarios under way stop here
                    out.extend(held.close());
                    return Some((out, (None, held)));
                }
                if !out.is_empty() {
                    return Some((out, (Some(events), held)));
                }
            }
        })
        .flat_map(stream::iter)
        .boxed_local()
    }
}

/// A scenario under way: its events so far, and whether one of them failed it.
struct UnderWay<W> {
    scenario: Source<gherkin::Scenario>,
    events: Vec<Item<W>>,
    failed: bool,
}

/// What an event is, read before it is moved.
enum Kind {
    Pass,
    Total(usize),
    RunFinished,
    Opens,
    Closes(Source<gherkin::Feature>, Option<Source<gherkin::Rule>>),
    Scenario {
        feature: Source<gherkin::Feature>,
        rule: Option<Source<gherkin::Rule>>,
        scenario: Source<gherkin::Scenario>,
        fails: bool,
        ends: bool,
        for_good: bool,
    },
}

/// The events held back under `--fail-fast`, and the counts for [`Stopped`].
struct Held<W> {
    cut_short: bool,
    note: StopNote,
    total: Option<usize>,
    ran: usize,
    failed: bool,
    /// Set when the run is to be cut at the current event.
    cut: bool,
    /// `Started` events of features and rules none of whose scenarios has ended yet: a
    /// feature all of whose scenarios are cut short is not shown at all.
    unannounced: Vec<Item<W>>,
    /// Features (rule `None`) and rules shown and not yet finished.
    open: Vec<(Source<gherkin::Feature>, Option<Source<gherkin::Rule>>)>,
    under_way: Vec<UnderWay<W>>,
    /// See [`FailFast::stop_when`].
    stop_when: Option<fn() -> bool>,
    /// Whether `stop_when` stopped the run.
    stopped_by_restore: bool,
}

impl<W> Held<W> {
    fn new(cut_short: bool, note: StopNote) -> Self {
        Held {
            cut_short,
            note,
            total: None,
            ran: 0,
            failed: false,
            cut: false,
            unannounced: Vec::new(),
            open: Vec::new(),
            under_way: Vec::new(),
            stop_when: None,
            stopped_by_restore: false,
        }
    }

    /// What to pass on now for this event of cucumber's runner.
    fn take(&mut self, item: Item<W>) -> Vec<Item<W>> {
        match kind(&item) {
            Kind::Pass => vec![item],
            Kind::Total(n) => {
                self.total = Some(n);
                vec![item]
            }
            Kind::RunFinished => {
                self.note_if_stopped(0);
                vec![item]
            }
            Kind::Opens => {
                self.unannounced.push(item);
                Vec::new()
            }
            Kind::Closes(feature, rule) => {
                self.open.retain(|(f, r)| !(*f == feature && *r == rule));
                vec![item]
            }
            Kind::Scenario {
                feature,
                rule,
                scenario,
                fails,
                ends,
                for_good,
            } => {
                let i = match self.under_way.iter().position(|u| u.scenario == scenario) {
                    Some(i) => i,
                    None => {
                        self.under_way.push(UnderWay {
                            scenario,
                            events: Vec::new(),
                            failed: false,
                        });
                        self.under_way.len() - 1
                    }
                };
                self.under_way[i].events.push(item);
                self.under_way[i].failed |= fails;
                if !ends {
                    return Vec::new();
                }
                let done = self.under_way.swap_remove(i);
                let mut out = self.announce(&feature, rule.as_ref());
                out.extend(done.events);
                if for_good {
                    self.ran += 1;
                    if done.failed && !self.failed {
                        self.failed = true;
                        self.cut = self.cut_short;
                    }
                    if self.stop_when.is_some_and(|stop| stop()) {
                        self.failed = true;
                        self.cut = true;
                        self.stopped_by_restore = true;
                    }
                }
                out
            }
        }
    }

    /// The held `Started` events of a scenario's feature and rule, the feature's first.
    fn announce(&mut self, feature: &Source<gherkin::Feature>, rule: Option<&Source<gherkin::Rule>>) -> Vec<Item<W>> {
        let mut out = Vec::new();
        for wanted in std::iter::once(None).chain(rule.map(Some)) {
            let starts = |item: &Item<W>| match item.as_ref().map(|e| &e.value) {
                Ok(Cucumber::Feature(f, event::Feature::Started)) => f == feature && wanted.is_none(),
                Ok(Cucumber::Feature(f, event::Feature::Rule(r, event::Rule::Started))) => {
                    f == feature && wanted == Some(r)
                }
                _ => false,
            };
            if let Some(at) = self.unannounced.iter().position(starts) {
                out.push(self.unannounced.remove(at));
                self.open.push((feature.clone(), wanted.cloned()));
            }
        }
        out
    }

    /// The end of a run cut at the first failure: the features and rules shown get their
    /// `Finished` (rules before their feature), then the run.
    fn close(&mut self) -> Vec<Item<W>> {
        // cucumber's runner silences panics while it runs and restores the hook when it ends;
        // dropped, it cannot: put the default hook back.
        drop(std::panic::take_hook());
        self.note_if_stopped(self.under_way.len());
        let mut out: Vec<Item<W>> = self
            .open
            .drain(..)
            .rev()
            .map(|(feature, rule)| {
                Ok(Event::new(match rule {
                    Some(r) => Cucumber::Feature(feature, event::Feature::Rule(r, event::Rule::Finished)),
                    None => Cucumber::Feature(feature, event::Feature::Finished),
                }))
            })
            .collect();
        out.push(Ok(Event::new(Cucumber::Finished)));
        out
    }

    /// Sets the note when a scenario failed and not every scenario ran.
    fn note_if_stopped(&self, cut: usize) {
        let all_ran = self.total.is_some_and(|t| self.ran >= t);
        if self.failed && !all_ran {
            self.note.set(Some(Stopped {
                restore: self.stopped_by_restore,
                ran: self.ran,
                cut,
                total: self.total,
            }));
        }
    }
}

fn kind<W>(item: &Item<W>) -> Kind {
    use event::{Feature, Rule};
    let Ok(event) = item else { return Kind::Pass };
    let scenario = |feature: &Source<gherkin::Feature>,
                    rule: Option<&Source<gherkin::Rule>>,
                    sc: &Source<gherkin::Scenario>,
                    ev: &event::RetryableScenario<W>| {
        let allows_skipped = sc
            .tags
            .iter()
            .chain(rule.iter().flat_map(|r| &r.tags))
            .chain(&feature.tags)
            .any(|t| t == "allow.skipped");
        Kind::Scenario {
            feature: feature.clone(),
            rule: rule.cloned(),
            scenario: sc.clone(),
            fails: fails(&ev.event, allows_skipped),
            ends: matches!(ev.event, event::Scenario::Finished),
            for_good: ev.retries.is_none_or(|r| r.left == 0),
        }
    };
    match &event.value {
        Cucumber::Started => Kind::Pass,
        Cucumber::ParsingFinished { scenarios, .. } => Kind::Total(*scenarios),
        Cucumber::Finished => Kind::RunFinished,
        Cucumber::Feature(_, Feature::Started | Feature::Rule(_, Rule::Started)) => Kind::Opens,
        Cucumber::Feature(f, Feature::Finished) => Kind::Closes(f.clone(), None),
        Cucumber::Feature(f, Feature::Rule(r, Rule::Finished)) => Kind::Closes(f.clone(), Some(r.clone())),
        Cucumber::Feature(f, Feature::Scenario(sc, ev)) => scenario(f, None, sc, ev),
        Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, ev))) => scenario(f, Some(r), sc, ev),
    }
}

/// Whether this event fails its scenario: a failed step or hook, or a skipped step where
/// skipping is not allowed (the run's `fail_on_skipped` fails it later, on the writers' side).
fn fails<W>(ev: &event::Scenario<W>, allows_skipped: bool) -> bool {
    use event::{Hook, Scenario, Step};
    match ev {
        Scenario::Hook(_, Hook::Failed(..)) => true,
        Scenario::Step(_, step) | Scenario::Background(_, step) => match step {
            Step::Failed(..) => true,
            Step::Skipped => !allows_skipped,
            Step::Started | Step::Passed(..) => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_says_what_ran_and_what_did_not() {
        let s = Stopped {
            restore: false,
            ran: 3,
            cut: 50,
            total: Some(59),
        };
        assert_eq!(
            s.to_string(),
            "The run stopped at the first failed scenario (--fail-fast): 3 of 59 scenarios ran; the other 56 (50 cut short, 6 not started) are not in the report."
        );
        let unknown = Stopped { total: None, ..s };
        assert!(
            unknown
                .to_string()
                .ends_with(": 3 scenarios ran; 50 were cut short and are not in the report."),
            "{unknown}"
        );
    }
}
