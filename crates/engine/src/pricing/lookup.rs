//! Model-name normalisation: the many spellings tools report, reduced to table keys.
//!
//! Only exact rules, no fuzzy matching: a wrong price is worse than an honest "unpriced".

const PROVIDER_PREFIXES: &[&str] = &[
    "anthropic/",
    "openai/",
    "google/",
    "gemini/",
    "models/",
    "vertex_ai/",
    "bedrock/",
    "azure/",
    "openrouter/",
    "us.anthropic.",
    "anthropic.",
];

/// Lower-case, trimmed, without provider prefixes and without a bracketed suffix such as the
/// context-window marker Claude Code puts on span model names (`claude-opus-4-8[1m]`).
pub fn normalize_model_name(model: &str) -> String {
    let mut name = model.trim().to_ascii_lowercase();
    if let Some(bracket) = name.find('[') {
        name.truncate(bracket);
    }
    loop {
        let before = name.len();
        for prefix in PROVIDER_PREFIXES {
            if let Some(rest) = name.strip_prefix(prefix) {
                name = rest.to_owned();
            }
        }
        if name.len() == before {
            break;
        }
    }
    if let Some(at) = name.find('@') {
        // Vertex AI spells versions `claude-sonnet-4-5@20250929`.
        name = format!("{}-{}", &name[..at], &name[at + 1..]);
    }
    name.trim_matches(|character: char| character == '-' || character == '.').to_owned()
}

/// The names to try, most specific first: the normalised name, then without a date suffix,
/// without `-latest`, and with dots in version numbers turned into dashes.
pub(super) fn candidate_names(model: &str) -> Vec<String> {
    let normalized = normalize_model_name(model);
    let mut candidates = vec![normalized.clone()];
    let mut push = |candidate: String| {
        if !candidate.is_empty() && !candidates.contains(&candidate) {
            candidates.push(candidate);
        }
    };
    let undated = strip_date_suffix(&normalized);
    push(undated.to_owned());
    push(undated.trim_end_matches("-latest").to_owned());
    push(normalized.replace('.', "-"));
    push(undated.replace('.', "-"));
    candidates
}

/// Removes `-20250929`, `-2025-09-29` or `-0929`-style date suffixes. The suffix is looked for in
/// bytes: a name may hold any text, and the cut is made only before an ASCII `-`, so always on a
/// character boundary.
fn strip_date_suffix(name: &str) -> &str {
    let bytes = name.as_bytes();
    let digits_at_end = bytes.iter().rev().take_while(|byte| byte.is_ascii_digit()).count();
    if digits_at_end == 8 && bytes.len() > 9 && bytes[bytes.len() - 9] == b'-' {
        return &name[..name.len() - 9];
    }
    // -YYYY-MM-DD
    if bytes.len() > 11 {
        let tail = &bytes[bytes.len() - 11..];
        let shape = tail[0] == b'-'
            && tail[5] == b'-'
            && tail[8] == b'-'
            && tail.iter().enumerate().all(|(index, byte)| matches!(index, 0 | 5 | 8) || byte.is_ascii_digit());
        if shape {
            return &name[..name.len() - 11];
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_strips_prefixes_brackets_and_case() {
        assert_eq!(normalize_model_name("claude-opus-4-8[1m]"), "claude-opus-4-8");
        assert_eq!(normalize_model_name(" Anthropic/Claude-Sonnet-4-5 "), "claude-sonnet-4-5");
        assert_eq!(normalize_model_name("models/gemini-2.5-pro"), "gemini-2.5-pro");
        assert_eq!(normalize_model_name("claude-sonnet-4-5@20250929"), "claude-sonnet-4-5-20250929");
    }

    #[test]
    fn candidates_drop_dates_and_latest() {
        let candidates = candidate_names("claude-haiku-4-5-20251001");
        assert_eq!(candidates[0], "claude-haiku-4-5-20251001");
        assert!(candidates.contains(&"claude-haiku-4-5".to_owned()));
        assert!(candidate_names("gpt-4o-2024-05-13").contains(&"gpt-4o".to_owned()));
        assert!(candidate_names("claude-3-7-sonnet-latest").contains(&"claude-3-7-sonnet".to_owned()));
    }

    /// Found by the `gemini_session` fuzz target: a model name whose last 11 bytes start inside a
    /// multi-byte character panicked on the string slice.
    #[test]
    fn a_name_ending_in_text_that_is_not_ascii_is_looked_up_without_a_panic() {
        assert_eq!(strip_date_suffix("7─readme.md"), "7─readme.md");
        assert_eq!(strip_date_suffix("é-2025-09-29"), "é");
        assert_eq!(strip_date_suffix("模型-20250929"), "模型");
        assert_eq!(candidate_names("7─README.md"), ["7─readme.md", "7─readme-md"]);
    }
}
