// Moving dashboards in and out as files: download the JSON of one dashboard, and create a new
// dashboard (with its widgets) from a validated file.
import { api } from '../../api/client';
import type { Dashboard, DashboardWithWidgets } from '../../api/types.gen';
import { dashboardFileName, parseDashboardFile, toDashboardFile } from './dashboard-file';

export function downloadDashboard(dashboard: DashboardWithWidgets): boolean {
  if (typeof URL.createObjectURL !== 'function') return false;
  const blob = new Blob([JSON.stringify(toDashboardFile(dashboard), null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = dashboardFileName(dashboard.name);
  link.dataset.native = '';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return true;
}

export type ImportOutcome = { ok: true; dashboard: Dashboard } | { ok: false; errors: string[] };

export async function importDashboardText(text: string): Promise<ImportOutcome> {
  const parsed = parseDashboardFile(text);
  if (!parsed.ok) return parsed;
  const dashboard = await api.dashboards.create({ name: parsed.name, description: parsed.description, isDefault: false });
  for (const widget of parsed.widgets) {
    await api.widgets.create({ id: dashboard.id, ...widget });
  }
  return { ok: true, dashboard };
}
