// One colour (and a display label) per assistant, keyed by the engine's tool key, so a tool looks
// the same in every chart, badge and table. Service names the tools report (`codex_exec`,
// `gemini-cli`, …) map to their tool key by the engine's prefixes (format/tools.ts). Each colour keeps at least 3:1 against the card
// surface of both themes (tests/design-tokens.test.ts), so bars and dots read in light and dark.
// Keys the UI does not know yet (a new tool, or `other:<service>`) get a stable colour from a
// spare palette, derived from the key, and a label made from it.

import { toolDisplayName, toolOf } from '../format/tools';

export type ToolIdentity = { key: string; label: string; color: string };

/** The colour of each tool key; which tools exist, their names and service names come from the engine. */
export const TOOL_COLORS: Readonly<Record<string, string>> = {
  'claude-code': '#d9622b',
  codex: '#0f9d7a',
  gemini: '#3b6fe0',
  'qwen-code': '#8b5cf6',
  opencode: '#db2777',
  copilot: '#0891b2',
  goose: '#a16207',
};

/** Usage no tool claims, and anything unnamed. */
export const UNKNOWN_TOOL: ToolIdentity = { key: 'unknown', label: 'Unknown tool', color: '#6b7280' };

/** Colours for tools this table does not list, picked by a hash of the key so they never change. */
export const SPARE_COLORS = ['#b45309', '#4d7c0f', '#c2410c', '#2563eb', '#9333ea', '#0d9488'] as const;

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
  const known = toolOf(keyOrService);
  if (known) return { key: known, label: toolDisplayName(known), color: TOOL_COLORS[known] ?? spareColor(known) };
  const service = keyOrService.startsWith('other:') ? keyOrService.slice('other:'.length) : keyOrService;
  return { key: keyOrService, label: labelFromName(service), color: spareColor(keyOrService) };
}

function spareColor(key: string): string {
  return SPARE_COLORS[hash(key) % SPARE_COLORS.length] as string;
}

export function toolColor(keyOrService: string | null | undefined): string {
  return toolIdentity(keyOrService).color;
}
