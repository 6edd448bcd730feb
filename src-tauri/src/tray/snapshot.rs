//! Everything the tray shows at one moment, so a refresh can tell whether anything changed before
//! it touches the tray (rebuilding the menu every minute for nothing would cost CPU while idle).

use super::icons::BudgetLevel;
use super::text::{TodaySpend, format_usd, summary_line, tool_lines, tray_title, unpriced_line};
use ai_observer_engine::query::budget::{BudgetResponse, BudgetState};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TraySnapshot {
    /// Today's spend; `None` until the engine has answered.
    pub today: Option<TodaySpend>,
    /// Shown instead of the spend while there is none (starting, or the engine failed).
    pub status: Option<String>,
    pub budget_level: BudgetLevel,
    pub budget_lines: Vec<String>,
    /// The tighter open plan-limit window (`5h 88%`), when a tool reported limits.
    pub limit_label: Option<String>,
    /// One line per tool and open window.
    pub limit_lines: Vec<String>,
    /// How close the tighter open window is to its limit.
    pub limit_level: BudgetLevel,
    pub receiving_paused: bool,
    /// Whether the app starts at login; `None` if the system could not say.
    pub launch_at_login: Option<bool>,
}

impl TraySnapshot {
    pub fn starting() -> TraySnapshot {
        TraySnapshot { status: Some("Starting…".to_owned()), ..TraySnapshot::default() }
    }

    /// The icon's badge: the worse of the budgets and the plan limits.
    pub fn icon_level(&self) -> BudgetLevel {
        self.budget_level.max(self.limit_level)
    }

    /// The label next to the icon.
    pub fn title(&self) -> String {
        match (&self.today, &self.limit_label) {
            (Some(today), Some(limit)) => format!("{} · {limit}", tray_title(today).trim_end_matches(" today")),
            (Some(today), None) => tray_title(today),
            (None, _) => "AI Observer".to_owned(),
        }
    }

    /// The read-only lines at the top of the menu.
    pub fn info_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match &self.today {
            Some(today) => {
                lines.push(summary_line(today));
                lines.extend(tool_lines(today));
                lines.extend(unpriced_line(today));
            }
            None => lines.push(self.status.clone().unwrap_or_else(|| "AI Observer".to_owned())),
        }
        lines.extend(self.budget_lines.iter().cloned());
        lines.extend(self.limit_lines.iter().cloned());
        if self.receiving_paused {
            lines.push("Receiving is paused".to_owned());
        }
        lines
    }
}

/// The worse of the two budget states, and one line per budget.
pub fn budget_summary(budget: &BudgetResponse) -> (BudgetLevel, Vec<String>) {
    let mut level = BudgetLevel::Ok;
    let mut lines = Vec::new();
    for status in [&budget.daily, &budget.monthly].into_iter().flatten() {
        let status_level = match status.state {
            BudgetState::Ok => BudgetLevel::Ok,
            BudgetState::Warning => BudgetLevel::Warning,
            BudgetState::Over => BudgetLevel::Over,
        };
        level = level.max(status_level);
        let name =
            if status.period == ai_observer_engine::query::budget::BudgetPeriod::Monthly { "Monthly budget" } else { "Daily budget" };
        lines.push(format!("{name}: {:.0} % of {}", status.percent.floor(), format_usd(status.budget_usd)));
    }
    (level, lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ai_observer_engine::query::budget::BudgetStatus;

    fn status(period: &str, percent: f64) -> BudgetStatus {
        BudgetStatus {
            period: if period == "monthly" {
                ai_observer_engine::query::budget::BudgetPeriod::Monthly
            } else {
                ai_observer_engine::query::budget::BudgetPeriod::Daily
            },
            budget_usd: 10.0,
            spent_usd: percent / 10.0,
            percent,
            state: BudgetState::for_percent(percent),
            period_start: String::new(),
            period_end: String::new(),
            projected_usd: 0.0,
        }
    }

    #[test]
    fn the_icon_follows_the_worse_budget() {
        let budget = |daily: f64, monthly: f64| BudgetResponse {
            tz: "UTC".into(),
            daily: Some(status("daily", daily)),
            monthly: Some(status("monthly", monthly)),
        };
        assert_eq!(budget_summary(&budget(10.0, 50.0)).0, BudgetLevel::Ok);
        assert_eq!(budget_summary(&budget(85.0, 50.0)).0, BudgetLevel::Warning);
        assert_eq!(budget_summary(&budget(85.0, 100.0)).0, BudgetLevel::Over);
        assert_eq!(budget_summary(&budget(85.5, 12.0)).1, vec!["Daily budget: 85 % of $10.00", "Monthly budget: 12 % of $10.00"]);
        assert_eq!(budget_summary(&BudgetResponse { tz: "UTC".into(), daily: None, monthly: None }), (BudgetLevel::Ok, Vec::new()));
    }

    #[test]
    fn a_plan_limit_joins_the_label_and_the_menu() {
        let today = crate::tray::text::TodaySpend {
            total: crate::tray::text::Amount { usd: 3.1, unpriced_requests: 0 },
            requests: 4,
            by_tool: Vec::new(),
        };
        let snapshot = TraySnapshot {
            today: Some(today),
            limit_label: Some("5h 88%".to_owned()),
            limit_lines: vec!["Claude Code 5h: 88 % · resets 04:27".to_owned()],
            ..TraySnapshot::default()
        };
        assert_eq!(snapshot.title(), "$3.10 · 5h 88%");
        assert!(snapshot.info_lines().contains(&"Claude Code 5h: 88 % · resets 04:27".to_owned()));
        assert_eq!(TraySnapshot { limit_label: None, ..snapshot }.title(), "$3.10 today");
    }
}
