//! How much of the machine DuckDB may take: its buffer pool (`memory_limit`) and worker threads.
//! DuckDB's own defaults (80 % of the RAM, every core) suit an analytics server, not an app that
//! sits in the tray all day; the limits here are set on every connection the store opens and can
//! be changed with `AI_OBSERVER_MEMORY_LIMIT` (e.g. `512MB`, `2GB`) and `AI_OBSERVER_THREADS`.

use duckdb::Connection;

/// The buffer pool unless configured: enough for the Overview's queries over years of history.
pub const DEFAULT_MEMORY_LIMIT: &str = "512MB";

/// The most worker threads unless configured (fewer on smaller machines).
pub const DEFAULT_MAX_THREADS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreResources {
    /// A DuckDB size: a number and a unit (`512MB`, `1.5GB`, `300MiB`).
    pub memory_limit: String,
    pub threads: usize,
}

impl Default for StoreResources {
    fn default() -> StoreResources {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        StoreResources { memory_limit: DEFAULT_MEMORY_LIMIT.to_owned(), threads: cores.clamp(1, DEFAULT_MAX_THREADS) }
    }
}

/// Whether `text` is a size DuckDB reads: digits (a decimal point allowed), then an optional unit.
pub fn is_memory_size(text: &str) -> bool {
    memory_size_bytes(text).is_some()
}

/// The bytes a size DuckDB reads stands for (`512MB` is 512 000 000, `1GiB` 1 073 741 824).
pub fn memory_size_bytes(text: &str) -> Option<f64> {
    let text = text.trim();
    let number_end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(number_end);
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    number.parse::<f64>().ok().filter(|value| *value > 0.0).map(|value| value * scale)
}

/// The smaller of two sizes DuckDB reads (the first when either cannot be read).
pub fn smaller_memory_size<'a>(first: &'a str, second: &'a str) -> &'a str {
    match (memory_size_bytes(first), memory_size_bytes(second)) {
        (Some(a), Some(b)) if b < a => second,
        _ => first,
    }
}

impl StoreResources {
    /// Sets the limits on `connection` (they hold for the whole database instance).
    pub fn apply(&self, connection: &Connection) -> Result<(), duckdb::Error> {
        connection.execute_batch(&format!("SET memory_limit = '{}'; SET threads = {};", self.checked_memory_limit(), self.threads.max(1)))
    }

    /// The memory limit as it goes into SQL text: checked by the configuration, checked again here.
    pub fn checked_memory_limit(&self) -> &str {
        if is_memory_size(&self.memory_limit) { self.memory_limit.trim() } else { DEFAULT_MEMORY_LIMIT }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_duckdb_reads_and_nothing_else() {
        for good in ["512MB", "1.5GB", "300 MiB", "2gb", "1000000"] {
            assert!(is_memory_size(good), "{good}");
        }
        for bad in ["", "MB", "-1GB", "0MB", "1GB'; DROP TABLE x; --", "lots"] {
            assert!(!is_memory_size(bad), "{bad}");
        }
    }

    #[test]
    fn sizes_compare_by_their_bytes() {
        assert_eq!(memory_size_bytes("512MB"), Some(512e6));
        assert_eq!(memory_size_bytes("1.5 GiB"), Some(1.5 * 1024.0 * 1024.0 * 1024.0));
        assert_eq!(smaller_memory_size("512MB", "128MB"), "128MB");
        assert_eq!(smaller_memory_size("100MiB", "128MB"), "100MiB");
        assert_eq!(smaller_memory_size("2GB", "lots"), "2GB");
    }

    #[test]
    fn the_limits_reach_duckdb() {
        let connection = Connection::open_in_memory().unwrap();
        StoreResources { memory_limit: "300MB".to_owned(), threads: 2 }.apply(&connection).unwrap();
        let (limit, threads): (String, i64) = connection
            .query_row("SELECT current_setting('memory_limit'), current_setting('threads')", [], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        assert_eq!((limit.as_str(), threads), ("286.1 MiB", 2));
    }
}
