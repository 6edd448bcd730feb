//! Engine configuration: ports, listen address, database path, limits and security settings, read
//! from the `AI_OBSERVER_*` environment variables (the original's names) with safe defaults.
//!
//! Both shells build an `EngineConfig`: the CLI from flags and environment, the desktop app from its
//! saved settings with the environment winning.

use crate::error::{ErrorCode, HasErrorCode};
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

pub const DEFAULT_API_PORT: u16 = 8080;
pub const DEFAULT_OTLP_HTTP_PORT: u16 = 4318;
pub const DEFAULT_OTLP_GRPC_PORT: u16 = 4317;
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid {name}={value:?}: {reason}")]
    InvalidVariable { name: String, value: String, reason: String },
    #[error(
        "listening on {0} exposes AI Observer beyond this machine: set a token (AI_OBSERVER_TOKEN) so remote clients must authenticate"
    )]
    TokenRequired(IpAddr),
    #[error("requiring a token from every caller (AI_OBSERVER_REQUIRE_TOKEN) needs the server's own token: set AI_OBSERVER_TOKEN")]
    AdminTokenRequired,
    #[error("no data directory found for the default database; set AI_OBSERVER_DATABASE_PATH")]
    NoDataDirectory,
}

impl HasErrorCode for ConfigError {
    fn code(&self) -> ErrorCode {
        ErrorCode::BadRequest
    }
}

#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub database_path: PathBuf,
    pub listen: IpAddr,
    pub api_port: u16,
    pub otlp_http_port: u16,
    pub otlp_grpc_port: u16,
    /// Largest OTLP request body accepted, after decompression.
    pub max_body_bytes: usize,
    /// Host names (besides loopback names) that requests may address, e.g. the machine's LAN name.
    pub allowed_hosts: Vec<String>,
    /// Browser origins (besides the app's own) allowed by CORS and on the WebSocket.
    pub allowed_origins: Vec<String>,
    /// Bearer token that requests from other machines must send.
    pub auth_token: Option<String>,
    /// Every request must carry a token, from loopback too (`AI_OBSERVER_REQUIRE_TOKEN`,
    /// `serve --require-token`): for a team server behind a reverse proxy on the same machine,
    /// where every request arrives from loopback. Needs `auth_token`.
    pub require_token: bool,
    /// IANA time zone for days and budgets when the user set none; default the machine's.
    pub default_time_zone: Option<String>,
    /// The user's price overrides.
    pub price_overrides_path: Option<PathBuf>,
    /// Start the gRPC receiver.
    pub grpc_enabled: bool,
    /// Where exports asked for through the API may write; default `exports/` beside the database.
    pub export_root: Option<PathBuf>,
    /// DuckDB's memory limit and worker threads (`AI_OBSERVER_MEMORY_LIMIT`, `AI_OBSERVER_THREADS`).
    pub store_resources: crate::store::resources::StoreResources,
    /// Where accepted OTLP requests are also sent (`forward`); none by default.
    pub forwarding: ForwardingConfig,
    /// Serve every listener over TLS with this certificate and key (`AI_OBSERVER_TLS_CERT`,
    /// `AI_OBSERVER_TLS_KEY`, `serve --tls-cert/--tls-key`); plain HTTP without.
    pub tls: Option<TlsFiles>,
}

/// PEM files: the certificate chain (leaf first) and its private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsFiles {
    /// Both files or neither; one alone is a mistake worth saying.
    pub fn from_pair(cert: Option<PathBuf>, key: Option<PathBuf>) -> Result<Option<TlsFiles>, ConfigError> {
        match (cert, key) {
            (Some(cert), Some(key)) => Ok(Some(TlsFiles { cert, key })),
            (None, None) => Ok(None),
            (cert, _) => Err(ConfigError::InvalidVariable {
                name: if cert.is_some() { "AI_OBSERVER_TLS_KEY".into() } else { "AI_OBSERVER_TLS_CERT".into() },
                value: String::new(),
                reason: "TLS needs both a certificate and its key".to_owned(),
            }),
        }
    }
}

/// One OTLP/HTTP destination: a base URL (`/v1/<signal>` is appended, as OTLP exporters do) and
/// the headers sent with every request (e.g. `Authorization=Bearer …`).
/// How a destination receives forwarded requests, named as `OTEL_EXPORTER_OTLP_PROTOCOL` names them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export, export_to = "types.gen.ts")]
pub enum ForwardProtocol {
    /// `POST <url>/v1/<signal>` with a protobuf body.
    #[default]
    #[serde(rename = "http/protobuf")]
    HttpProtobuf,
    /// The OTLP gRPC services at `<url>` (`http://` plain, `https://` TLS).
    #[serde(rename = "grpc")]
    Grpc,
}

impl ForwardProtocol {
    pub fn parse(text: &str) -> Option<ForwardProtocol> {
        match text.trim().to_ascii_lowercase().as_str() {
            "http/protobuf" | "http" => Some(ForwardProtocol::HttpProtobuf),
            "grpc" => Some(ForwardProtocol::Grpc),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardDestination {
    pub url: String,
    pub protocol: ForwardProtocol,
    pub headers: Vec<(String, String)>,
}

impl ForwardDestination {
    /// An OTLP/HTTP destination.
    pub fn http(url: impl Into<String>, headers: Vec<(String, String)>) -> ForwardDestination {
        ForwardDestination { url: url.into(), protocol: ForwardProtocol::HttpProtobuf, headers }
    }

    /// An OTLP/gRPC destination.
    pub fn grpc(url: impl Into<String>, headers: Vec<(String, String)>) -> ForwardDestination {
        ForwardDestination { url: url.into(), protocol: ForwardProtocol::Grpc, headers }
    }
}

/// Forwarding: `AI_OBSERVER_FORWARD_URL` (comma-separated base URLs), `AI_OBSERVER_FORWARD_PROTOCOL`
/// (`http/protobuf`, the default, or `grpc`), `AI_OBSERVER_FORWARD_HEADERS`
/// (`key=value` pairs separated by commas, as `OTEL_EXPORTER_OTLP_HEADERS`), `AI_OBSERVER_FORWARD_CONTENT`
/// (`redacted`, the default: prompt text and other content removed; or `full`) and
/// `AI_OBSERVER_FORWARD_QUEUE_MB` (the disk queue's bound per destination, default 256).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardingConfig {
    pub destinations: Vec<ForwardDestination>,
    pub full_content: bool,
    pub queue_limit_bytes: u64,
    /// A PEM file of certificates to trust besides the system's, for a destination with a private CA
    /// or a self-signed certificate (`AI_OBSERVER_FORWARD_CA`).
    pub ca_file: Option<PathBuf>,
}

/// The disk queue's bound per destination unless configured.
pub const DEFAULT_FORWARD_QUEUE_BYTES: u64 = 256 * 1024 * 1024;

impl Default for ForwardingConfig {
    fn default() -> ForwardingConfig {
        ForwardingConfig { destinations: Vec::new(), full_content: false, queue_limit_bytes: DEFAULT_FORWARD_QUEUE_BYTES, ca_file: None }
    }
}

impl ForwardingConfig {
    /// Destinations from a comma-separated URL list, each with the same protocol and headers.
    pub fn destinations_from(
        urls: &str,
        protocol: ForwardProtocol,
        headers: &[(String, String)],
    ) -> Result<Vec<ForwardDestination>, ConfigError> {
        urls.split(',')
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .map(|url| {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(ConfigError::InvalidVariable {
                        name: "AI_OBSERVER_FORWARD_URL".into(),
                        value: url.to_owned(),
                        reason: "expected an http:// or https:// base URL".to_owned(),
                    });
                }
                Ok(ForwardDestination { url: url.trim_end_matches('/').to_owned(), protocol, headers: headers.to_vec() })
            })
            .collect()
    }

    /// `key=value,key=value` (values may hold `=`; keys and values are trimmed).
    pub fn headers_from(text: &str) -> Result<Vec<(String, String)>, ConfigError> {
        text.split(',')
            .map(str::trim)
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_owned(), value.trim().to_owned())),
                _ => Err(ConfigError::InvalidVariable {
                    name: "AI_OBSERVER_FORWARD_HEADERS".into(),
                    value: pair.split('=').next().unwrap_or_default().to_owned(),
                    reason: "expected key=value pairs separated by commas".to_owned(),
                }),
            })
            .collect()
    }
}

/// `<data_dir>/ai-observer/ai-observer.duckdb`, e.g. `~/.local/share/ai-observer/ai-observer.duckdb`.
/// The log filter both shells use: `RUST_LOG` when set, else `AI_OBSERVER_LOG_LEVEL` (DEBUG, INFO,
/// WARN or WARNING, ERROR; default INFO) with the HTTP libraries kept at WARN.
pub fn log_filter_directives() -> String {
    if let Ok(directives) = std::env::var("RUST_LOG") {
        return directives;
    }
    let level = match std::env::var("AI_OBSERVER_LOG_LEVEL").map(|level| level.to_ascii_lowercase()) {
        Ok(level) if level == "warning" => "warn".to_owned(),
        Ok(level) if !level.is_empty() => level,
        _ => "info".to_owned(),
    };
    format!("{level},tower_http=warn,h2=warn,hyper=warn")
}

pub fn default_database_path() -> Result<PathBuf, ConfigError> {
    Ok(dirs::data_dir().ok_or(ConfigError::NoDataDirectory)?.join("ai-observer").join("ai-observer.duckdb"))
}

/// `<config_dir>/ai-observer/prices.toml`.
pub fn default_price_overrides_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("ai-observer").join("prices.toml"))
}

impl EngineConfig {
    /// Defaults for a database at `database_path`: loopback, the standard ports.
    pub fn with_database(database_path: PathBuf) -> EngineConfig {
        EngineConfig {
            database_path,
            listen: IpAddr::V4(Ipv4Addr::LOCALHOST),
            api_port: DEFAULT_API_PORT,
            otlp_http_port: DEFAULT_OTLP_HTTP_PORT,
            otlp_grpc_port: DEFAULT_OTLP_GRPC_PORT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            auth_token: None,
            require_token: false,
            default_time_zone: None,
            price_overrides_path: default_price_overrides_path(),
            grpc_enabled: true,
            export_root: None,
            store_resources: crate::store::resources::StoreResources::default(),
            forwarding: ForwardingConfig::default(),
            tls: None,
        }
    }

    /// The export root when Settings name none: the configured one, else `exports/` beside the
    /// database (in the user's data directory for the default database).
    pub fn default_export_root(&self) -> PathBuf {
        self.export_root.clone().unwrap_or_else(|| {
            self.database_path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(std::path::Path::new(".")).join("exports")
        })
    }

    /// Defaults overridden by the `AI_OBSERVER_*` environment variables.
    pub fn from_env() -> Result<EngineConfig, ConfigError> {
        let database_path = match env("AI_OBSERVER_DATABASE_PATH") {
            Some(path) => PathBuf::from(path),
            None => default_database_path()?,
        };
        let mut config = EngineConfig::with_database(database_path);
        config.apply_env()?;
        Ok(config)
    }

    /// Applies the environment on top of this configuration (the environment wins).
    pub fn apply_env(&mut self) -> Result<(), ConfigError> {
        if let Some(path) = env("AI_OBSERVER_DATABASE_PATH") {
            self.database_path = PathBuf::from(path);
        }
        if let Some(value) = env("AI_OBSERVER_API_PORT") {
            self.api_port = parse_port("AI_OBSERVER_API_PORT", &value)?;
        }
        if let Some(value) = env("AI_OBSERVER_OTLP_PORT") {
            self.otlp_http_port = parse_port("AI_OBSERVER_OTLP_PORT", &value)?;
        }
        if let Some(value) = env("AI_OBSERVER_GRPC_PORT") {
            self.otlp_grpc_port = parse_port("AI_OBSERVER_GRPC_PORT", &value)?;
        }
        if let Some(value) = env("AI_OBSERVER_LISTEN") {
            self.listen = value.parse().map_err(|_| ConfigError::InvalidVariable {
                name: "AI_OBSERVER_LISTEN".into(),
                value: value.clone(),
                reason: "expected an IP address such as 127.0.0.1 or 0.0.0.0".into(),
            })?;
        }
        if let Some(value) = env("AI_OBSERVER_MAX_BODY_BYTES") {
            self.max_body_bytes = value.parse().ok().filter(|bytes: &usize| *bytes > 0).ok_or_else(|| ConfigError::InvalidVariable {
                name: "AI_OBSERVER_MAX_BODY_BYTES".into(),
                value: value.clone(),
                reason: "expected a positive number of bytes".into(),
            })?;
        }
        if let Some(value) = env("AI_OBSERVER_ALLOWED_HOSTS") {
            self.allowed_hosts = comma_list(&value);
        }
        if let Some(value) = env("AI_OBSERVER_FRONTEND_URL") {
            self.allowed_origins.extend(comma_list(&value));
        }
        if let Some(value) = env("AI_OBSERVER_TOKEN") {
            self.auth_token = Some(value);
        }
        if let Some(value) = env("AI_OBSERVER_REQUIRE_TOKEN") {
            self.require_token = !matches!(value.to_ascii_lowercase().as_str(), "0" | "false" | "off" | "no");
        }
        if let Some(value) = env("AI_OBSERVER_TIME_ZONE").or_else(|| env("TZ").filter(|tz| tz.contains('/'))) {
            self.default_time_zone = Some(value);
        }
        if let Some(value) = env("AI_OBSERVER_PRICES_PATH") {
            self.price_overrides_path = Some(PathBuf::from(value));
        }
        if let Some(value) = env("AI_OBSERVER_EXPORT_ROOT") {
            self.export_root = Some(PathBuf::from(value));
        }
        if let Some(value) = env("AI_OBSERVER_GRPC") {
            self.grpc_enabled = !matches!(value.to_ascii_lowercase().as_str(), "0" | "false" | "off" | "no");
        }
        if let Some(value) = env("AI_OBSERVER_MEMORY_LIMIT") {
            if !crate::store::resources::is_memory_size(&value) {
                return Err(ConfigError::InvalidVariable {
                    name: "AI_OBSERVER_MEMORY_LIMIT".into(),
                    value,
                    reason: "expected a size such as 512MB or 2GB".to_owned(),
                });
            }
            self.store_resources.memory_limit = value;
        }
        let headers = match env("AI_OBSERVER_FORWARD_HEADERS") {
            Some(value) => ForwardingConfig::headers_from(&value)?,
            None => Vec::new(),
        };
        let protocol = match env("AI_OBSERVER_FORWARD_PROTOCOL") {
            Some(value) => ForwardProtocol::parse(&value).ok_or_else(|| ConfigError::InvalidVariable {
                name: "AI_OBSERVER_FORWARD_PROTOCOL".into(),
                value: value.clone(),
                reason: "expected http/protobuf or grpc".to_owned(),
            })?,
            None => ForwardProtocol::HttpProtobuf,
        };
        if let Some(value) = env("AI_OBSERVER_FORWARD_URL") {
            self.forwarding.destinations = ForwardingConfig::destinations_from(&value, protocol, &headers)?;
        }
        if let Some(value) = env("AI_OBSERVER_FORWARD_CONTENT") {
            self.forwarding.full_content = match value.to_ascii_lowercase().as_str() {
                "full" => true,
                "redacted" => false,
                _ => {
                    return Err(ConfigError::InvalidVariable {
                        name: "AI_OBSERVER_FORWARD_CONTENT".into(),
                        value,
                        reason: "expected redacted or full".to_owned(),
                    });
                }
            };
        }
        if let Some(value) = env("AI_OBSERVER_FORWARD_CA") {
            self.forwarding.ca_file = Some(PathBuf::from(value));
        }
        let (cert, key) = (env("AI_OBSERVER_TLS_CERT").map(PathBuf::from), env("AI_OBSERVER_TLS_KEY").map(PathBuf::from));
        if cert.is_some() || key.is_some() {
            self.tls = TlsFiles::from_pair(cert, key)?;
        }
        if let Some(value) = env("AI_OBSERVER_FORWARD_QUEUE_MB") {
            let megabytes = value.parse::<u64>().ok().filter(|megabytes| *megabytes > 0).ok_or_else(|| ConfigError::InvalidVariable {
                name: "AI_OBSERVER_FORWARD_QUEUE_MB".into(),
                value: value.clone(),
                reason: "expected a number of megabytes, 1 or more".to_owned(),
            })?;
            self.forwarding.queue_limit_bytes = megabytes * 1024 * 1024;
        }
        if let Some(value) = env("AI_OBSERVER_THREADS") {
            self.store_resources.threads =
                value.parse::<usize>().ok().filter(|threads| *threads > 0).ok_or_else(|| ConfigError::InvalidVariable {
                    name: "AI_OBSERVER_THREADS".into(),
                    value: value.clone(),
                    reason: "expected a number of threads, 1 or more".to_owned(),
                })?;
        }
        Ok(())
    }

    /// Refuses configurations that would expose the receiver without authentication.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.listen.is_loopback() && self.auth_token.as_deref().is_none_or(str::is_empty) {
            return Err(ConfigError::TokenRequired(self.listen));
        }
        if self.require_token && self.auth_token.as_deref().is_none_or(str::is_empty) {
            return Err(ConfigError::AdminTokenRequired);
        }
        Ok(())
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
}

fn parse_port(name: &str, value: &str) -> Result<u16, ConfigError> {
    value.parse::<u16>().map_err(|_| ConfigError::InvalidVariable {
        name: name.to_owned(),
        value: value.to_owned(),
        reason: "expected a port number (0 picks a free port)".to_owned(),
    })
}

fn comma_list(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_owned).collect()
}
