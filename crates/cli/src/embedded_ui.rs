//! The web UI (`ui/dist`), embedded into release builds; debug builds read the folder at run time,
//! so a rebuilt UI shows up without recompiling.

use ai_observer_engine::api::static_ui::UiAssets;
use std::borrow::Cow;

#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../ui/dist"]
#[allow_missing = true]
struct Files;

pub struct EmbeddedUi;

impl UiAssets for EmbeddedUi {
    fn get(&self, path: &str) -> Option<Cow<'static, [u8]>> {
        Files::get(path).map(|file| file.data)
    }
}

/// The embedded UI, if the build found one.
pub fn embedded() -> Option<EmbeddedUi> {
    Files::get("index.html").map(|_| EmbeddedUi)
}
