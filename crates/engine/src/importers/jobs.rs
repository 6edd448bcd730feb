//! Import jobs started from the app or the API: progress, cancellation and results by job id.

#[derive(Debug, Default)]
pub struct ImportJobs {}

impl ImportJobs {
    pub fn cancel_all(&self) {}
}
