//! Budgets: today's and this month's spend against the user's budgets, with a linear projection to
//! the end of the period and a state (ok, warning from 80 %, over from 100 %).

use super::QueryError;
use super::spend::{GroupBy, SpendScope, spend_in_range};
use super::time_range::TimeRange;
use crate::model::time::{format_time, start_of_local_day};
use crate::store::Store;
use chrono::{DateTime, Datelike, Duration, Months, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const WARNING_PERCENT: f64 = 80.0;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BudgetRequest {
    #[ts(optional)]
    pub tz: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum BudgetState {
    Ok,
    Warning,
    Over,
}

impl BudgetState {
    pub fn for_percent(percent: f64) -> BudgetState {
        if percent >= 100.0 {
            BudgetState::Over
        } else if percent >= WARNING_PERCENT {
            BudgetState::Warning
        } else {
            BudgetState::Ok
        }
    }
}

/// A budget's period: the local day or the local month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum BudgetPeriod {
    Daily,
    Monthly,
}

impl BudgetPeriod {
    /// `daily` or `monthly`, as the API writes it.
    pub fn key(self) -> &'static str {
        match self {
            BudgetPeriod::Daily => "daily",
            BudgetPeriod::Monthly => "monthly",
        }
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BudgetStatus {
    pub period: BudgetPeriod,
    pub budget_usd: f64,
    pub spent_usd: f64,
    pub percent: f64,
    pub state: BudgetState,
    pub period_start: String,
    pub period_end: String,
    /// Spend at the end of the period if the rate so far continues.
    pub projected_usd: f64,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BudgetResponse {
    pub tz: String,
    pub daily: Option<BudgetStatus>,
    pub monthly: Option<BudgetStatus>,
}

fn status(period: BudgetPeriod, budget: f64, spent: f64, start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> BudgetStatus {
    let elapsed = (now - start).num_seconds().max(1) as f64;
    let length = (end - start).num_seconds().max(1) as f64;
    let percent = if budget > 0.0 { spent / budget * 100.0 } else { 0.0 };
    BudgetStatus {
        period,
        budget_usd: budget,
        spent_usd: spent,
        percent,
        state: BudgetState::for_percent(percent),
        period_start: format_time(start),
        period_end: format_time(end),
        projected_usd: spent * (length / elapsed.min(length)),
    }
}

/// The local day and month around `now`: (day start, day end, month start, month end).
fn periods(tz: Tz, now: DateTime<Utc>) -> [DateTime<Utc>; 4] {
    let today = now.with_timezone(&tz).date_naive();
    let month_first = today.with_day(1).unwrap_or(today);
    [
        start_of_local_day(today, tz),
        start_of_local_day(today + Duration::days(1), tz),
        start_of_local_day(month_first, tz),
        start_of_local_day(month_first + Months::new(1), tz),
    ]
}

pub async fn budget_at(
    store: &Store,
    tz: Tz,
    daily: Option<f64>,
    monthly: Option<f64>,
    now: DateTime<Utc>,
) -> Result<BudgetResponse, QueryError> {
    let [day_start, _, month_start, _] = periods(tz, now);
    let spent_since = |from| async move {
        Ok::<_, QueryError>(
            spend_in_range(store, TimeRange { from, to: now }, GroupBy::Tool, tz, SpendScope::default()).await?.total.cost(),
        )
    };
    let spent_today = if daily.is_some() { spent_since(day_start).await? } else { 0.0 };
    let spent_this_month = if monthly.is_some() { spent_since(month_start).await? } else { 0.0 };
    Ok(budget_from_spent(tz, daily, monthly, spent_today, spent_this_month, now))
}

/// The budgets' state from spend already known for today and this month (up to `now`), e.g. a
/// spend summary's `today` and `thisMonth`, so a caller that has one does not query twice.
pub fn budget_from_spent(
    tz: Tz,
    daily: Option<f64>,
    monthly: Option<f64>,
    spent_today: f64,
    spent_this_month: f64,
    now: DateTime<Utc>,
) -> BudgetResponse {
    let [day_start, day_end, month_start, month_end] = periods(tz, now);
    BudgetResponse {
        tz: tz.name().to_owned(),
        daily: daily.map(|budget| status(BudgetPeriod::Daily, budget, spent_today, day_start, day_end, now)),
        monthly: monthly.map(|budget| status(BudgetPeriod::Monthly, budget, spent_this_month, month_start, month_end, now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_switch_at_80_and_100_percent() {
        assert_eq!(BudgetState::for_percent(79.9), BudgetState::Ok);
        assert_eq!(BudgetState::for_percent(80.0), BudgetState::Warning);
        assert_eq!(BudgetState::for_percent(100.0), BudgetState::Over);
    }

    #[test]
    fn projection_is_linear_over_the_period() {
        let start = DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let end = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let now = DateTime::parse_from_rfc3339("2026-11-16T00:00:00Z").unwrap().with_timezone(&Utc);
        let result = status(BudgetPeriod::Monthly, 100.0, 30.0, start, end, now);
        assert!((result.projected_usd - 60.0).abs() < 1e-9);
        assert!((result.percent - 30.0).abs() < 1e-9);
    }
}
