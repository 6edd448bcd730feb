// What the limits panels load and when they load it again: a tool's report through its status line
// (`limits`), an import that read Codex's session files (`import_progress`), or a watched session
// file that added usage (`usage`, the same batch carries the limits); and a slow poll, so a window
// that reset while nothing arrived reads so. Claude Code's 5-hour blocks come from the same usage, so
// they reload on the same messages.
import { api } from '../../api/client';
import type { BlocksResponse, LimitsResponse } from '../../api/types.gen';
import type { LiveMessageType } from '../../api/live-types';
import type { ResolvedRange } from '../time-range/selection';

export const LIMITS_RELOAD: { types: readonly LiveMessageType[]; debounceMs: number; pollMs: number } = {
  types: ['limits', 'import_progress', 'usage'],
  debounceMs: 1000,
  pollMs: 60_000,
};

export type LimitsHistory = { answer: LimitsResponse; range: ResolvedRange };

/** Every report in the range, all tools and windows at once, oldest first. */
export async function loadLimitsHistory(range: ResolvedRange): Promise<LimitsHistory> {
  const answer = await api.limits.history({ from: range.from.toISOString(), to: range.to.toISOString() });
  return { answer, range };
}

/** Claude Code's 5-hour blocks of the requests in the range (and the gaps between them). */
export function loadUsageBlocks(range: ResolvedRange, tz: string): Promise<BlocksResponse> {
  return api.blocks.list({ from: range.from.toISOString(), to: range.to.toISOString(), tz });
}
