//! The AI Observer engine: everything except the shells.
//!
//! Data path: an OTLP request reaches `api::otlp_http` (or `api::otlp_grpc`), is decoded by `otlp`
//! into `model` rows, normalised and enriched by `ingest` (per-tool derivations, cumulative-to-delta,
//! `pricing`), and committed by the single writer in `store`. Session files take the parallel path
//! `importers` → `ingest` → `store`. Reads go the other way: `api::operations` (REST) and the
//! desktop's Tauri commands call the same typed functions in `query`, which read `store` and price
//! with `pricing`. `Engine` owns the store, the ingestor, the price table and the configuration; it
//! is the one object both shells hold.

pub mod api;
pub mod config;
pub mod dashboards;
pub mod engine;
pub mod error;
pub mod export;
pub mod importers;
pub mod ingest;
pub mod model;
pub mod operations;
pub mod otlp;
pub mod owner_only;
pub mod pricing;
pub mod query;
pub mod retention;
pub mod settings;
pub mod store;
pub mod wire;

pub use config::EngineConfig;
pub use engine::{Engine, EngineError, Ports};
