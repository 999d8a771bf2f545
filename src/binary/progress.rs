//! One line of progress on stderr for the runs that take a while: `faults` (42 runs of the
//! suite, 15 s), `profiles` (three runs), and a run of the suite against a remote target
//! ("scenarios: 30/59, 4 s"). It is redrawn in place at most four times a second, and appears
//! only once a run has taken a second, so a quick run shows none.
//!
//! Only when stderr is a terminal ([`IsTerminal`]): piped (CI logs, the tests, the child runs of
//! `faults` and `profiles`) nothing at all is written, so a log never holds a half-drawn line
//! or a carriage return.
//!
//! A suite run writes its report to stdout, often the same terminal: [`Suite`], the writer
//! around the console's, then takes the line away before each event reaches the console and
//! puts it back after, so the console's lines (and cucumber's redrawing of them) are
//! undisturbed; the line is gone before the summary.

use std::io::{self, IsTerminal as _, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cucumber::event::{self, Cucumber};
use cucumber::{Event, World, Writer, parser, writer};

/// How long a run goes without a line: a run that ends sooner needs none.
const AFTER: Duration = Duration::from_secs(1);
/// At most one new text this often.
const EVERY: Duration = Duration::from_millis(250);

/// The updating line itself, written to `out`.
pub struct Line<W: Write> {
    what: &'static str,
    out: Option<W>,
    started: Instant,
    last: Option<Instant>,
    text: String,
    shown: bool,
}

impl Line<io::Stderr> {
    /// A line on stderr, or one that writes nothing when stderr is not a terminal.
    pub fn stderr(what: &'static str) -> Self {
        let out = io::stderr();
        let terminal = out.is_terminal();
        Line::to(what, terminal.then_some(out))
    }
}

impl<W: Write> Line<W> {
    /// A line written to `out` (nothing when `None`), its run starting now.
    pub fn to(what: &'static str, out: Option<W>) -> Self {
        Line {
            what,
            out,
            started: Instant::now(),
            last: None,
            text: String::new(),
            shown: false,
        }
    }

    /// Says `done` of `total` (and what is under way, if told), if the run has lasted long
    /// enough and the last text is old enough; otherwise puts back a line [`Line::clear`]
    /// took away.
    pub fn update(&mut self, done: usize, total: Option<usize>, doing: &str) {
        self.update_at(Instant::now(), done, total, doing);
    }

    fn update_at(&mut self, now: Instant, done: usize, total: Option<usize>, doing: &str) {
        if self.out.is_none() || now.duration_since(self.started) < AFTER {
            return;
        }
        if self.last.is_none_or(|last| now.duration_since(last) >= EVERY) {
            let total = total.map(|t| format!("/{t}")).unwrap_or_default();
            let doing = if doing.is_empty() {
                String::new()
            } else {
                format!(" ({doing})")
            };
            let secs = now.duration_since(self.started).as_secs();
            self.text = format!("{}: {done}{total}{doing}, {secs} s", self.what);
            self.last = Some(now);
            self.draw();
        } else if !self.shown {
            self.draw();
        }
    }

    fn draw(&mut self) {
        if let Some(out) = &mut self.out {
            // a terminal that cannot be written to has nowhere to say so either
            let _ = write!(out, "\r\x1b[2K{}", self.text).and_then(|()| out.flush());
            self.shown = true;
        }
    }

    /// Takes the line away (before other output, and at the end).
    pub fn clear(&mut self) {
        if let Some(out) = &mut self.out
            && self.shown
        {
            let _ = write!(out, "\r\x1b[2K").and_then(|()| out.flush());
            self.shown = false;
        }
    }
}

/// What the work behind a [`ticking`] line has done so far.
#[derive(Default)]
pub struct Tally {
    done: AtomicUsize,
    doing: Mutex<String>,
}

impl Tally {
    /// One more part done.
    pub fn one_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// What is under way now, shown beside the count.
    pub fn doing(&self, what: &str) {
        if let Ok(mut doing) = self.doing.lock() {
            what.clone_into(&mut doing);
        }
    }
}

/// Runs `work` while a thread redraws "`what`: done/`total`, N s" on stderr from the [`Tally`]
/// that `work` keeps; the line is gone when `work` returns (or panics), before its caller
/// prints anything. Without a terminal, only `work` runs.
pub fn ticking<T>(what: &'static str, total: usize, work: impl FnOnce(&Tally) -> T) -> T {
    let tally = Tally::default();
    let mut line = Line::stderr(what);
    if line.out.is_none() {
        return work(&tally);
    }
    let finished = AtomicBool::new(false);
    /// Ends the line's thread however `work` ends: a panic that left it running would keep
    /// the scope from ever ending.
    struct Finish<'a>(&'a AtomicBool);
    impl Drop for Finish<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !finished.load(Ordering::Relaxed) {
                let doing = tally.doing.lock().map(|d| d.clone()).unwrap_or_default();
                line.update(tally.done.load(Ordering::Relaxed), Some(total), &doing);
                std::thread::sleep(Duration::from_millis(50));
            }
            line.clear();
        });
        let _finish = Finish(&finished);
        work(&tally)
    })
}

/// The writer around a suite run's writers that keeps "scenarios: done/total" on stderr (see
/// the module docs), and otherwise passes every event and statistic through.
pub struct Suite<Wr> {
    inner: Wr,
    line: Line<io::Stderr>,
    /// Whether the console's stdout shares the terminal, so the line must make way for it.
    around: bool,
    total: Option<usize>,
    done: usize,
}

impl<Wr> Suite<Wr> {
    /// Wraps the run's writer.
    pub fn new(inner: Wr) -> Self {
        Suite {
            inner,
            line: Line::stderr("scenarios"),
            around: io::stdout().is_terminal(),
            total: None,
            done: 0,
        }
    }
}

impl<W: World, Wr: Writer<W>> Writer<W> for Suite<Wr> {
    type Cli = Wr::Cli;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, cli: &Self::Cli) {
        use event::{Feature, Rule, Scenario};
        let mut last = false;
        if let Ok(ev) = &event {
            match &ev.value {
                Cucumber::ParsingFinished { scenarios, .. } => self.total = Some(*scenarios),
                Cucumber::Feature(_, Feature::Scenario(_, sc) | Feature::Rule(_, Rule::Scenario(_, sc)))
                    if matches!(sc.event, Scenario::Finished) && sc.retries.is_none_or(|r| r.left == 0) =>
                {
                    self.done += 1;
                }
                Cucumber::Finished => last = true,
                _ => {}
            }
        }
        if self.around || last {
            self.line.clear();
        }
        self.inner.handle_event(event, cli).await;
        if !last {
            self.line.update(self.done, self.total, "");
        }
    }
}

impl<W: World, Wr: writer::Stats<W>> writer::Stats<W> for Suite<Wr> {
    fn passed_steps(&self) -> usize {
        self.inner.passed_steps()
    }

    fn skipped_steps(&self) -> usize {
        self.inner.skipped_steps()
    }

    fn failed_steps(&self) -> usize {
        self.inner.failed_steps()
    }

    fn retried_steps(&self) -> usize {
        self.inner.retried_steps()
    }

    fn parsing_errors(&self) -> usize {
        self.inner.parsing_errors()
    }

    fn hook_errors(&self) -> usize {
        self.inner.hook_errors()
    }

    fn execution_has_failed(&self) -> bool {
        self.inner.execution_has_failed()
    }
}

impl<Wr: writer::Normalized> writer::Normalized for Suite<Wr> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &Line<Vec<u8>>) -> String {
        String::from_utf8_lossy(line.out.as_ref().unwrap()).replace("\r\x1b[2K", "|")
    }

    #[test]
    fn the_line_waits_a_second_then_changes_at_most_four_times_a_second() {
        let mut line = Line::to("faults", Some(Vec::new()));
        let t0 = line.started;
        line.update_at(t0 + Duration::from_millis(500), 3, Some(42), "");
        assert_eq!(shown(&line), "", "a run shorter than a second shows nothing");
        line.update_at(t0 + Duration::from_millis(1000), 12, Some(42), "");
        line.update_at(t0 + Duration::from_millis(1100), 13, Some(42), "");
        assert_eq!(shown(&line), "|faults: 12/42, 1 s", "one text per quarter second");
        line.clear();
        line.update_at(t0 + Duration::from_millis(1200), 14, Some(42), "");
        assert_eq!(
            shown(&line),
            "|faults: 12/42, 1 s||faults: 12/42, 1 s",
            "put back as it was"
        );
        line.update_at(t0 + Duration::from_millis(2300), 30, None, "twilio");
        assert!(shown(&line).ends_with("|faults: 30 (twilio), 2 s"), "{}", shown(&line));
    }

    #[test]
    fn without_a_terminal_nothing_is_written() {
        let mut line: Line<Vec<u8>> = Line::to("faults", None);
        line.update_at(line.started + Duration::from_secs(5), 1, Some(2), "");
        line.clear();
        assert!(line.out.is_none() && !line.shown);
    }
}
