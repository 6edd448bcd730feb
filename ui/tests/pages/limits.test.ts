// The Limits page rendered with API answers from an in-memory transport: the latest windows, per
// tool and window the reports of the app's range that its chart draws, and Claude Code's 5-hour
// blocks of the range.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { LimitState, UsageBlock } from '../../src/lib/api/types.gen';
import { setUserTimeZone } from '../../src/lib/features/time-range/time-zone.svelte';
import LimitsPage from '../../src/routes/LimitsPage.svelte';
import { limitState, tokens } from '../support/fixtures';
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

/** An earlier block, the gap after it, and the one running at NOW (12:00), oldest first as the API answers. */
const BLOCKS: UsageBlock[] = [
  {
    start: '2026-11-27T13:00:00Z',
    end: '2026-11-27T18:00:00Z',
    actualEnd: '2026-11-27T13:47:05Z',
    isActive: false,
    isGap: false,
    requests: 6,
    tokens: tokens({ input: 1188, cacheRead: 66818, cacheCreation: 13567, output: 1248 }),
    costUsd: 0.13874085,
    models: ['claude-haiku-4-5-20251001', 'claude-sonnet-5'],
    burnRate: { tokensPerMinute: 1750.3, costPerHour: 0.176 },
    projection: null,
  },
  {
    start: '2026-11-27T18:47:05Z',
    end: '2026-11-28T09:00:00Z',
    actualEnd: null,
    isActive: false,
    isGap: true,
    requests: 0,
    tokens: tokens(),
    costUsd: 0,
    models: [],
    burnRate: null,
    projection: null,
  },
  {
    start: '2026-11-28T09:00:00Z',
    end: '2026-11-28T14:00:00Z',
    actualEnd: '2026-11-28T11:55:00Z',
    isActive: true,
    isGap: false,
    requests: 31,
    tokens: tokens({ input: 9000, cacheRead: 400_000, cacheCreation: 30_000, output: 21_000 }),
    costUsd: 4.2,
    models: ['claude-opus-4-8'],
    burnRate: { tokensPerMinute: 2623.9, costPerHour: 1.4318 },
    projection: { totalTokens: 775_868, totalCostUsd: 7.06, remainingMinutes: 120 },
  },
];

function limitsTransport(latest: LimitState[] = LATEST, history: LimitState[] = HISTORY, blocks: UsageBlock[] = BLOCKS) {
  const transport = createMemoryTransport({
    limits_latest: () => ({ limits: latest }),
    limits_history: () => ({ limits: history }),
    blocks: () => ({ blocks }),
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

  it('lists Claude Code’s 5-hour blocks of the range, newest first, the running one with its burn rate', async () => {
    const transport = limitsTransport();
    render(LimitsPage);
    await screen.findByTestId('usage-blocks-table');
    const asked = transport.callsOf('blocks')[0]?.request as { from: string; to: string; tz: string };
    expect(Date.parse(asked.to) - Date.parse(asked.from)).toBe(7 * 86_400_000);
    expect(asked.tz).toBe('UTC');

    const rows = screen.getAllByTestId('usage-block');
    expect(rows.map((row) => row.dataset.start)).toEqual(['2026-11-28T09:00:00Z', '2026-11-27T13:00:00Z']);
    const [active, earlier] = rows as [HTMLElement, HTMLElement];
    expect(active.dataset.active).toBe('true');
    expect(active.textContent).toContain('Nov 28, 9:00 AM – 2:00 PM');
    expect(active.querySelector('[data-testid="usage-block-requests"]')?.textContent).toBe('31');
    expect(active.querySelector('[data-testid="usage-block-tokens"]')?.textContent).toBe('460K');
    expect(active.querySelector('[data-testid="usage-block-cost"]')?.textContent).toBe('$4.20');
    expect(active.querySelector('[data-testid="usage-block-burn-rate"]')?.textContent).toBe('Burn rate $1.43/h · 2.62K tokens/min');
    expect(active.querySelector('[data-testid="usage-block-projection"]')?.textContent).toBe('Projected $7.06 (775.87K tokens) by 2:00 PM, 2h from now');
    expect(earlier.textContent).toContain('Nov 27, 1:00 PM – 6:00 PM');
    expect(earlier.textContent).toContain('last request 1:47 PM');
    expect(earlier.querySelector('[data-testid="usage-block-cost"]')?.getAttribute('data-value')).toBe('0.13874085');
    expect(earlier.querySelector('[data-testid="usage-block-cost"]')?.textContent).toBe('$0.14');
    expect([...earlier.querySelectorAll('.model')].map((model) => model.textContent)).toEqual(['claude-haiku-4-5-20251001', 'claude-sonnet-5']);
    expect(earlier.querySelector('[data-testid="usage-block-burn-rate"]')).toBeNull();

    await fireEvent.change(screen.getByTestId('time-range-select'), { target: { value: '24h' } });
    await waitFor(() => expect(transport.callsOf('blocks')).toHaveLength(2));
    const again = transport.callsOf('blocks')[1]?.request as { from: string; to: string };
    expect(Date.parse(again.to) - Date.parse(again.from)).toBe(86_400_000);
  });

  it('says what to do when the range has no Claude Code blocks', async () => {
    limitsTransport(LATEST, HISTORY, []);
    render(LimitsPage);
    const empty = await screen.findByTestId('usage-blocks-empty');
    expect(empty.textContent).toContain('No Claude Code requests in this range');
    expect(empty.querySelector('a[href="/setup"]')).not.toBeNull();
    expect(empty.querySelector('a[href="/import"]')).not.toBeNull();
    expect(screen.queryByTestId('usage-blocks-table')).toBeNull();
  });

  it('says how to get the limits when there are none, without empty charts', async () => {
    limitsTransport([], []);
    render(LimitsPage);
    expect((await screen.findByTestId('limits-empty')).textContent).toContain('ai-observer statusline');
    await waitFor(() => expect(screen.queryByText('Loading…')).toBeNull());
    expect(screen.queryByTestId('limit-history-claude-code-5h')).toBeNull();
  });
});
