//! The desktop's own operations (method `DESKTOP` in the engine's table), one per area file: the
//! generated command of each name calls the function of the same name here.

pub use super::folders::pick_folder;
pub use super::launch_at_login::{launch_at_login_get, launch_at_login_set};
pub use super::receiving::receiving_set_paused;
pub use super::team_dashboard::{team_dashboard_get, team_dashboard_open};
pub use super::tool_setup::{tool_config_apply, tool_config_preview};
pub use super::updates::updates_check;
