//! A JSON value that keeps the order of object keys as the file had them.
//!
//! `serde_json::Value` sorts keys (the workspace builds serde_json without `preserve_order`), and a
//! settings file whose keys were reshuffled by a tool the user did not write is a poor surprise.
//! Objects here are lists of entries, read and written in file order.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum OrderedJson {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<OrderedJson>),
    Object(Vec<(String, OrderedJson)>),
}

impl OrderedJson {
    pub fn empty_object() -> OrderedJson {
        OrderedJson::Object(Vec::new())
    }

    pub fn string(text: impl Into<String>) -> OrderedJson {
        OrderedJson::String(text.into())
    }

    pub fn get(&self, key: &str) -> Option<&OrderedJson> {
        match self {
            OrderedJson::Object(entries) => entries.iter().find(|(name, _)| name == key).map(|(_, value)| value),
            _ => None,
        }
    }

    /// Sets `key`, in place when it exists (keeping its position), else at the end.
    /// Does nothing on a non-object.
    pub fn set(&mut self, key: &str, value: OrderedJson) {
        if let OrderedJson::Object(entries) = self {
            match entries.iter_mut().find(|(name, _)| name == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key.to_owned(), value)),
            }
        }
    }

    pub fn remove(&mut self, key: &str) {
        if let OrderedJson::Object(entries) = self {
            entries.retain(|(name, _)| name != key);
        }
    }

    /// The object under `key`, created (or replacing a non-object) when needed.
    pub fn object_entry(&mut self, key: &str) -> Option<&mut OrderedJson> {
        let is_object = matches!(self.get(key), Some(OrderedJson::Object(_)));
        if !is_object {
            self.set(key, OrderedJson::empty_object());
        }
        match self {
            OrderedJson::Object(entries) => entries.iter_mut().find(|(name, _)| name == key).map(|(_, value)| value),
            _ => None,
        }
    }
}

impl Serialize for OrderedJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            OrderedJson::Null => serializer.serialize_unit(),
            OrderedJson::Bool(value) => serializer.serialize_bool(*value),
            OrderedJson::Number(number) => number.serialize(serializer),
            OrderedJson::String(text) => serializer.serialize_str(text),
            OrderedJson::Array(items) => {
                let mut sequence = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    sequence.serialize_element(item)?;
                }
                sequence.end()
            }
            OrderedJson::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

struct OrderedJsonVisitor;

impl<'de> Visitor<'de> for OrderedJsonVisitor {
    type Value = OrderedJson;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Null)
    }

    fn visit_none<E>(self) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Number(value.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<OrderedJson, E> {
        serde_json::Number::from_f64(value).map(OrderedJson::Number).ok_or_else(|| E::custom("a number that JSON cannot hold"))
    }

    fn visit_str<E>(self, value: &str) -> Result<OrderedJson, E> {
        Ok(OrderedJson::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<OrderedJson, E> {
        Ok(OrderedJson::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<OrderedJson, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = sequence.next_element()? {
            items.push(item);
        }
        Ok(OrderedJson::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedJson, A::Error> {
        let mut entries: Vec<(String, OrderedJson)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, OrderedJson>()? {
            // A repeated key: the last one wins, as in JavaScript, at the first one's position.
            match entries.iter_mut().find(|(name, _)| *name == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(OrderedJson::Object(entries))
    }
}

impl<'de> Deserialize<'de> for OrderedJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<OrderedJson, D::Error> {
        deserializer.deserialize_any(OrderedJsonVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_file_order_through_a_round_trip() {
        let text = r#"{"zeta":1,"alpha":{"b":true,"a":null},"mid":[1.5,"x"]}"#;
        let value: OrderedJson = serde_json::from_str(text).expect("parse");
        assert_eq!(serde_json::to_string(&value).expect("write"), text);
    }

    #[test]
    fn set_keeps_the_position_of_an_existing_key_and_appends_new_ones() {
        let mut value: OrderedJson = serde_json::from_str(r#"{"b":1,"a":2}"#).expect("parse");
        value.set("b", OrderedJson::string("x"));
        value.set("c", OrderedJson::Bool(true));
        assert_eq!(serde_json::to_string(&value).expect("write"), r#"{"b":"x","a":2,"c":true}"#);
    }
}
