import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryTransport, type MemoryTransport } from '../../../../tests/support/memory-transport';
import { useTransport } from '../../api/client';
import { TimeRange } from '../time-range/time-range.svelte';
import { Explorer, SEARCH_PAUSE_MS, type ExplorerOptions, type ExplorerQuery } from './explorer.svelte';
import { readFilterParams, writeFilterParams } from './url-filters';

type Filter = 'service' | 'severity';
type Page = { rows: string[] };

let transport: MemoryTransport;
let stops: (() => void)[] = [];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(Date.parse('2026-11-28T12:00:00Z'));
  transport = createMemoryTransport({ services_list: () => ({ services: ['claude-code', 'codex'] }) });
  useTransport(transport);
});

afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
  vi.useRealTimers();
});

/** An explorer living in its own effect root (as it would in a component), with its loads recorded. */
function explore(options: Partial<ExplorerOptions<Filter, Page>> = {}) {
  const queries: ExplorerQuery<Filter>[] = [];
  const range = new TimeRange({ kind: 'relative', preset: '1h' });
  range.adoptAddress();
  let explorer!: Explorer<Filter, Page>;
  stops.push(
    $effect.root(() => {
      explorer = new Explorer<Filter, Page>({
        range: () => range,
        filters: ['service', 'severity'],
        search: true,
        pageSize: 50,
        load: (query) => {
          queries.push(query);
          return Promise.resolve({ rows: [`row ${queries.length}`] });
        },
        ...options,
      });
    }),
  );
  flushSync();
  return { explorer, queries, range };
}

const logsMessage = (count: number) => ({ type: 'logs' as const, timestamp: '', payload: Array.from({ length: count }, () => ({ timestamp: '', serviceName: 'codex' })) });

describe('Explorer', () => {
  it('starts from the URL, queries with the filters and the window, and keeps the URL in step', async () => {
    window.history.replaceState(null, '', '/logs?service=codex&search=api_error&keep=1');
    const { explorer, queries } = explore();
    expect(explorer.filters).toEqual({ service: 'codex', severity: '' });
    expect(explorer.searchInput).toBe('api_error');
    expect(queries).toEqual([
      { service: 'codex', severity: undefined, search: 'api_error', from: '2026-11-28T11:00:00.000Z', to: '2026-11-28T12:00:00.000Z', limit: 50, offset: 0 },
    ]);
    await vi.waitFor(() => expect(explorer.list.value).toEqual({ rows: ['row 1'] }));
    expect(explorer.services.value?.services).toEqual(['claude-code', 'codex']);

    explorer.offset = 100;
    explorer.setFilter('severity', 'ERROR');
    flushSync();
    expect(queries.at(-1)).toMatchObject({ service: 'codex', severity: 'ERROR', offset: 0 });
    const params = new URLSearchParams(window.location.search);
    expect([params.get('service'), params.get('severity'), params.get('search'), params.get('keep'), params.get('timeframe')]).toEqual(['codex', 'ERROR', 'api_error', '1', '1h']);

    explorer.setFilter('service', '');
    flushSync();
    expect(new URLSearchParams(window.location.search).has('service')).toBe(false);
  });

  it('re-queries when the page or the time range changes', () => {
    const { explorer, queries, range } = explore();
    explorer.offset = 50;
    flushSync();
    expect(queries.at(-1)?.offset).toBe(50);
    range.set({ kind: 'relative', preset: '24h' });
    flushSync();
    expect(queries).toHaveLength(3);
    expect(queries.at(-1)?.from).toBe('2026-11-27T12:00:00.000Z');
  });

  it('applies the search after a pause in typing, from the first page', () => {
    const { explorer, queries } = explore();
    explorer.offset = 50;
    flushSync();
    for (const text of ['a', 'ap', 'api ']) {
      explorer.searchInput = text;
      flushSync();
      vi.advanceTimersByTime(SEARCH_PAUSE_MS - 1);
    }
    expect(queries).toHaveLength(2);
    vi.advanceTimersByTime(1);
    flushSync();
    expect(queries).toHaveLength(3);
    expect(queries.at(-1)).toMatchObject({ search: 'api', offset: 0 });
    expect(new URLSearchParams(window.location.search).get('search')).toBe('api');

    // blanks around the same text are no new search
    explorer.searchInput = ' api';
    flushSync();
    vi.advanceTimersByTime(SEARCH_PAUSE_MS);
    flushSync();
    expect(queries).toHaveLength(3);
  });

  it('has no search when the page has none', () => {
    window.history.replaceState(null, '', '/sessions?search=ignored');
    const { queries } = explore({ search: false });
    expect(queries[0]).not.toHaveProperty('search');
    expect(new URLSearchParams(window.location.search).get('search')).toBe('ignored');
  });

  it('counts live items as new, each key once, until the list is loaded again', () => {
    let keys: string[] = [];
    const { explorer, queries } = explore({ countNew: (message) => (message.type === 'logs' ? message.payload.length : keys) });
    transport.emit(logsMessage(2));
    transport.emit(logsMessage(1));
    keys = ['trace-a', 'trace-b'];
    transport.emit({ type: 'traces', timestamp: '', payload: [] });
    transport.emit({ type: 'traces', timestamp: '', payload: [] });
    expect(explorer.newItems.count).toBe(5);

    explorer.showNew();
    flushSync();
    expect(explorer.newItems.count).toBe(0);
    expect(queries).toHaveLength(2);

    // on a later page, showing the new items goes back to the first one
    explorer.offset = 50;
    flushSync();
    transport.emit(logsMessage(1));
    expect(explorer.newItems.count).toBe(1);
    explorer.showNew();
    flushSync();
    expect(explorer.offset).toBe(0);
    expect(explorer.newItems.count).toBe(0);
    expect(queries).toHaveLength(4);
  });

  it('offers the live window: open-ended for a relative range, the chosen end for an absolute one', () => {
    const { explorer, range } = explore();
    expect(explorer.liveWindow()).toEqual({ from: Date.parse('2026-11-28T11:00:00Z'), to: Number.POSITIVE_INFINITY });
    range.set({ kind: 'absolute', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    expect(explorer.liveWindow()).toEqual({ from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-02T00:00:00Z') });
  });

  it('re-queries the first page of a moving window on live data when asked to, coalesced', () => {
    const { explorer, queries, range } = explore({ reloadOn: { types: ['usage'], debounceMs: 2000 } });
    transport.emit({ type: 'usage', timestamp: '', payload: [] });
    transport.emit({ type: 'usage', timestamp: '', payload: [] });
    transport.emit(logsMessage(1));
    vi.advanceTimersByTime(2000);
    expect(queries).toHaveLength(2);
    expect(explorer.newItems.count).toBe(0);

    explorer.offset = 50;
    flushSync();
    transport.emit({ type: 'usage', timestamp: '', payload: [] });
    vi.advanceTimersByTime(2000);
    expect(queries).toHaveLength(3);

    explorer.offset = 0;
    range.set({ kind: 'absolute', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    flushSync();
    transport.emit({ type: 'usage', timestamp: '', payload: [] });
    vi.advanceTimersByTime(2000);
    expect(queries).toHaveLength(4);
  });

  it('stops listening when its owner goes away', () => {
    explore();
    expect(transport.listenerCount()).toBe(1);
    for (const stop of stops) stop();
    stops = [];
    expect(transport.listenerCount()).toBe(0);
  });
});

describe('filter parameters', () => {
  it('reads absent keys as empty and writes only non-empty values', () => {
    expect(readFilterParams('?service=codex&other=1', ['service', 'search'])).toEqual({ service: 'codex', search: '' });
    const params = new URLSearchParams('service=codex&search=old&timeframe=1h');
    writeFilterParams(params, { service: 'claude-code', search: '' });
    expect(params.toString()).toBe('service=claude-code&timeframe=1h');
  });
});
