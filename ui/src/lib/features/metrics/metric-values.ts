// Formats a metric value by the metric's unit (tokens, dollars, milliseconds, …).
import { formatBytes } from '../../format/bytes';
import { formatDurationMs, formatDurationSeconds } from '../../format/durations';
import { formatUsd } from '../../format/money';
import { formatCompact, formatPercent } from '../../format/numbers';
import type { MetricUnit } from './metric-catalog';

export function formatMetricValue(value: number, unit: MetricUnit): string {
  switch (unit) {
    case 'usd':
      return formatUsd(value);
    case 'ms':
      return formatDurationMs(value);
    case 's':
      return formatDurationSeconds(value);
    case 'bytes':
      return formatBytes(value);
    case 'percent':
      return formatPercent(value);
    default:
      return formatCompact(value);
  }
}

/**
 * Whether a metric's values add up over a range (tokens, dollars, counts, time spent), so its range
 * total is a sum; gauges (memory in bytes, CPU in percent) are averaged over the range instead.
 */
export function isAdditiveUnit(unit: MetricUnit): boolean {
  return unit !== 'bytes' && unit !== 'percent';
}
