//! Trace list, recent traces and trace detail (plain OTel traces and Codex operation groups).
//!
//! Spans are stored once per (service, trace, span id): the writer drops a resent copy
//! (`insert_new_spans`) and migration 9 removed older copies, so these queries read `otel_traces`
//! as it is, with no de-duplication of their own (which cost 6× the list's time at 1 M spans).

use super::QueryError;
use super::filters::Filters;
use super::tables::otel_traces::{SPAN_COLUMNS, span_from_row};
use super::time_range::{Page, TimeRange};
use crate::model::time::format_micros;
use crate::store::Store;
use crate::wire::lenient;
use crate::wire::telemetry::Span;
use chrono_tz::Tz;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use ts_rs::TS;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TracesListRequest {
    #[ts(optional)]
    pub service: Option<String>,
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    #[serde(default, deserialize_with = "lenient::option_u32")]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default, deserialize_with = "lenient::option_u32")]
    #[ts(optional)]
    pub offset: Option<u32>,
    /// `start` (latest first, the default), `duration` (longest first) or `spans` (most first).
    #[ts(optional)]
    pub sort: Option<TraceSort>,
    /// Only traces that last at least this many milliseconds.
    #[serde(default, deserialize_with = "lenient::option_u32")]
    #[ts(optional)]
    pub min_duration_ms: Option<u32>,
}

/// The order of the trace list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum TraceSort {
    #[default]
    Start,
    Duration,
    Spans,
}

impl TraceSort {
    fn order_sql(self) -> &'static str {
        match self {
            TraceSort::Start => "start_us DESC",
            TraceSort::Duration => "duration_ns DESC, start_us DESC",
            TraceSort::Spans => "span_count DESC, start_us DESC",
        }
    }
}

/// Which traces a list shows, and in what order.
#[derive(Debug, Clone, Copy, Default)]
struct ListShape {
    sort: TraceSort,
    /// Nanoseconds.
    min_duration: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TraceOverview {
    pub id: String,
    pub kind: TraceKind,
    pub trace_id: String,
    pub root_span_id: String,
    pub root_span: String,
    pub service_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub group_level: Option<String>,
    pub start_time: String,
    /// Nanoseconds from the earliest start to the latest end.
    #[ts(type = "number")]
    pub duration: i64,
    #[ts(type = "number")]
    pub span_count: i64,
    pub status: TraceStatus,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TracesListResponse {
    pub traces: Vec<TraceOverview>,
    #[ts(type = "number")]
    pub total: i64,
    pub has_more: bool,
}

/// What a listed trace is: an OpenTelemetry trace, or one Codex operation (its spans grouped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "types.gen.ts")]
pub enum TraceKind {
    OtelTrace,
    CodexOperation,
}

/// A trace's status: `ERROR` when any span failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "UPPERCASE")]
#[ts(export, export_to = "types.gen.ts")]
pub enum TraceStatus {
    Ok,
    Error,
    Unset,
}

impl TraceStatus {
    fn from_column(text: &str) -> TraceStatus {
        match text {
            "ERROR" => TraceStatus::Error,
            "OK" => TraceStatus::Ok,
            _ => TraceStatus::Unset,
        }
    }
}

pub async fn list(store: &Store, request: TracesListRequest, tz: Tz) -> Result<TracesListResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let page = Page::new(request.limit, request.offset);
    let shape = ListShape {
        sort: request.sort.unwrap_or_default(),
        min_duration: request.min_duration_ms.filter(|ms| *ms > 0).map(|ms| i64::from(ms) * 1_000_000),
    };
    query_overviews(store, range, request.service, request.search, page, shape, true).await
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TracesRecentRequest {
    #[serde(default, deserialize_with = "lenient::option_u32")]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
}

pub async fn recent(store: &Store, request: TracesRecentRequest, tz: Tz) -> Result<TracesListResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let page = Page { limit: request.limit.unwrap_or(10).clamp(1, 100), offset: 0 };
    let mut response = query_overviews(store, range, None, None, page, ListShape::default(), false).await?;
    response.total = response.traces.len() as i64;
    response.has_more = false;
    Ok(response)
}

async fn query_overviews(
    store: &Store,
    range: TimeRange,
    service: Option<String>,
    search: Option<String>,
    page: Page,
    shape: ListShape,
    count_total: bool,
) -> Result<TracesListResponse, QueryError> {
    let mut span_filters = Filters::new();
    span_filters.time("Timestamp", &range);
    span_filters.equals("ServiceName", service.as_deref());
    let search_copy = search.clone();
    let mut trace_filters = Filters::new();
    trace_filters
        .search(&["SpanName", "ServiceName", "StatusMessage", "SpanAttributes::VARCHAR", "ResourceAttributes::VARCHAR"], search.as_deref());
    let having = if trace_filters.where_sql().is_empty() {
        String::new()
    } else {
        format!("HAVING bool_or({})", trace_filters.where_sql().trim_start_matches("WHERE "))
    };
    // The page is chosen on what the sort and filters need (start, duration, span count, status);
    // the root span is then looked up for the page's traces only: the three `arg_min`s over every
    // span of the range were most of the list's time (docs/benchmarks.md).
    let span_where = span_filters.where_sql();
    let page_traces = if span_where.is_empty() { "WHERE" } else { "AND" };
    let root_key = "(ParentSpanId IS NOT NULL)::BIGINT * 10000000000000000 + epoch_us(Timestamp)";
    let sql = format!(
        "WITH grouped AS (
            SELECT TraceId,
                   min(epoch_us(Timestamp)) AS start_us,
                   max(epoch_ns(Timestamp) + coalesce(Duration, 0)) - min(epoch_ns(Timestamp)) AS duration_ns,
                   count(*) AS span_count,
                   CASE WHEN bool_or(StatusCode = 'ERROR') THEN 'ERROR' WHEN bool_or(StatusCode = 'OK') THEN 'OK' ELSE 'UNSET' END AS status
            FROM otel_traces {span_where} GROUP BY TraceId {having}
         ), page AS (
            SELECT *, count(*) OVER () AS total FROM grouped {duration_where} ORDER BY {order}, TraceId LIMIT ? OFFSET ?
         ), roots AS (
            SELECT TraceId, arg_min(SpanId, {root_key}) AS root_span_id, arg_min(SpanName, {root_key}) AS root_span,
                   arg_min(ServiceName, {root_key}) AS service_name
            FROM otel_traces {span_where} {page_traces} TraceId IN (SELECT TraceId FROM page) GROUP BY TraceId
         )
         SELECT TraceId, root_span_id, root_span, service_name, start_us, duration_ns, span_count, status, total
         FROM page JOIN roots USING (TraceId) ORDER BY {order}, TraceId",
        duration_where = if shape.min_duration.is_some() { "WHERE duration_ns >= ?" } else { "" },
        order = shape.sort.order_sql(),
    );
    let mut params = span_filters.params();
    params.extend(trace_filters.params());
    if let Some(min_duration) = shape.min_duration {
        params.push(Value::BigInt(min_duration));
    }
    params.push(Value::BigInt(i64::from(page.limit)));
    params.push(Value::BigInt(i64::from(page.offset)));
    params.extend(span_filters.params());
    let (traces, total) = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut traces = Vec::new();
            let mut total = 0;
            while let Some(row) = rows.next()? {
                let trace_id: String = row.get(0)?;
                total = row.get(8)?;
                traces.push(TraceOverview {
                    id: trace_id.clone(),
                    kind: TraceKind::OtelTrace,
                    trace_id,
                    root_span_id: row.get(1)?,
                    root_span: row.get(2)?,
                    service_name: row.get(3)?,
                    group_level: None,
                    start_time: format_micros(row.get(4)?),
                    duration: row.get::<_, Option<i64>>(5)?.unwrap_or(0),
                    span_count: row.get(6)?,
                    status: TraceStatus::from_column(&row.get::<_, String>(7)?),
                });
            }
            Ok((traces, total))
        })
        .await?;
    let beyond_the_end = count_total && traces.is_empty() && page.offset > 0;
    let total = match (beyond_the_end, shape.min_duration) {
        (false, _) => total,
        (true, None) => count_traces(store, range, service).await?,
        // The count of the traces long enough: the same list's first row carries it.
        (true, Some(_)) => {
            Box::pin(query_overviews(store, range, service, search_copy, Page { limit: 1, offset: 0 }, shape, false)).await?.total
        }
    };
    let has_more = page.has_more(traces.len(), total);
    Ok(TracesListResponse { traces, total, has_more })
}

async fn count_traces(store: &Store, range: TimeRange, service: Option<String>) -> Result<i64, QueryError> {
    let mut filters = Filters::new();
    filters.time("Timestamp", &range);
    filters.equals("ServiceName", service.as_deref());
    let sql = format!("SELECT count(DISTINCT TraceId) FROM otel_traces {}", filters.where_sql());
    let params = filters.params();
    Ok(store.read(move |connection| Ok(connection.query_row(&sql, duckdb::params_from_iter(params), |row| row.get(0))?)).await?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TraceSpansRequest {
    pub trace_id: String,
    #[ts(optional)]
    pub kind: Option<TraceKind>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TraceSpansResponse {
    pub spans: Vec<Span>,
}

pub async fn spans(store: &Store, request: TraceSpansRequest) -> Result<TraceSpansResponse, QueryError> {
    let kind = request.kind.ok_or_else(|| QueryError::invalid("kind is required: otel_trace or codex_operation"))?;
    let spans = match kind {
        TraceKind::OtelTrace => {
            let trace_id = request.trace_id.clone();
            load_spans(store, "TraceId = ?", vec![Value::Text(trace_id)]).await?
        }
        TraceKind::CodexOperation => codex_operation(store, &request.trace_id).await?,
    };
    if spans.is_empty() {
        return Err(QueryError::NotFound("trace not found".to_owned()));
    }
    Ok(TraceSpansResponse { spans })
}

async fn load_spans(store: &Store, condition: &str, params: Vec<Value>) -> Result<Vec<Span>, QueryError> {
    let sql = format!(
        "SELECT {SPAN_COLUMNS} FROM otel_traces WHERE {condition}
         ORDER BY Timestamp, SpanId"
    );
    Ok(store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut spans = Vec::new();
            while let Some(row) = rows.next()? {
                spans.push(span_from_row(row)?);
            }
            Ok(spans)
        })
        .await?)
}

/// A Codex operation: the given span and its descendants. Every span of a turn carries the turn's
/// `turn_id` (each `run_sampling_request` of it too), so selecting by `turn_id` would give every
/// operation of a turn the same spans; the subtree is the operation's own.
async fn codex_operation(store: &Store, span_id: &str) -> Result<Vec<Span>, QueryError> {
    let roots = load_spans(store, "SpanId = ?", vec![Value::Text(span_id.to_owned())]).await?;
    let Some(root) = roots.into_iter().next() else { return Ok(Vec::new()) };
    let trace = load_spans(store, "TraceId = ?", vec![Value::Text(root.trace_id.clone())]).await?;
    let mut selected: BTreeSet<String> = BTreeSet::from([root.span_id.clone()]);
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for span in &trace {
        if let Some(parent) = span.parent_span_id.as_deref() {
            children.entry(parent).or_default().push(span.span_id.as_str());
        }
    }
    let mut stack: Vec<String> = selected.iter().cloned().collect();
    while let Some(span_id) = stack.pop() {
        for child in children.get(span_id.as_str()).into_iter().flatten() {
            if selected.insert((*child).to_owned()) {
                stack.push((*child).to_owned());
            }
        }
    }
    Ok(trace.into_iter().filter(|span| selected.contains(&span.span_id)).collect())
}
