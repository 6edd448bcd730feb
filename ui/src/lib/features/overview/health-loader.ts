// Reliability and speed at a glance: span error rate (stats), log counts per severity, the latest
// errors, and API latency percentiles from the newest request events in the range.
import { api } from '../../api/client';
import type { LogRecord, Stats } from '../../api/types.gen';
import type { LogLevels } from '../../api/vocabulary';
import type { ResolvedRange } from '../time-range/selection';
import { REQUEST_EVENT_SEARCH, summarizeLatency, type LatencySummary } from './latency';

export type Health = {
  stats: Stats;
  levels: LogLevels;
  recentErrors: LogRecord[];
  latency: LatencySummary[];
};

const LATENCY_SAMPLE = 500;

export async function loadHealth(range: ResolvedRange): Promise<Health> {
  const window = { from: range.from.toISOString(), to: range.to.toISOString() };
  const [stats, levels, errors, requests] = await Promise.all([
    api.stats.get(),
    api.logs.levels(window),
    api.logs.list({ ...window, severity: 'ERROR', limit: 5 }),
    api.logs.list({ ...window, event: REQUEST_EVENT_SEARCH, limit: LATENCY_SAMPLE }),
  ]);
  return { stats, levels, recentErrors: errors.logs, latency: summarizeLatency(requests.logs) };
}

/** ERROR + FATAL (any case) from the per-severity counts. */
export function errorLogCount(levels: LogLevels): number {
  let total = 0;
  for (const [severity, count] of Object.entries(levels)) {
    const upper = severity.toUpperCase();
    if (upper.startsWith('ERROR') || upper.startsWith('FATAL')) total += count;
  }
  return total;
}
