//! The desktop's integration tests, one binary: the commands against the REST API.

mod parity;
mod support;
