//! Where the console's text goes: written, or, when the stream fails, closed, silently for a
//! reader gone (`| head`) and said once otherwise, the run then ending with exit 2 (`Written`).

use std::io;

use cucumber::writer::out::WriteStrExt as _;

use super::Console;
use crate::report::Written;

impl<Out: io::Write> Console<Out> {
    /// Writes `text`; a reader that went away is no error (cucumber's writer panicked on it).
    pub(super) fn put(&mut self, text: &str) {
        if self.closed {
            return;
        }
        let result = self.out.write_str(text);
        self.check(result);
    }

    /// Closes the console on a failed write: silently for a reader gone, and for any other
    /// error (a full disk) said once and marked in `written`, which ends the run with exit 2.
    fn check(&mut self, result: io::Result<()>) {
        let Err(e) = result else { return };
        self.closed = true;
        if e.kind() != io::ErrorKind::BrokenPipe {
            let (written, stream) = self.written.clone().unwrap_or((Written::default(), "the console"));
            written.check("console", std::path::Path::new(stream), Err(e));
        }
    }

    pub(super) fn line(&mut self, text: &str) {
        self.put(text);
        self.put("\n");
    }

    /// Clears the lines of the step under way (a terminal only), for its result.
    pub(super) fn clear(&mut self) {
        if self.styles.is_present && self.lines_to_clear > 0 && !self.closed {
            let cleared = self.out.clear_last_lines(self.lines_to_clear);
            self.check(cleared);
            let reprint = std::mem::take(&mut self.reprint);
            self.put(&reprint);
            self.lines_to_clear = 0;
        }
    }
}
