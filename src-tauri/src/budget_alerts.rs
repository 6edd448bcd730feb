//! Budget notifications: one when a daily or monthly budget reaches 80 %, one when it reaches
//! 100 %, each at most once per period.
//!
//! `BudgetAlertMemory` remembers, per period (`daily:<period start>`), the highest level already
//! announced; `crossings` compares a fresh `BudgetResponse` with it and returns only the rises. A
//! jump from below 80 % straight past 100 % is one "over" alert, not two. Entries of past periods
//! are dropped when their kind's period rolls over.

use ai_observer_engine::query::budget::{BudgetPeriod, BudgetResponse, BudgetState, BudgetStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertLevel {
    Warning,
    Over,
}

impl AlertLevel {
    fn of(state: BudgetState) -> Option<AlertLevel> {
        match state {
            BudgetState::Ok => None,
            BudgetState::Warning => Some(AlertLevel::Warning),
            BudgetState::Over => Some(AlertLevel::Over),
        }
    }
}

/// A notification to show.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetAlert {
    pub period: BudgetPeriod,
    pub level: AlertLevel,
    pub percent: f64,
    pub spent_usd: f64,
    pub budget_usd: f64,
}

impl BudgetAlert {
    pub fn title(&self) -> String {
        let budget = if self.period == BudgetPeriod::Monthly { "Monthly budget" } else { "Daily budget" };
        match self.level {
            AlertLevel::Warning => format!("{budget} at {:.0} %", self.percent.floor()),
            AlertLevel::Over => format!("{budget} exceeded"),
        }
    }

    pub fn body(&self) -> String {
        let period = if self.period == BudgetPeriod::Monthly { "this month" } else { "today" };
        format!(
            "{} of {} spent {period} ({:.0} %).",
            crate::tray::text::format_usd(self.spent_usd),
            crate::tray::text::format_usd(self.budget_usd),
            self.percent.floor()
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BudgetAlertMemory {
    announced: BTreeMap<String, AlertLevel>,
}

fn period_key(status: &BudgetStatus) -> String {
    format!("{}:{}", status.period.key(), status.period_start)
}

impl BudgetAlertMemory {
    /// The alerts to show for `budget`, remembering them so they are not shown again this period.
    pub fn crossings(&mut self, budget: &BudgetResponse) -> Vec<BudgetAlert> {
        let mut alerts = Vec::new();
        for status in [&budget.daily, &budget.monthly].into_iter().flatten() {
            let key = period_key(status);
            let prefix = format!("{}:", status.period.key());
            self.announced.retain(|announced, _| !announced.starts_with(&prefix) || *announced == key);
            let Some(level) = AlertLevel::of(status.state) else { continue };
            if self.announced.get(&key).is_some_and(|announced| *announced >= level) {
                continue;
            }
            self.announced.insert(key, level);
            alerts.push(BudgetAlert {
                period: status.period,
                level,
                percent: status.percent,
                spent_usd: status.spent_usd,
                budget_usd: status.budget_usd,
            });
        }
        alerts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(period: &str, start: &str, spent: f64, budget: f64) -> BudgetStatus {
        let percent = spent / budget * 100.0;
        BudgetStatus {
            period: if period == "monthly" { BudgetPeriod::Monthly } else { BudgetPeriod::Daily },
            budget_usd: budget,
            spent_usd: spent,
            percent,
            state: BudgetState::for_percent(percent),
            period_start: start.to_owned(),
            period_end: String::new(),
            projected_usd: spent,
        }
    }

    fn daily(start: &str, spent: f64) -> BudgetResponse {
        BudgetResponse { tz: "UTC".to_owned(), daily: Some(status("daily", start, spent, 10.0)), monthly: None }
    }

    fn levels(alerts: &[BudgetAlert]) -> Vec<(String, AlertLevel)> {
        alerts.iter().map(|alert| (alert.period.key().to_owned(), alert.level)).collect()
    }

    #[test]
    fn each_crossing_fires_once_per_period() {
        let mut memory = BudgetAlertMemory::default();
        let day = "2026-11-28T00:00:00Z";
        assert!(memory.crossings(&daily(day, 5.0)).is_empty(), "50 %: nothing");
        assert_eq!(levels(&memory.crossings(&daily(day, 8.0))), vec![("daily".to_owned(), AlertLevel::Warning)], "80 %: warning");
        assert!(memory.crossings(&daily(day, 8.5)).is_empty(), "still above 80 %: not again");
        assert!(memory.crossings(&daily(day, 9.9)).is_empty());
        assert_eq!(levels(&memory.crossings(&daily(day, 10.0))), vec![("daily".to_owned(), AlertLevel::Over)], "100 %: over");
        assert!(memory.crossings(&daily(day, 12.0)).is_empty(), "still over: not again");
        assert!(memory.crossings(&daily(day, 8.5)).is_empty(), "budget raised, back to warning: already announced");
    }

    #[test]
    fn a_new_period_starts_afresh() {
        let mut memory = BudgetAlertMemory::default();
        assert_eq!(memory.crossings(&daily("2026-11-28T00:00:00Z", 9.0)).len(), 1);
        assert_eq!(levels(&memory.crossings(&daily("2026-11-29T00:00:00Z", 9.0))), vec![("daily".to_owned(), AlertLevel::Warning)]);
        assert_eq!(memory.announced.len(), 1, "yesterday's entry is dropped");
    }

    #[test]
    fn jumping_past_100_percent_is_one_alert() {
        let mut memory = BudgetAlertMemory::default();
        let alerts = memory.crossings(&daily("2026-11-28T00:00:00Z", 15.0));
        assert_eq!(levels(&alerts), vec![("daily".to_owned(), AlertLevel::Over)]);
        assert_eq!(alerts[0].title(), "Daily budget exceeded");
        assert_eq!(alerts[0].body(), "$15.00 of $10.00 spent today (150 %).");
    }

    #[test]
    fn daily_and_monthly_are_counted_separately_and_survive_a_restart() {
        let mut memory = BudgetAlertMemory::default();
        let both = BudgetResponse {
            tz: "UTC".to_owned(),
            daily: Some(status("daily", "2026-11-28T00:00:00Z", 8.0, 10.0)),
            monthly: Some(status("monthly", "2026-11-01T00:00:00Z", 85.0, 100.0)),
        };
        let alerts = memory.crossings(&both);
        assert_eq!(levels(&alerts), vec![("daily".to_owned(), AlertLevel::Warning), ("monthly".to_owned(), AlertLevel::Warning)]);
        assert_eq!(alerts[1].title(), "Monthly budget at 85 %");
        let saved = serde_json::to_string(&memory).expect("save");
        let mut restarted: BudgetAlertMemory = serde_json::from_str(&saved).expect("load");
        assert!(restarted.crossings(&both).is_empty(), "a restart does not repeat alerts");
    }

    #[test]
    fn no_budget_no_alerts() {
        let mut memory = BudgetAlertMemory::default();
        assert!(memory.crossings(&BudgetResponse { tz: "UTC".to_owned(), daily: None, monthly: None }).is_empty());
    }
}
