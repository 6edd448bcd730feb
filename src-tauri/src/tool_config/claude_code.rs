//! Claude Code: telemetry is switched on by environment variables, which `~/.claude/settings.json`
//! can set in its `env` object (no shell profile needed). The variables match the setup page's
//! snippet; every other key of the file and of `env` is kept in place.

use super::json_file::{parse_settings_object, write_settings_object};
use super::ordered_json::OrderedJson;
use super::{TelemetryTarget, ToolConfigError};

/// The `env` entries that point Claude Code at the receiver.
pub fn telemetry_variables(target: &TelemetryTarget) -> Vec<(&'static str, String)> {
    vec![
        ("CLAUDE_CODE_ENABLE_TELEMETRY", "1".to_owned()),
        ("OTEL_METRICS_EXPORTER", "otlp".to_owned()),
        ("OTEL_LOGS_EXPORTER", "otlp".to_owned()),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf".to_owned()),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", target.otlp_base_url.clone()),
    ]
}

/// The file's new text. `OTEL_LOG_USER_PROMPTS` follows the user's choice: set when prompts are
/// to be sent, removed when not.
pub fn merge(existing: Option<&str>, target: &TelemetryTarget) -> Result<String, ToolConfigError> {
    let mut settings = parse_settings_object(existing)?;
    let Some(env) = settings.object_entry("env") else {
        return Err(ToolConfigError::Unreadable("the file is not a JSON object".to_owned()));
    };
    for (name, value) in telemetry_variables(target) {
        env.set(name, OrderedJson::string(value));
    }
    if target.log_prompts {
        env.set("OTEL_LOG_USER_PROMPTS", OrderedJson::string("1"));
    } else {
        env.remove("OTEL_LOG_USER_PROMPTS");
    }
    write_settings_object(&settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(log_prompts: bool) -> TelemetryTarget {
        TelemetryTarget { otlp_base_url: "http://127.0.0.1:4318".to_owned(), log_prompts }
    }

    #[test]
    fn a_missing_file_gets_just_the_env_block() {
        let merged = merge(None, &target(false)).expect("merge");
        let value: serde_json::Value = serde_json::from_str(&merged).expect("json");
        assert_eq!(value["env"]["CLAUDE_CODE_ENABLE_TELEMETRY"], "1");
        assert_eq!(value["env"]["OTEL_EXPORTER_OTLP_ENDPOINT"], "http://127.0.0.1:4318");
        assert_eq!(value["env"]["OTEL_EXPORTER_OTLP_PROTOCOL"], "http/protobuf");
        assert!(value["env"].get("OTEL_LOG_USER_PROMPTS").is_none());
        assert_eq!(value.as_object().map(|object| object.len()), Some(1));
        assert!(merged.ends_with("}\n"));
    }

    #[test]
    fn the_users_other_settings_and_variables_stay_where_they_were() {
        let existing = r#"{
  "model": "opus",
  "permissions": { "allow": ["Bash(ls:*)"], "deny": [] },
  "env": { "HTTPS_PROXY": "http://proxy:3128", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://old:4318", "OTEL_LOG_USER_PROMPTS": "1" },
  "hooks": {}
}"#;
        let merged = merge(Some(existing), &target(false)).expect("merge");
        let value: serde_json::Value = serde_json::from_str(&merged).expect("json");
        assert_eq!(value["model"], "opus");
        assert_eq!(value["permissions"]["allow"][0], "Bash(ls:*)");
        assert_eq!(value["env"]["HTTPS_PROXY"], "http://proxy:3128");
        assert_eq!(value["env"]["OTEL_EXPORTER_OTLP_ENDPOINT"], "http://127.0.0.1:4318");
        assert!(value["env"].get("OTEL_LOG_USER_PROMPTS").is_none(), "prompts were not to be sent");
        // Key order of the file is kept: model, permissions, env, hooks; inside env the proxy first.
        let model = merged.find("\"model\"").expect("model");
        let hooks = merged.find("\"hooks\"").expect("hooks");
        let env = merged.find("\"env\"").expect("env");
        assert!(model < env && env < hooks);
        assert!(merged.find("HTTPS_PROXY").expect("proxy") < merged.find("CLAUDE_CODE_ENABLE_TELEMETRY").expect("telemetry"));
    }

    #[test]
    fn merging_twice_changes_nothing_the_second_time() {
        let once = merge(Some(r#"{"env":{"A":"b"}}"#), &target(true)).expect("merge");
        let twice = merge(Some(&once), &target(true)).expect("merge");
        assert_eq!(once, twice);
        assert!(once.contains("\"OTEL_LOG_USER_PROMPTS\": \"1\""));
    }

    #[test]
    fn a_file_that_is_not_json_is_refused_not_overwritten() {
        assert!(matches!(merge(Some("{ not json"), &target(false)), Err(ToolConfigError::Unreadable(_))));
        assert!(matches!(merge(Some("[1, 2]"), &target(false)), Err(ToolConfigError::Unreadable(_))));
    }

    #[test]
    fn an_env_that_is_not_an_object_is_replaced() {
        let merged = merge(Some(r#"{"env": "broken"}"#), &target(false)).expect("merge");
        let value: serde_json::Value = serde_json::from_str(&merged).expect("json");
        assert_eq!(value["env"]["OTEL_METRICS_EXPORTER"], "otlp");
    }
}
