//! Token counts in one vocabulary for every vendor, as spend answers and import results carry them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TokenCounts {
    /// Uncached input.
    #[ts(type = "number")]
    pub input: i64,
    #[ts(type = "number")]
    pub cache_read: i64,
    #[ts(type = "number")]
    pub cache_creation: i64,
    /// Every billed output token, reasoning/thinking included.
    #[ts(type = "number")]
    pub output: i64,
    /// The part of `output` that was reasoning/thinking.
    #[ts(type = "number")]
    pub reasoning: i64,
}

impl TokenCounts {
    pub fn add(&mut self, other: &TokenCounts) {
        self.input += other.input;
        self.cache_read += other.cache_read;
        self.cache_creation += other.cache_creation;
        self.output += other.output;
        self.reasoning += other.reasoning;
    }

    pub fn total(&self) -> i64 {
        self.input + self.cache_read + self.cache_creation + self.output
    }
}
