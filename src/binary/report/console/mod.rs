//! The console: every feature, scenario and step as cucumber's own console writer
//! (`writer::Basic`) prints them, in its colours (`--color`), its `-v` levels and its layout, but
//! a failing step said from the [`Failure`] it raised.
//!
//! cucumber's writer says a failing step as a panic ("Step failed:", the source path of the step
//! function, "Step panicked. Captured output: <text>") in words that are fixed in its code; this
//! one says "Step failed: " and the failure, and leaves out the source path, which a user of the
//! binary does not have. Nothing is rewritten after it is printed.
//!
//! With a ledger of known divergences (`--known`), a scenario it lists ends with a line that
//! says so: a known failure with the ledger's reason, a listed scenario that passed as fixed.

mod layout;
mod output;
mod said;

use std::fmt::Debug;
use std::io;
use std::sync::Arc;

use cucumber::event::{self, Cucumber, Feature, HookType, Info, Retries, Rule, Scenario, Step, StepError};
use cucumber::writer::out::Styles;
use cucumber::writer::{self, Verbosity, basic};
use cucumber::{Event, World, Writer, gherkin, parser};
use regex::CaptureLocations;
use said::{payload, said};

use super::Written;
use super::known::{Ledger, Place};
use crate::child::{Ran, Verdict};

/// The run's console writer, on `Out` (stdout).
pub struct Console<Out: io::Write = io::Stdout> {
    out: Out,
    /// Set when the reader went away (`| head`): the run goes on to its end and its exit code,
    /// with nothing more printed.
    closed: bool,
    styles: Styles,
    verbosity: Verbosity,
    indent: usize,
    /// Lines of a step under way, shown on a terminal only and cleared when its result comes.
    lines_to_clear: usize,
    /// What was printed among those lines and must be printed again after them (a log).
    reprint: String,
    /// The run's ledger of known divergences, if it has one.
    known: Option<Arc<Ledger>>,
    /// How the scenario under way has run so far.
    ran: Ran,
    /// Where a write that failed for another reason than a reader gone (a full disk under
    /// `> file`) is marked, with the stream's name: the run ends with exit 2, as for a report
    /// not written, rather than a panic or a verdict nobody could read.
    written: Option<(Written, &'static str)>,
}

/// Where a step is: in a scenario, or in the feature's background (which cucumber marks `>`).
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Scenario,
    Background,
}

impl<Out: io::Write> Console<Out> {
    /// The console on `out` (stdout), coloured when stdout is a terminal, until `--color` says
    /// otherwise.
    pub fn new(out: Out) -> Self {
        Console {
            out,
            closed: false,
            styles: Styles::new(),
            verbosity: Verbosity::Default,
            indent: 0,
            lines_to_clear: 0,
            reprint: String::new(),
            known: None,
            ran: Ran::Passed,
            written: None,
        }
    }

    /// The console of a run whose verdict reads `written`, on the stream named `stream`.
    pub fn marking(self, written: Written, stream: &'static str) -> Self {
        Console {
            written: Some((written, stream)),
            ..self
        }
    }

    /// The console of a run that judges its scenarios by `ledger`, if it has one.
    pub fn listing(self, ledger: Option<Arc<Ledger>>) -> Self {
        Console { known: ledger, ..self }
    }
}

impl<W: World + Debug, Out: io::Write> Writer<W> for Console<Out> {
    type Cli = basic::Cli;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, cli: &Self::Cli) {
        self.apply(*cli);
        // a feature that could not be parsed is said by the run, with its file, line and what to
        // change, before the scenarios start
        let Ok(event) = event else { return };
        match event.into_inner() {
            Cucumber::Feature(f, Feature::Started) => {
                let text = self.styles.ok(format!("{}: {}", f.keyword, f.name)).into_owned();
                self.line(&text);
            }
            Cucumber::Feature(f, Feature::Scenario(sc, ev)) => self.scenario(&f, None, &sc, ev),
            Cucumber::Feature(_, Feature::Rule(r, Rule::Started)) => {
                let pad = " ".repeat(self.indent);
                let text = self.styles.ok(format!("{pad}{}: {}", r.keyword, r.name)).into_owned();
                self.indent += 2;
                self.line(&text);
            }
            Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, ev))) => self.scenario(&f, Some(&r), &sc, ev),
            Cucumber::Feature(_, Feature::Rule(_, Rule::Finished)) => self.indent = self.indent.saturating_sub(2),
            _ => {}
        }
    }
}

impl<W: World + Debug, Val: AsRef<str>, Out: io::Write> writer::Arbitrary<W, Val> for Console<Out> {
    /// cucumber's summary, and anything else said beside the events.
    async fn write(&mut self, val: Val) {
        self.line(val.as_ref());
    }
}

impl<Out: io::Write> writer::NonTransforming for Console<Out> {}

impl<Out: io::Write> Console<Out> {
    /// `-v` (`-vv` shows the World of a failing step, `-vvv` the doc strings too) and `--color`.
    fn apply(&mut self, cli: basic::Cli) {
        match cli.verbose {
            0 => {}
            1 => self.verbosity = Verbosity::Default,
            2 => self.verbosity = Verbosity::ShowWorld,
            _ => self.verbosity = Verbosity::ShowWorldAndDocString,
        }
        self.styles.apply_coloring(cli.color);
    }

    fn scenario<W: Debug>(
        &mut self,
        feat: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        sc: &gherkin::Scenario,
        ev: event::RetryableScenario<W>,
    ) {
        let retries = ev.retries;
        match ev.event {
            Scenario::Started => {
                self.ran = Ran::Passed;
                self.scenario_started(sc, retries);
            }
            Scenario::Hook(_, event::Hook::Started) => self.indent += 4,
            Scenario::Hook(which, event::Hook::Failed(world, info)) => {
                self.ran = Ran::HookFailed;
                self.hook_failed(feat, sc, which, retries, world.as_deref(), &info);
                self.indent = self.indent.saturating_sub(4);
            }
            Scenario::Hook(_, event::Hook::Passed) => self.indent = self.indent.saturating_sub(4),
            Scenario::Background(st, ev) => self.step(feat, sc, &st, ev, retries, Part::Background),
            Scenario::Step(st, ev) => self.step(feat, sc, &st, ev, retries, Part::Scenario),
            Scenario::Finished => {
                self.listed(feat, rule, sc);
                self.indent = self.indent.saturating_sub(2);
            }
            Scenario::Log(msg) => {
                self.lines_to_clear += self.styles.lines_count(&msg);
                self.reprint.push_str(&msg);
                self.put(&msg);
            }
        }
    }

    /// The line that ends a scenario the ledger of known divergences lists, when it is known
    /// or fixed.
    fn listed(&mut self, feat: &gherkin::Feature, rule: Option<&gherkin::Rule>, sc: &gherkin::Scenario) {
        let Some(ledger) = self.known.clone() else { return };
        let pad = " ".repeat(self.indent + 1);
        let text = match ledger.judge(&Place::of(feat, rule, sc), self.ran) {
            (Verdict::Known, Some(entry)) => self.styles.skipped(format!("{pad}⚠  {}", entry.known_said())),
            (Verdict::Fixed, Some(entry)) => self.styles.err(format!("{pad}✘  {}", entry.fixed_said())),
            _ => return,
        };
        let text = text.into_owned();
        self.line(&text);
    }

    fn scenario_started(&mut self, sc: &gherkin::Scenario, retries: Option<Retries>) {
        self.indent += 2;
        let pad = " ".repeat(self.indent);
        let text = match retries.filter(|r| r.current > 0) {
            Some(r) => {
                let of = r.left + r.current;
                let text = format!("{pad}{}: {} | Retry attempt: {}/{of}", sc.keyword, sc.name, r.current);
                self.styles.retry(text)
            }
            None => self.styles.ok(format!("{pad}{}: {}", sc.keyword, sc.name)),
        };
        self.line(&text);
    }

    /// A hook that failed (the run's after-scenario hook restores participants).
    fn hook_failed<W: Debug>(
        &mut self,
        feat: &gherkin::Feature,
        sc: &gherkin::Scenario,
        which: HookType,
        retries: Option<Retries>,
        world: Option<&W>,
        info: &Info,
    ) {
        self.clear();
        let pad = " ".repeat(self.indent.saturating_sub(3));
        let deeper = self.indent.saturating_sub(3) + 3;
        let text = format!(
            "{pad}✘  Scenario's {which} hook failed {}:{}:{}\n{pad}   Captured output: {}{}",
            self.path(feat),
            sc.position.line,
            sc.position.col,
            layout::indented(&payload(info), deeper),
            self.world(world),
        );
        let styled = if retries.is_some_and(|r| r.left > 0) {
            self.styles.bright().retry(text)
        } else {
            self.styles.err(text)
        };
        self.line(&styled);
    }

    fn step<W: Debug>(
        &mut self,
        feat: &gherkin::Feature,
        sc: &gherkin::Scenario,
        step: &gherkin::Step,
        ev: Step<W>,
        retries: Option<Retries>,
        part: Part,
    ) {
        match ev {
            Step::Started => return self.step_started(step, part),
            Step::Passed(captures, _) => self.step_passed(sc, step, &captures, retries, part),
            Step::Skipped => {
                if self.ran == Ran::Passed {
                    self.ran = Ran::Skipped;
                }
                self.step_skipped(feat, step, part);
            }
            Step::Failed(captures, _, world, err) => {
                if self.ran != Ran::HookFailed {
                    self.ran = Ran::StepFailed;
                }
                let failed = Failed {
                    captures: captures.as_ref(),
                    retries,
                    world: world.as_deref(),
                    err: &err,
                };
                self.step_failed(feat, step, failed, part);
            }
        }
        self.indent = self.indent.saturating_sub(4);
    }

    /// A step under way, on a terminal only: its result replaces it.
    fn step_started(&mut self, step: &gherkin::Step, part: Part) {
        self.indent += 4;
        if !self.styles.is_present {
            return;
        }
        let (doc, table) = self.extras(step);
        let text = match part {
            Part::Scenario => format!("{}{}{}{doc}{table}", " ".repeat(self.indent), step.keyword, step.value),
            Part::Background => {
                let pad = " ".repeat(self.indent.saturating_sub(2));
                format!("{pad}> {}{}{doc}{table}", step.keyword, step.value)
            }
        };
        self.lines_to_clear += self.styles.lines_count(&text);
        self.line(&text);
    }

    fn step_passed(
        &mut self,
        sc: &gherkin::Scenario,
        step: &gherkin::Step,
        captures: &CaptureLocations,
        retries: Option<Retries>,
        part: Part,
    ) {
        self.clear();
        let styles = if retries.is_some_and(|r| r.current > 0) && sc.steps.last().is_some_and(|last| last != step) {
            Styles {
                ok: self.styles.retry.clone(),
                ..self.styles.clone()
            }
        } else {
            self.styles.clone()
        };
        let style = |s: String| styles.ok(s).into_owned();
        let pad = " ".repeat(self.indent.saturating_sub(3));
        let keyword = match part {
            Part::Scenario => style(format!("✔  {}", step.keyword)),
            Part::Background => style(format!("{pad}✔> {}", step.keyword)),
        };
        let value = layout::captures(
            &step.value,
            captures,
            |v| style(v.to_owned()).into(),
            |v| style(styles.bold(v).into_owned()).into(),
        );
        let (doc, table) = self.extras(step);
        let text = format!("{keyword}{value}{}{}", style(doc), style(table));
        let text = match part {
            Part::Scenario => style(format!("{pad}{text}")),
            Part::Background => style(text),
        };
        self.line(&text);
    }

    fn step_skipped(&mut self, feat: &gherkin::Feature, step: &gherkin::Step, part: Part) {
        self.clear();
        let pad = " ".repeat(self.indent.saturating_sub(3));
        let (mark, said) = match part {
            Part::Scenario => ("?  ", "Step skipped"),
            Part::Background => ("?> ", "Background step failed"),
        };
        let (doc, table) = self.extras(step);
        let text = format!(
            "{pad}{mark}{}{}{doc}{table}\n{pad}   {said}: {}:{}:{}",
            step.keyword,
            step.value,
            self.path(feat),
            step.position.line,
            step.position.col,
        );
        let text = self.styles.skipped(text).into_owned();
        self.line(&text);
    }

    /// A failed step: where it is, then what failed, from the [`Failure`] it raised.
    fn step_failed<W: Debug>(
        &mut self,
        feat: &gherkin::Feature,
        step: &gherkin::Step,
        failed: Failed<'_, W>,
        part: Part,
    ) {
        self.clear();
        let retried = failed.retries.is_some_and(|r| r.left > 0) && !matches!(failed.err, StepError::NotFound);
        let styles = if retried {
            self.styles.bright()
        } else {
            self.styles.clone()
        };
        let style = |s: String| {
            let styled = if retried { styles.retry(s) } else { styles.err(s) };
            styled.into_owned()
        };
        let pad = " ".repeat(self.indent.saturating_sub(3));
        let mark = if part == Part::Background { "✘>" } else { "✘ " };
        let keyword = style(format!("{pad}{mark} {}", step.keyword));
        let value = match failed.captures {
            Some(captures) => layout::captures(
                &step.value,
                captures,
                |v| style(v.to_owned()).into(),
                |v| style(styles.bold(v).into_owned()).into(),
            ),
            None => style(step.value.clone()),
        };
        let (doc, table) = self.extras(step);
        let deeper = self.indent.saturating_sub(3) + 3;
        let diagnostics = style(format!(
            "{doc}{table}\n{pad}   Defined: {}:{}:{}{}{}",
            self.path(feat),
            step.position.line,
            step.position.col,
            layout::indented(&said(failed.err), deeper),
            self.world(failed.world),
        ));
        self.line(&format!("{keyword}{value}{diagnostics}"));
    }

    /// A step's doc string (at `-vvv`) and table, laid out under it.
    fn extras(&self, step: &gherkin::Step) -> (String, String) {
        let doc = step
            .docstring
            .as_deref()
            .filter(|_| self.verbosity.shows_docstring())
            .map(|doc| layout::indented(doc, self.indent.saturating_sub(3) + 3))
            .unwrap_or_default();
        let table = step
            .table
            .as_ref()
            .map(|t| layout::table(t, self.indent))
            .unwrap_or_default();
        (doc, table)
    }

    /// The World of a failing step, at `-vv`.
    fn world<W: Debug>(&self, world: Option<&W>) -> String {
        world
            .filter(|_| self.verbosity.shows_world())
            .map(|w| layout::indented(&format!("{w:#?}"), self.indent.saturating_sub(3) + 3))
            .unwrap_or_default()
    }

    /// A feature's path as the other reports show it (relative to the working directory), or
    /// its name where it has none.
    fn path(&self, feat: &gherkin::Feature) -> String {
        feat.path
            .as_deref()
            .map_or_else(|| feat.name.clone(), super::record::shown_path)
    }
}

/// What a failed step event holds beyond the step.
struct Failed<'a, W> {
    captures: Option<&'a CaptureLocations>,
    retries: Option<Retries>,
    world: Option<&'a W>,
    err: &'a StepError,
}

#[cfg(test)]
mod tests;
