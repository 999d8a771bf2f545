//! A failing step said in plain words.
//!
//! A failing step is a panic to cucumber, and its JSON and JUnit writers print
//! "Step panicked. Captured output: <text>", framework jargon for "the step failed, and this is
//! why". The phrase is fixed (the `Display` of cucumber's `StepError::Panic`), so those two
//! reports are rewritten as bytes before they are written. Nothing else in the text changes.
//! (The console has a writer of its own, `report::console`, which says it so to begin with.)

use std::borrow::Cow;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
