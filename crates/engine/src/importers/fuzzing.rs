//! An entry point for the fuzz targets: arbitrary bytes through a tool's parser, line by line as
//! an import reads them (and whole, for Gemini's JSON files), without a store.

use std::sync::OnceLock;

use super::discovery::SessionFile;
use super::projects::ProjectResolver;
use super::{Emitted, ParseContext, importer_for};
use crate::model::{Tool, UsageSource};
use crate::pricing::PriceTable;

/// The price table is parsed once per process: parsing it for every input cost more than the
/// parsers under test.
pub fn parse_session_bytes(tool: Tool, path: &str, data: &[u8]) -> usize {
    static PRICES: OnceLock<Option<PriceTable>> = OnceLock::new();
    let Some(prices) = PRICES.get_or_init(|| PriceTable::builtin().ok()) else { return 0 };
    let projects = ProjectResolver::default();
    let file = SessionFile { tool, path: path.into(), size: data.len() as u64, modified_ms: 0 };
    let context = ParseContext {
        file: &file,
        source: UsageSource::Import,
        prices,
        projects: &projects,
        window: None,
        usage_only: false,
        counters_owed: false,
    };
    let Some(importer) = importer_for(tool) else { return 0 };
    let mut parser = importer.parser(&file, None);
    let mut emitted = Emitted::default();
    for (number, line) in data.split(|byte| *byte == b'\n').enumerate() {
        let _ = parser.line(&context, number as u64 + 1, line, &mut emitted);
    }
    parser.finish(&context, &mut emitted);
    let whole = SessionFile { path: format!("{path}.json").into(), ..file.clone() };
    let mut whole_parser = importer.parser(&whole, None);
    let whole_context = ParseContext { file: &whole, ..context };
    let _ = whole_parser.line(&whole_context, 1, data, &mut emitted);
    emitted.batch.row_count()
}
