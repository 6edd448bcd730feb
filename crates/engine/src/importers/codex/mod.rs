//! Codex CLI rollouts.
//!
//! Counting rules (see docs/import.md): recent Codex writes a `token_usage_record` per model
//! response with its `response_id`; those are used when present and keyed by response id, so a
//! request copied into another rollout is still one row. Older files only have
//! `event_msg/token_count` with a cumulative `total_token_usage`: consecutive totals are diffed,
//! records whose total did not grow (rate-limit refreshes) are skipped, and a total that goes
//! backwards falls back to that record's `last_token_usage`. The model is the latest
//! `turn_context.model`. Each `token_count` also reports the plan limits (`rate_limits`).
//!
//! **Copied history.** A thread forked from another (`session_meta.forked_from_id`; `paginated`
//! threads excepted, they only point at their parent's file) starts with a copy of its parent's
//! lines, stamped when the copy was written. Those lines are the parent's: their token counts only
//! set the running total the fork continues from, their usage records count for the parent, and
//! their messages stay out of the fork's transcript. The copy ends at the first ordinal the fork
//! wrote itself (`subagent_history_start_ordinal`) where Codex says so, else at the fork's own first
//! turn: its `thread_settings_applied` event, a repeat of its own `session_meta`, or the
//! `inter_agent_communication` line that starts its turn. Cumulative rows of a fork are keyed by
//! the parent's id and the running total, so a copied count taken for the fork's own still lands
//! on the parent's row.

mod format;
mod rate_limits;
mod usage_markers;

use super::emit::{self, TranscriptMessage};
use super::{Emitted, Importer, ParseContext, SessionParser};
use crate::importers::discovery::SessionFile;
use crate::model::{Attributes, Tool, UsageRecord};
use format::{Line, SessionMeta, TokenCountInfo, TokenUsage, UsageRecordPayload};
use serde::{Deserialize, Serialize};

/// Service name when the rollout does not say which Codex front end wrote it.
const DEFAULT_SERVICE: &str = "codex_cli_rs";

pub struct CodexImporter;

impl Importer for CodexImporter {
    fn tool(&self) -> Tool {
        Tool::Codex
    }

    fn parser(&self, file: &SessionFile, state: Option<serde_json::Value>) -> Box<dyn SessionParser> {
        let mut saved: SavedState = state.and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default();
        if saved.session_id.is_none() {
            saved.session_id = session_id_from_name(&file.path);
        }
        Box::new(CodexParser { saved })
    }
}

/// `rollout-2026-11-28T13-47-08-<uuid>.jsonl` → `<uuid>`.
fn session_id_from_name(path: &std::path::Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let uuid = stem.get(stem.len().checked_sub(36)?..)?;
    (uuid.len() == 36 && uuid.chars().filter(|character| *character == '-').count() == 4).then(|| uuid.to_owned())
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct SavedState {
    session_id: Option<String>,
    cwd: Option<String>,
    repository: Option<String>,
    model: Option<String>,
    previous_total: Option<TokenUsage>,
    uses_usage_records: bool,
    session_metas: u32,
    /// The Codex front end (`codex_exec`, `codex_cli_rs`, …): Codex's OTLP service name, so imported
    /// and live rows of a session share one service.
    #[serde(default)]
    originator: Option<String>,
    /// The thread this one was forked from, when its file copies that thread's history.
    forked_from: Option<String>,
    /// Lines with a lower ordinal are copied history (explicit boundary).
    history_start_ordinal: Option<u64>,
    /// Inside the copied history (no explicit boundary; until the fork's own first turn).
    in_copied_history: bool,
    next_index: i64,
}

/// One model response's usage, as a record or a cumulative diff gives it.
struct ResponseUsage {
    key: String,
    request_id: Option<String>,
    model: Option<String>,
    time: i64,
    usage: TokenUsage,
}

struct CodexParser {
    saved: SavedState,
}

impl CodexParser {
    fn session(&self) -> String {
        self.saved.session_id.clone().unwrap_or_else(|| "unknown".to_owned())
    }

    fn service(&self) -> String {
        self.saved.originator.clone().unwrap_or_else(|| DEFAULT_SERVICE.to_owned())
    }

    fn next_index(&mut self) -> i64 {
        let index = self.saved.next_index;
        self.saved.next_index += 1;
        index
    }

    fn emit_usage(&mut self, context: &ParseContext<'_>, response: ResponseUsage, out: &mut Emitted) {
        let ResponseUsage { key, request_id, model, time, usage } = response;
        let cached = usage.cached_input_tokens.clamp(0, usage.input_tokens.max(0));
        let model = model.or_else(|| self.saved.model.clone()).unwrap_or_else(|| "unknown".to_owned());
        let record = UsageRecord {
            record_key: key,
            time,
            tool: Some(Tool::Codex),
            service_name: self.service(),
            session_id: Some(self.session()),
            request_id,
            model,
            project: self.saved.cwd.clone(),
            repository: self.saved.repository.clone(),
            input_tokens: (usage.input_tokens - cached).max(0),
            cache_read_tokens: cached,
            output_tokens: usage.output_tokens,
            reasoning_tokens: usage.reasoning_output_tokens,
            ..UsageRecord::default()
        };
        if let Some(record) = emit::usage(context, record, out) {
            emit::counters(context, &record, out);
        }
    }

    fn session_meta(&mut self, context: &ParseContext<'_>, number: u64, time: i64, payload: &serde_json::Value, out: &mut Emitted) {
        let meta: SessionMeta = serde_json::from_value(payload.clone()).unwrap_or_default();
        self.saved.session_metas += 1;
        if self.saved.session_metas > 1 {
            // The parent's `session_meta` opens a copy; the fork's own again means its turn begins.
            if meta.id.is_some() && meta.id == self.saved.session_id {
                self.saved.in_copied_history = false;
            }
            return;
        }
        if let Some(id) = meta.id.or(meta.session_id) {
            self.saved.session_id = Some(id);
        }
        let copies = meta.history_mode.as_deref() != Some("paginated");
        self.saved.forked_from = meta.forked_from_id.filter(|parent| !parent.is_empty() && copies);
        self.saved.history_start_ordinal = meta.subagent_history_start_ordinal.filter(|_| self.saved.forked_from.is_some());
        self.saved.in_copied_history = self.saved.forked_from.is_some() && self.saved.history_start_ordinal.is_none();
        self.saved.cwd = meta.cwd.clone();
        self.saved.originator = meta.originator.clone().filter(|originator| !originator.is_empty());
        self.saved.repository = meta.git.and_then(|git| git.repository_url).map(|url| crate::importers::projects::repository_name(&url));
        let mut attributes = Attributes::new();
        attributes.insert("session.id".to_owned(), self.session());
        for (key, value) in
            [("cwd", meta.cwd), ("originator", meta.originator), ("cli_version", meta.cli_version), ("model_provider", meta.model_provider)]
        {
            if let Some(value) = value {
                attributes.insert(key.to_owned(), value);
            }
        }
        emit::event_log(
            context,
            &self.service(),
            emit::EventRow {
                time,
                event_name: "codex.conversation_starts",
                body: "conversation_starts",
                attributes,
                key: format!("file:codex:{}:l{number}", self.session()),
            },
            out,
        );
    }

    fn token_count(&mut self, context: &ParseContext<'_>, time: i64, copied: bool, payload: &serde_json::Value, out: &mut Emitted) {
        let info: TokenCountInfo = payload.get("info").cloned().and_then(|info| serde_json::from_value(info).ok()).unwrap_or_default();
        let Some(total) = info.total_token_usage else { return };
        let previous = self.saved.previous_total.unwrap_or_default();
        if self.saved.uses_usage_records || copied {
            if total.magnitude() > previous.magnitude() {
                self.saved.previous_total = Some(total);
            }
            return;
        }
        let delta = if total.magnitude() > previous.magnitude() {
            total.minus(&previous)
        } else if total.magnitude() < previous.magnitude() {
            info.last_token_usage.unwrap_or(total)
        } else {
            return;
        };
        self.saved.previous_total = Some(total);
        if delta.is_zero() {
            return;
        }
        // A fork's running total continues its parent's: keyed by the parent, a count taken from
        // the copy is the parent's own row.
        let thread = self.saved.forked_from.clone().unwrap_or_else(|| self.session());
        let key = format!("file:codex:{thread}:total:{}:{}", total.input_tokens, total.output_tokens);
        self.emit_usage(context, ResponseUsage { key, request_id: None, model: None, time, usage: delta }, out);
    }

    /// A `token_usage_record`: one response's usage. A copied one counts for the thread that made
    /// the request, under the same key as in that thread's own file.
    fn usage_record(
        &mut self,
        context: &ParseContext<'_>,
        number: u64,
        time: i64,
        copied: bool,
        record: UsageRecordPayload,
        out: &mut Emitted,
    ) -> Result<(), String> {
        self.saved.uses_usage_records = true;
        let Some(usage) = record.usage else { return Ok(()) };
        let key = match &record.response_id {
            Some(response) => format!("file:codex:resp:{response}"),
            None if copied => return Ok(()),
            None => format!("file:codex:{}:l{number}", self.session()),
        };
        let response = ResponseUsage { key, request_id: record.response_id, model: record.model, time, usage };
        if !copied {
            self.emit_usage(context, response, out);
            return Ok(());
        }
        let owner = record.thread_id.or_else(|| self.saved.forked_from.clone());
        let own = std::mem::replace(&mut self.saved.session_id, owner);
        self.emit_usage(context, response, out);
        self.saved.session_id = own;
        Ok(())
    }

    /// Whether a line is part of the copied history, ending the copy at the fork's own first turn.
    /// `payload` is only looked at for the lines that can start a turn (`event_msg`,
    /// `inter_agent_communication…`).
    fn is_copied(&mut self, kind: &str, ordinal: Option<u64>, payload: &serde_json::Value) -> bool {
        if let Some(start) = self.saved.history_start_ordinal {
            return ordinal.is_some_and(|ordinal| ordinal < start);
        }
        if !self.saved.in_copied_history {
            return false;
        }
        let event = payload.get("type").and_then(serde_json::Value::as_str).unwrap_or_default();
        let starts_turn = (kind == "event_msg" && event == "thread_settings_applied")
            || (kind.starts_with("inter_agent_communication")
                && payload.get("trigger_turn").and_then(serde_json::Value::as_bool) == Some(true));
        if starts_turn {
            self.saved.in_copied_history = false;
        }
        self.saved.in_copied_history
    }

    fn response_item(&mut self, context: &ParseContext<'_>, number: u64, time: i64, payload: &serde_json::Value, out: &mut Emitted) {
        let text_field = |name: &str| payload.get(name).and_then(serde_json::Value::as_str).map(str::to_owned);
        let base = TranscriptMessage {
            key: format!("file:codex:{}:l{number}", self.session()),
            time,
            session_id: self.session(),
            index: 0,
            model: self.saved.model.clone(),
            ..TranscriptMessage::default()
        };
        let message = match payload.get("type").and_then(serde_json::Value::as_str) {
            Some("message") => {
                let role = match payload.get("role").and_then(serde_json::Value::as_str) {
                    Some("user") => "user",
                    Some("assistant") => "assistant",
                    _ => return,
                };
                let content = format::message_text(payload);
                if content.trim().is_empty() || (role == "user" && content.starts_with('<')) {
                    return;
                }
                TranscriptMessage { role, content, ..base }
            }
            Some("reasoning") => {
                let summary = format::reasoning_summary(payload);
                if summary.trim().is_empty() {
                    return;
                }
                TranscriptMessage { role: "assistant", content: summary, ..base }
            }
            Some("function_call") | Some("custom_tool_call") | Some("local_shell_call") => TranscriptMessage {
                role: "tool_use",
                tool_name: text_field("name").or_else(|| Some("shell".to_owned())),
                tool_input: text_field("arguments")
                    .or_else(|| text_field("input"))
                    .or_else(|| payload.get("action").map(serde_json::Value::to_string)),
                tool_call_id: text_field("call_id"),
                ..base
            },
            Some("function_call_output") | Some("custom_tool_call_output") => {
                let output = format::tool_output(payload);
                TranscriptMessage {
                    role: "tool_result",
                    content: emit::truncate(&output, emit::MAX_TOOL_BYTES),
                    tool_output: Some(output),
                    tool_call_id: text_field("call_id"),
                    ..base
                }
            }
            _ => return,
        };
        let index = self.next_index();
        emit::transcript_log(context, &self.service(), TranscriptMessage { index, ..message }, out);
    }
}

impl SessionParser for CodexParser {
    fn line(&mut self, context: &ParseContext<'_>, number: u64, text: &[u8], out: &mut Emitted) -> Result<(), String> {
        let line: Line = serde_json::from_slice(text).map_err(|error| format!("invalid JSON: {error}"))?;
        let Some(kind) = line.kind.as_deref() else { return Ok(()) };
        let Some(time) = emit::parse_time(line.timestamp.as_deref()) else {
            return Err(format!("a {kind} line without a valid timestamp"));
        };
        if kind == "token_usage_record" {
            // A usage record's payload is read straight into its shape, without a `Value` tree:
            // it is the line a first import's usage pass reads most (docs/benchmarks.md).
            let record: UsageRecordPayload =
                serde_json::from_str(line.payload_text()).map_err(|error| format!("invalid token_usage_record: {error}"))?;
            let copied = self.is_copied(kind, line.ordinal, &serde_json::Value::Null);
            return self.usage_record(context, number, time, copied, record, out);
        }
        let payload: serde_json::Value = serde_json::from_str(line.payload_text()).map_err(|error| format!("invalid JSON: {error}"))?;
        let copied = kind != "session_meta" && self.is_copied(kind, line.ordinal, &payload);
        match kind {
            "session_meta" => self.session_meta(context, number, time, &payload, out),
            "turn_context" => {
                if let Some(model) = payload.get("model").and_then(serde_json::Value::as_str) {
                    self.saved.model = Some(model.to_owned());
                }
                if let Some(cwd) = payload.get("cwd").and_then(serde_json::Value::as_str) {
                    self.saved.cwd = Some(cwd.to_owned());
                }
            }
            "event_msg" if payload.get("type").and_then(serde_json::Value::as_str) == Some("token_count") => {
                if !copied && !context.usage_only && context.in_window(time) {
                    out.batch.limits.extend(rate_limits::states(time, &payload));
                }
                self.token_count(context, time, copied, &payload, out);
            }
            "response_item" if !copied && !context.usage_only => self.response_item(context, number, time, &payload, out),
            _ => {}
        }
        Ok(())
    }

    /// Lines that carry usage or the state it depends on (the session, the model, the running
    /// total, where copied history ends); a transcript line only adds to the transcript. Once the
    /// file has given a usage record, its running totals count nothing more (`token_count` only
    /// carries them on), so a line whose only marker is a token count is skipped too: in recent
    /// rollouts, one of the two lines each response adds for its usage.
    fn may_carry_usage(&self, text: &[u8]) -> bool {
        usage_markers::may_carry_usage(text, !self.saved.uses_usage_records)
    }

    fn finish(&mut self, _context: &ParseContext<'_>, _out: &mut Emitted) {}

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.saved).unwrap_or(serde_json::Value::Null)
    }
}
