import { describe, expect, it } from 'vitest';
import { appTimeRange, forgetAppTimeRange, TimeRange } from './time-range.svelte';

describe('the app time range', () => {
  it('is one range for every page: a page opened later shows the range picked on another', () => {
    window.history.replaceState(null, '', '/logs?service=codex');
    const onLogs = appTimeRange();
    expect(onLogs.selection).toEqual({ kind: 'relative', preset: '7d' });
    expect(new URLSearchParams(window.location.search).get('timeframe')).toBe('7d');

    onLogs.set({ kind: 'absolute', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    const params = new URLSearchParams(window.location.search);
    expect(params.get('service')).toBe('codex');
    expect(params.get('timeframe')).toBeNull();
    expect(params.get('from')).toBe('2026-11-01T00:00:00.000Z');
    expect(onLogs.isRelative).toBe(false);

    window.history.pushState(null, '', '/traces');
    const onTraces = appTimeRange();
    expect(onTraces).toBe(onLogs);
    expect(window.location.search).toContain('from=2026-11-01');
    expect(localStorage.getItem('ai-observer-timeselection')).toContain('2026-11-01');
  });

  it('lets a link with a range win, and remembers it', () => {
    window.history.replaceState(null, '', '/metrics');
    appTimeRange().set({ kind: 'relative', preset: '24h' });
    window.history.pushState(null, '', '/sessions?timeframe=3h');
    expect(appTimeRange().selection).toEqual({ kind: 'relative', preset: '3h' });
    expect(localStorage.getItem('ai-observer-timeselection')).toBe('{"kind":"relative","preset":"3h"}');

    // a fresh app (reload) starts from storage
    forgetAppTimeRange();
    window.history.replaceState(null, '', '/metrics');
    expect(appTimeRange().selection).toEqual({ kind: 'relative', preset: '3h' });
    expect(window.location.search).toBe('?timeframe=3h');
  });

  it('resolves a preset against the clock', () => {
    const range = new TimeRange({ kind: 'relative', preset: '15m' });
    expect(range.resolve(Date.parse('2026-11-28T12:00:00Z')).from.toISOString()).toBe('2026-11-28T11:45:00.000Z');
  });
});
