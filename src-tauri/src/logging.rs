//! Logging to stderr, configured like `ai-observer serve`: `AI_OBSERVER_LOG_LEVEL` (DEBUG, INFO,
//! WARN, ERROR) or `RUST_LOG`. Log lines carry counts and ids, never prompt or attribute contents.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let level = std::env::var("AI_OBSERVER_LOG_LEVEL").ok().map(|level| match level.to_ascii_lowercase().as_str() {
        "warning" => "warn".to_owned(),
        other => other.to_owned(),
    });
    let filter = match (std::env::var("RUST_LOG").ok(), level) {
        (Some(directives), _) => EnvFilter::new(directives),
        (None, Some(level)) => EnvFilter::new(format!("{level},tower_http=warn,h2=warn,hyper=warn")),
        (None, None) => EnvFilter::new("info,tower_http=warn,h2=warn,hyper=warn"),
    };
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(colours).with_writer(std::io::stderr).try_init();
}
