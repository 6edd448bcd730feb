//! Plan limits as the tools last reported them: the latest state of each tool's 5-hour and weekly
//! window (marked expired once its reset time has passed: the window has started over), its pace
//! (where the use seen in the current window is heading by the reset), and the history for charts.

use super::QueryError;
use super::filters::Filters;
use super::time_range::TimeRange;
use crate::model::time::format_micros;
use crate::model::{LimitSource, LimitWindow, Tool};
use crate::store::Store;
use chrono::Utc;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One observed state of a window, as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LimitState {
    pub tool: Tool,
    pub window: LimitWindow,
    pub used_percent: f64,
    pub resets_at: Option<String>,
    pub observed_at: String,
    pub source: LimitSource,
    pub plan_type: Option<String>,
    /// The reset time has passed: the window has started over and its use is unknown until the
    /// tool reports again.
    pub expired: bool,
    /// Where the use is heading, when the current window has at least two observations.
    pub pace: Option<LimitPace>,
}

impl LimitState {
    /// Whether `reported` says what this state says (same use, same reset, from the same place).
    pub fn same_as(&self, reported: &crate::model::PlanLimit) -> bool {
        let reset =
            reported.resets_at.and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0)).map(crate::model::time::format_time);
        self.source == reported.source && (self.used_percent - reported.used_percent).abs() < 1e-9 && self.resets_at == reset
    }
}

/// The projection of a window's use at its reset, at the faster of two paces: the use so far
/// spread over the time since the window opened, and the rise since the period's first report
/// (each measured over at least 15 minutes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LimitPace {
    /// Percent used per hour (the faster of the window's average and its recent rise).
    pub percent_per_hour: f64,
    /// The use at the reset if it goes on at this pace.
    pub projected_percent_at_reset: f64,
    /// When it reaches 100 % at this pace, if that comes before the reset.
    pub reaches_limit_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LimitsResponse {
    pub limits: Vec<LimitState>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LimitsHistoryRequest {
    #[ts(optional)]
    pub tool: Option<String>,
    #[ts(optional)]
    pub window: Option<String>,
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
}

/// A row of `plan_limits`, times in microseconds.
struct Row {
    tool: String,
    window: String,
    used_percent: f64,
    resets_at: Option<i64>,
    observed_at: i64,
    source: String,
    plan_type: Option<String>,
}

const COLUMNS: &str = "Tool, LimitWindow, UsedPercent, epoch_us(ResetsAt), epoch_us(ObservedAt), Source, PlanType";

async fn rows(store: &Store, sql: String, params: Vec<duckdb::types::Value>) -> Result<Vec<Row>, QueryError> {
    Ok(store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                found.push(Row {
                    tool: row.get(0)?,
                    window: row.get(1)?,
                    used_percent: row.get(2)?,
                    resets_at: row.get(3)?,
                    observed_at: row.get(4)?,
                    source: row.get(5)?,
                    plan_type: row.get(6)?,
                });
            }
            Ok(found)
        })
        .await?)
}

fn state(row: &Row, now_micros: i64) -> Option<LimitState> {
    Some(LimitState {
        tool: Tool::from_key(&row.tool)?,
        window: LimitWindow::from_key(&row.window)?,
        used_percent: row.used_percent,
        resets_at: row.resets_at.map(format_micros),
        observed_at: format_micros(row.observed_at),
        source: LimitSource::from_key(&row.source)?,
        plan_type: row.plan_type.clone(),
        expired: row.resets_at.is_some_and(|reset| reset <= now_micros),
        pace: None,
    })
}

/// The pace of a window whose reports since its current reset period began are `history`
/// (oldest first), ending at `latest`; none until the window has run for 15 minutes.
fn pace(history: &[&Row], latest: &Row) -> Option<LimitPace> {
    let reset = latest.resets_at?;
    let per_hour = [average_pace(latest, reset), recent_pace(history, latest)].into_iter().flatten().reduce(f64::max)?;
    let hours_left = (reset - latest.observed_at).max(0) as f64 / MICROS_PER_HOUR;
    let projected = latest.used_percent + per_hour * hours_left;
    let reaches_limit_at = (per_hour > 0.0 && projected >= 100.0 && latest.used_percent < 100.0)
        .then(|| format_micros(latest.observed_at + ((100.0 - latest.used_percent) / per_hour * MICROS_PER_HOUR) as i64));
    Some(LimitPace { percent_per_hour: per_hour, projected_percent_at_reset: projected, reaches_limit_at })
}

const MICROS_PER_HOUR: f64 = 3.6e9;

/// The least time a pace is measured over: a few seconds between two reports say nothing about
/// the hours to come.
const MIN_PACE_SPAN_HOURS: f64 = 0.25;

/// The use so far spread over the time since the window opened (its reset minus its length).
fn average_pace(latest: &Row, reset: i64) -> Option<f64> {
    let length_hours = match latest.window.as_str() {
        "5h" => 5.0,
        "7d" => 7.0 * 24.0,
        _ => return None,
    };
    let opened = reset - (length_hours * MICROS_PER_HOUR) as i64;
    let hours = (latest.observed_at - opened) as f64 / MICROS_PER_HOUR;
    (hours >= MIN_PACE_SPAN_HOURS).then(|| latest.used_percent / hours)
}

/// The rise between the first and the latest report of this period, when they are far enough apart.
fn recent_pace(history: &[&Row], latest: &Row) -> Option<f64> {
    let first = history.first()?;
    let hours = (latest.observed_at - first.observed_at) as f64 / MICROS_PER_HOUR;
    (hours >= MIN_PACE_SPAN_HOURS).then(|| (latest.used_percent - first.used_percent) / hours)
}

/// The latest state of every tool's windows, with their pace.
pub async fn latest(store: &Store) -> Result<LimitsResponse, QueryError> {
    let sql = format!("SELECT {COLUMNS} FROM plan_limits ORDER BY Tool, LimitWindow, ObservedAt");
    let all = rows(store, sql, Vec::new()).await?;
    let now = Utc::now().timestamp_micros();
    let mut limits = Vec::new();
    let mut start = 0;
    while start < all.len() {
        let end = start + all[start..].iter().take_while(|row| row.tool == all[start].tool && row.window == all[start].window).count();
        let window = &all[start..end];
        let latest = &window[window.len() - 1];
        // The current period: the observations that name the same reset time as the latest.
        let current: Vec<&Row> = window.iter().filter(|row| row.resets_at == latest.resets_at).collect();
        if let Some(mut state) = state(latest, now) {
            state.pace = if state.expired { None } else { pace(&current, latest) };
            limits.push(state);
        }
        start = end;
    }
    Ok(LimitsResponse { limits })
}

/// Every observation in a range, oldest first, optionally of one tool and window.
pub async fn history(store: &Store, request: LimitsHistoryRequest, tz: Tz) -> Result<LimitsResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let mut filters = Filters::new();
    filters.time("ObservedAt", &range);
    if let Some(tool) = request.tool.as_deref().filter(|tool| !tool.is_empty()) {
        let tool = Tool::from_key(tool).ok_or_else(|| QueryError::invalid(format!("unknown tool {tool:?}")))?;
        filters.equals("Tool", Some(tool.key()));
    }
    if let Some(window) = request.window.as_deref().filter(|window| !window.is_empty()) {
        let window = LimitWindow::from_key(window).ok_or_else(|| QueryError::invalid(format!("unknown window {window:?}: 5h or 7d")))?;
        filters.equals("LimitWindow", Some(window.key()));
    }
    let sql = format!("SELECT {COLUMNS} FROM plan_limits {} ORDER BY ObservedAt, Tool, LimitWindow", filters.where_sql());
    let now = Utc::now().timestamp_micros();
    let limits = rows(store, sql, filters.params()).await?.iter().filter_map(|row| state(row, now)).collect();
    Ok(LimitsResponse { limits })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(hours: f64, percent: f64) -> Row {
        Row {
            tool: "codex".into(),
            window: "5h".into(),
            used_percent: percent,
            resets_at: Some((5.0 * 3.6e9) as i64),
            observed_at: (hours * 3.6e9) as i64,
            source: "session-file".into(),
            plan_type: None,
        }
    }

    #[test]
    fn pace_projects_the_use_at_reset_and_when_it_reaches_the_limit() {
        // The window opened at 0 h (reset at 5 h). 10 % at 0.5 h, 40 % at 1.5 h: 30 %/h recently
        // (faster than the 26.7 %/h average) → 40 + 3.5 × 30 = 145 % at reset, 100 % at 3.5 h.
        let (first, last) = (row(0.5, 10.0), row(1.5, 40.0));
        let pace = pace(&[&first, &last], &last).unwrap();
        assert!((pace.percent_per_hour - 30.0).abs() < 1e-9);
        assert!((pace.projected_percent_at_reset - 145.0).abs() < 1e-6);
        assert_eq!(pace.reaches_limit_at.as_deref(), Some("1970-01-01T03:30:00Z"));
        // A slow rise: the average since the window opened (12 % in 1.5 h = 8 %/h) is the pace.
        let slow = row(1.5, 12.0);
        let pace_slow = super::pace(&[&first, &slow], &slow).unwrap();
        assert!((pace_slow.percent_per_hour - 8.0).abs() < 1e-9);
        assert!((pace_slow.projected_percent_at_reset - 40.0).abs() < 1e-6);
        assert_eq!(pace_slow.reaches_limit_at, None);
        // One report is enough for the average.
        assert!((super::pace(&[&last], &last).unwrap().percent_per_hour - 40.0 / 1.5).abs() < 1e-9);
    }

    #[test]
    fn reports_seconds_apart_at_a_windows_start_give_no_pace() {
        // 3 % then 5 % 7 s apart, two minutes after the window opened: too little time to say.
        let (first, last) = (row(2.0 / 60.0, 3.0), row(2.0 / 60.0 + 7.0 / 3600.0, 5.0));
        assert!(pace(&[&first, &last], &last).is_none());
        // Later in the window, the same two seconds-apart reports give the average only.
        let (first, last) = (row(2.0, 3.0), row(2.0 + 7.0 / 3600.0, 5.0));
        let pace = pace(&[&first, &last], &last).unwrap();
        assert!((pace.percent_per_hour - 5.0 / (2.0 + 7.0 / 3600.0)).abs() < 1e-9);
    }
}
