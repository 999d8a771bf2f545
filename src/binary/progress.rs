//! One line of progress on stderr for the runs that take a while: `faults` (61 runs of the
//! suite), `profiles` (three runs), `explore`, and a run of the suite against a remote target
//! ("scenarios: 30/59, 4s"). indicatif draws it, at most four times a second; it appears only
//! once a run has taken a second, so a quick run shows none.
//!
//! Only when stderr is a terminal ([`IsTerminal`]): piped (CI logs, the tests, the child runs of
//! `faults` and `profiles`) nothing at all is written, so a log never holds a half-drawn line
//! or a carriage return.
//!
//! A suite run writes its report to stdout, often the same terminal: [`Suite`], the writer
//! around the console's, then takes the line away before each event reaches the console and
//! puts it back after, so the console's lines (and cucumber's redrawing of them) are
//! undisturbed; the line is gone before the summary.

use std::future::Future;
use std::io::{self, IsTerminal as _};
use std::pin::pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cucumber::event::{self, Cucumber};
use cucumber::{Event, World, Writer, parser, writer};
use futures::FutureExt as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes without a line: a run that ends sooner needs none.
const AFTER: Duration = Duration::from_secs(1);
/// At most one new text this often (indicatif's draw rate, per second).
const HZ: u8 = 4;

/// The updating line itself: an indicatif bar, hidden until the run has lasted [`AFTER`], then
/// drawn to the target it was given (none: never drawn).
pub struct Line {
    bar: ProgressBar,
    /// Where the line goes once it is due; taken when it is attached.
    target: Option<ProgressDrawTarget>,
    started: Instant,
}

impl Line {
    /// A line on stderr, or one that writes nothing when stderr is not a terminal.
    pub fn stderr(what: &'static str) -> Self {
        let terminal = io::stderr().is_terminal();
        Line::to(what, terminal.then(|| ProgressDrawTarget::stderr_with_hz(HZ)))
    }

    /// A line drawn to `target` (never, when `None`), its run starting now.
    pub fn to(what: &'static str, target: Option<ProgressDrawTarget>) -> Self {
        let bar = ProgressBar::hidden().with_prefix(what);
        if let Ok(style) = ProgressStyle::with_template("{prefix}: {msg}, {elapsed}") {
            bar.set_style(style);
        }
        Line {
            bar,
            target,
            started: Instant::now(),
        }
    }

    /// Says `done` of `total` (and what is under way, if told), once the run has lasted long
    /// enough; indicatif redraws at most [`HZ`] times a second.
    pub fn update(&mut self, done: usize, total: Option<usize>, doing: &str) {
        self.update_at(Instant::now(), done, total, doing);
    }

    fn update_at(&mut self, now: Instant, done: usize, total: Option<usize>, doing: &str) {
        let total = total.map(|t| format!("/{t}")).unwrap_or_default();
        let doing = if doing.is_empty() {
            String::new()
        } else {
            format!(" ({doing})")
        };
        self.bar.set_message(format!("{done}{total}{doing}"));
        if now.duration_since(self.started) >= AFTER
            && let Some(target) = self.target.take()
        {
            self.bar.set_draw_target(target);
        }
    }

    /// Runs `f` with the line taken away, and puts it back after (output of another writer on
    /// the same terminal).
    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Takes the line away for good (at the end).
    pub fn clear(&mut self) {
        self.bar.finish_and_clear();
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
    if !io::stderr().is_terminal() {
        return work(&tally);
    }
    let mut line = Line::stderr(what);
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
    line: Line,
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
        if last {
            self.line.clear();
            self.inner.handle_event(event, cli).await;
            return;
        }
        if self.around {
            around(&self.line, self.inner.handle_event(event, cli)).await;
        } else {
            self.inner.handle_event(event, cli).await;
        }
        self.line.update(self.done, self.total, "");
    }
}

/// Awaits `writing` with the line taken away while it writes: cucumber's writers write as soon
/// as they are polled, so the first poll runs inside indicatif's `suspend` (which is
/// synchronous); a writer that has to wait finishes outside it, the line back.
async fn around(line: &Line, writing: impl Future<Output = ()>) {
    let mut writing = pin!(writing);
    if line.suspend(|| writing.as_mut().now_or_never()).is_none() {
        writing.await;
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
    use std::sync::Arc;

    use indicatif::TermLike;

    use super::*;

    /// A terminal that keeps what is written to it, each clear of the line as `|`.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl Screen {
        fn text(&self) -> String {
            self.0.lock().unwrap().clone()
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            self.write_str("|")
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn line(screen: &Screen) -> Line {
        Line::to("faults", Some(ProgressDrawTarget::term_like(Box::new(screen.clone()))))
    }

    #[test]
    fn the_line_waits_a_second_then_says_how_far_the_run_is() {
        let screen = Screen::default();
        let mut line = line(&screen);
        let t0 = line.started;
        line.update_at(t0 + Duration::from_millis(500), 3, Some(42), "");
        assert_eq!(screen.text(), "", "a run shorter than a second shows nothing");
        line.update_at(t0 + AFTER, 12, Some(42), "");
        line.bar.force_draw();
        assert!(screen.text().contains("faults: 12/42, "), "{}", screen.text());
        line.update_at(t0 + Duration::from_millis(2300), 30, None, "twilio");
        line.bar.force_draw();
        assert!(screen.text().contains("faults: 30 (twilio), "), "{}", screen.text());
    }

    #[test]
    fn other_output_is_written_with_the_line_away_and_the_line_ends_cleared() {
        let screen = Screen::default();
        let mut line = line(&screen);
        line.update_at(line.started + AFTER, 1, Some(2), "");
        line.bar.force_draw();
        let before = screen.text();
        line.suspend(|| screen.write_str("[console]").unwrap());
        let after = screen.text()[before.len()..].to_string();
        assert!(after.starts_with("|[console]"), "taken away first: {after:?}");
        assert!(
            after["|[console]".len()..].contains("faults: 1/2, "),
            "put back: {after:?}"
        );
        line.clear();
        assert!(screen.text().ends_with('|'), "cleared at the end: {:?}", screen.text());
    }

    #[test]
    fn without_a_terminal_nothing_is_drawn() {
        let mut line = Line::to("faults", None);
        line.update_at(line.started + Duration::from_secs(5), 1, Some(2), "");
        assert!(line.bar.is_hidden(), "no target, no line");
        line.clear();
    }
}
