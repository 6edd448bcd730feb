//! Asking before doing something that cannot be undone, or refusing to guess when nobody can answer.

use std::io::{BufRead, IsTerminal, Write};

/// `Continue? [y/N]` on a terminal; without one, only `--yes` proceeds.
pub fn confirm(question: &str, assume_yes: bool) -> anyhow::Result<bool> {
    if assume_yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("{question} — not asking without a terminal; add --yes to proceed");
    }
    print!("{question} [y/N] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}
