//! Codex's plan limits from its rollout files: every `event_msg` `token_count` carries
//! `rate_limits` with the state of that response's `x-codex-*` headers — `primary` and `secondary`
//! windows `{used_percent, window_minutes, resets_at}` (which is 5 hours and which is weekly is
//! only in `window_minutes`: 300 and 10080), and `plan_type`. Without headers the object is there
//! with every field null: nothing is recorded then, and no state is invented.

use crate::model::{LimitSource, LimitWindow, PlanLimit, Tool};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
struct RateLimits {
    #[serde(default)]
    primary: Option<Window>,
    #[serde(default)]
    secondary: Option<Window>,
    #[serde(default)]
    plan_type: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Window {
    #[serde(default)]
    used_percent: Option<f64>,
    #[serde(default)]
    window_minutes: Option<i64>,
    #[serde(default)]
    resets_at: Option<i64>,
}

/// The windows a `token_count` payload reports, observed at `time` (the line's, Unix nanoseconds).
pub fn states(time: i64, payload: &serde_json::Value) -> Vec<PlanLimit> {
    let Some(limits) = payload.get("rate_limits").cloned().and_then(|value| serde_json::from_value::<RateLimits>(value).ok()) else {
        return Vec::new();
    };
    [limits.primary.as_ref(), limits.secondary.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|window| {
            Some(PlanLimit {
                tool: Tool::Codex,
                window: LimitWindow::from_minutes(window.window_minutes?)?,
                used_percent: window.used_percent.filter(|percent| percent.is_finite() && *percent >= 0.0)?,
                resets_at: window.resets_at.filter(|seconds| *seconds > 0),
                observed_at: time,
                source: LimitSource::SessionFile,
                plan_type: limits.plan_type.clone().filter(|plan| !plan.is_empty()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_windows_by_their_length_and_nothing_for_a_state_without_headers() {
        let payload = json!({"type": "token_count", "rate_limits": {
            "limit_id": "codex",
            "primary": {"used_percent": 47.0, "window_minutes": 300, "resets_at": 1796009220},
            "secondary": {"used_percent": 5.0, "window_minutes": 10080, "resets_at": 1796437800},
            "plan_type": null
        }});
        let states = states(7, &payload);
        assert_eq!(states.len(), 2);
        assert_eq!((states[0].window, states[0].used_percent, states[0].resets_at), (LimitWindow::FiveHours, 47.0, Some(1796009220)));
        assert_eq!((states[1].window, states[1].used_percent), (LimitWindow::Week, 5.0));
        let empty = json!({"rate_limits": {"limit_id": "codex", "primary": null, "secondary": null, "credits": null, "plan_type": null}});
        assert!(super::states(7, &empty).is_empty());
        assert!(super::states(7, &json!({"info": null})).is_empty());
        let odd = json!({"rate_limits": {"primary": {"used_percent": null, "window_minutes": 300}, "secondary": {"used_percent": 3.0, "window_minutes": 60}}});
        assert!(super::states(7, &odd).is_empty(), "no percent, or a window we do not know");
    }
}
