//! Plan limits in the tray: the tighter of the windows that have not reset (`5h 88%`) joins the
//! label, and the menu has one line per tool and window with the reset time in the user's time
//! zone and a pace mark (`Codex CLI 5h: 47 % · resets 04:27 · at this pace the limit before reset`).
//! The icon badges at the warning percent and at 100 %, as it does for budgets.

use super::icons::BudgetLevel;
use ai_observer_engine::query::limits::LimitState;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The label part and the menu lines for `limits` (windows that have reset are left out: their
/// use is unknown until the tool reports again).
pub fn limits_summary(limits: &[LimitState], time_zone: Tz, now: DateTime<Utc>) -> (Option<String>, Vec<String>) {
    let open: Vec<&LimitState> = limits.iter().filter(|state| !state.expired).collect();
    let tightest = open.iter().max_by(|left, right| left.used_percent.total_cmp(&right.used_percent));
    let label = tightest.map(|state| format!("{} {:.0}%", state.window.key(), state.used_percent));
    let lines = open.iter().map(|state| line(state, time_zone, now)).collect();
    (label, lines)
}

/// The icon's badge for plan limits: over at 100 % of an open window, warning from `warn_percent`.
pub fn limits_level(limits: &[LimitState], warn_percent: f64) -> BudgetLevel {
    let highest = limits.iter().filter(|state| !state.expired).map(|state| state.used_percent).fold(0.0, f64::max);
    if highest >= 100.0 {
        BudgetLevel::Over
    } else if highest >= warn_percent {
        BudgetLevel::Warning
    } else {
        BudgetLevel::Ok
    }
}

fn line(state: &LimitState, time_zone: Tz, now: DateTime<Utc>) -> String {
    let tool = state.tool.display_name();
    let mut text = format!("{tool} {}: {:.0} %", state.window.key(), state.used_percent);
    if let Some(reset) = state.resets_at.as_deref().and_then(|reset| DateTime::parse_from_rfc3339(reset).ok()) {
        let local = reset.with_timezone(&time_zone);
        let format = if reset.with_timezone(&Utc) - now < chrono::Duration::hours(24) { "%H:%M" } else { "%a %-d %b %H:%M" };
        text.push_str(&format!(" · resets {}", local.format(format)));
    }
    if let Some(pace) = &state.pace {
        if pace.reaches_limit_at.is_some() {
            text.push_str(" · at this pace the limit before reset");
        } else {
            text.push_str(&format!(" · on pace for {:.0} %", pace.projected_percent_at_reset));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use ai_observer_engine::model::{LimitSource, LimitWindow, Tool};
    use ai_observer_engine::query::limits::LimitPace;

    fn state(tool: Tool, window: LimitWindow, percent: f64, reset: &str, expired: bool) -> LimitState {
        LimitState {
            tool,
            window,
            used_percent: percent,
            resets_at: Some(reset.to_owned()),
            observed_at: "2026-11-30T01:00:00Z".to_owned(),
            source: LimitSource::SessionFile,
            plan_type: None,
            expired,
            pace: None,
        }
    }

    #[test]
    fn the_tighter_open_window_joins_the_label_and_each_window_has_a_line() {
        let now = DateTime::parse_from_rfc3339("2026-11-30T01:30:00Z").unwrap().with_timezone(&Utc);
        let mut codex = state(Tool::Codex, LimitWindow::FiveHours, 47.0, "2026-11-30T03:27:00Z", false);
        codex.pace = Some(LimitPace {
            percent_per_hour: 30.0,
            projected_percent_at_reset: 105.0,
            reaches_limit_at: Some("2026-11-30T03:16:00Z".into()),
        });
        let limits = vec![
            codex,
            state(Tool::Codex, LimitWindow::Week, 5.0, "2026-12-05T02:30:00Z", false),
            state(Tool::ClaudeCode, LimitWindow::FiveHours, 86.0, "2026-11-30T01:00:00Z", true),
        ];
        let (label, lines) = limits_summary(&limits, chrono_tz::Europe::Berlin, now);
        assert_eq!(label.as_deref(), Some("5h 47%"), "the expired 86 % window is not the tighter one");
        assert_eq!(
            lines,
            vec![
                "Codex CLI 5h: 47 % · resets 04:27 · at this pace the limit before reset".to_owned(),
                "Codex CLI 7d: 5 % · resets Sat 5 Dec 03:30".to_owned(),
            ]
        );
        assert_eq!(limits_summary(&[], chrono_tz::UTC, now), (None, Vec::new()));
    }

    #[test]
    fn the_icon_badges_from_the_warning_percent_and_at_the_limit() {
        let open = |percent| state(Tool::ClaudeCode, LimitWindow::FiveHours, percent, "2026-11-30T03:00:00Z", false);
        assert_eq!(limits_level(&[open(79.9)], 80.0), BudgetLevel::Ok);
        assert_eq!(limits_level(&[open(12.0), open(80.0)], 80.0), BudgetLevel::Warning);
        assert_eq!(limits_level(&[open(100.0)], 80.0), BudgetLevel::Over);
        assert_eq!(limits_level(&[open(60.0)], 50.0), BudgetLevel::Warning, "the user's warning percent");
        let expired = state(Tool::Codex, LimitWindow::FiveHours, 100.0, "2026-11-30T01:00:00Z", true);
        assert_eq!(limits_level(&[expired], 80.0), BudgetLevel::Ok, "a window that has reset is not at its limit");
        assert_eq!(limits_level(&[], 80.0), BudgetLevel::Ok);
    }
}
