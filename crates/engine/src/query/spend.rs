//! Spend: requests, tokens and dollars per tool, model, day, week, month, session, project, machine
//! or person, in the user's time zone, with each model request counted once across sources.
//!
//! Each model request counts once (see docs/pricing.md): every usage record comes from OTLP, an
//! import or the file watcher; `model::matching` groups the records of one request across sources
//! (by request id, else by model and token counts within the session) and `store::reconcile` marks
//! the one that counts on every write. Spend reads only those (`RECONCILED_USAGE_CTE`).

use super::QueryError;
use super::tables::usage_records::{GROUP_TOTALS, TOKEN_SUMS, group_at, tokens_at};
use super::time_range::TimeRange;
use crate::model::TokenCounts;
use crate::model::time::start_of_local_day;
use crate::pricing::PriceTable;
use crate::store::Store;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Usage records with each model request once (`store::reconcile` keeps `Counted` true), as a CTE
/// named `reconciled`.
pub const RECONCILED_USAGE_CTE: &str = "reconciled AS (SELECT * FROM usage_records WHERE Counted)";

/// `RECONCILED_USAGE_CTE` where a request without a project takes its session's, from any of the
/// session's records (telemetry rows often carry none, while the same requests' file rows stand by
/// with it). Only spend by project reads it: finding every session's project reads every usage
/// record of all time, about half of a spend answer's time at 10 M rows (docs/benchmarks.md).
pub const RECONCILED_USAGE_WITH_SESSION_PROJECTS_CTE: &str = "session_projects AS (
        SELECT Tool, SessionId, any_value(Project) AS Project FROM usage_records
        WHERE Project IS NOT NULL AND SessionId IS NOT NULL GROUP BY Tool, SessionId
    ), reconciled AS (
        SELECT u.* REPLACE (coalesce(u.Project, p.Project) AS Project)
        FROM usage_records u LEFT JOIN session_projects p ON p.Tool = u.Tool AND p.SessionId = u.SessionId
        WHERE u.Counted
    )";

#[derive(Debug, Clone, Default, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SpendGroup {
    pub key: String,
    #[ts(type = "number")]
    pub requests: i64,
    /// The cost shown: the tool's own reported cost where it reports one, else the computed cost.
    /// Requests without any cost are left out of it and counted in `unpricedRequests`; null when
    /// every request of the group is unpriced (0 only means free or no requests).
    pub cost_usd: Option<f64>,
    /// Sum of the costs the tools reported themselves (Claude Code's `cost_usd`); null when none did.
    pub reported_cost_usd: Option<f64>,
    /// Sum of the costs computed from the price table; null when no request could be priced.
    pub computed_cost_usd: Option<f64>,
    #[ts(type = "number")]
    pub unpriced_requests: i64,
    /// Requests whose cost in `costUsd` is computed from the price table because the tool reported
    /// none (Codex, Gemini, Claude Code without `cost_usd`); the rest are the tool's own figures.
    #[ts(type = "number")]
    pub computed_requests: i64,
    pub tokens: TokenCounts,
    /// What the cache reads saved against paying them as uncached input, at the price table's
    /// rates (on `total` of `/api/spend`; absent elsewhere and when no cache read has a price).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cache_savings_usd: Option<f64>,
}

impl SpendGroup {
    fn named(key: &str) -> SpendGroup {
        SpendGroup { key: key.to_owned(), cost_usd: Some(0.0), ..SpendGroup::default() }
    }

    /// The priced part of the cost in USD (0 when nothing is priced), for sums and sorting.
    pub fn cost(&self) -> f64 {
        self.cost_usd.unwrap_or(0.0)
    }

    fn add(&mut self, other: &SpendGroup) {
        self.cost_usd = if self.requests == 0 { other.cost_usd } else { add_optional(self.cost_usd, other.cost_usd) };
        self.requests += other.requests;
        self.reported_cost_usd = add_optional(self.reported_cost_usd, other.reported_cost_usd);
        self.computed_cost_usd = add_optional(self.computed_cost_usd, other.computed_cost_usd);
        self.unpriced_requests += other.unpriced_requests;
        self.computed_requests += other.computed_requests;
        self.tokens.add(&other.tokens);
    }
}

fn add_optional(left: Option<f64>, right: Option<f64>) -> Option<f64> {
    match (left, right) {
        (None, None) => None,
        (left, right) => Some(left.unwrap_or(0.0) + right.unwrap_or(0.0)),
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct UnpricedModel {
    pub tool: String,
    pub model: String,
    #[ts(type = "number")]
    pub requests: i64,
    pub tokens: TokenCounts,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SpendRequest {
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    /// `tool` (default), `model`, `day`, `week`, `month`, `session`, `project`, `machine` (the named
    /// token a team server received the request with; `local` for this machine's own), `user`
    /// (`user.email`; `unknown` where the data names no one) or `host` (`host.name`; `unknown`
    /// where the tool does not send it).
    #[ts(optional)]
    pub group_by: Option<GroupBy>,
    /// IANA time zone for day/week/month keys; default the configured one.
    #[ts(optional)]
    pub tz: Option<String>,
    /// Only this tool (`claude-code`, `codex`, `gemini`).
    #[ts(optional)]
    pub tool: Option<String>,
    /// Only this machine (a token's name, or `local`).
    #[ts(optional)]
    pub machine: Option<String>,
    /// Only this person (`user.email`, or `unknown`).
    #[ts(optional)]
    pub user: Option<String>,
    /// Only this host (`host.name`, or `unknown`).
    #[ts(optional)]
    pub host: Option<String>,
}

/// Which requests a spend answer covers: all, or one tool, machine or person (together, all of them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpendScope {
    pub tool: Option<String>,
    pub machine: Option<String>,
    pub user: Option<String>,
    pub host: Option<String>,
}

/// The machine key of this machine's own rows (no named token).
pub const LOCAL_MACHINE: &str = "local";
/// The user key of rows that name no one.
pub const UNKNOWN_USER: &str = "unknown";

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SpendResponse {
    pub from: String,
    pub to: String,
    pub tz: String,
    pub group_by: GroupBy,
    pub groups: Vec<SpendGroup>,
    pub total: SpendGroup,
    pub unpriced_models: Vec<UnpricedModel>,
}

/// How spend is grouped. In a query string an empty value means `tool`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase", try_from = "String")]
#[ts(export, export_to = "types.gen.ts")]
pub enum GroupBy {
    #[default]
    Tool,
    Model,
    Day,
    Week,
    Month,
    Session,
    Project,
    Machine,
    User,
    Host,
}

impl TryFrom<String> for GroupBy {
    type Error = QueryError;

    fn try_from(text: String) -> Result<GroupBy, QueryError> {
        GroupBy::parse(Some(&text))
    }
}

impl GroupBy {
    pub fn parse(text: Option<&str>) -> Result<GroupBy, QueryError> {
        Ok(match text.map(str::trim).unwrap_or("tool") {
            "" | "tool" => GroupBy::Tool,
            "model" => GroupBy::Model,
            "day" => GroupBy::Day,
            "week" => GroupBy::Week,
            "month" => GroupBy::Month,
            "session" => GroupBy::Session,
            "project" => GroupBy::Project,
            "machine" => GroupBy::Machine,
            "user" => GroupBy::User,
            "host" => GroupBy::Host,
            other => {
                return Err(QueryError::invalid(format!(
                    "invalid groupBy {other:?}: use tool, model, day, week, month, session, project, machine, user or host"
                )));
            }
        })
    }

    fn is_calendar(self) -> bool {
        matches!(self, GroupBy::Day | GroupBy::Week | GroupBy::Month)
    }
}

pub fn parse_time_zone(text: &str) -> Result<Tz, QueryError> {
    crate::model::time::parse_time_zone(text).map_err(|error| QueryError::invalid(error.0))
}

/// Calendar buckets are computed from 15-minute UTC slices: every real UTC offset is a multiple of
/// 15 minutes, so a slice never straddles a local midnight.
const SLICE_MILLIS: i64 = 15 * 60 * 1000;

struct SpendRow {
    key: String,
    slice_start: i64,
    group: SpendGroup,
}

/// Aggregates reconciled usage in `range` by `group_by`.
pub async fn spend_in_range(
    store: &Store,
    range: TimeRange,
    group_by: GroupBy,
    tz: Tz,
    scope: SpendScope,
) -> Result<SpendResponse, QueryError> {
    let key_expression = match group_by {
        GroupBy::Tool => "coalesce(Tool, 'unknown')",
        GroupBy::Model => "Model",
        GroupBy::Session => "coalesce(SessionId, 'unknown')",
        GroupBy::Project => "coalesce(Project, 'unknown')",
        GroupBy::Machine => "coalesce(Machine, 'local')",
        GroupBy::User => "coalesce(UserEmail, 'unknown')",
        GroupBy::Host => "coalesce(Host, 'unknown')",
        GroupBy::Day | GroupBy::Week | GroupBy::Month => "''",
    };
    let slice_expression =
        if group_by.is_calendar() { format!("(epoch_ms(Timestamp) // {SLICE_MILLIS}) * {SLICE_MILLIS}") } else { "0".to_owned() };
    let (tool_filter, params) = range_and_scope(range, &scope);
    let reconciled = if group_by == GroupBy::Project { RECONCILED_USAGE_WITH_SESSION_PROJECTS_CTE } else { RECONCILED_USAGE_CTE };
    let sql = format!(
        "WITH {reconciled}
         SELECT {key_expression} AS key, {slice_expression} AS slice, {GROUP_TOTALS}
         FROM reconciled WHERE Timestamp BETWEEN ? AND ? {tool_filter}
         GROUP BY ALL"
    );
    let unpriced_sql = format!(
        "WITH {RECONCILED_USAGE_CTE}
         SELECT coalesce(Tool, 'unknown'), Model, count(*), {TOKEN_SUMS}
         FROM reconciled WHERE Timestamp BETWEEN ? AND ? {tool_filter} AND ReportedCostUsd IS NULL AND ComputedCostUsd IS NULL
         GROUP BY ALL ORDER BY 3 DESC, 1, 2"
    );
    let (rows, unpriced_models) = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params.clone()))?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                found.push(SpendRow { key: row.get(0)?, slice_start: row.get(1)?, group: group_at(row, 2)? });
            }
            let mut statement = connection.prepare(&unpriced_sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut unpriced = Vec::new();
            while let Some(row) = rows.next()? {
                unpriced.push(UnpricedModel { tool: row.get(0)?, model: row.get(1)?, requests: row.get(2)?, tokens: tokens_at(row, 3)? });
            }
            Ok((found, unpriced))
        })
        .await?;
    let mut groups: BTreeMap<String, SpendGroup> = BTreeMap::new();
    if group_by == GroupBy::Day {
        for day in days_between(range, tz) {
            groups.insert(day.clone(), SpendGroup::named(&day));
        }
    }
    let mut total = SpendGroup::named("total");
    for row in rows {
        let key = if group_by.is_calendar() { calendar_key(row.slice_start, group_by, tz) } else { row.key };
        groups.entry(key.clone()).or_insert_with(|| SpendGroup::named(&key)).add(&row.group);
        total.add(&row.group);
    }
    let mut groups: Vec<SpendGroup> = groups.into_values().collect();
    if !group_by.is_calendar() {
        groups.sort_by(|left, right| {
            right.cost().total_cmp(&left.cost()).then(right.requests.cmp(&left.requests)).then(left.key.cmp(&right.key))
        });
    }
    Ok(SpendResponse { from: range.from_text(), to: range.to_text(), tz: tz.name().to_owned(), group_by, groups, total, unpriced_models })
}

pub async fn spend(store: &Store, request: SpendRequest, default_tz: Tz, prices: &PriceTable) -> Result<SpendResponse, QueryError> {
    let group_by = request.group_by.unwrap_or_default();
    let tz = match request.tz.as_deref().filter(|tz| !tz.trim().is_empty()) {
        Some(tz) => parse_time_zone(tz)?,
        None => default_tz,
    };
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let tool = match request.tool.as_deref().map(str::trim).filter(|tool| !tool.is_empty()) {
        // Requests whose tool is not known (`groupBy=tool` lists them under `unknown`).
        Some("unknown") => Some("unknown".to_owned()),
        // A service no tool claims, by its `service.name` (`groupBy=tool` lists it so).
        Some(key) if key.starts_with(crate::store::OTHER_TOOL_PREFIX) => Some(key.to_owned()),
        Some(key) => Some(
            crate::model::Tool::from_key(key)
                .ok_or_else(|| {
                    let known: Vec<&str> = crate::model::Tool::ALL.iter().map(|tool| tool.key()).collect();
                    QueryError::invalid(format!("unknown tool {key:?}: use {}, other:<service name> or unknown", known.join(", ")))
                })?
                .key()
                .to_owned(),
        ),
        None => None,
    };
    let given = |value: Option<String>| value.map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
    let scope = SpendScope { tool, machine: given(request.machine), user: given(request.user), host: given(request.host) };
    let mut response = spend_in_range(store, range, group_by, tz, scope.clone()).await?;
    response.total.cache_savings_usd = cache_savings(store, range, &scope, prices).await?;
    Ok(response)
}

/// The clause that follows `Timestamp BETWEEN ? AND ?` for a scope (`unknown` tool or user, `local`
/// machine: the column is null), and the parameters of both.
fn range_and_scope(range: TimeRange, scope: &SpendScope) -> (String, Vec<Value>) {
    let mut params = vec![range.from_value(), range.to_value()];
    let mut filter = String::new();
    let filters = [
        (&scope.tool, "Tool", "unknown"),
        (&scope.machine, "Machine", LOCAL_MACHINE),
        (&scope.user, "UserEmail", UNKNOWN_USER),
        (&scope.host, "Host", UNKNOWN_USER),
    ];
    for (value, column, missing) in filters {
        match value.as_deref() {
            Some(value) if value == missing => filter.push_str(&format!(" AND {column} IS NULL")),
            Some(value) => {
                params.push(Value::Text(value.to_owned()));
                filter.push_str(&format!(" AND {column} = ?"));
            }
            None => {}
        }
    }
    (filter, params)
}

/// The dollars cache reads saved in `range`: per model, cache-read tokens × (input rate − cache-read
/// rate) from the price table; `None` when no cache read has a price.
async fn cache_savings(store: &Store, range: TimeRange, scope: &SpendScope, prices: &PriceTable) -> Result<Option<f64>, QueryError> {
    let (tool_filter, params) = range_and_scope(range, scope);
    let sql = format!(
        "WITH {RECONCILED_USAGE_CTE}
         SELECT Model, sum(CacheReadTokens) FROM reconciled
         WHERE Timestamp BETWEEN ? AND ? {tool_filter} AND CacheReadTokens > 0 GROUP BY Model"
    );
    let reads: Vec<(String, i64)> = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let rows = statement.query_map(duckdb::params_from_iter(params), |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    let saved: Vec<f64> = reads
        .iter()
        .filter_map(|(model, tokens)| {
            let price = prices.lookup(model)?;
            Some(*tokens as f64 * (price.input - price.cache_read.unwrap_or(price.input)).max(0.0) / 1e6)
        })
        .collect();
    Ok((!saved.is_empty()).then(|| saved.iter().sum()))
}

fn local_date(millis: i64, tz: Tz) -> NaiveDate {
    DateTime::from_timestamp_millis(millis).unwrap_or_default().with_timezone(&tz).date_naive()
}

fn calendar_key(slice_start: i64, group_by: GroupBy, tz: Tz) -> String {
    let date = local_date(slice_start, tz);
    match group_by {
        GroupBy::Week => (date - Duration::days(i64::from(date.weekday().num_days_from_monday()))).format("%Y-%m-%d").to_string(),
        GroupBy::Month => date.format("%Y-%m").to_string(),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// Every local date the range touches (at most 400, for chart axes); `to` is exclusive, so a
/// range ending at local midnight does not add the next day.
fn days_between(range: TimeRange, tz: Tz) -> Vec<String> {
    let first = range.from.with_timezone(&tz).date_naive();
    let last = (range.to - Duration::milliseconds(1)).max(range.from).with_timezone(&tz).date_naive();
    first.iter_days().take_while(|day| *day <= last).take(400).map(|day| day.format("%Y-%m-%d").to_string()).collect()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SpendSummaryRequest {
    #[ts(optional)]
    pub tz: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SpendSummary {
    pub tz: String,
    pub today: SpendGroup,
    pub last7_days: SpendGroup,
    pub last30_days: SpendGroup,
    pub this_month: SpendGroup,
    pub today_by_tool: Vec<SpendGroup>,
    pub unpriced_models: Vec<UnpricedModel>,
}

/// Today (local day), the last 7 and 30 local days including today, and this month — in one pass
/// over the reconciled usage (the Overview and the tray call this often).
pub async fn summary_at(store: &Store, tz: Tz, now: DateTime<Utc>) -> Result<SpendSummary, QueryError> {
    let today = now.with_timezone(&tz).date_naive();
    let start_today = start_of_local_day(today, tz);
    let start_7 = start_of_local_day(today - Duration::days(6), tz);
    let start_30 = start_of_local_day(today - Duration::days(29), tz);
    let start_month = start_of_local_day(today.with_day(1).unwrap_or(today), tz);
    let earliest = start_30.min(start_month);
    let value = |time: DateTime<Utc>| crate::store::timestamp_value(time.timestamp_nanos_opt().unwrap_or_default());
    let sql = format!(
        "WITH {RECONCILED_USAGE_CTE}
         SELECT coalesce(Tool, 'unknown'), Model, Timestamp >= ?, Timestamp >= ?, Timestamp >= ?, Timestamp >= ?, {GROUP_TOTALS}
         FROM reconciled WHERE Timestamp BETWEEN ? AND ? GROUP BY ALL"
    );
    let params = vec![value(start_today), value(start_7), value(start_30), value(start_month), value(earliest), value(now)];
    let rows: Vec<(String, String, [bool; 4], SpendGroup)> = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                found.push((row.get(0)?, row.get(1)?, [row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?], group_at(row, 6)?));
            }
            Ok(found)
        })
        .await?;
    let mut windows =
        [SpendGroup::named("today"), SpendGroup::named("last7Days"), SpendGroup::named("last30Days"), SpendGroup::named("thisMonth")];
    let mut by_tool: BTreeMap<String, SpendGroup> = BTreeMap::new();
    let mut unpriced: BTreeMap<(String, String), UnpricedModel> = BTreeMap::new();
    for (tool, model, flags, group) in &rows {
        for (window, inside) in windows.iter_mut().zip(flags) {
            if *inside {
                window.add(group);
            }
        }
        if flags[0] {
            by_tool.entry(tool.clone()).or_insert_with(|| SpendGroup::named(tool)).add(group);
        }
        if flags[2] && group.unpriced_requests > 0 && group.reported_cost_usd.is_none() && group.computed_cost_usd.is_none() {
            let entry = unpriced.entry((tool.clone(), model.clone())).or_insert_with(|| UnpricedModel {
                tool: tool.clone(),
                model: model.clone(),
                requests: 0,
                tokens: TokenCounts::default(),
            });
            entry.requests += group.requests;
            entry.tokens.add(&group.tokens);
        }
    }
    let mut today_by_tool: Vec<SpendGroup> = by_tool.into_values().collect();
    today_by_tool.sort_by(|left, right| right.cost().total_cmp(&left.cost()).then(left.key.cmp(&right.key)));
    let [today, last7_days, last30_days, this_month] = windows;
    Ok(SpendSummary {
        tz: tz.name().to_owned(),
        today,
        last7_days,
        last30_days,
        this_month,
        today_by_tool,
        unpriced_models: unpriced.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_keys_follow_the_local_day() {
        let tz: Tz = "America/New_York".parse().unwrap();
        // 2026-11-28 04:30 UTC is 23:30 on the 27th in New York.
        let late = DateTime::parse_from_rfc3339("2026-11-28T04:30:00Z").unwrap().timestamp_millis();
        let early = DateTime::parse_from_rfc3339("2026-11-28T05:30:00Z").unwrap().timestamp_millis();
        assert_eq!(calendar_key(late, GroupBy::Day, tz), "2026-11-27");
        assert_eq!(calendar_key(early, GroupBy::Day, tz), "2026-11-28");
        assert_eq!(calendar_key(early, GroupBy::Week, tz), "2026-11-23");
        assert_eq!(calendar_key(early, GroupBy::Month, tz), "2026-11");
    }

    #[test]
    fn local_days_start_at_local_midnight_even_across_dst() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let start = start_of_local_day(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap(), tz);
        assert_eq!(start.to_rfc3339(), "2026-03-28T23:00:00+00:00");
        let kathmandu: Tz = "Asia/Kathmandu".parse().unwrap();
        let start = start_of_local_day(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(), kathmandu);
        assert_eq!(start.to_rfc3339(), "2026-11-27T18:15:00+00:00");
    }
}
