//! Claude Code's plan limits from its status-line JSON (what `ai-observer statusline` reads on
//! stdin): `rate_limits.five_hour` and `rate_limits.seven_day`, each `{used_percentage,
//! resets_at}` (Unix seconds; 2.1.197 sends `utilization × 100` unrounded, 2.1.332 rounds to 0.1).
//! The key is absent when Claude Code knows no window (API-key logins, or before the first answer);
//! nothing is recorded then, and a window without a percent is skipped, never invented.

use crate::model::{LimitSource, LimitWindow, PlanLimit, Tool};

/// The windows a status-line JSON reports, observed at `observed_at` (Unix nanoseconds).
pub fn states(observed_at: i64, rate_limits: Option<&serde_json::Value>) -> Vec<PlanLimit> {
    let Some(rate_limits) = rate_limits else { return Vec::new() };
    [("five_hour", LimitWindow::FiveHours), ("seven_day", LimitWindow::Week)]
        .into_iter()
        .filter_map(|(key, window)| {
            let state = rate_limits.get(key)?;
            let used_percent = state.get("used_percentage")?.as_f64().filter(|percent| percent.is_finite() && *percent >= 0.0)?;
            Some(PlanLimit {
                tool: Tool::ClaudeCode,
                window,
                used_percent,
                resets_at: state.get("resets_at").and_then(serde_json::Value::as_i64).filter(|seconds| *seconds > 0),
                observed_at,
                source: LimitSource::Statusline,
                plan_type: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_windows_and_nothing_invented_for_odd_input() {
        let limits = json!({"five_hour": {"used_percentage": 7.000000000000001, "resets_at": 1796009700}, "seven_day": {"used_percentage": 9, "resets_at": 1796383800}});
        let found = states(1, Some(&limits));
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].window, found[0].used_percent, found[0].resets_at),
            (LimitWindow::FiveHours, 7.000000000000001, Some(1796009700))
        );
        assert_eq!((found[1].window, found[1].used_percent), (LimitWindow::Week, 9.0));
        assert!(states(1, None).is_empty());
        assert!(states(1, Some(&json!({"five_hour": null, "seven_day": {"used_percentage": null}}))).is_empty());
        // Over 100 and a reset in the past are kept as reported (the API marks a passed reset expired).
        let over = states(1, Some(&json!({"five_hour": {"used_percentage": 104.5, "resets_at": 1}})));
        assert_eq!((over[0].used_percent, over[0].resets_at), (104.5, Some(1)));
    }
}
