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
