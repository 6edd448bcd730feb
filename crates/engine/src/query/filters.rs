//! Building WHERE clauses from optional filters, always with bound parameters.
//!
//! User input never becomes SQL text: values are bound, search terms are bound LIKE patterns, and
//! attribute keys (which end up inside a JSON path) are validated and then bound as the path.

use super::QueryError;
use super::time_range::TimeRange;
use duckdb::types::Value;

#[derive(Debug, Default)]
pub struct Filters {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Filters {
    pub fn new() -> Filters {
        Filters::default()
    }

    /// Adds a clause with `?` placeholders and the values bound to them, in order.
    pub fn push(&mut self, clause: &str, params: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.to_owned());
        self.params.extend(params);
    }

    pub fn time(&mut self, column: &str, range: &TimeRange) {
        self.push(&format!("{column} BETWEEN ? AND ?"), [range.from_value(), range.to_value()]);
    }

    pub fn equals(&mut self, column: &str, value: Option<&str>) {
        if let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) {
            self.push(&format!("{column} = ?"), [Value::Text(value.to_owned())]);
        }
    }

    /// Case-insensitive substring match of `search` on any of `columns`.
    pub fn search(&mut self, columns: &[&str], search: Option<&str>) {
        let Some(search) = search.map(str::trim).filter(|search| !search.is_empty()) else { return };
        let pattern = like_pattern(search);
        let clause = columns.iter().map(|column| format!("{column} ILIKE ? ESCAPE '\\'")).collect::<Vec<_>>().join(" OR ");
        self.push(&format!("({clause})"), columns.iter().map(|_| Value::Text(pattern.clone())));
    }

    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!("WHERE {}", self.clauses.join(" AND ")) }
    }

    pub fn params(&self) -> Vec<Value> {
        self.params.clone()
    }

    /// The parameters followed by extra ones (e.g. LIMIT and OFFSET).
    pub fn params_with(&self, extra: impl IntoIterator<Item = Value>) -> Vec<Value> {
        let mut params = self.params.clone();
        params.extend(extra);
        params
    }
}

/// `%term%` with LIKE's wildcards escaped, for `ILIKE ? ESCAPE '\'`.
pub fn like_pattern(search: &str) -> String {
    let mut pattern = String::with_capacity(search.len() + 2);
    pattern.push('%');
    for character in search.chars() {
        if matches!(character, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(character);
    }
    pattern.push('%');
    pattern
}

/// A JSON path (`$."key"`) for an attribute key the user chose. Keys are limited to the characters
/// attribute keys use in practice, so the path cannot be bent into another path.
pub fn attribute_path(key: &str) -> Result<String, QueryError> {
    let valid = !key.is_empty()
        && key.len() <= 256
        && key.chars().all(|character| character.is_ascii_alphanumeric() || matches!(character, '_' | '.' | '-' | ':' | '/'));
    if !valid {
        return Err(QueryError::invalid(format!("invalid attribute parameter {key:?}: use letters, digits, '_', '.', '-', ':' or '/'")));
    }
    Ok(format!("$.\"{key}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_search_terms_are_escaped() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn attribute_keys_with_quotes_or_spaces_are_refused() {
        assert_eq!(attribute_path("gen_ai.token.type").unwrap(), "$.\"gen_ai.token.type\"");
        assert!(attribute_path("type\") OR 1=1 --").is_err());
        assert!(attribute_path("a b").is_err());
        assert!(attribute_path("").is_err());
    }
}
