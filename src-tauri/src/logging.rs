//! Logging to stderr, configured like `ai-observer serve` (`config::log_filter_directives`). Log
//! lines carry counts and ids, never prompt or attribute contents.

use ai_observer_engine::config::log_filter_directives;
use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::new(log_filter_directives());
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(colours).with_writer(std::io::stderr).try_init();
}
