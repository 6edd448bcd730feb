// Generated from model::Tool (crates/engine/src/model/tool.rs) by the engine's tests. Do not edit.

import type { Tool } from "./types.gen";

export type ToolInfo = { key: Tool; name: string; servicePrefixes: readonly string[] };

export const TOOLS: readonly ToolInfo[] = [
  { key: "claude-code", name: "Claude Code", servicePrefixes: ["claude-code", "claude_code"] },
  { key: "codex", name: "Codex CLI", servicePrefixes: ["codex"] },
  { key: "gemini", name: "Gemini CLI", servicePrefixes: ["gemini"] },
  { key: "qwen-code", name: "Qwen Code", servicePrefixes: ["qwen-code", "qwen_code"] },
  { key: "opencode", name: "opencode", servicePrefixes: ["opencode"] },
  { key: "copilot", name: "Copilot CLI", servicePrefixes: ["github-copilot", "copilot"] },
  { key: "goose", name: "Goose", servicePrefixes: ["goose"] },
];
