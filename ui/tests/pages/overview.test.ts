// Overview page rendered with API answers from an in-memory transport.
import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { LimitState, SpendRequest, SpendSummary, SpendSummaryRequest } from '../../src/lib/api/types.gen';
import { setUserTimeZone } from '../../src/lib/features/time-range/time-zone.svelte';
import { formatUsd } from '../../src/lib/format/money';
import OverviewPage from '../../src/routes/OverviewPage.svelte';
import { limitState, session, spendGroup, spendResponse, tokens } from '../support/fixtures';
import { createMemoryTransport, type Handlers } from '../support/memory-transport';

function overviewHandlers(): Handlers {
  return {
    limits_latest: () => ({ limits: [] }),
    spend_summary: () => ({
      tz: 'UTC',
      today: spendGroup('today', 0.1234),
      last7Days: spendGroup('7d', 12.5),
      last30Days: spendGroup('30d', 1234.567),
      thisMonth: spendGroup('month', 0.004567),
      todayByTool: [spendGroup('claude-code', 0.1, { requests: 3 }), spendGroup('codex', 0.0234)],
      unpricedModels: [{ tool: 'codex', model: 'gpt-9-preview', requests: 4, tokens: tokens({ input: 1000, output: 200 }) }],
    }),
    budget: () => ({
      tz: 'UTC',
      daily: { period: 'daily', budgetUsd: 10, spentUsd: 8.5, percent: 85, state: 'warning', periodStart: '2026-11-28T00:00:00Z', periodEnd: '2026-11-29T00:00:00Z', projectedUsd: 12 },
      monthly: null,
    }),
    spend: (request: SpendRequest) => {
      if (request.groupBy === 'tool') return spendResponse('tool', [spendGroup('claude-code', 3, { requests: 4 }), spendGroup('gemini', null, { requests: 2, unpricedRequests: 2 })]);
      if (request.groupBy === 'day') {
        return spendResponse('day', request.tool === 'claude-code' ? [spendGroup('2026-11-26', 1), spendGroup('2026-11-28', 2)] : []);
      }
      if (request.groupBy === 'model') {
        return spendResponse('model', [
          spendGroup('claude-sonnet-4-5', 3, { tokens: tokens({ input: 1500, output: 2500, cacheRead: 7000, cacheCreation: 1500, reasoning: 300 }) }),
        ]);
      }
      if (request.groupBy === 'session') {
        return spendResponse('session', [spendGroup('2f1c3a9e-1111-4bb9-ba1d-f11545480b27', 2.5), spendGroup('session-b', 0.5), spendGroup('session-c', null)]);
      }
      return spendResponse('project', [spendGroup('/home/dev/observer', 3)]);
    },
    sessions_list: () => ({
      sessions: [
        session('2f1c3a9e-1111-4bb9-ba1d-f11545480b27', { lastTime: '2026-11-28T10:05:00Z', messageCount: 4, model: 'claude-sonnet-4-5', models: ['claude-sonnet-4-5'], costUsd: 2.5 }),
      ],
      total: 1,
      hasMore: false,
    }),
    stats: () => ({ traceCount: 4, rawTraceCount: 4, codexOperationCount: 0, spanCount: 20, logCount: 50, metricCount: 9, serviceCount: 2, services: ['claude-code', 'codex_cli_rs'], errorRate: 5 }),
    log_levels: () => ({ INFO: 40, ERROR: 3 }),
    logs_list: (request) =>
      request.severity === 'ERROR'
        ? { logs: [{ timestamp: '2026-11-28T10:00:00Z', serviceName: 'claude-code', severityText: 'ERROR', body: 'api_error 529 overloaded' }], total: 1, hasMore: false }
        : {
            logs: [100, 200, 300, 400].map((duration) => ({ timestamp: '2026-11-28T10:00:00Z', serviceName: 'claude-code', logAttributes: { duration_ms: String(duration) } })),
            total: 4,
            hasMore: false,
          },
  };
}

function overviewTransport() {
  return createMemoryTransport(overviewHandlers());
}

describe('OverviewPage', () => {
  it('shows spend numbers formatted from the API values, with the raw value in data-value', async () => {
    useTransport(overviewTransport());
    render(OverviewPage);

    const today = await screen.findByTestId('spend-today');
    expect(today.textContent).toBe(formatUsd(0.1234));
    expect(today.textContent).toBe('$0.12');
    expect(today.dataset.value).toBe('0.1234');
    expect(screen.getByTestId('spend-7d').textContent).toBe('$12.50');
    expect(screen.getByTestId('spend-30d').textContent).toBe('$1,234.57');
    expect(screen.getByTestId('spend-month').textContent).toBe('$0.0046');
  });

  it('shows an amount once when neighbouring windows hold the same', async () => {
    const handlers = overviewHandlers();
    const same = spendGroup('x', 0.25, { requests: 17 });
    useTransport(createMemoryTransport({ ...handlers, spend_summary: () => ({ tz: 'UTC', today: spendGroup('today', 0, { requests: 0 }), last7Days: same, last30Days: same, thisMonth: same, todayByTool: [], unpricedModels: [] }) }));
    render(OverviewPage);
    const merged = await screen.findByTestId('spend-7d');
    expect(merged.textContent).toBe('$0.25');
    expect(merged.dataset.covers).toBe('spend-30d spend-month');
    expect(screen.queryByTestId('spend-30d')).toBeNull();
    expect(screen.getByTestId('recent-spend').textContent).toContain('Last 7 days, 30 days and this month');
    expect(screen.getByTestId('recent-spend').textContent).toContain('17 requests');
    expect(screen.getByTestId('recent-spend').textContent).toContain('0 requests');
  });

  it('shows tokens by type, cache hit rate, budget, unpriced models, top lists and latency', async () => {
    const transport = overviewTransport();
    useTransport(transport);
    render(OverviewPage);

    expect((await screen.findByTestId('tokens-input')).textContent).toBe('1.5K');
    expect(screen.getByTestId('tokens-output').textContent).toBe('2.5K');
    expect(screen.getByTestId('tokens-cache-read').textContent).toBe('7K');
    expect(screen.getByTestId('tokens-cache-creation').textContent).toBe('1.5K');
    expect(screen.getByTestId('tokens-reasoning').textContent).toBe('300');
    // 7000 / (1500 + 7000 + 1500)
    expect(screen.getByTestId('cache-hit-rate').textContent).toBe('70.0%');

    const gauge = await screen.findByTestId('budget-gauge');
    expect(gauge.dataset.state).toBe('warning');
    expect(gauge.textContent).toContain('$8.50');

    expect((await screen.findByTestId('unpriced-models')).textContent).toContain('gpt-9-preview');
    // a session without a title is named by its short id, with its tool and model
    await waitFor(() => expect(screen.getByTestId('top-sessions').textContent).toContain('claude-sonnet-4-5'));
    const sessions = screen.getByTestId('top-sessions');
    expect(sessions.textContent).toContain('2f1c3a9e');
    expect(sessions.textContent).not.toContain('2f1c3a9e-1111');
    expect(sessions.textContent).toContain('Claude Code');
    // a group none of whose requests has a price says so instead of $0.00
    expect(sessions.querySelector('tr:last-child td:last-child')?.textContent?.trim()).toBe('no price');
    const byTool = screen.getByTestId('spend-by-tool');
    expect(byTool.textContent).toContain('Claude Code');
    expect(byTool.textContent).toContain('no price');
    expect(byTool.textContent).not.toContain('$0.00');
    expect(screen.getByTestId('spend-by-model').textContent).toContain('claude-sonnet-4-5');
    expect(screen.getByTestId('top-projects').textContent).toContain('/home/dev/observer');
    expect((await screen.findByTestId('latency-table')).textContent).toContain('Claude Code');
    expect(screen.getByTestId('error-logs').textContent).toBe('3');

    // spend: model, tool, day, session and project, plus one daily query per tool that has cost
    await waitFor(() => expect(transport.callsOf('spend')).toHaveLength(6));
    const daily = transport.callsOf('spend').filter((call) => call.request.groupBy === 'day');
    expect(daily.map((call) => call.request.tool ?? 'total').sort()).toEqual(['claude-code', 'total']);
    expect(screen.getByTestId('spend-range').dataset.value).toBe('3');
    expect(screen.getByTestId('requests-range').dataset.value).toBe('1');
    expect(screen.getByTestId('requests-range').textContent).toBe('1');
    expect(screen.getByTestId('tokens-total').dataset.value).toBe('12500');
    // the app's range: the last 7 days unless the user chose another
    expect(window.location.search).toContain('timeframe=7d');
  });

  it('asks for the numbers first and the breakdowns and health only when they are in', async () => {
    const handlers = overviewHandlers();
    const summary = handlers.spend_summary as (request: SpendSummaryRequest) => SpendSummary;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transport = createMemoryTransport({
      ...handlers,
      spend_summary: async (request) => {
        await gate;
        return summary(request);
      },
    });
    useTransport(transport);
    render(OverviewPage);

    await waitFor(() => expect(transport.callsOf('spend').map((call) => call.request.groupBy)).toEqual(['model']));
    expect((await screen.findByTestId('spend-range')).dataset.value).toBe('3');
    expect(transport.callsOf('stats')).toHaveLength(0);
    release();
    await waitFor(() => expect(transport.callsOf('spend')).toHaveLength(6));
    await waitFor(() => expect(transport.callsOf('stats')).toHaveLength(1));
  });

  it('says "no price", never $0.00, for a range, window or tool whose requests have no price (cost null)', async () => {
    const unpriced = spendGroup('x', null, { requests: 5, unpricedRequests: 5 });
    useTransport(
      createMemoryTransport({
        ...overviewHandlers(),
        spend_summary: () => ({ tz: 'UTC', today: unpriced, last7Days: unpriced, last30Days: unpriced, thisMonth: unpriced, todayByTool: [spendGroup('gemini', null, { requests: 5, unpricedRequests: 5 })], unpricedModels: [] }),
        spend: (request: SpendRequest) => spendResponse(request.groupBy ?? 'tool', [spendGroup(request.groupBy === 'tool' ? 'gemini' : 'gemini-9-preview', null, { requests: 5, unpricedRequests: 5 })]),
      }),
    );
    render(OverviewPage);
    const range = await screen.findByTestId('spend-range');
    expect(range.textContent).toBe('no price');
    expect(range.dataset.value).toBe('null');
    const today = screen.getByTestId('spend-today');
    expect(today.textContent).toBe('no price');
    expect(today.dataset.value).toBe('null');
    const gemini = await screen.findByTestId('spend-today-gemini');
    expect(gemini.textContent).toBe('no price');
    expect(gemini.dataset.value).toBe('null');
    expect((await screen.findByTestId('spend-by-tool')).textContent).toContain('no price');
    expect(document.body.textContent).not.toContain('$0.00');
  });

  it('tells a first-run user what to do next instead of drawing an empty chart', async () => {
    const empty = spendGroup('none', 0, { requests: 0 });
    useTransport(
      createMemoryTransport({
        ...overviewHandlers(),
        spend_summary: () => ({ tz: 'UTC', today: empty, last7Days: empty, last30Days: empty, thisMonth: empty, todayByTool: [], unpricedModels: [] }),
        spend: (request: SpendRequest) => spendResponse(request.groupBy ?? 'tool', []),
        sessions_list: () => ({ sessions: [], total: 0, hasMore: false }),
      }),
    );
    render(OverviewPage);
    const state = await screen.findByTestId('cost-empty');
    expect(state.textContent).toContain('No data yet');
    expect(state.querySelector('a[href="/setup"]')).not.toBeNull();
    expect(state.querySelector('a[href="/import"]')).not.toBeNull();
  });
});

describe('OverviewPage: Plan limits card', () => {
  const NOW = Date.parse('2026-11-28T12:00:00Z');

  function showLimits(limits: LimitState[] | (() => LimitState[])) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    setUserTimeZone('UTC');
    const transport = createMemoryTransport({ ...overviewHandlers(), limits_latest: () => ({ limits: typeof limits === 'function' ? limits() : limits }) });
    useTransport(transport);
    render(OverviewPage);
    return transport;
  }

  afterEach(() => {
    vi.useRealTimers();
    setUserTimeZone(null);
  });

  it('shows each open window with its percent, gauge and reset countdown', async () => {
    showLimits([
      limitState({ usedPercent: 88, resetsAt: '2026-11-28T13:12:00Z' }),
      limitState({ window: '7d', usedPercent: 14, resetsAt: '2026-12-05T02:30:00Z' }),
    ]);
    const fiveHour = await screen.findByTestId('limit-claude-code-5h');
    expect(screen.getByTestId('limit-percent-claude-code-5h').textContent).toBe('88%');
    expect(fiveHour.dataset.value).toBe('88');
    expect(fiveHour.dataset.tone).toBe('warn');
    const meter = fiveHour.querySelector('[role="meter"]');
    expect(meter?.getAttribute('aria-valuenow')).toBe('88');
    expect(meter?.getAttribute('aria-valuemax')).toBe('100');
    expect(meter?.getAttribute('aria-label')).toBe('Claude Code, 5-hour window: 88% used');
    expect(meter?.classList.contains('meter-warn')).toBe(true);
    expect(screen.getByTestId('limit-reset-claude-code-5h').textContent).toBe('resets in 1 h 12 min');
    expect(screen.getByTestId('limit-percent-claude-code-7d').textContent).toBe('14%');
    expect(screen.getByTestId('limit-reset-claude-code-7d').textContent).toBe('resets Sat, Dec 5, 2:30 AM');
    expect(screen.getByTestId('limits-claude-code').textContent).toContain('from its status line');
    expect(screen.getByTestId('plan-limits-history').getAttribute('href')).toBe('/limits');
    expect(screen.queryByTestId('limits-empty')).toBeNull();
  });

  it('reads "reset" without the old percent or a gauge once the window started over', async () => {
    showLimits([
      limitState({ tool: 'codex', source: 'session-file', planType: 'plus', usedPercent: 31, resetsAt: '2026-11-28T03:27:00Z', observedAt: '2026-11-27T23:26:28Z', expired: true }),
      // the API still called this one open, but its reset has passed since
      limitState({ tool: 'codex', source: 'session-file', planType: 'plus', window: '7d', usedPercent: 4, resetsAt: '2026-11-28T11:59:00Z', observedAt: '2026-11-27T23:26:28Z' }),
    ]);
    const window = await screen.findByTestId('limit-codex-5h');
    expect(window.dataset.expired).toBe('true');
    expect(screen.getByTestId('limit-percent-codex-5h').textContent).toBe('reset');
    expect(window.querySelector('[role="meter"]')).toBeNull();
    expect(window.textContent).not.toContain('31');
    expect(screen.getByTestId('limit-reset-codex-5h').textContent).toContain('Reset since the last report');
    const weekly = screen.getByTestId('limit-codex-7d');
    expect(weekly.dataset.expired).toBe('true');
    expect(weekly.textContent).not.toContain('4%');
    expect(screen.getByTestId('limits-codex').textContent).toContain('Plus plan · from its session files');
  });

  it('warns when the pace reaches the limit before the reset, and projects the use at reset otherwise', async () => {
    showLimits([
      limitState({ usedPercent: 70, resetsAt: '2026-11-28T16:00:00Z', pace: { percentPerHour: 8, projectedPercentAtReset: 102, reachesLimitAt: '2026-11-28T15:42:00Z' } }),
      limitState({ window: '7d', usedPercent: 20, resetsAt: '2026-12-03T00:00:00Z', pace: { percentPerHour: 0.5, projectedPercentAtReset: 79.6, reachesLimitAt: null } }),
    ]);
    const warning = await screen.findByTestId('limit-pace-claude-code-5h');
    expect(warning.textContent).toBe('At this pace the limit is reached at 3:42 PM, before the reset');
    expect(warning.dataset.warn).toBe('true');
    const projection = screen.getByTestId('limit-pace-claude-code-7d');
    expect(projection.textContent).toBe('At this pace: 80% at reset');
    expect(projection.dataset.warn).toBe('false');
  });

  it('says how to get the limits when no tool reported any', async () => {
    showLimits([]);
    const help = await screen.findByTestId('limits-empty');
    expect(help.textContent).toContain('No plan limits reported yet');
    expect(help.textContent).toContain('Codex CLI');
    expect(help.querySelector('a[href="/import"]')).not.toBeNull();
    // Claude Code's status line is set up on the Setup page (one place for the setting)
    expect(help.textContent).toContain('make ai-observer statusline its status line');
    expect(screen.getByTestId('limits-setup-link').getAttribute('href')).toBe('/setup');
    expect(screen.queryByTestId('limit-gauges')).toBeNull();
  });

  it('loads the limits again when a tool reports them on the live channel', async () => {
    let limits: LimitState[] = [];
    const transport = showLimits(() => limits);
    await screen.findByTestId('limits-empty');
    limits = [limitState({ usedPercent: 88, resetsAt: '2026-11-28T14:00:00Z' })];
    transport.emit({ type: 'limits', timestamp: '2026-11-28T12:00:00Z', payload: { recorded: 2 } });
    expect((await screen.findByTestId('limit-percent-claude-code-5h', {}, { timeout: 3000 })).textContent).toBe('88%');
    expect(transport.callsOf('limits_latest')).toHaveLength(2);
  });
});
