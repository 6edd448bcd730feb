//! The AI Observer engine: everything except the shells.
//!
//! Data path: an OTLP request reaches `api::otlp_http` (or `api::otlp_grpc`), is decoded by `otlp`
//! into `model` rows, normalised and enriched by `ingest` (per-tool derivations, cumulative-to-delta,
//! `pricing`), and committed by the single writer in `store`. Session files take the parallel path
//! `importers` → `store`. Reads go the other way: the operation table in `operations` (served as
//! REST routes by `api::rest`, as the desktop's Tauri commands, and to agents as the MCP tools of
//! `mcp`) calls the typed reads in `query` and the concept modules `dashboards`, `settings`,
//! `retention` and `export`. `wire` holds the
//! shapes several layers share (telemetry views, live messages, import progress). `Engine` owns
//! the store, the ingestor, the price table, the live channel and the import jobs; it is the one
//! object both shells hold.
//!
//! `allocator` sets the process's allocator (jemalloc on Linux) for every binary built on the engine.
//!
//! Layers, lowest first (a module uses its own layer and lower ones; `tests/it/architecture.rs`
//! checks it): `error`, `model`, `owner_only` < `config`, `otlp`, `pricing`, `store`, `wire` <
//! `dashboards`, `export`, `ingest`, `query`, `retention`, `settings` < `importers` < `engine` <
//! `operations` < `api`, `mcp`.

mod allocator;
pub mod api;
pub mod cold_pages;
pub mod config;
pub mod dashboards;
pub mod engine;
pub mod error;
pub mod export;
pub mod forward;
pub mod importers;
pub mod ingest;
pub mod mcp;
pub mod model;
pub mod operations;
pub mod otlp;
pub mod owner_only;
pub mod pricing;
pub mod query;
pub mod retention;
pub mod settings;
pub mod store;
pub mod team;
pub mod wire;

pub use config::EngineConfig;
pub use engine::{Engine, EngineError, Ports};
