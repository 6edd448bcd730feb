//! The tray icon for each budget level, built into the binary from `icons/tray/` (made from
//! `icons/app-icon.png` by `icons/make-tray-icons.sh`). macOS gets the black template images
//! (the menu bar recolours them); other systems get the colour ones.

use tauri::image::Image;

/// How close the day's or month's spend is to its budget, or a plan-limit window to its limit (the
/// worse of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum BudgetLevel {
    #[default]
    Ok,
    /// At 80 % or more.
    Warning,
    /// At 100 % or more.
    Over,
}

#[cfg(not(target_os = "macos"))]
fn bytes(level: BudgetLevel) -> &'static [u8] {
    match level {
        BudgetLevel::Ok => include_bytes!("../../../icons/tray/tray.png"),
        BudgetLevel::Warning => include_bytes!("../../../icons/tray/tray-warning.png"),
        BudgetLevel::Over => include_bytes!("../../../icons/tray/tray-over.png"),
    }
}

#[cfg(target_os = "macos")]
fn bytes(level: BudgetLevel) -> &'static [u8] {
    match level {
        BudgetLevel::Ok => include_bytes!("../../../icons/tray/tray-template.png"),
        BudgetLevel::Warning => include_bytes!("../../../icons/tray/tray-template-warning.png"),
        BudgetLevel::Over => include_bytes!("../../../icons/tray/tray-template-over.png"),
    }
}

/// Whether the images are macOS template images.
pub const IS_TEMPLATE: bool = cfg!(target_os = "macos");

pub fn image(level: BudgetLevel) -> tauri::Result<Image<'static>> {
    Image::from_bytes(bytes(level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_has_a_decodable_icon() {
        for level in [BudgetLevel::Ok, BudgetLevel::Warning, BudgetLevel::Over] {
            let icon = image(level).expect("png");
            assert_eq!((icon.width(), icon.height()), (64, 64));
        }
    }
}
