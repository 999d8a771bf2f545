//! The ids of a stream: one counter for every kind of node and message, so no two share one,
//! and the same run renders the same ids.

/// The next id to give.
#[derive(Debug, Default)]
pub struct Ids(usize);

impl Ids {
    /// A new id.
    pub fn next(&mut self) -> String {
        self.0 += 1;
        (self.0 - 1).to_string()
    }
}
