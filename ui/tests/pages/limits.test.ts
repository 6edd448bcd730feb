// The Limits page rendered with API answers from an in-memory transport: the latest windows, and
// per tool and window the reports of the app's range that its chart draws.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { LimitState } from '../../src/lib/api/types.gen';
import { setUserTimeZone } from '../../src/lib/features/time-range/time-zone.svelte';
import LimitsPage from '../../src/routes/LimitsPage.svelte';
import { limitState } from '../support/fixtures';
import { createMemoryTransport } from '../support/memory-transport';

const NOW = Date.parse('2026-11-28T12:00:00Z');

const HISTORY: LimitState[] = [
  limitState({ observedAt: '2026-11-28T09:00:00Z', usedPercent: 12 }),
  limitState({ observedAt: '2026-11-28T09:00:00Z', window: '7d', usedPercent: 10, resetsAt: '2026-12-03T00:00:00Z' }),
  limitState({ observedAt: '2026-11-28T10:00:00Z', usedPercent: 12 }),
  limitState({ observedAt: '2026-11-28T11:00:00Z', usedPercent: 47 }),
  limitState({ observedAt: '2026-11-28T11:55:00Z', usedPercent: 88 }),
  limitState({ observedAt: '2026-11-28T11:55:00Z', window: '7d', usedPercent: 14, resetsAt: '2026-12-03T00:00:00Z' }),
];

const LATEST: LimitState[] = [
  limitState({ usedPercent: 88, pace: { percentPerHour: 25.4, projectedPercentAtReset: 140, reachesLimitAt: '2026-11-28T12:28:00Z' } }),
  limitState({ window: '7d', usedPercent: 14, resetsAt: '2026-12-03T00:00:00Z' }),
  limitState({ tool: 'codex', source: 'session-file', planType: 'plus', usedPercent: 31, resetsAt: '2026-11-28T03:27:00Z', observedAt: '2026-11-27T23:26:28Z', expired: true }),
];

function limitsTransport(latest: LimitState[] = LATEST, history: LimitState[] = HISTORY) {
  const transport = createMemoryTransport({
    limits_latest: () => ({ limits: latest }),
    limits_history: () => ({ limits: history }),
  });
  useTransport(transport);
  return transport;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  setUserTimeZone('UTC');
});

afterEach(() => {
  vi.useRealTimers();
  setUserTimeZone(null);
});

describe('LimitsPage', () => {
  it('shows the latest windows and, per tool and window, the reports of the range its chart draws', async () => {
    const transport = limitsTransport();
    render(LimitsPage);

    expect((await screen.findByTestId('limit-percent-claude-code-5h')).textContent).toBe('88%');
    expect(screen.getByTestId('limit-pace-claude-code-5h').textContent).toBe('At this pace the limit is reached at 12:28 PM, before the reset');
    expect(screen.getByTestId('limit-percent-codex-5h').textContent).toBe('reset');

    // one history request for every tool and window, over the app's range (the last 7 days by default)
    await waitFor(() => expect(transport.callsOf('limits_history')).toHaveLength(1));
    const asked = transport.callsOf('limits_history')[0]?.request as { from: string; to: string; tool?: string };
    expect(Date.parse(asked.to) - Date.parse(asked.from)).toBe(7 * 86_400_000);
    expect(asked.tool).toBeUndefined();
    expect(window.location.search).toContain('timeframe=7d');

    const summary = await screen.findByTestId('limit-history-summary-claude-code-5h');
    expect(summary.dataset.points).toBe('4');
    expect(summary.textContent?.trim()).toBe('4 reports · highest 88% · last 88%');
    expect(screen.getByTestId('limit-chart-claude-code-5h').getAttribute('aria-label')).toBe('Claude Code, 5-hour window: share used over time');
    // the reports that moved the use, oldest first (the repeated 12 % is one change)
    const rows = [...screen.getByTestId('limit-history-table-claude-code-5h').querySelectorAll('tbody tr')];
    expect(rows.map((row) => row.querySelector('td.num')?.textContent)).toEqual(['12%', '47%', '88%']);
    expect(rows[0]?.textContent).toContain('Nov 28, 2026, 9:00:00 AM');
    expect(screen.getByTestId('limit-history-summary-claude-code-7d').textContent?.trim()).toBe('2 reports · highest 14% · last 14%');
    // a window shown now but without a report in the range says so instead of an empty chart
    expect(screen.getByTestId('limit-history-codex-5h').textContent).toContain('No reports in this range');
    expect(screen.queryByTestId('limit-chart-codex-5h')).toBeNull();
  });

  it('asks for the history of another range when the range changes', async () => {
    const transport = limitsTransport();
    render(LimitsPage);
    await screen.findByTestId('limit-history-summary-claude-code-5h');
    await fireEvent.change(screen.getByTestId('time-range-select'), { target: { value: '24h' } });
    await waitFor(() => expect(transport.callsOf('limits_history')).toHaveLength(2));
    const asked = transport.callsOf('limits_history')[1]?.request as { from: string; to: string };
    expect(Date.parse(asked.to) - Date.parse(asked.from)).toBe(86_400_000);
  });

  it('says how to get the limits when there are none, without empty charts', async () => {
    limitsTransport([], []);
    render(LimitsPage);
    expect((await screen.findByTestId('limits-empty')).textContent).toContain('ai-observer statusline');
    await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
    expect(screen.queryByTestId('limit-history-claude-code-5h')).toBeNull();
  });
});
