import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryTransport, type Handlers, type MemoryTransport } from '../../../../tests/support/memory-transport';
import { useTransport } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { DashboardWidget, DashboardWithWidgets } from '../../api/types.gen';
import { TimeRange } from '../time-range/time-range.svelte';
import { DashboardEditor } from './dashboard-editor.svelte';
import { DASHBOARD_POLL_MS, DashboardLoader } from './dashboard-loader.svelte';

const stamp = '2026-11-28T12:00:00Z';
const widget = (id: string, widgetType: string, gridColumn: number, gridRow: number, colSpan = 1): DashboardWidget => ({
  id,
  dashboardId: 'd1',
  widgetType,
  title: id,
  gridColumn,
  gridRow,
  colSpan,
  rowSpan: 1,
  config: {},
  createdAt: stamp,
  updatedAt: stamp,
});
const stored = (): DashboardWithWidgets => ({
  id: 'd1',
  name: 'Mine',
  isDefault: false,
  createdAt: stamp,
  updatedAt: stamp,
  widgets: [widget('w1', 'stats_traces', 1, 1), widget('w2', 'stats_logs', 2, 1), widget('w3', 'recent_activity', 1, 3, 4)],
});
const stats = { traceCount: 1, rawTraceCount: 1, codexOperationCount: 0, spanCount: 1, logCount: 1, metricCount: 1, serviceCount: 1, services: [], errorRate: 0 };

let transport: MemoryTransport;
let stops: (() => void)[] = [];

function backend(extra: Handlers = {}): void {
  transport = createMemoryTransport({
    dashboard_get: ({ id }) => {
      if (id !== 'd1') throw new ApiError('not_found', 'dashboard not found', 404);
      return stored();
    },
    dashboards_list: () => ({ dashboards: [] }),
    stats: () => stats,
    traces_recent: () => ({ traces: [], total: 0, hasMore: false }),
    widget_positions: () => ({ status: 'ok' }),
    ...extra,
  });
  useTransport(transport);
}

/** A loader and editor living in their own effect root, as they would in the page component. */
async function open(id: string | undefined = 'd1', settled = true) {
  const range = new TimeRange({ kind: 'relative', preset: '1h' });
  let loader!: DashboardLoader;
  stops.push(
    $effect.root(() => {
      loader = new DashboardLoader(() => id, range);
    }),
  );
  flushSync();
  if (settled) await vi.waitFor(() => expect(loader.dashboard ?? loader.error).toBeTruthy());
  return { loader, editor: new DashboardEditor(loader), range };
}

const dataCalls = () => transport.callsOf('stats').length;

beforeEach(() => backend());

afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
  vi.useRealTimers();
});

describe('DashboardLoader', () => {
  it('loads the dashboard, its list and its widgets’ data: one stats call for every stat widget', async () => {
    const { loader } = await open();
    expect(loader.dashboard?.name).toBe('Mine');
    await vi.waitFor(() => expect(loader.data.value?.stats).toEqual({ value: stats }));
    expect(loader.data.value?.recentTraces).toEqual({ value: { traces: [], total: 0, hasMore: false } });
    expect(dataCalls()).toBe(1);
    expect(transport.callsOf('dashboards_list')).toHaveLength(1);
  });

  it('re-queries the data when what a widget shows or the range changes, not when a widget moves', async () => {
    const { loader, range } = await open();
    await vi.waitFor(() => expect(dataCalls()).toBe(1));
    const current = loader.dashboard as DashboardWithWidgets;
    loader.dashboard = { ...current, widgets: current.widgets.map((entry) => ({ ...entry, gridRow: entry.gridRow + 1 })) };
    flushSync();
    expect(dataCalls()).toBe(1);

    loader.dashboard = { ...current, widgets: current.widgets.map((entry) => (entry.id === 'w2' ? { ...entry, widgetType: 'stats_metrics' } : entry)) };
    flushSync();
    expect(dataCalls()).toBe(2);

    range.set({ kind: 'relative', preset: '24h' });
    flushSync();
    expect(dataCalls()).toBe(3);
  });

  it('goes back to the default dashboard for an unknown id, and reports other failures', async () => {
    window.history.replaceState(null, '', '/dashboards/gone');
    const { loader } = await open('gone', false);
    await vi.waitFor(() => expect(window.location.pathname).toBe('/dashboards'));
    expect([loader.dashboard, loader.error]).toEqual([null, null]);

    backend({ dashboard_get: () => Promise.reject(new ApiError('internal', 'disk full', 500)) });
    const failed = await open('d1');
    expect(failed.loader.error?.message).toBe('disk full');
    expect(failed.loader.dashboard).toBeNull();
  });

  it('re-queries on live data and polls only while the range moves with the clock', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const { range } = await open();
    await vi.waitFor(() => expect(dataCalls()).toBe(1));
    transport.emit({ type: 'usage', timestamp: stamp, payload: [] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(dataCalls()).toBe(2);
    await vi.advanceTimersByTimeAsync(DASHBOARD_POLL_MS);
    expect(dataCalls()).toBe(3);

    range.set({ kind: 'absolute', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    flushSync();
    expect(dataCalls()).toBe(4);
    await vi.advanceTimersByTimeAsync(DASHBOARD_POLL_MS * 3);
    expect(dataCalls()).toBe(4);
  });
});

describe('DashboardEditor', () => {
  it('shows a move at once and takes it back, with a notice, when the API refuses it', async () => {
    let refuse = false;
    backend({
      widget_positions: () => {
        if (refuse) throw new ApiError('bad_request', 'locked', 400);
        return { status: 'ok' };
      },
    });
    const { loader, editor } = await open();
    editor.move('w1', 2, 1);
    expect(loader.dashboard?.widgets.map((entry) => [entry.id, entry.gridColumn, entry.gridRow])).toEqual([
      ['w1', 2, 1],
      ['w2', 1, 1],
      ['w3', 1, 3],
    ]);
    expect(transport.callsOf('widget_positions')[0]?.request.positions).toEqual([
      { id: 'w1', gridColumn: 2, gridRow: 1 },
      { id: 'w2', gridColumn: 1, gridRow: 1 },
    ]);

    refuse = true;
    const before = loader.dashboard;
    editor.move('w3', 3, 2);
    await vi.waitFor(() => expect(editor.notice).toBe('The new position was not saved: locked'));
    expect(loader.dashboard).toBe(before);
  });

  it('adds a widget where asked, or in the first free cell when it does not fit there', async () => {
    let next = 10;
    backend({ widget_create: ({ id, config, ...rest }) => ({ ...rest, id: `w${next++}`, dashboardId: id, config: config ?? {}, createdAt: stamp, updatedAt: stamp }) });
    const { loader, editor } = await open();
    const spend = { widgetType: 'spend_total' as const, title: 'Spend', colSpan: 2, rowSpan: 1, config: {} };

    expect(await editor.add(spend, { gridColumn: 3, gridRow: 1 })).toBe(true);
    expect(transport.callsOf('widget_create')[0]?.request).toMatchObject({ gridColumn: 3, gridRow: 1 });
    expect(editor.notice).toBe('');

    expect(await editor.add(spend, { gridColumn: 4, gridRow: 1 })).toBe(true);
    expect(editor.notice).toBe('The widget does not fit there; it was placed in the first free spot.');
    expect(transport.callsOf('widget_create')[1]?.request).toMatchObject({ gridColumn: 1, gridRow: 2 });
    expect(loader.dashboard?.widgets.map((entry) => entry.id)).toEqual(['w1', 'w2', 'w3', 'w10', 'w11']);
  });

  it('closes empty rows and saves a new name when editing ends', async () => {
    backend({ dashboard_update: ({ id, name, description }) => ({ ...stored(), id, name: name ?? '', description }) });
    const { loader, editor } = await open();
    await editor.finish('  Renamed ', 'for the team');
    expect(transport.callsOf('widget_positions')[0]?.request.positions).toEqual([{ id: 'w3', gridColumn: 1, gridRow: 2 }]);
    expect(transport.callsOf('dashboard_update')[0]?.request).toEqual({ id: 'd1', name: 'Renamed', description: 'for the team' });
    expect([loader.dashboard?.name, loader.dashboard?.description]).toEqual(['Renamed', 'for the team']);
    expect(transport.callsOf('dashboards_list')).toHaveLength(2);

    // nothing changed: nothing is saved
    await editor.finish('Renamed', 'for the team');
    expect(transport.callsOf('dashboard_update')).toHaveLength(1);
  });

  it('tells when making it the default or deleting it fails', async () => {
    backend({
      dashboard_set_default: () => Promise.reject(new ApiError('internal', 'busy', 500)),
      dashboard_delete: () => ({}),
    });
    const { loader, editor } = await open();
    await editor.makeDefault();
    expect(editor.notice).toBe('Could not make this the default: busy');
    expect(loader.dashboard?.isDefault).toBe(false);
    expect(await editor.delete()).toBe(true);
    expect(transport.callsOf('dashboard_delete')[0]?.request).toEqual({ id: 'd1' });
  });
});
