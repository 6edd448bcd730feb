//! The engine's one integration-test binary: a real DuckDB file, real HTTP/gRPC servers on
//! loopback, and the OTLP requests the real CLIs sent (`tests/fixtures/cli-captures`).

// Test helpers may unwrap: a failure is the test failing, with its message.
#![allow(clippy::unwrap_used)]

mod support;

mod architecture;
mod buffers;
mod bulk_transactions;

mod cache_split;
mod consistency;
mod cross_origin;
mod export_delete;
mod forks_and_subagents;
mod forwarding;
mod importers;
mod interleavings;
mod journal;
mod limits;
mod live;
mod midnight;
mod more_tools;
mod object_storage;
mod otlp_bad_input;
mod otlp_fixtures;
mod pricing;
mod properties;
mod query_shapes;
mod reconciliation;
mod require_token;
mod restart;
mod scenarios;
mod security;
mod spend_first;
mod sql_console;
mod team;
mod tls;
mod watch;
