//! Gemini CLI: the `telemetry` object of `~/.gemini/settings.json`. Our keys are set; the user's
//! other telemetry keys and every other setting are kept in place.

use super::json_file::{parse_settings_object, write_settings_object};
use super::ordered_json::OrderedJson;
use super::{TelemetryTarget, ToolConfigError};

pub fn merge(existing: Option<&str>, target: &TelemetryTarget) -> Result<String, ToolConfigError> {
    let mut settings = parse_settings_object(existing)?;
    let Some(telemetry) = settings.object_entry("telemetry") else {
        return Err(ToolConfigError::Unreadable("the file is not a JSON object".to_owned()));
    };
    telemetry.set("enabled", OrderedJson::Bool(true));
    telemetry.set("target", OrderedJson::string("local"));
    telemetry.set("otlpEndpoint", OrderedJson::string(target.otlp_base_url.clone()));
    telemetry.set("otlpProtocol", OrderedJson::string("http"));
    telemetry.set("logPrompts", OrderedJson::Bool(target.log_prompts));
    write_settings_object(&settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> TelemetryTarget {
        TelemetryTarget { otlp_base_url: "http://127.0.0.1:14318".to_owned(), log_prompts: false }
    }

    #[test]
    fn telemetry_is_merged_next_to_the_users_settings() {
        let existing = r#"{"theme":"GitHub","telemetry":{"enabled":false,"outfile":"/tmp/t.log"},"selectedAuthType":"oauth-personal"}"#;
        let merged = merge(Some(existing), &target()).expect("merge");
        let value: serde_json::Value = serde_json::from_str(&merged).expect("json");
        assert_eq!(value["theme"], "GitHub");
        assert_eq!(value["selectedAuthType"], "oauth-personal");
        assert_eq!(value["telemetry"]["enabled"], true);
        assert_eq!(value["telemetry"]["target"], "local");
        assert_eq!(value["telemetry"]["otlpEndpoint"], "http://127.0.0.1:14318");
        assert_eq!(value["telemetry"]["otlpProtocol"], "http");
        assert_eq!(value["telemetry"]["logPrompts"], false);
        assert_eq!(value["telemetry"]["outfile"], "/tmp/t.log", "the user's other telemetry keys stay");
        assert!(merged.find("theme").expect("theme") < merged.find("telemetry").expect("telemetry"));
        assert!(merged.find("telemetry").expect("telemetry") < merged.find("selectedAuthType").expect("auth"));
    }

    #[test]
    fn an_empty_file_becomes_just_the_telemetry_block() {
        let merged = merge(Some("  \n"), &target()).expect("merge");
        let value: serde_json::Value = serde_json::from_str(&merged).expect("json");
        assert_eq!(value.as_object().map(|object| object.len()), Some(1));
    }

    #[test]
    fn json_with_comments_is_refused() {
        assert!(matches!(merge(Some("{ // theme\n \"theme\": \"x\" }"), &target()), Err(ToolConfigError::Unreadable(_))));
    }
}
