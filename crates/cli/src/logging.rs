//! Logging to stderr, filtered by `config::log_filter_directives` (`AI_OBSERVER_LOG_LEVEL` or
//! `RUST_LOG`). Log lines carry counts and ids, never prompt or attribute contents.

use ai_observer_engine::config::log_filter_directives;
use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::new(log_filter_directives());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
