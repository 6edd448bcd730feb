import { describe, expect, it } from 'vitest';
import type { DashboardWithWidgets } from '../../api/types.gen';
import { dashboardFileName, parseDashboardFile, toDashboardFile } from './dashboard-file';

const dashboard: DashboardWithWidgets = {
  id: 'd1',
  name: 'Costs & Tokens',
  description: 'What we spend',
  isDefault: false,
  createdAt: '2026-11-28T00:00:00Z',
  updatedAt: '2026-11-28T00:00:00Z',
  widgets: [
    { id: 'w1', dashboardId: 'd1', widgetType: 'spend_chart', title: 'Mine', gridColumn: 1, gridRow: 1, colSpan: 2, rowSpan: 1, config: { groupBy: 'model' }, createdAt: '', updatedAt: '' },
    { id: 'w2', dashboardId: 'd1', widgetType: 'metric_value', title: 'Tokens', gridColumn: 3, gridRow: 1, colSpan: 1, rowSpan: 1, config: { metricName: 'claude_code.token.usage', breakdownAttribute: 'type', breakdownValue: 'input' }, createdAt: '', updatedAt: '' },
  ],
};

describe('dashboard JSON (schemaVersion 1)', () => {
  it('exports without ids or timestamps', () => {
    const file = toDashboardFile(dashboard);
    expect(file).toEqual({
      schemaVersion: 1,
      name: 'Costs & Tokens',
      description: 'What we spend',
      widgets: [
        { widgetType: 'spend_chart', gridColumn: 1, gridRow: 1, colSpan: 2, rowSpan: 1, config: { groupBy: 'model' } },
        { widgetType: 'metric_value', gridColumn: 3, gridRow: 1, colSpan: 1, rowSpan: 1, config: { metricName: 'claude_code.token.usage', breakdownAttribute: 'type', breakdownValue: 'input' } },
      ],
    });
    expect(dashboardFileName(dashboard.name)).toBe('costs-tokens.dashboard.json');
  });

  it('round-trips and derives titles again on import', () => {
    const parsed = parseDashboardFile(JSON.stringify(toDashboardFile(dashboard)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.name).toBe('Costs & Tokens');
    expect(parsed.widgets.map((widget) => widget.title)).toEqual(['Spend by model', 'Token Usage (input)']);
  });

  it('validates before anything is created', () => {
    const bad = {
      schemaVersion: 2,
      name: '',
      widgets: [
        { widgetType: 'pie_of_doom', gridColumn: 1, gridRow: 1, colSpan: 1, rowSpan: 1 },
        { widgetType: 'stats_logs', gridColumn: 4, gridRow: 1, colSpan: 2, rowSpan: 1, config: { chartStacked: 'yes' } },
      ],
    };
    const parsed = parseDashboardFile(JSON.stringify(bad));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      'Unsupported schemaVersion 2 (expected 1).',
      'The dashboard needs a name.',
      'Widget 1: unknown widgetType "pie_of_doom"',
      'Widget 2: does not fit in 4 columns',
      'Widget 2: config.chartStacked must be true or false',
    ]);
    expect(parseDashboardFile('{oops').ok).toBe(false);
  });
});
