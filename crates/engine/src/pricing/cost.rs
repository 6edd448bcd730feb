//! Dollars from tokens. Pure functions over a `ModelPrice` and a normalised `UsageRecord`.
//!
//! The record's token fields are already vendor-neutral (uncached input, cache reads, cache writes
//! by TTL, output including reasoning), so one formula serves every vendor:
//! `input × in + cache_read × cache_read_rate + cache_write_5m × 5m_rate + cache_write_1h × 1h_rate
//! + output × out + tool × in`, times the fast multiplier when the tool reports `speed = fast`.
//!
//! Long context follows the vendors' rule: once the request's whole input (uncached + cache reads +
//! cache writes) exceeds the threshold, every token of the request is billed at the higher rates.

use super::table::{ModelPrice, Vendor};
use crate::model::UsageRecord;

const PER_MILLION: f64 = 1e-6;

/// The cost of one request, split by token kind (USD).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CostBreakdown {
    pub input: f64,
    pub cache_read: f64,
    pub cache_write: f64,
    pub output: f64,
    pub long_context: bool,
}

impl CostBreakdown {
    pub fn total(&self) -> f64 {
        self.input + self.cache_read + self.cache_write + self.output
    }
}

struct Rates {
    input: f64,
    output: f64,
    cache_read: f64,
    cache_write_5m: f64,
    cache_write_1h: f64,
}

fn rates_for(price: &ModelPrice, total_input: i64) -> (Rates, bool) {
    // Vendor defaults where a cache rate is missing: Anthropic writes cost 1.25× (5 m) and 2× (1 h)
    // the input rate; a missing read rate means the vendor does not discount cached input.
    let default_5m = |input: f64| if price.vendor == Vendor::Anthropic { input * 1.25 } else { input };
    let default_1h = |input: f64| if price.vendor == Vendor::Anthropic { input * 2.0 } else { input };
    match &price.long_context {
        Some(long) if total_input > long.threshold_input_tokens => (
            Rates {
                input: long.input,
                output: long.output,
                cache_read: long.cache_read.or(price.cache_read).unwrap_or(long.input),
                cache_write_5m: long.cache_write5m.unwrap_or_else(|| default_5m(long.input)),
                cache_write_1h: long.cache_write1h.unwrap_or_else(|| default_1h(long.input)),
            },
            true,
        ),
        _ => (
            Rates {
                input: price.input,
                output: price.output,
                cache_read: price.cache_read.unwrap_or(price.input),
                cache_write_5m: price.cache_write5m.unwrap_or_else(|| default_5m(price.input)),
                cache_write_1h: price.cache_write1h.unwrap_or_else(|| default_1h(price.input)),
            },
            false,
        ),
    }
}

/// The cost of a request at `price`. Negative token counts (corrupt input) count as zero.
pub fn cost_of_usage(price: &ModelPrice, usage: &UsageRecord) -> CostBreakdown {
    let tokens = |count: i64| count.max(0) as f64;
    let total_input = usage.input_tokens.max(0) + usage.cache_read_tokens.max(0) + usage.cache_write_tokens().max(0);
    let (rates, long_context) = rates_for(price, total_input);
    let multiplier = match usage.speed.as_deref() {
        Some("fast") | Some("priority") => price.fast_multiplier.unwrap_or(1.0),
        _ => 1.0,
    };
    CostBreakdown {
        input: (tokens(usage.input_tokens) + tokens(usage.tool_tokens)) * rates.input * PER_MILLION * multiplier,
        cache_read: tokens(usage.cache_read_tokens) * rates.cache_read * PER_MILLION * multiplier,
        cache_write: (tokens(usage.cache_write_5m_tokens) * rates.cache_write_5m
            + tokens(usage.cache_write_1h_tokens) * rates.cache_write_1h)
            * PER_MILLION
            * multiplier,
        output: tokens(usage.output_tokens) * rates.output * PER_MILLION * multiplier,
        long_context,
    }
}
