import { describe, expect, it } from 'vitest';
import type { TranscriptMessage } from '../../api/types.gen';
import { defaultFilters, isMetadataOnly, loadFilters, roleCounts, saveFilters, TRANSCRIPT_FILTERS_KEY, visibleMessages } from './transcript-filters';

const message = (index: number, role: TranscriptMessage['role'], content: string, extra: Partial<TranscriptMessage> = {}): TranscriptMessage => ({
  timestamp: '2026-11-28T12:00:00Z',
  role,
  content,
  index,
  ...extra,
});

const messages = [
  message(0, 'user', 'fix the bug'),
  message(1, 'assistant', '', { inputTokens: 100, outputTokens: 20, costUsd: 0.0123 }),
  message(2, 'assistant', 'Done.', { inputTokens: 50, outputTokens: 10, costUsd: 0.002, cacheRead: 1000 }),
  message(3, 'tool_use', '', { toolName: 'Edit' }),
];

describe('transcript filters', () => {
  it('hides roles and metadata-only assistant events on request', () => {
    const filters = defaultFilters();
    expect(visibleMessages(messages, filters)).toHaveLength(4);
    filters.hideMetadataOnly = true;
    expect(visibleMessages(messages, filters).map((entry) => entry.index)).toEqual([0, 2, 3]);
    filters.roles.tool_use = false;
    expect(visibleMessages(messages, filters).map((entry) => entry.index)).toEqual([0, 2]);
    expect(isMetadataOnly(messages[3] as TranscriptMessage)).toBe(false);
  });

  it('counts roles', () => {
    expect(roleCounts(messages)).toEqual({ user: 1, assistant: 2, tool_use: 1, tool_result: 0, system: 0 });
  });

  it('remembers filters in localStorage', () => {
    const filters = defaultFilters();
    filters.view = 'timeline';
    filters.roles.system = false;
    saveFilters(localStorage, filters);
    expect(localStorage.getItem(TRANSCRIPT_FILTERS_KEY)).toContain('timeline');
    expect(loadFilters(localStorage)).toEqual(filters);
    localStorage.setItem(TRANSCRIPT_FILTERS_KEY, 'garbage');
    expect(loadFilters(localStorage)).toEqual(defaultFilters());
  });
});
