//! Example queries the SQL page offers, each over the reconciled usage (`Counted`: every model
//! request once, as every spend figure counts it).

pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "Cost by project per week",
        "SELECT date_trunc('week', Timestamp) AS week, coalesce(Project, '(no project)') AS project,
       count(*) AS requests, round(sum(coalesce(ReportedCostUsd, ComputedCostUsd)), 4) AS cost_usd
FROM usage_records
WHERE Counted
GROUP BY ALL
ORDER BY week DESC, cost_usd DESC",
    ),
    (
        "Tokens and cost by tool and model",
        "SELECT Tool, Model, count(*) AS requests,
       sum(InputTokens) AS input, sum(CacheReadTokens) AS cache_read,
       sum(CacheWrite5mTokens + CacheWrite1hTokens) AS cache_write, sum(OutputTokens) AS output,
       round(sum(coalesce(ReportedCostUsd, ComputedCostUsd)), 4) AS cost_usd
FROM usage_records
WHERE Counted
GROUP BY ALL
ORDER BY cost_usd DESC NULLS LAST",
    ),
    (
        "Most expensive sessions",
        "SELECT Tool, SessionId, min(Timestamp) AS started, count(*) AS requests,
       round(sum(coalesce(ReportedCostUsd, ComputedCostUsd)), 4) AS cost_usd
FROM usage_records
WHERE Counted
GROUP BY ALL
ORDER BY cost_usd DESC NULLS LAST
LIMIT 20",
    ),
    (
        "Requests without a price",
        "SELECT Tool, Model, count(*) AS requests, sum(InputTokens + CacheReadTokens) AS input, sum(OutputTokens) AS output
FROM usage_records
WHERE Counted AND ComputedCostUsd IS NULL AND ReportedCostUsd IS NULL
GROUP BY ALL
ORDER BY requests DESC, Tool, Model",
    ),
    (
        "Slowest model requests",
        "SELECT Timestamp, Tool, Model, DurationMs, InputTokens + CacheReadTokens AS input, OutputTokens
FROM usage_records
WHERE Counted AND DurationMs IS NOT NULL
ORDER BY DurationMs DESC
LIMIT 20",
    ),
];
