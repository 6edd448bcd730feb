//! On Linux, GTK 3 sets up OpenGL when it opens the display, to choose its visuals, which loads
//! the GL driver (with Mesa's software renderer, 45 MB of LLVM) into an app that mostly sits in the
//! tray with no window at all. The dashboard does not need it: without GTK's GL, WebKit draws the
//! page in software, which a page of tables and charts does well. So the app turns GTK's GL off
//! (`GDK_GL=disable`) unless the user set `GDK_GL` themselves or asks for the GPU with
//! `AI_OBSERVER_GPU=on`. Measured in docs/benchmarks.md ("The desktop app").

// `std::env::set_var` is unsafe since edition 2024 (other threads may read the environment at the
// same time); it runs here as the first statement of `run`, before any thread exists.
#![allow(unsafe_code)]

/// Whether the user asked to keep GTK's OpenGL (`AI_OBSERVER_GPU=on|1|true|yes`).
fn gpu_requested(value: Option<&str>) -> bool {
    value.is_some_and(|value| matches!(value.trim().to_ascii_lowercase().as_str(), "on" | "1" | "true" | "yes"))
}

/// Turns GTK's OpenGL off for this process unless the user decided otherwise. Call before GTK
/// starts and before any other thread does.
pub fn prefer_software_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("GDK_GL").is_none() && !gpu_requested(std::env::var("AI_OBSERVER_GPU").ok().as_deref()) {
        // SAFETY: called first thing in `run`, while the process has a single thread.
        unsafe { std::env::set_var("GDK_GL", "disable") };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gpu_is_kept_only_when_asked_for() {
        assert!(gpu_requested(Some("on")));
        assert!(gpu_requested(Some(" TRUE ")));
        assert!(gpu_requested(Some("1")));
        assert!(!gpu_requested(Some("off")));
        assert!(!gpu_requested(Some("")));
        assert!(!gpu_requested(None));
    }
}
