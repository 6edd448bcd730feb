import { describe, expect, it } from 'vitest';
import { TimeRange } from './time-range.svelte';

describe('TimeRange (per-page store)', () => {
  it('starts from the URL and mirrors every change into URL and localStorage', () => {
    window.history.replaceState(null, '', '/logs?timeframe=3h&service=codex');
    const range = new TimeRange('logs', '1h');
    expect(range.selection).toEqual({ kind: 'relative', preset: '3h' });
    expect(localStorage.getItem('ai-observer-logs-timeselection')).toBe('{"kind":"relative","preset":"3h"}');

    range.set({ kind: 'absolute', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    const params = new URLSearchParams(window.location.search);
    expect(params.get('service')).toBe('codex');
    expect(params.get('timeframe')).toBeNull();
    expect(params.get('from')).toBe('2026-11-01T00:00:00.000Z');
    expect(range.isRelative).toBe(false);

    // a new visit of the page without query restores the stored choice
    window.history.replaceState(null, '', '/logs');
    const again = new TimeRange('logs', '1h');
    expect(again.selection).toEqual({ kind: 'absolute', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    expect(window.location.search).toContain('from=2026-11-01');
  });

  it('uses the page default and writes timeframe= into the URL', () => {
    window.history.replaceState(null, '', '/metrics');
    const range = new TimeRange('metrics', '15m');
    expect(range.selection).toEqual({ kind: 'relative', preset: '15m' });
    expect(window.location.search).toBe('?timeframe=15m');
    expect(range.resolve(Date.parse('2026-11-28T12:00:00Z')).from.toISOString()).toBe('2026-11-28T11:45:00.000Z');
  });
});
