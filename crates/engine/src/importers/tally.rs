//! What an import has done so far: progress for the sink, per-tool totals for the result, and the
//! problems met (at most `MAX_PROBLEMS`), shared by the files read one after another.

use super::discovery::SessionFile;
use crate::model::Tool;
use crate::store::WriteBatch;
use crate::wire::import::{FileProblem, ImportProgress, ImportResult, ImportToolResult};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Most problems kept in a result.
const MAX_PROBLEMS: usize = 1000;
/// Progress reaches the sink at most this often (and always at the end of a file).
const REPORT_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Receives progress while an import runs.
pub type ProgressSink = Arc<dyn Fn(&ImportProgress) + Send + Sync>;

pub struct Tally {
    pub progress: ImportProgress,
    tools: BTreeMap<Tool, ImportToolResult>,
    errors: Vec<FileProblem>,
    last_report: std::time::Instant,
}

impl Tally {
    pub fn new(tools: &[Tool], files: u64, bytes: u64, problems: Vec<FileProblem>) -> Tally {
        Tally {
            progress: ImportProgress { files_total: files, bytes_total: bytes, ..ImportProgress::default() },
            tools: tools
                .iter()
                .map(|tool| (*tool, ImportToolResult { tool: tool.key().to_owned(), ..ImportToolResult::default() }))
                .collect(),
            errors: problems,
            last_report: std::time::Instant::now(),
        }
    }

    pub fn problem(&mut self, file: &SessionFile, line: Option<u64>, message: String) {
        if self.errors.len() < MAX_PROBLEMS {
            self.errors.push(FileProblem { file: file.path.display().to_string(), line, message });
        }
    }

    /// Adds a batch to the totals; a request written twice while reading one file (a response
    /// repeated in the file) is counted once, as it is stored once.
    pub fn count(&mut self, tool: Tool, batch: &WriteBatch, records: usize, counted: &mut HashSet<String>) {
        let entry =
            self.tools.entry(tool).or_insert_with(|| ImportToolResult { tool: tool.key().to_owned(), ..ImportToolResult::default() });
        entry.records += records as u64;
        self.progress.records += records as u64;
        for usage in batch.usage.iter().filter(|usage| counted.insert(usage.record_key.clone())) {
            entry.requests += 1;
            entry.tokens.input += usage.input_tokens;
            entry.tokens.cache_read += usage.cache_read_tokens;
            entry.tokens.cache_creation += usage.cache_write_tokens();
            entry.tokens.output += usage.output_tokens;
            entry.tokens.reasoning += usage.reasoning_tokens;
            match usage.reported_cost_usd.or(usage.computed_cost_usd) {
                Some(cost) => entry.cost_usd += cost,
                None => entry.unpriced_requests += 1,
            }
        }
    }

    /// Adds read bytes (and a finished file) and tells the sink when it is time to.
    pub fn report(&mut self, file: &SessionFile, bytes: u64, file_done: bool, sink: Option<&ProgressSink>) {
        self.progress.bytes_done += bytes;
        self.progress.current_file = Some(file.path.display().to_string());
        if file_done {
            self.progress.files_done += 1;
            if let Some(entry) = self.tools.get_mut(&file.tool) {
                entry.files += 1;
            }
        }
        if let Some(sink) = sink
            && (file_done || self.last_report.elapsed() >= REPORT_EVERY)
        {
            self.last_report = std::time::Instant::now();
            sink(&self.progress);
        }
    }

    /// Says in the progress that the spend is complete when `ahead` (a bulk import stored its
    /// files' usage first, `spend_first`), or else from the end of the import on.
    pub fn spend_ready(&mut self, ahead: bool, sink: Option<&ProgressSink>) {
        if !ahead {
            return;
        }
        self.progress.spend_ready = true;
        if let Some(sink) = sink {
            self.last_report = std::time::Instant::now();
            sink(&self.progress);
        }
    }

    pub fn result(&self, cancelled: bool) -> ImportResult {
        ImportResult { tools: self.tools.values().cloned().collect(), errors: self.errors.clone(), cancelled }
    }
}
