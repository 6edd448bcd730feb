//! The token and cost counters a bulk import owes (`WriteBatch::counters_owed`): the writer notes
//! the keys of the usage records it stores for such a batch in `import_counters_owed`, in the same
//! transaction, and the import's end (`bulk_finish`) derives their counters from the stored records
//! in one statement: the rows `model::import_counters::points` builds for a plain import, column
//! for column. Building and appending them one by one took a third of a first import's time.

use super::StoreError;
use super::batch::WriteBatch;
use crate::model::import_counters::{COST_UNIT, IMPORT_COUNTERS, TOKEN_UNIT, ToolCounters, counters_of};
use crate::model::{MetricKind, TEMPORALITY_DELTA};
use duckdb::{Connection, params};

/// Notes, in the writer's transaction, the usage records of the batches that owe counters: those
/// it stores and those stored ahead (`WriteBatch::usage_stored_ahead`).
pub(super) fn note_owed(connection: &Connection, batches: &[&WriteBatch]) -> Result<(), StoreError> {
    let write = StoreError::write;
    let mut owed = batches
        .iter()
        .filter_map(|batch| Some((batch.counters_owed?, batch)))
        .flat_map(|(source, batch)| batch.usage.iter().chain(&batch.usage_stored_ahead).map(move |record| (source, record)))
        .filter(|(_, record)| record.tool.and_then(counters_of).is_some())
        .peekable();
    if owed.peek().is_none() {
        return Ok(());
    }
    let mut appender = connection.appender("import_counters_owed").map_err(write)?;
    for (source, record) in owed {
        appender.append_row(params![record.record_key, source]).map_err(write)?;
    }
    appender.flush().map_err(write)?;
    Ok(())
}

/// Whether any usage record still owes its counters (a bulk import stopped before its end).
pub(super) fn any_owed(connection: &Connection) -> Result<bool, StoreError> {
    Ok(connection.query_row("SELECT EXISTS (SELECT 1 FROM import_counters_owed)", [], |row| row.get(0))?)
}

/// Derives the owed counters from the stored usage records (a record removed since is owed
/// nothing), and clears the list. Returns the number of points written. The caller then removes
/// keyed copies, so a re-imported record's new points replace its old ones.
pub(super) fn derive_owed(connection: &Connection) -> Result<usize, StoreError> {
    if !any_owed(connection)? {
        return Ok(0);
    }
    connection.execute_batch(
        "CREATE OR REPLACE TEMP TABLE owed_usage AS
         SELECT u.RecordKey, u.Timestamp, u.Tool, u.ServiceName, coalesce(u.SessionId, '') AS SessionId, u.Model,
                u.InputTokens, u.CacheReadTokens, u.CacheWrite5mTokens, u.CacheWrite1hTokens, u.OutputTokens,
                u.ReasoningTokens, u.ToolTokens, u.ReportedCostUsd, u.ComputedCostUsd, o.ImportSource
         FROM usage_records u
         JOIN (SELECT RecordKey, arg_max(ImportSource, rowid) AS ImportSource FROM import_counters_owed GROUP BY RecordKey) o
           ON o.RecordKey = u.RecordKey",
    )?;
    let derived = connection.execute(&derive_statement(), [])?;
    connection.execute_batch("DROP TABLE temp.owed_usage; DELETE FROM import_counters_owed;")?;
    tracing::debug!(points = derived, "derived an import's token and cost counters");
    Ok(derived)
}

/// One `INSERT … SELECT` over `temp.owed_usage` with a branch per tool, metric and token type.
fn derive_statement() -> String {
    let branches: Vec<String> = IMPORT_COUNTERS.iter().flat_map(tool_branches).collect();
    format!(
        "INSERT INTO otel_metrics (Timestamp, ServiceName, MetricName, MetricDescription, MetricUnit, ResourceAttributes,
            Attributes, MetricType, Value, AggregationTemporality, IsMonotonic, RecordKey)
         {}",
        branches.join("\n UNION ALL ")
    )
}

fn tool_branches(counters: &ToolCounters) -> Vec<String> {
    let tool = counters.tool.key();
    let branch = |metric: &str, unit: &str, description: &str, typed: Option<&str>, value: &str, key: String| {
        let type_attribute = typed.map(|name| format!(", 'type', '{name}'")).unwrap_or_default();
        format!(
            "SELECT Timestamp, ServiceName, '{metric}', '{description}', '{unit}', '{{}}',
                json_object('import_source', ImportSource, 'model', Model, 'session.id', SessionId{type_attribute}),
                '{kind}', {value}, {TEMPORALITY_DELTA}, true, {key}
             FROM temp.owed_usage WHERE Tool = '{tool}' AND {value} > 0",
            kind = MetricKind::Sum.as_str(),
        )
    };
    let mut branches = Vec::new();
    for token_type in counters.token_types {
        let value = format!("CAST(({}) AS DOUBLE)", token_type.count_sql);
        for name in counters.token_metrics {
            let key = format!("RecordKey || ':{}:{}'", name.key_suffix, token_type.name);
            branches.push(branch(name.metric, TOKEN_UNIT, counters.token_description, Some(token_type.name), &value, key));
        }
    }
    for name in counters.cost_metrics {
        let key = format!("RecordKey || ':{}'", name.key_suffix);
        branches.push(branch(name.metric, COST_UNIT, counters.cost_description, None, counters.cost_sql, key));
    }
    branches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::import_counters::points;
    use crate::model::{Tool, UsageRecord, UsageSource};
    use crate::store::rows::{append_metrics, usage_batch};

    fn record(key: &str, tool: Tool, fill: impl FnOnce(&mut UsageRecord)) -> UsageRecord {
        let mut record = UsageRecord {
            record_key: key.to_owned(),
            time: 1_764_547_200_123_456_789,
            tool: Some(tool),
            source: Some(UsageSource::Import),
            service_name: tool.key().to_owned(),
            session_id: Some(format!("session of {key}")),
            model: "model-1".to_owned(),
            ..UsageRecord::default()
        };
        fill(&mut record);
        record
    }

    /// Every metric column of every point, in key order.
    fn stored_points(connection: &Connection) -> Vec<String> {
        connection
            .prepare("SELECT t::VARCHAR FROM otel_metrics t ORDER BY RecordKey")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// The points a bulk import's end derives from the stored records are, column for column, the
    /// ones a plain import builds from the same records (`points`): each tool's token types and
    /// costs, zero counts and costs left out, a reported cost preferred, text that JSON escapes.
    #[test]
    fn derived_counters_are_the_points_a_plain_import_builds() {
        let records = [
            record("file:claude-code:msg:a", Tool::ClaudeCode, |record| {
                record.input_tokens = 3;
                record.output_tokens = 250;
                record.cache_read_tokens = 40_000;
                record.cache_write_5m_tokens = 1_000;
                record.cache_write_1h_tokens = 24;
                record.reported_cost_usd = Some(0.25);
                record.computed_cost_usd = Some(0.125);
            }),
            record("file:claude-code:msg:b", Tool::ClaudeCode, |record| {
                record.input_tokens = 7;
                record.model = "claude \"quoted\" ─ model\\".to_owned();
                record.session_id = Some("line\nbreak\u{1}".to_owned());
            }),
            record("file:codex:c", Tool::Codex, |record| {
                record.input_tokens = 900;
                record.cache_read_tokens = 100;
                record.output_tokens = 30;
                record.reasoning_tokens = 12;
                record.computed_cost_usd = Some(0.004_375);
                record.service_name = "codex_exec".to_owned();
            }),
            record("file:gemini:d", Tool::Gemini, |record| {
                record.input_tokens = 500;
                record.cache_read_tokens = 200;
                record.output_tokens = 80;
                record.reasoning_tokens = 50;
                record.tool_tokens = 9;
                record.computed_cost_usd = Some(0.0);
                record.session_id = None;
            }),
            record("file:qwen-code:e", Tool::QwenCode, |record| record.input_tokens = 5),
        ];
        let built: Vec<_> = records.iter().flat_map(|record| points(record, "file_watcher")).collect();
        assert_eq!(built.len(), 10 + 2 + 5 + 5, "Claude Code 4 types and a cost, twice; one type; Codex 4 and a cost; Gemini 5");

        let plain = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&plain).unwrap();
        let mut appender = plain.appender("otel_metrics").unwrap();
        append_metrics(&mut appender, &built.iter().collect::<Vec<_>>()).unwrap();
        appender.flush().unwrap();
        drop(appender);

        let bulk = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&bulk).unwrap();
        let mut appender = bulk.appender("usage_records").unwrap();
        appender.append_record_batch(usage_batch(&records.iter().collect::<Vec<_>>()).unwrap()).unwrap();
        appender.flush().unwrap();
        drop(appender);
        let batch = WriteBatch { usage: records.to_vec(), counters_owed: Some("file_watcher"), ..WriteBatch::default() };
        note_owed(&bulk, &[&batch]).unwrap();
        let owed: i64 = bulk.query_row("SELECT count(*) FROM import_counters_owed", [], |row| row.get(0)).unwrap();
        assert_eq!(owed, 4, "a tool without counters owes none");
        assert!(any_owed(&bulk).unwrap());

        assert_eq!(derive_owed(&bulk).unwrap(), built.len());
        assert_eq!(stored_points(&bulk), stored_points(&plain));
        assert!(!any_owed(&bulk).unwrap(), "the list is cleared");
        assert_eq!(derive_owed(&bulk).unwrap(), 0);
        let claude_cost: Vec<(String, f64, String)> = bulk
            .prepare("SELECT MetricName, Value, Attributes::VARCHAR FROM otel_metrics WHERE RecordKey LIKE 'file:claude-code:msg:a:cost%' ORDER BY 1")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let attributes = r#"{"import_source":"file_watcher","model":"model-1","session.id":"session of file:claude-code:msg:a"}"#;
        assert_eq!(
            claude_cost,
            [
                ("claude_code.cost.usage".to_owned(), 0.25, attributes.to_owned()),
                ("claude_code.cost.usage_user_facing".to_owned(), 0.25, attributes.to_owned())
            ]
        );
    }
}
