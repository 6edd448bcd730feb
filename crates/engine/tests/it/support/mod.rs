//! Shared test scaffolding: a running engine on loopback ports and the captured fixtures.

pub mod fixtures;
pub mod imports;
pub mod server;
pub mod spend;

pub use fixtures::{captures, expected};
pub use server::TestServer;
