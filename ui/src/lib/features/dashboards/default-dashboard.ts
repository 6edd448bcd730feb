// The dashboard a new user sees: created on the first visit when none is marked default, with the
// original app's six widgets (four stat cards, active services, recent traces). Which one is the
// default is read from the list, so a first visit asks no question the API answers with a 404.
import { api } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { DashboardWithWidgets } from '../../api/types.gen';
import type { WidgetType } from './widget-catalog';

export type WidgetBlueprint = {
  widgetType: WidgetType;
  title: string;
  gridColumn: number;
  gridRow: number;
  colSpan: number;
  rowSpan: number;
};

export const DEFAULT_DASHBOARD_NAME = 'Default Dashboard';
export const DEFAULT_DASHBOARD_DESCRIPTION = 'AI Observer default dashboard';

export const DEFAULT_WIDGETS: readonly WidgetBlueprint[] = [
  { widgetType: 'stats_traces', title: 'Total Traces', gridColumn: 1, gridRow: 1, colSpan: 1, rowSpan: 1 },
  { widgetType: 'stats_metrics', title: 'Metrics', gridColumn: 2, gridRow: 1, colSpan: 1, rowSpan: 1 },
  { widgetType: 'stats_logs', title: 'Logs', gridColumn: 3, gridRow: 1, colSpan: 1, rowSpan: 1 },
  { widgetType: 'stats_error_rate', title: 'Error Rate', gridColumn: 4, gridRow: 1, colSpan: 1, rowSpan: 1 },
  { widgetType: 'active_services', title: 'Active Services', gridColumn: 1, gridRow: 2, colSpan: 2, rowSpan: 1 },
  { widgetType: 'recent_activity', title: 'Recent Traces', gridColumn: 1, gridRow: 3, colSpan: 4, rowSpan: 1 },
];

/** The default dashboard, creating it (and its widgets) when the API has none. */
export async function ensureDefaultDashboard(): Promise<DashboardWithWidgets> {
  const { dashboards } = await api.dashboards.list();
  const marked = dashboards.find((dashboard) => dashboard.isDefault);
  if (marked) {
    try {
      return await api.dashboards.get({ id: marked.id });
    } catch (error) {
      // deleted since the list was read: make a new one
      if (!(error instanceof ApiError) || error.code !== 'not_found') throw error;
    }
  }
  const dashboard = await api.dashboards.create({ name: DEFAULT_DASHBOARD_NAME, description: DEFAULT_DASHBOARD_DESCRIPTION, isDefault: true });
  for (const widget of DEFAULT_WIDGETS) {
    await api.widgets.create({ id: dashboard.id, ...widget, config: {} });
  }
  return api.dashboards.get({ id: dashboard.id });
}
