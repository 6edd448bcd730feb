//! Flattening OTLP `AnyValue`s into the strings the store keeps.
//!
//! Same rules as the original: strings as they are, numbers in decimal, booleans as `true`/`false`,
//! arrays and key-value lists as JSON text, bytes as base64.

use crate::model::Attributes;
use base64::Engine as _;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value::Value};

pub fn any_value_to_string(value: &AnyValue) -> String {
    match &value.value {
        None => String::new(),
        Some(Value::StringValue(text)) => text.clone(),
        Some(Value::BoolValue(flag)) => flag.to_string(),
        Some(Value::IntValue(number)) => number.to_string(),
        Some(Value::DoubleValue(number)) => format_double(*number),
        Some(Value::BytesValue(bytes)) => base64::engine::general_purpose::STANDARD.encode(bytes),
        Some(Value::ArrayValue(_)) | Some(Value::KvlistValue(_)) => any_value_to_json(value).to_string(),
        Some(Value::StringValueStrindex(_)) => String::new(),
    }
}

/// `any_value_to_string` for a value the caller owns: a string value is moved, not copied.
pub fn any_value_into_string(value: AnyValue) -> String {
    match value.value {
        Some(Value::StringValue(text)) => text,
        other => any_value_to_string(&AnyValue { value: other }),
    }
}

fn format_double(number: f64) -> String {
    if number.is_finite() { number.to_string() } else { String::new() }
}

fn any_value_to_json(value: &AnyValue) -> serde_json::Value {
    match &value.value {
        None | Some(Value::StringValueStrindex(_)) => serde_json::Value::Null,
        Some(Value::StringValue(text)) => serde_json::Value::String(text.clone()),
        Some(Value::BoolValue(flag)) => serde_json::Value::Bool(*flag),
        Some(Value::IntValue(number)) => serde_json::Value::from(*number),
        Some(Value::DoubleValue(number)) => {
            serde_json::Number::from_f64(*number).map_or(serde_json::Value::Null, serde_json::Value::Number)
        }
        Some(Value::BytesValue(bytes)) => serde_json::Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
        Some(Value::ArrayValue(array)) => serde_json::Value::Array(array.values.iter().map(any_value_to_json).collect()),
        Some(Value::KvlistValue(list)) => serde_json::Value::Object(
            list.values.iter().map(|kv| (kv.key.clone(), kv.value.as_ref().map_or(serde_json::Value::Null, any_value_to_json))).collect(),
        ),
    }
}

/// Flattens a key-value list into attributes; a later duplicate key wins, as in the OTel SDKs.
pub fn attributes_from_key_values(key_values: &[KeyValue]) -> Attributes {
    key_values.iter().map(|kv| (kv.key.clone(), kv.value.as_ref().map(any_value_to_string).unwrap_or_default())).collect()
}

/// `attributes_from_key_values` for a list the caller owns: keys and string values are moved into
/// the attributes instead of copied (a log record's dozen attributes are most of its strings).
pub fn attributes_from_owned_key_values(key_values: Vec<KeyValue>) -> Attributes {
    key_values.into_iter().map(|kv| (kv.key, kv.value.map(any_value_into_string).unwrap_or_default())).collect()
}

/// Lower-case hex of an id; empty ids become `None`.
pub(super) fn hex_id(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() || bytes.iter().all(|byte| *byte == 0) {
        return None;
    }
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry_proto::tonic::common::v1::ArrayValue;

    fn value(value: Value) -> AnyValue {
        AnyValue { value: Some(value) }
    }

    #[test]
    fn scalars_and_arrays_flatten_like_the_original() {
        assert_eq!(any_value_to_string(&value(Value::IntValue(157))), "157");
        assert_eq!(any_value_to_string(&value(Value::DoubleValue(0.25))), "0.25");
        assert_eq!(any_value_to_string(&value(Value::DoubleValue(3.0))), "3");
        assert_eq!(any_value_to_string(&value(Value::BoolValue(true))), "true");
        let array = value(Value::ArrayValue(ArrayValue { values: vec![value(Value::StringValue("a".into())), value(Value::IntValue(2))] }));
        assert_eq!(any_value_to_string(&array), r#"["a",2]"#);
    }

    #[test]
    fn owned_key_values_flatten_as_borrowed_ones_do_and_a_later_duplicate_wins() {
        let key_value = |key: &str, inner: Option<Value>| KeyValue {
            key: key.to_owned(),
            value: Some(AnyValue { value: inner }),
            ..KeyValue::default()
        };
        let list = vec![
            key_value("session.id", Some(Value::StringValue("s1".into()))),
            key_value("input_tokens", Some(Value::IntValue(157))),
            key_value("cost_usd", Some(Value::DoubleValue(0.25))),
            key_value("empty", None),
            KeyValue { key: "absent".to_owned(), ..KeyValue::default() },
            key_value("list", Some(Value::ArrayValue(ArrayValue { values: vec![value(Value::StringValue("a".into()))] }))),
            key_value("session.id", Some(Value::StringValue("s2".into()))),
        ];
        let borrowed = attributes_from_key_values(&list);
        let owned = attributes_from_owned_key_values(list);
        assert_eq!(owned, borrowed);
        assert_eq!(owned.get("session.id").map(String::as_str), Some("s2"));
        assert_eq!(owned.get("input_tokens").map(String::as_str), Some("157"));
        assert_eq!(owned.get("list").map(String::as_str), Some(r#"["a"]"#));
        assert_eq!(owned.get("absent").map(String::as_str), Some(""));
        assert_eq!(owned.len(), 6);
    }

    #[test]
    fn ids_are_lower_hex_and_empty_ids_are_none() {
        assert_eq!(hex_id(&[0xAB, 0x01]).as_deref(), Some("ab01"));
        assert_eq!(hex_id(&[]), None);
        assert_eq!(hex_id(&[0, 0]), None);
    }
}
