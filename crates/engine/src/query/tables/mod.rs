//! The tables queries read, one module each: the column list a query selects and the decoder of the
//! row it gets back, kept together so they cannot drift apart.

pub mod otel_logs;
pub mod otel_metrics;
pub mod otel_traces;
pub mod usage_records;
