import { afterEach, describe, expect, it } from 'vitest';
import { useTransport } from '../../api/client';
import type { Stats } from '../../api/types.gen';
import { createMemoryTransport } from '../../../../tests/support/memory-transport';
import { FirstRun, forgetLeftWelcome, isEmptyDatabase } from './first-run.svelte';

const EMPTY: Stats = { traceCount: 0, rawTraceCount: 0, codexOperationCount: 0, spanCount: 0, logCount: 0, metricCount: 0, serviceCount: 0, services: [], errorRate: 0 };

afterEach(() => forgetLeftWelcome());

describe('first run', () => {
  it('is a database without a span, log or metric', () => {
    expect(isEmptyDatabase(EMPTY)).toBe(true);
    expect(isEmptyDatabase({ ...EMPTY, logCount: 1 })).toBe(false);
    expect(isEmptyDatabase({ ...EMPTY, spanCount: 3, traceCount: 1, rawTraceCount: 1 })).toBe(false);
    expect(isEmptyDatabase({ ...EMPTY, metricCount: 9 })).toBe(false);
  });

  it('asks stats once, shows the welcome for an empty database, and remembers that the user left it', async () => {
    const transport = createMemoryTransport({ stats: () => EMPTY });
    useTransport(transport);
    const firstRun = new FirstRun();
    expect(firstRun.state).toBe('unknown');
    const asked = firstRun.check();
    expect(firstRun.checking).toBe(true);
    await asked;
    expect(firstRun.showsWelcome).toBe(true);
    await firstRun.check();
    expect(transport.callsOf('stats')).toHaveLength(1);
    firstRun.close();
    expect(firstRun.state).toBe('overview');
    // the same window, the Overview opened again: no welcome, no question
    const again = new FirstRun();
    await again.check();
    expect(again.state).toBe('overview');
    expect(transport.callsOf('stats')).toHaveLength(1);
  });

  it('shows the Overview when the database has data, or when stats fails', async () => {
    useTransport(createMemoryTransport({ stats: () => ({ ...EMPTY, logCount: 5 }) }));
    const withData = new FirstRun();
    await withData.check();
    expect(withData.state).toBe('overview');
    useTransport(createMemoryTransport({}));
    const failing = new FirstRun();
    await failing.check();
    expect(failing.state).toBe('overview');
  });
});
