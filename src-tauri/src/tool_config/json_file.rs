//! Reading and writing the JSON settings files of Claude Code and Gemini CLI: an existing file must
//! hold a JSON object (anything else is left alone and reported), a missing or empty one is `{}`.

use super::ToolConfigError;
use super::ordered_json::OrderedJson;

pub fn parse_settings_object(existing: Option<&str>) -> Result<OrderedJson, ToolConfigError> {
    let text = existing.unwrap_or("").trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Ok(OrderedJson::empty_object());
    }
    let value: OrderedJson = serde_json::from_str(text)
        .map_err(|error| ToolConfigError::Unreadable(format!("not valid JSON ({error}); fix or remove the file, then try again")))?;
    match value {
        OrderedJson::Object(_) => Ok(value),
        _ => Err(ToolConfigError::Unreadable("the file holds JSON that is not an object".to_owned())),
    }
}

/// Two-space indentation and a final newline, the way both tools write their own files.
pub fn write_settings_object(value: &OrderedJson) -> Result<String, ToolConfigError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|error| ToolConfigError::Unreadable(error.to_string()))?;
    text.push('\n');
    Ok(text)
}
