//! The engine's one integration-test binary: a real DuckDB file, real HTTP/gRPC servers on
//! loopback, and the OTLP requests the real CLIs sent (`tests/fixtures/cli-captures`).

mod support;

mod architecture;

mod cross_origin;
mod export_delete;
mod importers;
mod live;
mod otlp_bad_input;
mod otlp_fixtures;
mod pricing;
mod properties;
mod query_shapes;
mod reconciliation;
mod restart;
mod security;
mod watch;
