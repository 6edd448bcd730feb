//! The token and cost counters an import writes beside each usage record of Claude Code, Codex CLI
//! and Gemini CLI, under the names, units and token types each tool's own telemetry uses, so the
//! metric pages show imported requests like received ones. One description serves both writers:
//! `points` builds a record's counters for a plain import, and `store::import_counters` derives the
//! same rows from the stored records in one statement at a bulk import's end (a first import's
//! counters were a third of its time when built and appended one by one; docs/benchmarks.md).

use super::{Attributes, MetricPoint, Tool, UsageRecord};

/// One token type of a tool's token counter: its `type` attribute, and its count in a usage record
/// and in `usage_records`' columns.
pub struct TokenType {
    pub name: &'static str,
    pub count: fn(&UsageRecord) -> i64,
    pub count_sql: &'static str,
}

/// A metric a counter is written under, and what its rows' keys add to the usage record's key.
pub struct CounterName {
    pub metric: &'static str,
    pub key_suffix: &'static str,
}

/// A tool's counters: a point per token type with a positive count under each token metric, and
/// one per cost metric when the cost is positive.
pub struct ToolCounters {
    pub tool: Tool,
    pub token_metrics: &'static [CounterName],
    pub token_description: &'static str,
    pub token_types: &'static [TokenType],
    pub cost_metrics: &'static [CounterName],
    pub cost_description: &'static str,
    pub cost: fn(&UsageRecord) -> Option<f64>,
    pub cost_sql: &'static str,
}

pub const TOKEN_UNIT: &str = "tokens";
pub const COST_UNIT: &str = "USD";

/// Every tool whose imports write counters. Claude Code writes each twice, as its telemetry does
/// (`*_user_facing`); its cost is the one the file reported, or else the priced one.
pub const IMPORT_COUNTERS: [ToolCounters; 3] = [
    ToolCounters {
        tool: Tool::ClaudeCode,
        token_metrics: &[
            CounterName { metric: "claude_code.token.usage", key_suffix: "token" },
            CounterName { metric: "claude_code.token.usage_user_facing", key_suffix: "token_uf" },
        ],
        token_description: "Number of tokens used",
        token_types: &[
            TokenType { name: "input", count: |record| record.input_tokens, count_sql: "InputTokens" },
            TokenType { name: "output", count: |record| record.output_tokens, count_sql: "OutputTokens" },
            TokenType { name: "cacheRead", count: |record| record.cache_read_tokens, count_sql: "CacheReadTokens" },
            TokenType {
                name: "cacheCreation",
                count: |record| record.cache_write_5m_tokens + record.cache_write_1h_tokens,
                count_sql: "CacheWrite5mTokens + CacheWrite1hTokens",
            },
        ],
        cost_metrics: &[
            CounterName { metric: "claude_code.cost.usage", key_suffix: "cost" },
            CounterName { metric: "claude_code.cost.usage_user_facing", key_suffix: "cost_uf" },
        ],
        cost_description: "Cost of the Claude Code session",
        cost: |record| record.reported_cost_usd.or(record.computed_cost_usd),
        cost_sql: "coalesce(ReportedCostUsd, ComputedCostUsd)",
    },
    ToolCounters {
        tool: Tool::Codex,
        token_metrics: &[CounterName { metric: "codex_cli_rs.token.usage", key_suffix: "token" }],
        token_description: "Number of tokens consumed by Codex CLI",
        token_types: &[
            TokenType { name: "input", count: |record| record.input_tokens, count_sql: "InputTokens" },
            TokenType { name: "cacheRead", count: |record| record.cache_read_tokens, count_sql: "CacheReadTokens" },
            TokenType { name: "output", count: |record| record.output_tokens, count_sql: "OutputTokens" },
            TokenType { name: "reasoning", count: |record| record.reasoning_tokens, count_sql: "ReasoningTokens" },
        ],
        cost_metrics: &[CounterName { metric: "codex_cli_rs.cost.usage", key_suffix: "cost" }],
        cost_description: "Cost of Codex CLI requests",
        cost: |record| record.computed_cost_usd,
        cost_sql: "ComputedCostUsd",
    },
    // Gemini's own type names and semantics, as in its OTLP counters: input includes the cached
    // tokens, output excludes the thoughts (which a usage record's output includes).
    ToolCounters {
        tool: Tool::Gemini,
        token_metrics: &[CounterName { metric: "gemini_cli.token.usage.delta", key_suffix: "token" }],
        token_description: "Token usage",
        token_types: &[
            TokenType {
                name: "input",
                count: |record| record.input_tokens + record.cache_read_tokens,
                count_sql: "InputTokens + CacheReadTokens",
            },
            TokenType { name: "cache", count: |record| record.cache_read_tokens, count_sql: "CacheReadTokens" },
            TokenType {
                name: "output",
                count: |record| record.output_tokens - record.reasoning_tokens,
                count_sql: "OutputTokens - ReasoningTokens",
            },
            TokenType { name: "thought", count: |record| record.reasoning_tokens, count_sql: "ReasoningTokens" },
            TokenType { name: "tool", count: |record| record.tool_tokens, count_sql: "ToolTokens" },
        ],
        cost_metrics: &[CounterName { metric: "gemini_cli.cost.usage", key_suffix: "cost" }],
        cost_description: "Cost of Gemini CLI requests",
        cost: |record| record.computed_cost_usd,
        cost_sql: "ComputedCostUsd",
    },
];

/// The counters a tool's imports write, if it has any.
pub fn counters_of(tool: Tool) -> Option<&'static ToolCounters> {
    IMPORT_COUNTERS.iter().find(|counters| counters.tool == tool)
}

/// The counter points of an imported usage record, tagged with `import_source`; none for a tool
/// without counters. Keys are the record's key with the counter's suffix and token type.
pub fn points(record: &UsageRecord, import_source: &str) -> Vec<MetricPoint> {
    let Some(counters) = record.tool.and_then(counters_of) else { return Vec::new() };
    let mut attributes = Attributes::new();
    attributes.insert("import_source".to_owned(), import_source.to_owned());
    attributes.insert("model".to_owned(), record.model.clone());
    attributes.insert("session.id".to_owned(), record.session_id.clone().unwrap_or_default());
    let point = |name: &CounterName, unit: &str, description: &str, attributes: Attributes, value: f64, key: String| {
        let mut point = MetricPoint::derived_sum(record.time, &record.service_name, name.metric, unit, description, attributes, value);
        point.record_key = Some(key);
        point
    };
    let mut points = Vec::new();
    for token_type in counters.token_types {
        let count = (token_type.count)(record);
        if count <= 0 {
            continue;
        }
        let mut typed = attributes.clone();
        typed.insert("type".to_owned(), token_type.name.to_owned());
        for name in counters.token_metrics {
            let key = format!("{}:{}:{}", record.record_key, name.key_suffix, token_type.name);
            points.push(point(name, TOKEN_UNIT, counters.token_description, typed.clone(), count as f64, key));
        }
    }
    if let Some(cost) = (counters.cost)(record).filter(|cost| *cost > 0.0) {
        for name in counters.cost_metrics {
            let key = format!("{}:{}", record.record_key, name.key_suffix);
            points.push(point(name, COST_UNIT, counters.cost_description, attributes.clone(), cost, key));
        }
    }
    points
}
