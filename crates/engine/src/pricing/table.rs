//! The price table: built-in models from the embedded `prices.json`, user overrides on top.

use super::lookup::{candidate_names, normalize_model_name};
use crate::error::{ErrorCode, HasErrorCode};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

const BUILTIN_PRICES: &str = include_str!("prices.json");

#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    #[error("cannot read price overrides {path}: {message}")]
    ReadOverrides { path: String, message: String },
    #[error("invalid price overrides {path}: {message}")]
    InvalidOverrides { path: String, message: String },
    #[error("invalid built-in price table: {0}")]
    InvalidBuiltin(String),
}

impl HasErrorCode for PricingError {
    fn code(&self) -> ErrorCode {
        match self {
            PricingError::InvalidBuiltin(_) => ErrorCode::Internal,
            _ => ErrorCode::BadRequest,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    Anthropic,
    Openai,
    Google,
}

/// Where a model's price comes from: the embedded table or the user's overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum PriceSource {
    Builtin,
    Override,
}

impl std::fmt::Display for PriceSource {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.pad(match self {
            PriceSource::Builtin => "builtin",
            PriceSource::Override => "override",
        })
    }
}

/// Rates in USD per million tokens.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LongContextPrice {
    pub threshold_input_tokens: i64,
    pub input: f64,
    pub output: f64,
    #[serde(default)]
    pub cache_read: Option<f64>,
    #[serde(default)]
    pub cache_write5m: Option<f64>,
    #[serde(default)]
    pub cache_write1h: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelPrice {
    #[serde(skip_deserializing)]
    pub model: String,
    pub vendor: Vendor,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub input: f64,
    pub output: f64,
    #[serde(default)]
    pub cache_read: Option<f64>,
    #[serde(default)]
    pub cache_write5m: Option<f64>,
    #[serde(default)]
    pub cache_write1h: Option<f64>,
    #[serde(default)]
    pub long_context: Option<LongContextPrice>,
    #[serde(default)]
    pub fast_multiplier: Option<f64>,
    #[serde(skip_deserializing, default = "builtin_source")]
    pub origin: PriceSource,
}

fn builtin_source() -> PriceSource {
    PriceSource::Builtin
}

#[derive(Debug, Deserialize)]
struct PriceFile {
    version: String,
    date: String,
    models: BTreeMap<String, ModelPrice>,
}

/// The user's override file (`prices.toml`): `[models."<id>"]` tables with the same fields.
#[derive(Debug, Deserialize)]
struct OverrideFile {
    #[serde(default)]
    models: BTreeMap<String, ModelPrice>,
}

#[derive(Debug, Clone)]
pub struct PriceTable {
    version: String,
    date: String,
    overrides_fingerprint: Option<String>,
    models: BTreeMap<String, Arc<ModelPrice>>,
    index: HashMap<String, Arc<ModelPrice>>,
}

impl PriceTable {
    /// The table compiled into this build.
    pub fn builtin() -> Result<PriceTable, PricingError> {
        let file: PriceFile = serde_json::from_str(BUILTIN_PRICES).map_err(|error| PricingError::InvalidBuiltin(error.to_string()))?;
        let mut table = PriceTable {
            version: file.version,
            date: file.date,
            overrides_fingerprint: None,
            models: BTreeMap::new(),
            index: HashMap::new(),
        };
        for (model, mut price) in file.models {
            price.model = model.clone();
            price.origin = PriceSource::Builtin;
            table.models.insert(model, Arc::new(price));
        }
        table.rebuild_index();
        Ok(table)
    }

    /// The built-in table with the overrides in `path` applied (a missing file means no overrides).
    pub fn with_overrides_file(path: &Path) -> Result<PriceTable, PricingError> {
        let mut table = PriceTable::builtin()?;
        match std::fs::read_to_string(path) {
            Ok(text) => table.apply_overrides(&text, &path.display().to_string())?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(PricingError::ReadOverrides { path: path.display().to_string(), message: error.to_string() }),
        }
        Ok(table)
    }

    /// Adds or replaces models from override TOML text.
    pub fn apply_overrides(&mut self, text: &str, origin: &str) -> Result<(), PricingError> {
        let file: OverrideFile =
            toml::from_str(text).map_err(|error| PricingError::InvalidOverrides { path: origin.to_owned(), message: error.to_string() })?;
        for (model, mut price) in file.models {
            let key = normalize_model_name(&model);
            price.model = key.clone();
            price.origin = PriceSource::Override;
            price.aliases = price.aliases.iter().map(|alias| normalize_model_name(alias)).collect();
            self.models.insert(key, Arc::new(price));
        }
        self.overrides_fingerprint = Some(format!("{:016x}", fingerprint(text)));
        self.rebuild_index();
        Ok(())
    }

    fn rebuild_index(&mut self) {
        self.index.clear();
        // Aliases first, canonical names last, overrides after built-ins: the most specific wins.
        for price in self.models.values() {
            for alias in &price.aliases {
                self.index.insert(normalize_model_name(alias), Arc::clone(price));
            }
        }
        for (model, price) in &self.models {
            self.index.insert(normalize_model_name(model), Arc::clone(price));
        }
        for price in self.models.values().filter(|price| price.origin == PriceSource::Override) {
            for alias in &price.aliases {
                self.index.insert(alias.clone(), Arc::clone(price));
            }
            self.index.insert(price.model.clone(), Arc::clone(price));
        }
    }

    /// The version stored beside every computed cost: the built-in version plus the overrides'
    /// fingerprint, so a change of either triggers a recompute.
    pub fn version(&self) -> String {
        match &self.overrides_fingerprint {
            Some(fingerprint) => format!("{}+{}", self.version, fingerprint),
            None => self.version.clone(),
        }
    }

    pub fn date(&self) -> &str {
        &self.date
    }

    pub fn models(&self) -> impl Iterator<Item = &ModelPrice> {
        self.models.values().map(Arc::as_ref)
    }

    /// Finds the price of a model name as a tool reports it (`claude-opus-4-8[1m]`,
    /// `models/gemini-2.5-pro`, `anthropic/claude-sonnet-4-5-20250929`, …).
    pub fn lookup(&self, model: &str) -> Option<&ModelPrice> {
        // The normalised name, the first candidate, is nearly always the one found (every usage
        // record is priced): the other spellings are built only when it is not.
        if let Some(price) = self.index.get(&normalize_model_name(model)) {
            return Some(price);
        }
        candidate_names(model).iter().find_map(|candidate| self.index.get(candidate)).map(Arc::as_ref)
    }
}

/// FNV-1a, enough to notice that an override file changed.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}
