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
