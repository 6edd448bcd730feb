// One colour (and a display label) per assistant, keyed by the engine's tool key, so a tool looks
// the same in every chart, badge and table. Service names the tools report (`codex_exec`,
// `gemini-cli`, …) map to their tool key here too. Each colour keeps at least 3:1 against the card
// surface of both themes (tests/design-tokens.test.ts), so bars and dots read in light and dark.
// Keys the UI does not know yet (a new tool, or `other:<service>`) get a stable colour from a
// spare palette, derived from the key, and a label made from it.

export type ToolIdentity = { key: string; label: string; color: string };

type KnownTool = ToolIdentity & { aliases: readonly string[] };

export const KNOWN_TOOLS: readonly KnownTool[] = [
  { key: 'claude-code', label: 'Claude Code', color: '#d9622b', aliases: ['claude_code', 'claude'] },
  { key: 'codex', label: 'Codex CLI', color: '#0f9d7a', aliases: ['codex_cli_rs', 'codex_exec', 'codex-cli', 'codex_cli'] },
  { key: 'gemini', label: 'Gemini CLI', color: '#3b6fe0', aliases: ['gemini_cli', 'gemini-cli'] },
  { key: 'qwen-code', label: 'Qwen Code', color: '#8b5cf6', aliases: ['qwen_code', 'qwen-code-cli', 'qwen'] },
  { key: 'opencode', label: 'OpenCode', color: '#db2777', aliases: ['open-code', 'open_code'] },
  { key: 'copilot', label: 'Copilot CLI', color: '#0891b2', aliases: ['github-copilot', 'copilot-cli', 'copilot_cli'] },
  { key: 'copilot-chat', label: 'Copilot (VS Code)', color: '#0891b2', aliases: [] },
  { key: 'goose', label: 'Goose', color: '#a16207', aliases: ['goose-cli'] },
];

/** Usage no tool claims, and anything unnamed. */
export const UNKNOWN_TOOL: ToolIdentity = { key: 'unknown', label: 'Unknown tool', color: '#6b7280' };

/** Colours for tools this table does not list, picked by a hash of the key so they never change. */
export const SPARE_COLORS = ['#b45309', '#4d7c0f', '#c2410c', '#2563eb', '#9333ea', '#0d9488'] as const;

const BY_NAME = new Map<string, KnownTool>();
for (const tool of KNOWN_TOOLS) for (const name of [tool.key, ...tool.aliases]) BY_NAME.set(name, tool);

function hash(text: string): number {
  let value = 0;
  for (let index = 0; index < text.length; index += 1) value = (value * 31 + text.charCodeAt(index)) >>> 0;
  return value;
}

/** "my-agent_cli" -> "My agent cli" */
function labelFromName(name: string): string {
  const words = name.replace(/[-_.]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : name;
}

/** The colour and label of a tool key (`codex`), a service name (`codex_exec`) or `other:<service>`. */
export function toolIdentity(keyOrService: string | null | undefined): ToolIdentity {
  if (!keyOrService || keyOrService === 'unknown') return UNKNOWN_TOOL;
  const known = BY_NAME.get(keyOrService) ?? BY_NAME.get(keyOrService.toLowerCase());
  if (known) return { key: known.key, label: known.label, color: known.color };
  const service = keyOrService.startsWith('other:') ? keyOrService.slice('other:'.length) : keyOrService;
  return { key: keyOrService, label: labelFromName(service), color: SPARE_COLORS[hash(keyOrService) % SPARE_COLORS.length] as string };
}

export function toolColor(keyOrService: string | null | undefined): string {
  return toolIdentity(keyOrService).color;
}
