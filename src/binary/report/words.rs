//! A failing step said in plain words.
//!
//! Steps return `Err(String)`, which cucumber reports as a panic: its writers print
//! "Step panicked. Captured output: <text>", framework jargon for "the step failed, and this is
//! why". The phrase is fixed (the `Display` of cucumber's `StepError::Panic`), so the least code
//! is to rewrite it where text leaves the run: the console through [`Plain`], the JSON and JUnit
//! reports as bytes before they are written, and the record the HTML page and the Markdown
//! summary are rendered from. Nothing else in the text changes.

use std::borrow::Cow;
use std::io;

/// What cucumber says before a failing step's text.
pub const CUCUMBER: &str = "Step panicked. Captured output: ";
/// What the run says instead.
pub const PLAIN: &str = "Step failed: ";

/// `bytes` with cucumber's phrase in plain words (borrowed when it has none): UTF-8 around the phrase but need not be as a whole (the phrase
/// is ASCII, and needs no escaping in JSON or XML, so it appears in those reports as is).
pub fn plain_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    let phrase = CUCUMBER.as_bytes();
    let Some(first) = find(bytes, phrase) else {
        return Cow::Borrowed(bytes);
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut at = Some(first);
    while let Some(i) = at {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(PLAIN.as_bytes());
        rest = &rest[i + phrase.len()..];
        at = find(rest, phrase);
    }
    out.extend_from_slice(rest);
    Cow::Owned(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An [`io::Write`] that passes everything through with cucumber's phrase in plain words: the
/// console writer is given one. It holds back an unfinished line until its newline (or a
/// flush), so the phrase, which never spans lines, is always seen whole.
pub struct Plain<W: io::Write> {
    inner: W,
    line: Vec<u8>,
    /// Set when the reader went away.
    closed: bool,
}

impl<W: io::Write> Plain<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Plain {
            inner,
            line: Vec::new(),
            closed: false,
        }
    }
}

/// The console's lines without what says nothing to a reader: cucumber's bare "Step failed:"
/// (the failure text under it starts with the same words) and its `Matched: src/binary/steps/…` (a
/// source path of this crate, which a user of the binary does not have).
fn console_lines(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for line in text.split_inclusive(|b| *b == b'\n') {
        let trimmed = line.trim_ascii();
        // cucumber's "Failed to parse: … Could not read path: …" of a feature the run refused
        // (each refusal is said above it with its file and line, in words that fit)
        if trimmed == PLAIN.trim_end().as_bytes()
            || trimmed.starts_with(b"Matched: src/")
            || trimmed.starts_with(b"Failed to parse: ")
        {
            continue;
        }
        out.extend_from_slice(line);
    }
    out
}

impl<W: io::Write> Plain<W> {
    /// Writes to the console; a reader that went away (`| head`) is no error: the run goes on
    /// to its end and its exit code, with nothing more printed (cucumber would panic on it).
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.write_all(&console_lines(&plain_bytes(bytes))) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

impl<W: io::Write> io::Write for Plain<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.line.extend_from_slice(buf);
        if let Some(end) = self.line.iter().rposition(|b| *b == b'\n') {
            let lines: Vec<u8> = self.line.drain(..=end).collect();
            self.put(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.line);
        self.put(&rest)?;
        match self.inner.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

impl<W: io::Write> Drop for Plain<W> {
    fn drop(&mut self) {
        let _ = io::Write::flush(self); // nothing is left to say it to
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn the_phrase_is_reworded_and_nothing_else_changes() {
        assert!(matches!(plain_bytes(b"no phrase here"), Cow::Borrowed(_)));
        let json = br#"[{"error_message":"Step panicked. Captured output: a"},{"error_message":"Step panicked. Captured output: b"}]"#;
        assert_eq!(
            plain_bytes(json).as_ref(),
            br#"[{"error_message":"Step failed: a"},{"error_message":"Step failed: b"}]"#
        );
        assert_eq!(
            plain_bytes(b"\xff Step panicked. Captured output: x").as_ref(),
            b"\xff Step failed: x"
        );
    }

    #[test]
    fn a_phrase_written_in_pieces_is_still_reworded() {
        let mut out = Plain::new(Vec::new());
        for piece in ["  ✘ Then x\n   Step pan", "icked. Captured ", "output: why\n", "tail"] {
            out.write_all(piece.as_bytes()).unwrap();
        }
        assert_eq!(String::from_utf8_lossy(&out.inner), "  ✘ Then x\n   Step failed: why\n");

        out.flush().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.inner),
            "  ✘ Then x\n   Step failed: why\ntail"
        );
    }

    #[test]
    fn the_console_loses_the_bare_heading_and_the_source_path() {
        let mut out = Plain::new(Vec::new());
        out.write_all(
            b"      Step failed:\n      Defined: features/m.feature:1:1\n      Matched: src/binary/steps/response.rs:25:1\n      Step panicked. Captured output: why\n",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.inner),
            "      Defined: features/m.feature:1:1\n      Step failed: why\n"
        );
    }
}
