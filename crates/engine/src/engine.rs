//! `Engine`: the one object both shells hold. It owns the store, the ingestor, the price table, the
//! live hub and the configuration, and it is what every operation receives.

use crate::config::{ConfigError, EngineConfig};
use crate::error::{ErrorBody, ErrorCode, HasErrorCode};
use crate::ingest::{IngestError, Ingestor, SharedPrices};
use crate::pricing::{PriceTable, PricingError, computed_cost};
use crate::query::QueryError;
use crate::store::repricing::{RecomputeOutcome, reprice_usage};
use crate::store::{Store, StoreError, StoreOptions};
use crate::wire::live::LiveHub;
use chrono_tz::Tz;
use serde::Serialize;
use std::sync::{Arc, RwLock};

/// Every error an operation can return, each mapped to one `ErrorCode`.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Pricing(#[from] PricingError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Import(#[from] crate::importers::ImportError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error(transparent)]
    Dashboard(#[from] crate::dashboards::DashboardError),
    #[error(transparent)]
    Settings(#[from] crate::settings::SettingsError),
    #[error(transparent)]
    Retention(#[from] crate::retention::RetentionError),
    #[error(transparent)]
    Token(#[from] crate::team::TokenError),
    #[error(transparent)]
    Forward(#[from] crate::forward::ForwardError),
    #[error("{0}")]
    InvalidRequest(String),
}

impl HasErrorCode for EngineError {
    fn code(&self) -> ErrorCode {
        match self {
            EngineError::Query(error) => error.code(),
            EngineError::Store(error) => error.code(),
            EngineError::Ingest(error) => error.code(),
            EngineError::Pricing(error) => error.code(),
            EngineError::Config(error) => error.code(),
            EngineError::Import(error) => error.code(),
            EngineError::Export(error) => error.code(),
            EngineError::Dashboard(error) => error.code(),
            EngineError::Settings(error) => error.code(),
            EngineError::Retention(error) => error.code(),
            EngineError::Token(error) => error.code(),
            EngineError::Forward(error) => error.code(),
            EngineError::InvalidRequest(_) => ErrorCode::BadRequest,
        }
    }
}

impl Serialize for EngineError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ErrorBody::from_error(self).serialize(serializer)
    }
}

/// The ports actually bound (a configured port 0 becomes the port the OS picked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct Ports {
    pub api: u16,
    pub otlp_http: u16,
    pub otlp_grpc: u16,
}

struct EngineInner {
    config: EngineConfig,
    store: Store,
    ingestor: Ingestor,
    prices: SharedPrices,
    live: LiveHub,
    ports: RwLock<Ports>,
    imports: crate::importers::jobs::ImportJobs,
    /// The session files being read, shared by every import.
    file_locks: Arc<crate::importers::file_locks::FileLocks>,
    /// The time zone, read from the settings once and kept until they change.
    time_zone: RwLock<Option<Tz>>,
    /// Folders the user picked for exports in the desktop's native dialog.
    granted_export_folders: RwLock<Vec<std::path::PathBuf>>,
    /// The named API tokens in force (a team server's machines).
    tokens: crate::team::TokenRegistry,
    /// Where accepted OTLP requests are also sent (startup destinations and those of Settings).
    forwarder: Arc<crate::forward::Forwarder>,
}

#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Engine").field("database", &self.inner.config.database_path).finish_non_exhaustive()
    }
}

/// The store's pricer: the current table's computed cost and version.
fn pricer_of(prices: &SharedPrices) -> crate::store::Pricer {
    let prices = Arc::clone(prices);
    Arc::new(move |record| {
        let table = prices.read().map(|table| Arc::clone(&table)).unwrap_or_else(|poisoned| Arc::clone(&poisoned.into_inner()));
        (computed_cost(&table, record), table.version())
    })
}

impl Engine {
    /// Opens the store (creating and migrating it), loads prices, and recomputes stored costs when
    /// the price table changed since the last start.
    pub async fn open(config: EngineConfig) -> Result<Engine, EngineError> {
        let path = config.database_path.clone();
        let options = StoreOptions { resources: config.store_resources.clone(), ..StoreOptions::default() };
        let store =
            tokio::task::spawn_blocking(move || Store::open(&path, options)).await.map_err(|error| StoreError::Io(error.to_string()))??;
        let table = match &config.price_overrides_path {
            Some(path) => PriceTable::with_overrides_file(path)?,
            None => PriceTable::builtin()?,
        };
        let prices: SharedPrices = Arc::new(RwLock::new(Arc::new(table)));
        store.set_pricer(pricer_of(&prices));
        let live = LiveHub::default();
        let ingestor = Ingestor::new(store.clone(), Arc::clone(&prices), live.clone());
        let ports = Ports { api: config.api_port, otlp_http: config.otlp_http_port, otlp_grpc: config.otlp_grpc_port };
        let tokens = crate::team::TokenRegistry::load(store.clone()).await?;
        let forwarder = Arc::new(crate::forward::Forwarder::start(&config.forwarding, &config.database_path)?);
        forwarder.apply(&crate::forward::settings::load(&store).await?)?;
        let engine = Engine {
            inner: Arc::new(EngineInner {
                config,
                store,
                ingestor,
                prices,
                live,
                ports: RwLock::new(ports),
                imports: crate::importers::jobs::ImportJobs::default(),
                file_locks: Arc::default(),
                time_zone: RwLock::new(None),
                granted_export_folders: RwLock::new(Vec::new()),
                tokens,
                forwarder,
            }),
        };
        engine.recompute_prices(false).await?;
        engine.record_spooled_limits().await?;
        Ok(engine)
    }

    /// Records the status-line reports spooled while no app ran (`ingest::statusline_spool`),
    /// leaving out each state that repeats the one before it.
    async fn record_spooled_limits(&self) -> Result<(), EngineError> {
        let spooled = crate::ingest::statusline_spool::take(&self.inner.config.database_path);
        if spooled.is_empty() {
            return Ok(());
        }
        let known = crate::query::limits::latest(&self.inner.store).await?.limits;
        let mut last: Vec<crate::model::PlanLimit> = Vec::new();
        let mut changes = Vec::new();
        for state in spooled {
            let same_window = |other_tool, other_window| other_tool == state.tool && other_window == state.window;
            let repeats = match last.iter().find(|previous| same_window(previous.tool, previous.window)) {
                Some(previous) => previous.same_reading(&state),
                None => known.iter().any(|seen| same_window(seen.tool, seen.window) && seen.same_as(&state)),
            };
            last.retain(|previous| !same_window(previous.tool, previous.window));
            last.push(state.clone());
            if !repeats {
                changes.push(state);
            }
        }
        tracing::info!(states = changes.len(), "recorded status-line limits spooled while no app ran");
        self.inner.store.write(crate::store::WriteBatch { limits: changes, ..crate::store::WriteBatch::default() }).await?;
        Ok(())
    }

    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Hands back memory kept only for speed, for a moment of idleness (the store's cached blocks,
    /// `Store::release_buffers`). Called by the shells' idle release (`cold_pages::release_when_idle`).
    pub async fn release_idle_memory(&self) {
        if let Err(error) = self.inner.store.release_buffers().await {
            tracing::debug!(error = %error, "buffers not released");
        }
    }

    /// The named API tokens: who may send, and as which machine.
    pub fn tokens(&self) -> &crate::team::TokenRegistry {
        &self.inner.tokens
    }

    /// Whether accepted OTLP requests are forwarded (the receivers keep a copy only then).
    pub fn forwards(&self) -> bool {
        self.inner.forwarder.is_active()
    }

    /// Queues an accepted (acknowledged) request for the forwarding destinations.
    pub fn forward(&self, request: crate::otlp::ExportRequest) {
        self.inner.forwarder.enqueue(request);
    }

    /// `/api/forwarding`: each destination's queue and delivery.
    pub fn forwarding_status(&self) -> crate::forward::ForwardingStatus {
        self.inner.forwarder.status()
    }

    /// `PUT /api/forwarding`: stores the destinations added in the app and puts them in force at once.
    pub async fn update_forwarding(
        &self,
        update: crate::forward::settings::ForwardingUpdate,
    ) -> Result<crate::forward::ForwardingStatus, EngineError> {
        let settings = crate::forward::settings::save(self.store(), update).await?;
        self.inner.forwarder.apply(&settings)?;
        Ok(self.forwarding_status())
    }

    pub fn ingestor(&self) -> &Ingestor {
        &self.inner.ingestor
    }

    pub fn live(&self) -> &LiveHub {
        &self.inner.live
    }

    pub fn imports(&self) -> &crate::importers::jobs::ImportJobs {
        &self.inner.imports
    }

    pub fn prices(&self) -> Arc<PriceTable> {
        self.inner.ingestor.current_prices()
    }

    /// Replaces the price table (after the override file changed).
    pub fn set_prices(&self, table: PriceTable) {
        if let Ok(mut prices) = self.inner.prices.write() {
            *prices = Arc::new(table);
        }
    }

    pub fn ports(&self) -> Ports {
        self.inner.ports.read().map(|ports| *ports).unwrap_or(Ports { api: 0, otlp_http: 0, otlp_grpc: 0 })
    }

    pub fn set_ports(&self, ports: Ports) {
        if let Ok(mut current) = self.inner.ports.write() {
            *current = ports;
        }
    }

    /// The time zone for days and budgets: the user's setting, else the configured default, else
    /// the machine's, else UTC.
    pub async fn time_zone(&self) -> Tz {
        if let Some(tz) = self.inner.time_zone.read().ok().and_then(|cached| *cached) {
            return tz;
        }
        let stored = crate::settings::load(self.store()).await.ok().and_then(|settings| settings.time_zone);
        let tz = stored
            .or_else(|| self.config().default_time_zone.clone())
            .or_else(|| iana_time_zone::get_timezone().ok())
            .and_then(|name| name.parse::<Tz>().ok())
            .unwrap_or(chrono_tz::UTC);
        if let Ok(mut cached) = self.inner.time_zone.write() {
            *cached = Some(tz);
        }
        tz
    }

    /// Forgets the cached time zone (the settings changed).
    pub fn settings_changed(&self) {
        if let Ok(mut cached) = self.inner.time_zone.write() {
            *cached = None;
        }
    }

    /// Where exports through the API may write: the folder named in Settings, else the configured
    /// default (`EngineConfig::default_export_root`).
    pub async fn export_root(&self) -> std::path::PathBuf {
        let stored = crate::settings::load(self.store()).await.ok().and_then(|settings| settings.export_root);
        stored.map(std::path::PathBuf::from).unwrap_or_else(|| self.config().default_export_root())
    }

    /// Lets API exports write into a folder the user chose in a native dialog (desktop only).
    pub fn grant_export_folder(&self, folder: std::path::PathBuf) {
        if let Ok(mut granted) = self.inner.granted_export_folders.write()
            && !granted.contains(&folder)
        {
            granted.push(folder);
        }
    }

    pub fn granted_export_folders(&self) -> Vec<std::path::PathBuf> {
        self.inner.granted_export_folders.read().map(|granted| granted.clone()).unwrap_or_default()
    }

    /// Re-prices stored usage priced by another table version (every record when `all`).
    pub async fn recompute_prices(&self, all: bool) -> Result<RecomputeOutcome, EngineError> {
        let table = self.prices();
        let outcome = self
            .store()
            .with_writer(move |connection| reprice_usage(connection, &table.version(), all, |record| computed_cost(&table, record)))
            .await?;
        if outcome.records > 0 {
            tracing::info!(records = outcome.records, unpriced = outcome.unpriced, "recomputed stored costs");
        }
        Ok(outcome)
    }

    /// What an importer needs: the store, today's prices and the live channel.
    pub fn import_context(&self) -> crate::importers::ImportContext {
        crate::importers::ImportContext {
            store: self.store().clone(),
            prices: self.prices(),
            live: self.live().clone(),
            file_locks: Arc::clone(&self.inner.file_locks),
            forwarder: Some(Arc::clone(&self.inner.forwarder)),
        }
    }

    /// Commits what is queued and stops the writer.
    pub async fn shutdown(&self) {
        self.inner.forwarder.stop();
        self.inner.imports.cancel_all();
        self.inner.store.shutdown().await;
    }
}
