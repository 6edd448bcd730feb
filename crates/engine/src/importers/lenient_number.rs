//! Token counts as session files write them: numbers, numeric strings, or null.

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Integer(i64),
    Float(f64),
    Text(String),
}

pub fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    Ok(match Option::<Number>::deserialize(deserializer)? {
        None => 0,
        Some(Number::Integer(value)) => value,
        Some(Number::Float(value)) if value.is_finite() => value.round() as i64,
        Some(Number::Float(_)) => 0,
        Some(Number::Text(text)) => {
            text.trim().parse::<f64>().ok().filter(|value| value.is_finite()).map_or(0, |value| value.round() as i64)
        }
    })
}

pub fn optional_amount<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<Number>::deserialize(deserializer)? {
        None => None,
        Some(Number::Integer(value)) => Some(value as f64),
        Some(Number::Float(value)) => Some(value).filter(|value| value.is_finite()),
        Some(Number::Text(text)) => text.trim().parse::<f64>().ok().filter(|value| value.is_finite()),
    })
}
