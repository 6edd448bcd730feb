//! The AI Observer desktop shell (placeholder; the desktop issue fills it in).

pub fn run() {
    let context = tauri::generate_context!();
    let _ = tauri::Builder::default().run(context);
}
