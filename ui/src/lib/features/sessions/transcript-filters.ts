// Which transcript messages to show (roles, metadata-only assistant events) and how (chat or
// timeline), remembered across sessions in localStorage like the original app.
import type { TranscriptMessage } from '../../api/types.gen';
import { isTranscriptRole, type TranscriptRole } from '../../api/vocabulary';

export const TRANSCRIPT_FILTERS_KEY = 'ai-observer-session-transcript-filters-v1';

export const ROLES: readonly { role: TranscriptRole; label: string }[] = [
  { role: 'user', label: 'User' },
  { role: 'assistant', label: 'Assistant' },
  { role: 'tool_use', label: 'Tool calls' },
  { role: 'tool_result', label: 'Tool results' },
  { role: 'system', label: 'System' },
];

export type TranscriptFilters = {
  view: 'chat' | 'timeline';
  roles: Record<TranscriptRole, boolean>;
  hideMetadataOnly: boolean;
};

export function defaultFilters(): TranscriptFilters {
  return {
    view: 'chat',
    roles: { user: true, assistant: true, tool_use: true, tool_result: true, system: true },
    hideMetadataOnly: false,
  };
}

export function loadFilters(storage: Storage | null): TranscriptFilters {
  const defaults = defaultFilters();
  try {
    const raw = storage?.getItem(TRANSCRIPT_FILTERS_KEY);
    if (!raw) return defaults;
    const parsed = JSON.parse(raw) as Partial<TranscriptFilters>;
    return {
      view: parsed.view === 'timeline' ? 'timeline' : 'chat',
      roles: { ...defaults.roles, ...(typeof parsed.roles === 'object' && parsed.roles ? parsed.roles : {}) },
      hideMetadataOnly: parsed.hideMetadataOnly === true,
    };
  } catch {
    return defaults;
  }
}

export function saveFilters(storage: Storage | null, filters: TranscriptFilters): void {
  try {
    storage?.setItem(TRANSCRIPT_FILTERS_KEY, JSON.stringify(filters));
  } catch {
    // not remembered; the view still works
  }
}

/** An assistant event with usage numbers but no text (OTLP `api_request` events). */
export function isMetadataOnly(message: TranscriptMessage): boolean {
  return message.role === 'assistant' && message.content.trim() === '' && !message.toolName;
}

export function visibleMessages(messages: readonly TranscriptMessage[], filters: TranscriptFilters): TranscriptMessage[] {
  return messages.filter((message) => (!isTranscriptRole(message.role) || filters.roles[message.role]) && !(filters.hideMetadataOnly && isMetadataOnly(message)));
}

export function roleCounts(messages: readonly TranscriptMessage[]): Record<TranscriptRole, number> {
  const counts: Record<TranscriptRole, number> = { user: 0, assistant: 0, tool_use: 0, tool_result: 0, system: 0 };
  for (const message of messages) if (isTranscriptRole(message.role)) counts[message.role] += 1;
  return counts;
}

export type TranscriptTotals = { inputTokens: number; outputTokens: number; cacheRead: number; cacheWrite: number; costUsd: number | null };

/** Sums per-message usage; cost stays null when no message carries one (never a fake $0). */
export function transcriptTotals(messages: readonly TranscriptMessage[]): TranscriptTotals {
  const totals: TranscriptTotals = { inputTokens: 0, outputTokens: 0, cacheRead: 0, cacheWrite: 0, costUsd: null };
  for (const message of messages) {
    totals.inputTokens += message.inputTokens ?? 0;
    totals.outputTokens += message.outputTokens ?? 0;
    totals.cacheRead += message.cacheRead ?? 0;
    totals.cacheWrite += message.cacheWrite ?? 0;
    if (message.costUsd !== undefined && message.costUsd !== null) totals.costUsd = (totals.costUsd ?? 0) + message.costUsd;
  }
  return totals;
}
