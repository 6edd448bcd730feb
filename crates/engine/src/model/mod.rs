//! Plain domain values that every other module speaks: what the receiver decodes into, what the
//! importers produce, what the store writes, and the small vocabularies (tools, token counts, time)
//! they share. No I/O and no dependencies on the rest of the crate.

mod attributes;
pub mod identity;
pub mod import_counters;
mod limits;
mod log;
pub mod matching;
mod metric;
mod span;
pub mod time;
mod tokens;
mod tool;
mod usage;

pub use attributes::{AttributeValues, Attributes, attributes_to_json, write_attributes_json};
pub use identity::Sender;
pub use limits::{LimitSource, LimitWindow, PlanLimit};
pub use log::LogRecord;
pub use metric::{MetricKind, MetricPoint, TEMPORALITY_CUMULATIVE, TEMPORALITY_DELTA};
pub use span::{Span, SpanEvent, SpanLink};
pub use tokens::TokenCounts;
pub use tool::Tool;
pub use usage::{UsageRecord, UsageSource};

/// Nanoseconds since the Unix epoch, as OTLP carries time.
pub type UnixNanos = i64;
