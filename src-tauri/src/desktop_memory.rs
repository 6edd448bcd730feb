//! What the app remembers between runs that is not a setting: when it last looked for updates,
//! and which budget and plan-limit alerts it already showed in the current periods (so a restart does not repeat
//! them). Kept in `<app data dir>/desktop-memory.json`.

use crate::budget_alerts::BudgetAlertMemory;
use crate::desktop_files::{read_json, write_json};
use crate::limit_alerts::LimitAlertMemory;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const FILE_NAME: &str = "desktop-memory.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DesktopMemory {
    pub last_update_check: Option<DateTime<Utc>>,
    pub budget_alerts: BudgetAlertMemory,
    pub limit_alerts: LimitAlertMemory,
}

impl DesktopMemory {
    pub fn load(path: &Path) -> DesktopMemory {
        read_json(path)
    }

    pub fn save(&self, path: &Path) {
        write_json(path, self);
    }
}
