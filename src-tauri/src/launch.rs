//! How the app was started: `--minimized` (what launch at login passes) starts it in the tray
//! without showing the window.

use crate::autostart::MINIMIZED_ARGUMENT;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    pub minimized: bool,
}

impl LaunchOptions {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> LaunchOptions {
        LaunchOptions { minimized: args.into_iter().skip(1).any(|arg| arg == MINIMIZED_ARGUMENT) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimized_is_read_from_the_arguments_after_the_program() {
        let args = |list: &[&str]| list.iter().map(|arg| (*arg).to_owned()).collect::<Vec<_>>();
        assert!(LaunchOptions::from_args(args(&["ai-observer-desktop", "--minimized"])).minimized);
        assert!(!LaunchOptions::from_args(args(&["ai-observer-desktop"])).minimized);
        assert!(!LaunchOptions::from_args(args(&["--minimized"])).minimized);
    }
}
