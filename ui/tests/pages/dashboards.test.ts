// Dashboards page against an in-memory dashboard store behind the transport.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import { ApiError } from '../../src/lib/api/errors';
import type { Dashboard, DashboardWidget, DashboardWithWidgets, WidgetCreateRequest } from '../../src/lib/api/types.gen';
import DashboardsPage from '../../src/routes/DashboardsPage.svelte';
import { spendGroup, spendResponse } from '../support/fixtures';
import { createMemoryTransport, type Handlers } from '../support/memory-transport';

/** A dashboard store behind the transport; `extra` answers the other operations a test needs. */
function dashboardBackend(extra: Handlers = {}) {
  const dashboards: DashboardWithWidgets[] = [];
  let nextId = 1;
  const stamp = '2026-11-28T12:00:00Z';
  const find = (id: string) => {
    const found = dashboards.find((entry) => entry.id === id);
    if (!found) throw new ApiError('not_found', 'dashboard not found', 404);
    return found;
  };
  const plain = ({ widgets, ...dashboard }: DashboardWithWidgets): Dashboard => {
    void widgets;
    return dashboard;
  };
  const transport = createMemoryTransport({
    dashboards_list: () => ({ dashboards: dashboards.map(plain) }),
    dashboard_default: () => {
      const found = dashboards.find((entry) => entry.isDefault);
      if (!found) throw new ApiError('not_found', 'no default dashboard found', 404);
      return found;
    },
    dashboard_get: ({ id }) => find(id),
    dashboard_create: ({ name, description, isDefault }) => {
      const created: DashboardWithWidgets = { id: `d${nextId++}`, name, description, isDefault: isDefault ?? false, createdAt: stamp, updatedAt: stamp, widgets: [] };
      dashboards.push(created);
      return plain(created);
    },
    widget_create: (request: WidgetCreateRequest) => {
      const { id, config, ...rest } = request;
      const widget: DashboardWidget = { ...rest, id: `w${nextId++}`, dashboardId: id, config: config ?? {}, createdAt: stamp, updatedAt: stamp };
      find(id).widgets.push(widget);
      return widget;
    },
    widget_positions: ({ id, positions }) => {
      const dashboard = find(id);
      for (const position of positions) Object.assign(dashboard.widgets.find((widget) => widget.id === position.id) ?? {}, position);
      return { status: 'ok' };
    },
    widget_delete: ({ id, widgetId }) => {
      const dashboard = find(id);
      dashboard.widgets = dashboard.widgets.filter((widget) => widget.id !== widgetId);
      return {};
    },
    stats: () => ({ traceCount: 1234, rawTraceCount: 1234, codexOperationCount: 0, spanCount: 5000, logCount: 42, metricCount: 7, serviceCount: 2, services: ['claude-code', 'gemini_cli'], errorRate: 2.5 }),
    traces_recent: () => ({
      traces: [{ id: 'abc', kind: 'otel_trace', traceId: 'abc', rootSpanId: 's', rootSpan: 'run_task', serviceName: 'codex_cli_rs', startTime: stamp, duration: 2_000_000_000, spanCount: 4, status: 'OK' }],
      total: 1,
      hasMore: false,
    }),
    spend: () => spendResponse('tool', [spendGroup('claude-code', 3.21), spendGroup('codex', 0.02)]),
    ...extra,
  });
  return { transport, dashboards };
}

describe('DashboardsPage', () => {
  it('creates the default dashboard with the six reference widgets on the first visit', async () => {
    const { transport, dashboards } = dashboardBackend();
    useTransport(transport);
    render(DashboardsPage, { props: { params: {} } });

    expect(await screen.findByRole('heading', { name: 'Default Dashboard' })).toBeTruthy();
    // which dashboard is the default is read from the list: no request the API answers with 404
    expect(transport.callsOf('dashboard_default')).toHaveLength(0);
    expect(transport.callsOf('dashboard_create')[0]?.request).toEqual({ name: 'Default Dashboard', description: 'AI Observer default dashboard', isDefault: true });
    expect(dashboards[0]?.widgets.map((widget) => [widget.widgetType, widget.gridColumn, widget.gridRow, widget.colSpan])).toEqual([
      ['stats_traces', 1, 1, 1],
      ['stats_metrics', 2, 1, 1],
      ['stats_logs', 3, 1, 1],
      ['stats_error_rate', 4, 1, 1],
      ['active_services', 1, 2, 2],
      ['recent_activity', 1, 3, 4],
    ]);
    const first = dashboards[0]?.widgets[0] as DashboardWidget;
    const tile = await screen.findByTestId(`widget-${first.id}`);
    await waitFor(() => expect(tile.textContent).toContain('1.23K'));
    expect(screen.getByText('Gemini CLI')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'run_task' }).getAttribute('href')).toBe('/traces/otel_trace/abc');
    // one stats call serves all five stat-backed widgets
    expect(transport.callsOf('stats')).toHaveLength(1);
  });

  it('adds a spend widget in the first free slot and shows the API cost', async () => {
    const { transport, dashboards } = dashboardBackend();
    useTransport(transport);
    render(DashboardsPage, { props: { params: {} } });
    await screen.findByRole('heading', { name: 'Default Dashboard' });

    await fireEvent.click(screen.getByTestId('add-widget'));
    const form = await screen.findByTestId('add-widget-form');
    await fireEvent.change(within(form).getByTestId('widget-type'), { target: { value: 'spend_total' } });
    await fireEvent.click(within(form).getByTestId('add-widget-submit'));

    await waitFor(() => expect(transport.callsOf('widget_create')).toHaveLength(7));
    expect(transport.callsOf('widget_create')[6]?.request).toMatchObject({ widgetType: 'spend_total', title: 'Spend', gridColumn: 3, gridRow: 2, colSpan: 1, rowSpan: 1 });
    const created = dashboards[0]?.widgets.at(-1) as DashboardWidget;
    const money = await screen.findByTestId(`spend-total-${created.id}`);
    expect(money.textContent).toBe('$3.23');
    expect(money.dataset.value).toBe(String(3.21 + 0.02));
  });

  it('adds a metric value widget that shows the range’s aggregate, its raw number in data-value', async () => {
    const { transport, dashboards } = dashboardBackend({
      services_list: () => ({ services: ['claude-code'] }),
      metric_names: () => ({ names: ['claude_code.cost.usage', 'claude_code.token.usage'] }),
      metric_batch_series: ({ queries }) => ({
        results: queries.map((query) => ({
          id: query.id,
          success: true,
          series: query.aggregate
            ? [
                { name: query.name, labels: { service: 'claude-code', model: 'm1' }, datapoints: [[0, 0.125]] },
                { name: query.name, labels: { service: 'claude-code', model: 'm2' }, datapoints: [[0, 0.0135]] },
              ]
            : [],
        })),
      }),
    });
    useTransport(transport);
    render(DashboardsPage, { props: { params: {} } });
    await screen.findByRole('heading', { name: 'Default Dashboard' });

    await fireEvent.click(screen.getByTestId('add-widget'));
    const form = await screen.findByTestId('add-widget-form');
    await fireEvent.change(within(form).getByTestId('widget-type'), { target: { value: 'metric_value' } });
    const metric = await within(form).findByTestId('widget-metric');
    await waitFor(() => expect(within(metric).getByRole('option', { name: /claude_code\.cost\.usage/ })).toBeTruthy());
    await fireEvent.change(metric, { target: { value: 'claude_code.cost.usage' } });
    await fireEvent.click(within(form).getByTestId('add-widget-submit'));

    await waitFor(() => expect(transport.callsOf('widget_create')).toHaveLength(7));
    const created = dashboards[0]?.widgets.at(-1) as DashboardWidget;
    expect(created.config).toMatchObject({ metricName: 'claude_code.cost.usage' });
    const value = await screen.findByTestId(`metric-value-${created.id}`);
    expect(value.dataset.value).toBe(String(0.125 + 0.0135));
    expect(value.textContent).toBe('$0.14');
    expect(transport.callsOf('metric_batch_series').at(-1)?.request.queries).toEqual([{ id: created.id, name: 'claude_code.cost.usage', aggregate: true }]);
  });

  it('moves widgets with the keyboard controls and saves positions', async () => {
    const { transport, dashboards } = dashboardBackend();
    useTransport(transport);
    render(DashboardsPage, { props: { params: {} } });
    await screen.findByRole('heading', { name: 'Default Dashboard' });
    const [first, second] = dashboards[0]?.widgets ?? [];

    await fireEvent.click(screen.getByTestId('edit-dashboard'));
    const tile = screen.getByTestId(`widget-${first?.id}`);
    // one menu per card holds the move, resize and remove actions
    const menu = within(tile).getByRole('button', { name: /Move, resize or remove/ });
    expect(menu.getAttribute('aria-expanded')).toBe('false');
    expect(within(tile).getAllByRole('button')).toHaveLength(1);
    await fireEvent.click(menu);
    expect(menu.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.click(within(tile).getByRole('button', { name: 'Move right' }));

    await waitFor(() => expect(transport.callsOf('widget_positions')).toHaveLength(1));
    expect(transport.callsOf('widget_positions')[0]?.request).toEqual({
      id: dashboards[0]?.id,
      positions: [
        { id: first?.id, gridColumn: 2, gridRow: 1 },
        { id: second?.id, gridColumn: 1, gridRow: 1 },
      ],
    });
    expect(screen.getByTestId(`widget-${first?.id}`).style.gridColumn).toBe('2 / span 1');

    await fireEvent.click(within(screen.getByTestId(`widget-${second?.id}`)).getByRole('button', { name: /Move, resize or remove/ }));
    await fireEvent.click(within(screen.getByTestId(`widget-${second?.id}`)).getByRole('button', { name: /^Remove/ }));
    await waitFor(() => expect(transport.callsOf('widget_delete')).toHaveLength(1));
    expect(screen.queryByTestId(`widget-${second?.id}`)).toBeNull();
  });

  it('moves a widget by drag and drop onto a free cell', async () => {
    const { transport, dashboards } = dashboardBackend();
    useTransport(transport);
    render(DashboardsPage, { props: { params: {} } });
    await screen.findByRole('heading', { name: 'Default Dashboard' });
    const first = dashboards[0]?.widgets[0] as DashboardWidget;

    await fireEvent.click(screen.getByTestId('edit-dashboard'));
    const tile = screen.getByTestId(`widget-${first.id}`);
    expect(tile.getAttribute('draggable')).toBe('true');
    const data = new Map<string, string>();
    const dataTransfer = { setData: (type: string, value: string) => data.set(type, value), getData: (type: string) => data.get(type) ?? '', effectAllowed: 'all' };
    await fireEvent.dragStart(tile, { dataTransfer });
    const cell = screen.getByRole('button', { name: 'Add a widget at column 4, row 2' });
    await fireEvent.dragOver(cell, { dataTransfer });
    await fireEvent.drop(cell, { dataTransfer });

    await waitFor(() => expect(transport.callsOf('widget_positions')).toHaveLength(1));
    expect(transport.callsOf('widget_positions')[0]?.request.positions).toEqual([{ id: first.id, gridColumn: 4, gridRow: 2 }]);

    // leaving edit mode closes the now-empty gap and saves once more only if something moved
    await fireEvent.click(screen.getByTestId('edit-done'));
    expect(screen.getByTestId(`widget-${first.id}`).getAttribute('draggable')).toBe('false');
  });
});
