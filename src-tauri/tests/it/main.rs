//! The desktop's integration tests, one binary: the commands against the REST API.

// Test helpers may unwrap: a failure is the test failing, with its message.
#![allow(clippy::unwrap_used)]

mod parity;
mod support;
mod updates;
