// Display names for the tool keys and service names the API uses, so every page names a tool alike.
// The tools, their names and their service-name prefixes come from the engine (vocabulary.gen.ts).
import type { Tool } from '../api/types.gen';
import { TOOLS } from '../api/vocabulary.gen';

export const TOOL_KEYS: readonly Tool[] = TOOLS.map((tool) => tool.key);
export type ToolKey = Tool;

/** The tool a key or service name belongs to, by the engine's prefixes (`codex_exec` is Codex). */
export function toolOf(keyOrService: string): Tool | undefined {
  const lower = keyOrService.toLowerCase();
  return TOOLS.find((tool) => tool.key === lower || tool.servicePrefixes.some((prefix) => lower.startsWith(prefix)))?.key;
}

export function toolDisplayName(keyOrService: string | null | undefined): string {
  if (!keyOrService || keyOrService === 'unknown') return 'Unknown tool';
  const tool = toolOf(keyOrService);
  return tool ? (TOOLS.find((info) => info.key === tool)?.name ?? keyOrService) : keyOrService;
}
