//! The shapes that cross to clients and are shared by several layers: stored telemetry as the API
//! shows it (`telemetry`), what the live channel carries (`live`), import progress and results
//! (`import`), and the lenient readers of request fields that arrive as query-string text
//! (`lenient`). Plain serde/ts-rs types over `model`; nothing here touches the store.

pub mod import;
pub mod lenient;
pub mod live;
pub mod telemetry;
