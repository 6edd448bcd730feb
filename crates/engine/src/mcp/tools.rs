//! The MCP tools: spend (summary and by range), plan limits with pace, the costliest sessions, one
//! session's cost and the 5-hour usage blocks. All read-only; each answers the JSON of the
//! operation it calls (as structured content, and as text for clients that read only text), so
//! the numbers are the ones `/api/spend` and the app show.

use super::backend::McpBackend;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::schemars::JsonSchema;
use rmcp::{ServerHandler, tool, tool_handler, tool_router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

/// The most sessions `top_sessions` lists.
const MAX_TOP_SESSIONS: u32 = 50;

/// The server's tools, answering through `backend`.
#[derive(Clone)]
pub struct UsageTools {
    backend: Arc<dyn McpBackend>,
    tool_router: ToolRouter<Self>,
}

#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "camelCase")]
pub struct SpendArgs {
    /// Start: a date `YYYY-MM-DD` (the start of that day in the user's time zone) or an RFC 3339
    /// time. Default: 24 hours before `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// End: a date (the start of that day) or an RFC 3339 time. Default: now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `tool` (default), `model`, `project`, `session`, `day`, `week`, `month`, `machine` (on a team
    /// server: the machine that sent it; `local` for the server's own), `user` (`user.email`) or
    /// `host` (`host.name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    /// Only this assistant: `claude-code`, `codex` or `gemini`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Only this machine (a team server's token name, or `local`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// Only this person (`user.email`, or `unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Only this host (`host.name`, or `unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "camelCase")]
pub struct TopSessionsArgs {
    /// Start (date or RFC 3339 time). Default: 24 hours ago.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// End (date or RFC 3339 time). Default: now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// How many sessions, costliest first (default 5, at most 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "camelCase")]
pub struct SessionArgs {
    /// The session's id (Claude Code's `session_id`, Codex's conversation id, Gemini's session id).
    pub session_id: String,
}

#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "camelCase")]
pub struct BlocksArgs {
    /// Start (date or RFC 3339 time). Default: 7 days ago.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// End (date or RFC 3339 time). Default: now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

fn request_of(args: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(args).unwrap_or_else(|_| json!({}))
}

fn result_of(answer: Result<serde_json::Value, String>) -> CallToolResult {
    match answer {
        Ok(value) => CallToolResult::structured(value),
        Err(message) => CallToolResult::error(vec![ContentBlock::text(message)]),
    }
}

#[tool_router(router = tool_router)]
impl UsageTools {
    pub fn new(backend: Arc<dyn McpBackend>) -> UsageTools {
        UsageTools { backend, tool_router: Self::tool_router() }
    }

    #[tool(
        name = "spend_summary",
        description = "What the AI coding assistants cost at API prices today, in the last 7 and 30 days and this month (local days), with today's cost per assistant. Costs in US dollars; token counts per type."
    )]
    async fn spend_summary(&self) -> CallToolResult {
        result_of(self.backend.call("spend_summary", json!({})).await)
    }

    #[tool(
        name = "spend",
        description = "Cost (US dollars at API prices) and tokens for a time range, grouped by tool, model, project, session, day, week, month, machine, person or host. The same numbers as the app's Overview and /api/spend; unpricedModels lists models without a price."
    )]
    async fn spend(&self, Parameters(args): Parameters<SpendArgs>) -> CallToolResult {
        result_of(self.backend.call("spend", request_of(&args)).await)
    }

    #[tool(
        name = "plan_limits",
        description = "How much of the Claude Code and Codex subscription limits (5-hour and weekly windows) is used, when each window resets, and the pace: the projected use at reset and, if it reaches 100 %, when. A window whose reset has passed is marked expired (it has reset)."
    )]
    async fn plan_limits(&self) -> CallToolResult {
        result_of(self.backend.call("limits_latest", json!({})).await)
    }

    #[tool(
        name = "top_sessions",
        description = "The costliest sessions in a time range, costliest first, with their tool, project, title, tokens and cost."
    )]
    async fn top_sessions(&self, Parameters(args): Parameters<TopSessionsArgs>) -> CallToolResult {
        let limit = args.limit.unwrap_or(5).clamp(1, MAX_TOP_SESSIONS);
        let mut request = request_of(&args);
        request["limit"] = json!(limit);
        request["sort"] = json!("cost");
        result_of(self.backend.call("sessions_list", request).await)
    }

    #[tool(
        name = "session_cost",
        description = "One session's totals (cost, tokens per type, requests, models) counted as spend counts them, with what each sub-agent spent. The conversation's text is not included."
    )]
    async fn session_cost(&self, Parameters(args): Parameters<SessionArgs>) -> CallToolResult {
        let answer = self.backend.call("session_transcript", request_of(&args)).await.map(|mut transcript| {
            if let Some(fields) = transcript.as_object_mut() {
                fields.remove("messages");
            }
            transcript
        });
        result_of(answer)
    }

    #[tool(
        name = "usage_blocks",
        description = "Claude Code's 5-hour usage blocks in a time range: tokens, cost and models per block, and for the active block the burn rate (tokens per minute, dollars per hour) and the projected cost at its end."
    )]
    async fn usage_blocks(&self, Parameters(args): Parameters<BlocksArgs>) -> CallToolResult {
        result_of(self.backend.call("blocks", request_of(&args)).await)
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for UsageTools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("ai-observer", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "AI Observer keeps the user's AI coding assistants' usage on this machine. Use spend_summary for \"how much today\", plan_limits for \"how much of my 5-hour or weekly limit is left\", spend for a range or a breakdown, top_sessions and session_cost for sessions.",
            )
    }
}
