// Display names for the tool keys and service names the API uses, so every page names a tool alike.

export const TOOL_KEYS = ['claude-code', 'codex', 'gemini'] as const;
export type ToolKey = (typeof TOOL_KEYS)[number];

const NAMES: Record<string, string> = {
  'claude-code': 'Claude Code',
  claude_code: 'Claude Code',
  codex: 'Codex CLI',
  codex_cli_rs: 'Codex CLI',
  codex_exec: 'Codex CLI',
  gemini: 'Gemini CLI',
  gemini_cli: 'Gemini CLI',
  'gemini-cli': 'Gemini CLI',
  'copilot-chat': 'GitHub Copilot (VS Code)',
  'github-copilot': 'GitHub Copilot CLI',
  opencode: 'OpenCode',
  unknown: 'Unknown tool',
};

export function toolDisplayName(keyOrService: string | null | undefined): string {
  if (!keyOrService) return 'Unknown';
  return NAMES[keyOrService] ?? keyOrService;
}
