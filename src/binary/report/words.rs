//! A failing step said in plain words, the same in every report: "Step failed: " and then the
//! failure, where cucumber's own writers said "Step panicked. Captured output: ". Every writer is
//! the run's own (`console`, `junit`, `json`, `html`, `markdown`), rendered from the `Failure`
//! value, so this is the one place the words are.

/// What a report writes before a failing step's text.
pub const PLAIN: &str = "Step failed: ";
