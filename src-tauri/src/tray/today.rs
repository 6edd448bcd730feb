//! Today's spend and the budgets for the tray, from one spend summary for the local day (in the
//! engine's time zone), and how long until that day ends.

use super::text::TodaySpend;
use ai_observer_engine::model::time::start_of_local_day;
use ai_observer_engine::query::budget::BudgetResponse;
use ai_observer_engine::{Engine, EngineError};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// Today's spend and the budgets' state: the budgets need today's and this month's spend, which the
/// summary already has, so a refresh runs one spend query.
pub async fn today_and_budget(engine: &Engine, now: DateTime<Utc>) -> Result<(TodaySpend, BudgetResponse), EngineError> {
    let (summary, budget) = ai_observer_engine::operations::spend_and_budget_at(engine, now).await?;
    Ok((TodaySpend::from_summary(&summary), budget))
}

/// Time until the next local midnight in `time_zone` (at least one second).
pub fn until_next_local_midnight(time_zone: Tz, now: DateTime<Utc>) -> std::time::Duration {
    let tomorrow = now.with_timezone(&time_zone).date_naive() + Duration::days(1);
    let next_midnight = start_of_local_day(tomorrow, time_zone);
    (next_midnight - now).to_std().unwrap_or_default().max(std::time::Duration::from_secs(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tray::text::tray_title;
    use ai_observer_engine::EngineConfig;
    use ai_observer_engine::otlp::{Signal, decode_request};

    async fn today_spend(engine: &Engine, now: DateTime<Utc>) -> Result<TodaySpend, EngineError> {
        Ok(today_and_budget(engine, now).await?.0)
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
    }

    /// One Claude Code `api_request` event, as its OTLP/JSON exporter sends it.
    fn claude_request(id: &str, time: DateTime<Utc>, cost_usd: f64) -> Vec<u8> {
        let nanos = time.timestamp_nanos_opt().expect("nanos").to_string();
        let text = |key: &str, value: &str| serde_json::json!({ "key": key, "value": { "stringValue": value } });
        serde_json::to_vec(&serde_json::json!({
            "resourceLogs": [{
                "resource": { "attributes": [text("service.name", "claude-code")] },
                "scopeLogs": [{
                    "scope": { "name": "com.anthropic.claude_code.events" },
                    "logRecords": [{
                        "timeUnixNano": nanos,
                        "observedTimeUnixNano": nanos,
                        "body": { "stringValue": "claude_code.api_request" },
                        "attributes": [
                            text("event.name", "api_request"),
                            text("event.timestamp", &time.to_rfc3339()),
                            text("session.id", "session-1"),
                            text("request_id", id),
                            text("model", "claude-sonnet-5"),
                            { "key": "cost_usd", "value": { "doubleValue": cost_usd } },
                            { "key": "input_tokens", "value": { "intValue": "100" } },
                            { "key": "output_tokens", "value": { "intValue": "20" } }
                        ]
                    }]
                }]
            }]
        }))
        .expect("json")
    }

    async fn engine_in(time_zone: &str, folder: &std::path::Path) -> Engine {
        let mut config = EngineConfig::with_database(folder.join("tray.duckdb"));
        config.default_time_zone = Some(time_zone.to_owned());
        config.price_overrides_path = None;
        Engine::open(config).await.expect("engine")
    }

    async fn ingest(engine: &Engine, body: Vec<u8>) {
        let (request, _) = decode_request(&body, Some("application/json"), Some(Signal::Logs)).expect("decode");
        engine.ingestor().ingest(request).await.expect("ingest");
    }

    #[tokio::test]
    async fn today_follows_the_local_day_not_the_utc_day() {
        let folder = tempfile::tempdir().expect("dir");
        let engine = engine_in("America/New_York", folder.path()).await;
        // New York is UTC-5 in November: 23:30 local on the 27th is 04:30 UTC on the 28th,
        // 00:30 local on the 28th is 05:30 UTC.
        ingest(&engine, claude_request("req-late", at("2026-11-28T04:30:00Z"), 1.0)).await;
        ingest(&engine, claude_request("req-early", at("2026-11-28T05:30:00Z"), 0.25)).await;

        let late_evening = today_spend(&engine, at("2026-11-28T04:45:00Z")).await.expect("spend");
        assert_eq!(tray_title(&late_evening), "$1.00 today", "23:45 local: only the 23:30 request is today");
        let next_noon = today_spend(&engine, at("2026-11-28T17:00:00Z")).await.expect("spend");
        assert_eq!(tray_title(&next_noon), "$0.25 today", "12:00 local on the 28th: only the 00:30 request");
        assert_eq!(next_noon.requests, 1);
        assert_eq!(next_noon.by_tool.iter().map(|tool| tool.name.as_str()).collect::<Vec<_>>(), vec!["Claude Code"]);
        engine.shutdown().await;
    }

    #[test]
    fn the_next_refresh_at_midnight_is_local_midnight() {
        let new_york: Tz = "America/New_York".parse().expect("tz");
        // 23:30 local → 30 minutes.
        assert_eq!(until_next_local_midnight(new_york, at("2026-11-28T04:30:00Z")), std::time::Duration::from_secs(30 * 60));
        // 2026-11-01 is the end of daylight time in New York: the day has 25 hours.
        assert_eq!(until_next_local_midnight(new_york, at("2026-11-01T04:00:00Z")), std::time::Duration::from_secs(25 * 3600));
    }
}
