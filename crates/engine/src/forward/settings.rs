//! Forwarding destinations the user adds in the app (Settings, `PUT /api/forwarding`), kept in the
//! `settings` table beside those the app was started with (environment, `serve` flags), and the
//! content switch. Header values are stored (they are needed to send) but never reported back:
//! the status lists header names only, and an update without `headers` keeps the stored ones.

use crate::config::{ForwardDestination, ForwardProtocol};
use crate::settings::SettingsError;
use crate::store::{Store, StoreError};
use duckdb::OptionalExt;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const KEY_DESTINATIONS: &str = "forward_destinations";
const KEY_FULL_CONTENT: &str = "forward_full_content";
/// More destinations than anyone fans out to by hand; each has its own queue and sender.
const MAX_DESTINATIONS: usize = 16;

/// What Settings holds for forwarding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForwardingSettings {
    pub destinations: Vec<ForwardDestination>,
    /// `None`: as the app was started (`AI_OBSERVER_FORWARD_CONTENT`, `--forward-full-content`).
    pub full_content: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct ForwardHeader {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DestinationUpdate {
    /// The base URL: `http(s)://host:4318` for OTLP/HTTP, `http(s)://host:4317` for gRPC.
    pub url: String,
    /// Absent: `http/protobuf`.
    #[serde(default)]
    #[ts(as = "Option<ForwardProtocol>", optional)]
    pub protocol: ForwardProtocol,
    /// Absent: keep the headers stored for this URL (values are never sent back to the UI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub headers: Option<Vec<ForwardHeader>>,
}

/// `PUT /api/forwarding`: the destinations added in the app (the whole list) and the content switch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ForwardingUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub destinations: Option<Vec<DestinationUpdate>>,
    /// True: prompt text, model output and tool content are forwarded too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub full_content: Option<bool>,
}

#[derive(Serialize, Deserialize)]
struct StoredDestination {
    url: String,
    protocol: ForwardProtocol,
    headers: Vec<(String, String)>,
}

fn invalid(message: String) -> SettingsError {
    SettingsError::Invalid(message)
}

/// The normalised base URL, or why it cannot be one.
fn base_url(text: &str) -> Result<String, SettingsError> {
    let trimmed = text.trim().trim_end_matches('/');
    let parsed = url::Url::parse(trimmed).map_err(|error| invalid(format!("destination {trimmed:?} is not a URL: {error}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(format!("destination {trimmed:?} must be an http:// or https:// URL with a host")));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("put credentials in a header (Authorization=…), not in the URL".to_owned()));
    }
    Ok(trimmed.to_owned())
}

fn header(header: &ForwardHeader) -> Result<(String, String), SettingsError> {
    let name = header.name.trim();
    reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid(format!("{name:?} is not a header name")))?;
    reqwest::header::HeaderValue::from_str(header.value.trim())
        .map_err(|_| invalid(format!("the value of {name} is not a header value")))?;
    Ok((name.to_owned(), header.value.trim().to_owned()))
}

/// The destinations of `update`, with the stored headers kept where the update leaves them out.
fn merged(update: Vec<DestinationUpdate>, stored: &[ForwardDestination]) -> Result<Vec<ForwardDestination>, SettingsError> {
    if update.len() > MAX_DESTINATIONS {
        return Err(invalid(format!("at most {MAX_DESTINATIONS} destinations")));
    }
    let mut destinations: Vec<ForwardDestination> = Vec::new();
    for destination in update {
        let url = base_url(&destination.url)?;
        if destinations.iter().any(|known| known.url == url && known.protocol == destination.protocol) {
            return Err(invalid(format!("destination {url} is listed twice")));
        }
        let headers = match destination.headers {
            Some(headers) => headers.iter().map(header).collect::<Result<Vec<_>, _>>()?,
            None => stored
                .iter()
                .find(|known| known.url == url && known.protocol == destination.protocol)
                .map(|known| known.headers.clone())
                .unwrap_or_default(),
        };
        destinations.push(ForwardDestination { url, protocol: destination.protocol, headers });
    }
    Ok(destinations)
}

pub async fn load(store: &Store) -> Result<ForwardingSettings, SettingsError> {
    Ok(store
        .read(|connection| {
            let read = |key: &str| -> Result<Option<String>, StoreError> {
                Ok(connection.query_row("SELECT value FROM settings WHERE key = ?", [key], |row| row.get::<_, String>(0)).optional()?)
            };
            let destinations = match read(KEY_DESTINATIONS)? {
                Some(json) => serde_json::from_str::<Vec<StoredDestination>>(&json)
                    .map_err(|error| StoreError::Io(format!("the stored forwarding destinations are unreadable: {error}")))?
                    .into_iter()
                    .map(|stored| ForwardDestination { url: stored.url, protocol: stored.protocol, headers: stored.headers })
                    .collect(),
                None => Vec::new(),
            };
            Ok(ForwardingSettings { destinations, full_content: read(KEY_FULL_CONTENT)?.map(|text| text == "true") })
        })
        .await?)
}

/// Applies `update` to what is stored and returns the new settings.
pub async fn save(store: &Store, update: ForwardingUpdate) -> Result<ForwardingSettings, SettingsError> {
    let mut settings = load(store).await?;
    if let Some(destinations) = update.destinations {
        settings.destinations = merged(destinations, &settings.destinations)?;
    }
    if let Some(full_content) = update.full_content {
        settings.full_content = Some(full_content);
    }
    let stored: Vec<StoredDestination> = settings
        .destinations
        .iter()
        .map(|destination| StoredDestination {
            url: destination.url.clone(),
            protocol: destination.protocol,
            headers: destination.headers.clone(),
        })
        .collect();
    let json = serde_json::to_string(&stored).map_err(|error| invalid(error.to_string()))?;
    let full_content = settings.full_content.map(|full| full.to_string());
    store
        .transaction(move |connection| {
            let upsert = "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
            connection.execute(upsert, [KEY_DESTINATIONS, json.as_str()])?;
            if let Some(full_content) = full_content {
                connection.execute(upsert, [KEY_FULL_CONTENT, full_content.as_str()])?;
            }
            Ok(())
        })
        .await?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(url: &str, headers: Option<Vec<(&str, &str)>>) -> DestinationUpdate {
        DestinationUpdate {
            url: url.to_owned(),
            protocol: ForwardProtocol::HttpProtobuf,
            headers: headers
                .map(|pairs| pairs.into_iter().map(|(name, value)| ForwardHeader { name: name.into(), value: value.into() }).collect()),
        }
    }

    #[test]
    fn an_update_without_headers_keeps_the_stored_ones() {
        let stored = vec![ForwardDestination::http("https://team.example:4318", vec![("Authorization".into(), "Bearer aio_1".into())])];
        let kept = merged(vec![update("https://team.example:4318/", None)], &stored).unwrap();
        assert_eq!(kept, stored);
        let replaced = merged(vec![update("https://team.example:4318", Some(vec![("X-Team", " a ")]))], &stored).unwrap();
        assert_eq!(replaced[0].headers, vec![("X-Team".to_owned(), "a".to_owned())]);
        assert_eq!(merged(vec![update("http://other.example", None)], &stored).unwrap()[0].headers, Vec::<(String, String)>::new());
    }

    #[test]
    fn bad_destinations_are_refused_with_the_reason() {
        let error = |update: DestinationUpdate| merged(vec![update], &[]).unwrap_err().to_string();
        assert!(error(update("ftp://team.example", None)).contains("http:// or https://"));
        assert!(error(update("team.example:4318", None)).contains("URL"));
        assert!(error(update("https://user:secret@team.example", None)).contains("header"));
        assert!(error(update("https://team.example", Some(vec![("bad name", "x")]))).contains("header name"));
        let twice = merged(vec![update("https://a.example", None), update("https://a.example/", None)], &[]).unwrap_err();
        assert!(twice.to_string().contains("twice"));
    }
}
