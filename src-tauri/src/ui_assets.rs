//! The dashboard on the REST port too: the UI files built into the app (Tauri's embedded assets)
//! served to browsers at `http://127.0.0.1:<api port>/`, as `ai-observer serve` does.

use ai_observer_engine::api::static_ui::UiAssets;
use std::borrow::Cow;
use tauri::{AssetResolver, Runtime};

pub struct EmbeddedAssets<R: Runtime> {
    pub resolver: AssetResolver<R>,
}

impl<R: Runtime> UiAssets for EmbeddedAssets<R> {
    /// The file at exactly `path` (the engine adds the SPA fallback to `index.html`). The resolver
    /// itself falls back to `index.html` for any path, so existence is checked on the asset keys
    /// first; `get` then returns the bytes decompressed.
    fn get(&self, path: &str) -> Option<Cow<'static, [u8]>> {
        let wanted = path.trim_start_matches('/');
        let exists = self.resolver.iter().any(|(key, _)| key.trim_start_matches('/') == wanted);
        if !exists {
            return None;
        }
        self.resolver.get(wanted.to_owned()).map(|asset| Cow::Owned(asset.bytes))
    }
}
