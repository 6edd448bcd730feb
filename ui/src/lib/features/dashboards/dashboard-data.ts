// Fetches what the widgets of one dashboard show, in as few calls as possible: one `stats` for all
// stat widgets, one recent-traces list, ONE metric batch for every metric widget, and one spend
// query per spend widget. A failing part only blanks the widgets that need it.
import { api } from '../../api/client';
import type { BatchSeriesResult, DashboardWidget, SpendResponse, Stats, TracesListResponse } from '../../api/types.gen';
import type { SpendGroupBy } from '../../api/vocabulary';
import type { ResolvedRange } from '../time-range/selection';
import { SPEND_GROUPINGS } from './widget-catalog';

export type Part<T> = { value: T } | { error: string };

export type DashboardData = {
  stats?: Part<Stats>;
  recentTraces?: Part<TracesListResponse>;
  metrics: Record<string, Part<BatchSeriesResult>>;
  spend: Record<string, Part<SpendResponse>>;
  resolved: ResolvedRange;
};

const STAT_TYPES = new Set(['stats_traces', 'stats_metrics', 'stats_logs', 'stats_error_rate', 'active_services']);
const BATCH_LIMIT = 50;

async function settle<T>(promise: Promise<T>): Promise<Part<T>> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export function spendGroupingOf(widget: DashboardWidget): SpendGroupBy {
  const wanted = widget.config.groupBy;
  if (widget.widgetType === 'spend_total') return 'tool';
  return (SPEND_GROUPINGS as readonly string[]).includes(wanted ?? '') ? (wanted as SpendGroupBy) : 'day';
}

async function loadMetrics(widgets: DashboardWidget[], range: ResolvedRange): Promise<Record<string, Part<BatchSeriesResult>>> {
  const queries = widgets
    .filter((widget) => (widget.widgetType === 'metric_value' || widget.widgetType === 'metric_chart') && widget.config.metricName)
    .map((widget) => ({
      id: widget.id,
      name: widget.config.metricName as string,
      service: widget.config.service || undefined,
      aggregate: widget.widgetType === 'metric_value',
    }));
  const result: Record<string, Part<BatchSeriesResult>> = {};
  for (let start = 0; start < queries.length; start += BATCH_LIMIT) {
    const chunk = queries.slice(start, start + BATCH_LIMIT);
    const answer = await settle(
      api.metrics.batchSeries({ from: range.from.toISOString(), to: range.to.toISOString(), interval: range.intervalSeconds, queries: chunk }),
    );
    for (const query of chunk) {
      if ('error' in answer) {
        result[query.id] = { error: answer.error };
        continue;
      }
      const found = answer.value.results.find((entry) => entry.id === query.id);
      result[query.id] = found ? { value: found } : { error: 'no result for this widget' };
    }
  }
  return result;
}

export async function loadDashboardData(widgets: DashboardWidget[], range: ResolvedRange, tz: string): Promise<DashboardData> {
  const window = { from: range.from.toISOString(), to: range.to.toISOString() };
  const needsStats = widgets.some((widget) => STAT_TYPES.has(widget.widgetType));
  const needsRecent = widgets.some((widget) => widget.widgetType === 'recent_activity');
  const spendWidgets = widgets.filter((widget) => widget.widgetType === 'spend_total' || widget.widgetType === 'spend_chart');

  const [stats, recentTraces, metrics, spendParts] = await Promise.all([
    needsStats ? settle(api.stats.get()) : Promise.resolve(undefined),
    needsRecent ? settle(api.traces.recent({ ...window, limit: 10 })) : Promise.resolve(undefined),
    loadMetrics(widgets, range),
    Promise.all(spendWidgets.map((widget) => settle(api.spend.query({ ...window, tz, groupBy: spendGroupingOf(widget) })))),
  ]);
  const spend: Record<string, Part<SpendResponse>> = {};
  spendWidgets.forEach((widget, index) => {
    spend[widget.id] = spendParts[index] as Part<SpendResponse>;
  });
  return { stats, recentTraces, metrics, spend, resolved: range };
}
