// Every widget type a dashboard can hold: its default title and size, and which settings it needs.
// The first eight are the original app's; spend_total and spend_chart are ours.
import type { WidgetConfig } from '../../api/types.gen';
import { metricDisplayName } from '../metrics/metric-catalog';

export type WidgetType =
  | 'stats_traces'
  | 'stats_metrics'
  | 'stats_logs'
  | 'stats_error_rate'
  | 'active_services'
  | 'recent_activity'
  | 'metric_value'
  | 'metric_chart'
  | 'spend_total'
  | 'spend_chart';

export type WidgetKind = 'built-in' | 'metric' | 'spend';

export type WidgetSpec = {
  type: WidgetType;
  title: string;
  kind: WidgetKind;
  colSpan: number;
  rowSpan: number;
  needsMetric: boolean;
};

export const WIDGET_SPECS: readonly WidgetSpec[] = [
  { type: 'stats_traces', title: 'Total Traces', kind: 'built-in', colSpan: 1, rowSpan: 1, needsMetric: false },
  { type: 'stats_metrics', title: 'Metrics Count', kind: 'built-in', colSpan: 1, rowSpan: 1, needsMetric: false },
  { type: 'stats_logs', title: 'Log Count', kind: 'built-in', colSpan: 1, rowSpan: 1, needsMetric: false },
  { type: 'stats_error_rate', title: 'Error Rate', kind: 'built-in', colSpan: 1, rowSpan: 1, needsMetric: false },
  { type: 'active_services', title: 'Active Services', kind: 'built-in', colSpan: 2, rowSpan: 1, needsMetric: false },
  { type: 'recent_activity', title: 'Recent Traces', kind: 'built-in', colSpan: 4, rowSpan: 1, needsMetric: false },
  { type: 'metric_value', title: 'Metric Value', kind: 'metric', colSpan: 1, rowSpan: 1, needsMetric: true },
  { type: 'metric_chart', title: 'Metric Chart', kind: 'metric', colSpan: 2, rowSpan: 1, needsMetric: true },
  { type: 'spend_total', title: 'Spend', kind: 'spend', colSpan: 1, rowSpan: 1, needsMetric: false },
  { type: 'spend_chart', title: 'Spend Chart', kind: 'spend', colSpan: 2, rowSpan: 1, needsMetric: false },
];

/** What the add-widget form produces; the position is chosen by the dashboard. */
export type NewWidget = { widgetType: WidgetType; title: string; colSpan: number; rowSpan: number; config: WidgetConfig };

export const SPEND_GROUPINGS = ['day', 'week', 'month', 'tool', 'model', 'project', 'session'] as const;

export function widgetSpec(type: string): WidgetSpec | undefined {
  return WIDGET_SPECS.find((spec) => spec.type === type);
}

export function isWidgetType(value: unknown): value is WidgetType {
  return typeof value === 'string' && widgetSpec(value) !== undefined;
}

/** Title derived from type and settings (used for new widgets and on JSON import). */
export function deriveWidgetTitle(type: WidgetType, config: WidgetConfig = {}): string {
  const spec = widgetSpec(type);
  if (!spec) return type;
  if (spec.needsMetric && config.metricName) {
    const base = metricDisplayName(config.metricName);
    return config.breakdownValue ? `${base} (${config.breakdownValue})` : base;
  }
  if (type === 'spend_chart' && config.groupBy) return `Spend by ${config.groupBy}`;
  return spec.title;
}
