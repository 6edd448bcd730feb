//! What the tray says: today's spend as `$1.23 today` (the Linux panel label, the macOS menu-bar
//! title, the Windows tooltip) and the menu's summary lines. Pure functions of a `TodaySpend`.
//!
//! Amounts have two decimals and thousands separators; a non-zero amount that would round to
//! `$0.00` reads `<$0.01`; a `+` after the amount says some of today's requests have no price
//! (unknown model), so the true total is higher.

use ai_observer_engine::model::Tool;
use ai_observer_engine::query::spend::{SpendGroup, SpendSummary};

/// Today's spend in total and per tool, from the engine's spend summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TodaySpend {
    pub total: Amount,
    pub requests: i64,
    pub by_tool: Vec<ToolSpend>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Amount {
    pub usd: f64,
    /// Requests that could not be priced (not included in `usd`).
    pub unpriced_requests: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpend {
    pub name: String,
    pub amount: Amount,
    pub requests: i64,
}

fn amount_of(group: &SpendGroup) -> Amount {
    Amount { usd: group.cost(), unpriced_requests: group.unpriced_requests }
}

impl TodaySpend {
    pub fn from_summary(summary: &SpendSummary) -> TodaySpend {
        TodaySpend {
            total: amount_of(&summary.today),
            requests: summary.today.requests,
            by_tool: summary
                .today_by_tool
                .iter()
                .filter(|group| group.requests > 0)
                .map(|group| ToolSpend { name: tool_name(&group.key), amount: amount_of(group), requests: group.requests })
                .collect(),
        }
    }
}

/// The name a tray line gives a spend group: the tool's display name, or the service name of a
/// tool we do not know (`other:my-agent` → `my-agent`).
fn tool_name(key: &str) -> String {
    match Tool::from_key(key) {
        Some(tool) => tool.display_name().to_owned(),
        None => key.strip_prefix(ai_observer_engine::store::OTHER_TOOL_PREFIX).unwrap_or(key).to_owned(),
    }
}

/// `$1,234.56`, `$0.00`, or `<$0.01` for an amount above zero that rounds to zero cents.
pub fn format_usd(usd: f64) -> String {
    if !usd.is_finite() || usd <= 0.0 {
        return "$0.00".to_owned();
    }
    let cents = (usd * 100.0).round();
    if cents < 1.0 {
        return "<$0.01".to_owned();
    }
    let whole = (cents / 100.0).trunc() as u64;
    let fraction = (cents as u64) % 100;
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("${grouped}.{fraction:02}")
}

/// The amount with `+` when part of it is unpriced.
pub fn format_amount(amount: Amount) -> String {
    let text = format_usd(amount.usd);
    if amount.unpriced_requests > 0 { format!("{text}+") } else { text }
}

/// The tray label: `$1.23 today`.
pub fn tray_title(today: &TodaySpend) -> String {
    format!("{} today", format_amount(today.total))
}

fn plural(count: i64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The menu's first line: `Today: $1.23 · 12 requests`.
pub fn summary_line(today: &TodaySpend) -> String {
    format!("Today: {} · {}", format_amount(today.total), plural(today.requests, "request", "requests"))
}

/// One line per tool that was used today, most expensive first: `Claude Code  $1.00`.
pub fn tool_lines(today: &TodaySpend) -> Vec<String> {
    let mut tools = today.by_tool.clone();
    tools.sort_by(|left, right| right.amount.usd.total_cmp(&left.amount.usd).then_with(|| left.name.cmp(&right.name)));
    tools.iter().map(|tool| format!("{}: {}", tool.name, format_amount(tool.amount))).collect()
}

/// A note under the tool lines when some requests have no price.
pub fn unpriced_line(today: &TodaySpend) -> Option<String> {
    (today.total.unpriced_requests > 0)
        .then(|| format!("+ {} without a price (unknown model)", plural(today.total.unpriced_requests, "request", "requests")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today(usd: f64, unpriced: i64) -> TodaySpend {
        TodaySpend { total: Amount { usd, unpriced_requests: unpriced }, requests: 3, by_tool: Vec::new() }
    }

    #[test]
    fn dollars_have_two_decimals_and_round_to_the_nearest_cent() {
        assert_eq!(format_usd(1.234), "$1.23");
        assert_eq!(format_usd(1.236), "$1.24");
        assert_eq!(format_usd(0.01626885), "$0.02");
        assert_eq!(format_usd(2.0), "$2.00");
        assert_eq!(format_usd(0.999), "$1.00");
        assert_eq!(format_usd(1234567.891), "$1,234,567.89");
        assert_eq!(format_usd(999.999), "$1,000.00");
    }

    #[test]
    fn zero_and_tiny_amounts() {
        assert_eq!(format_usd(0.0), "$0.00");
        assert_eq!(format_usd(-0.5), "$0.00");
        assert_eq!(format_usd(f64::NAN), "$0.00");
        assert_eq!(format_usd(0.0004), "<$0.01");
        assert_eq!(format_usd(0.0049), "<$0.01");
        assert_eq!(format_usd(0.005), "$0.01");
    }

    #[test]
    fn the_title_says_today_and_marks_unpriced_usage() {
        assert_eq!(tray_title(&today(1.23, 0)), "$1.23 today");
        assert_eq!(tray_title(&today(1.23, 2)), "$1.23+ today");
        assert_eq!(tray_title(&today(0.0, 0)), "$0.00 today");
        assert_eq!(tray_title(&today(0.001, 0)), "<$0.01 today");
        assert_eq!(tray_title(&today(0.0, 4)), "$0.00+ today");
        assert_eq!(unpriced_line(&today(1.0, 1)).as_deref(), Some("+ 1 request without a price (unknown model)"));
        assert_eq!(unpriced_line(&today(1.0, 0)), None);
    }

    #[test]
    fn several_tools_are_listed_most_expensive_first() {
        let spend = TodaySpend {
            total: Amount { usd: 3.5, unpriced_requests: 1 },
            requests: 9,
            by_tool: vec![
                ToolSpend { name: "Codex CLI".into(), amount: Amount { usd: 0.5, unpriced_requests: 0 }, requests: 2 },
                ToolSpend { name: "Claude Code".into(), amount: Amount { usd: 2.75, unpriced_requests: 0 }, requests: 5 },
                ToolSpend { name: "Gemini CLI".into(), amount: Amount { usd: 0.25, unpriced_requests: 1 }, requests: 2 },
            ],
        };
        assert_eq!(summary_line(&spend), "Today: $3.50+ · 9 requests");
        assert_eq!(tool_lines(&spend), vec!["Claude Code: $2.75", "Codex CLI: $0.50", "Gemini CLI: $0.25+"]);
    }

    #[test]
    fn new_and_unknown_tools_are_named_for_people() {
        assert_eq!(tool_name("qwen-code"), "Qwen Code");
        assert_eq!(tool_name("copilot"), "Copilot CLI");
        assert_eq!(tool_name("other:my-agent"), "my-agent");
        assert_eq!(tool_name("unknown"), "unknown");
    }
}
