//! The team server's own concepts: named API tokens that say which machine sent a request.

pub mod tokens;

pub use tokens::{TokenError, TokenRegistry};
