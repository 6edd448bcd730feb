//! Flat string attributes, as the original AI Observer stores them (`{"key": "value"}` JSON).
//!
//! A `BTreeMap` keeps keys sorted, so the JSON text of an attribute set is canonical: two equal sets
//! serialise to the same string, which the cumulative-metric tracker relies on.

use std::collections::BTreeMap;

pub type Attributes = BTreeMap<String, String>;

/// Serialises attributes to the JSON object text stored in DuckDB's JSON columns.
pub fn attributes_to_json(attributes: &Attributes) -> String {
    serde_json::to_string(attributes).unwrap_or_else(|_| "{}".to_owned())
}

/// `attributes_to_json` into a byte buffer the caller reuses: the buffer is emptied, then holds the
/// JSON object's UTF-8 text.
pub fn write_attributes_json(buffer: &mut Vec<u8>, attributes: &Attributes) {
    buffer.clear();
    if serde_json::to_writer(&mut *buffer, attributes).is_err() {
        buffer.clear();
        buffer.extend_from_slice(b"{}");
    }
}

/// Lenient typed reads of flattened attributes: CLIs send numbers as ints, doubles or strings
/// depending on their version (`"1234"`, `1234`, `1234.0` all read as 1234).
pub trait AttributeValues {
    fn text(&self, key: &str) -> Option<&str>;
    fn int(&self, key: &str) -> Option<i64>;
    fn float(&self, key: &str) -> Option<f64>;
    /// The first present, non-empty value among several keys.
    fn first_text(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|key| self.text(key))
    }
}

impl AttributeValues for Attributes {
    fn text(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str).filter(|value| !value.is_empty())
    }

    fn int(&self, key: &str) -> Option<i64> {
        let value = self.text(key)?.trim();
        value
            .parse::<i64>()
            .ok()
            .or_else(|| value.parse::<f64>().ok().filter(|number| number.is_finite()).map(|number| number.round() as i64))
    }

    fn float(&self, key: &str) -> Option<f64> {
        self.text(key)?.trim().parse::<f64>().ok().filter(|number| number.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_from_any_spelling() {
        let attributes: Attributes = [("a", "1234"), ("b", "1234.0"), ("c", " 7 "), ("d", "x"), ("e", "")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(attributes.int("a"), Some(1234));
        assert_eq!(attributes.int("b"), Some(1234));
        assert_eq!(attributes.int("c"), Some(7));
        assert_eq!(attributes.int("d"), None);
        assert_eq!(attributes.text("e"), None);
        assert_eq!(attributes.float("b"), Some(1234.0));
    }
}
