//! Plan-limit notifications: one when a window reaches the warning percent (80 % unless set in
//! Settings), one at the urgent percent (95 %), and one when at its pace it will reach the limit
//! before it resets (unless switched off), each at most once per window period (a window's period
//! is named by its reset time, so the next period starts afresh).
//!
//! `LimitAlertMemory` remembers, per `tool:window:resets_at`, the highest level announced and
//! whether the pace warning was shown; `crossings` compares the latest states with it and returns
//! only the rises. A jump from below 80 % past 95 % is one alert. Periods that are over are dropped.

use ai_observer_engine::query::limits::LimitState;
use ai_observer_engine::settings::LimitAlertSettings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum LimitAlert {
    /// The window's use reached a threshold.
    Reached { tool: String, window: String, percent: f64, resets_at: Option<DateTime<Utc>> },
    /// At its pace the window reaches 100 % before it resets.
    Pace { tool: String, window: String, percent: f64, at: DateTime<Utc> },
}

fn window_name(window: &str) -> &'static str {
    if window == "5h" { "5-hour" } else { "weekly" }
}

fn until(time: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (time - now).num_minutes().max(0);
    if minutes >= 48 * 60 { format!("{} days", minutes / (24 * 60)) } else { format!("{} h {:02} min", minutes / 60, minutes % 60) }
}

impl LimitAlert {
    pub fn title(&self) -> String {
        match self {
            LimitAlert::Reached { tool, window, percent, .. } => {
                format!("{tool} {} limit at {:.0} %", window_name(window), percent.floor())
            }
            LimitAlert::Pace { tool, window, .. } => format!("{tool} will reach its {} limit", window_name(window)),
        }
    }

    pub fn body(&self, now: DateTime<Utc>) -> String {
        match self {
            LimitAlert::Reached { resets_at: Some(reset), .. } => format!("It resets in {}.", until(*reset, now)),
            LimitAlert::Reached { resets_at: None, .. } => "Its reset time is not known.".to_owned(),
            LimitAlert::Pace { percent, at, .. } => {
                format!(
                    "{:.0} % used; at this pace the limit is reached in {}, before the window resets.",
                    percent.floor(),
                    until(*at, now)
                )
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Announced {
    /// How many of the thresholds (warning, urgent) were announced.
    reached: usize,
    pace: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LimitAlertMemory {
    announced: BTreeMap<String, Announced>,
}

impl LimitAlertMemory {
    /// The alerts to show for the latest `limits`, remembered so they are not shown again.
    pub fn crossings(&mut self, limits: &[LimitState], settings: &LimitAlertSettings) -> Vec<LimitAlert> {
        let thresholds = settings.thresholds();
        let open: Vec<&LimitState> = limits.iter().filter(|state| !state.expired).collect();
        let key = |state: &LimitState| format!("{}:{}:{}", state.tool.key(), state.window.key(), state.resets_at.as_deref().unwrap_or("-"));
        let current: Vec<String> = open.iter().map(|state| key(state)).collect();
        self.announced.retain(|known, _| current.contains(known));
        let mut alerts = Vec::new();
        for state in open {
            let announced = self.announced.entry(key(state)).or_default();
            let tool = state.tool.display_name().to_owned();
            let window = state.window.key().to_owned();
            let reached = thresholds.iter().filter(|threshold| state.used_percent >= **threshold).count();
            if reached > announced.reached {
                announced.reached = reached;
                let resets_at = state
                    .resets_at
                    .as_deref()
                    .and_then(|reset| DateTime::parse_from_rfc3339(reset).ok())
                    .map(|reset| reset.with_timezone(&Utc));
                alerts.push(LimitAlert::Reached { tool: tool.clone(), window: window.clone(), percent: state.used_percent, resets_at });
            }
            let pace_at =
                state.pace.as_ref().and_then(|pace| pace.reaches_limit_at.as_deref()).and_then(|at| DateTime::parse_from_rfc3339(at).ok());
            if let Some(at) = pace_at.filter(|_| settings.pace && !announced.pace && state.used_percent < 100.0) {
                announced.pace = true;
                alerts.push(LimitAlert::Pace { tool, window, percent: state.used_percent, at: at.with_timezone(&Utc) });
            }
        }
        alerts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ai_observer_engine::model::{LimitSource, LimitWindow, Tool};
    use ai_observer_engine::query::limits::LimitPace;

    fn state(percent: f64, reset: &str, pace_at: Option<&str>) -> LimitState {
        LimitState {
            tool: Tool::ClaudeCode,
            window: LimitWindow::FiveHours,
            used_percent: percent,
            resets_at: Some(reset.to_owned()),
            observed_at: "2026-11-30T01:00:00Z".to_owned(),
            source: LimitSource::Statusline,
            plan_type: None,
            expired: false,
            pace: pace_at.map(|at| LimitPace {
                percent_per_hour: 30.0,
                projected_percent_at_reset: 140.0,
                reaches_limit_at: Some(at.to_owned()),
            }),
        }
    }

    fn titles(alerts: &[LimitAlert]) -> Vec<String> {
        alerts.iter().map(LimitAlert::title).collect()
    }

    #[test]
    fn each_threshold_and_the_pace_warning_fire_once_per_window_period() {
        let mut memory = LimitAlertMemory::default();
        assert!(memory.crossings(&[state(50.0, "2026-11-30T05:00:00Z", None)], &LimitAlertSettings::default()).is_empty());
        assert_eq!(
            titles(&memory.crossings(&[state(81.0, "2026-11-30T05:00:00Z", None)], &LimitAlertSettings::default())),
            vec!["Claude Code 5-hour limit at 81 %"]
        );
        assert!(
            memory.crossings(&[state(85.0, "2026-11-30T05:00:00Z", None)], &LimitAlertSettings::default()).is_empty(),
            "80 % already announced"
        );
        let pace = memory.crossings(&[state(90.0, "2026-11-30T05:00:00Z", Some("2026-11-30T04:00:00Z"))], &LimitAlertSettings::default());
        assert_eq!(titles(&pace), vec!["Claude Code will reach its 5-hour limit"]);
        let now = DateTime::parse_from_rfc3339("2026-11-30T03:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(pace[0].body(now), "90 % used; at this pace the limit is reached in 0 h 30 min, before the window resets.");
        assert_eq!(
            titles(&memory.crossings(&[state(96.0, "2026-11-30T05:00:00Z", Some("2026-11-30T04:00:00Z"))], &LimitAlertSettings::default())),
            vec!["Claude Code 5-hour limit at 96 %"]
        );
        assert!(
            memory
                .crossings(&[state(99.0, "2026-11-30T05:00:00Z", Some("2026-11-30T04:00:00Z"))], &LimitAlertSettings::default())
                .is_empty()
        );
        // The next period (a new reset time) starts afresh; a jump past 95 % is one alert.
        assert_eq!(
            titles(&memory.crossings(&[state(97.0, "2026-11-30T10:00:00Z", None)], &LimitAlertSettings::default())),
            vec!["Claude Code 5-hour limit at 97 %"]
        );
        // The memory survives a restart (it is saved as JSON).
        let saved = serde_json::to_string(&memory).unwrap();
        let mut restored: LimitAlertMemory = serde_json::from_str(&saved).unwrap();
        assert!(restored.crossings(&[state(97.0, "2026-11-30T10:00:00Z", None)], &LimitAlertSettings::default()).is_empty());
    }

    #[test]
    fn an_expired_window_raises_nothing() {
        let mut memory = LimitAlertMemory::default();
        let mut expired = state(99.0, "2026-11-30T01:00:00Z", None);
        expired.expired = true;
        assert!(memory.crossings(&[expired], &LimitAlertSettings::default()).is_empty());
    }

    #[test]
    fn the_thresholds_and_the_pace_warning_follow_the_settings() {
        let settings = LimitAlertSettings { warn_percent: 50.0, urgent_percent: 70.0, pace: false };
        let mut memory = LimitAlertMemory::default();
        let reset = "2026-11-30T05:00:00Z";
        assert!(memory.crossings(&[state(49.0, reset, Some("2026-11-30T04:00:00Z"))], &settings).is_empty(), "no pace warning when off");
        assert_eq!(titles(&memory.crossings(&[state(55.0, reset, None)], &settings)), vec!["Claude Code 5-hour limit at 55 %"]);
        assert_eq!(titles(&memory.crossings(&[state(71.0, reset, None)], &settings)), vec!["Claude Code 5-hour limit at 71 %"]);
        assert!(memory.crossings(&[state(96.0, reset, None)], &settings).is_empty(), "both thresholds announced");
    }
}
