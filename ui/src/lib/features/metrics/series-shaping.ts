// Reshapes the API's time series (one per service x breakdown label) into what a chart shows:
// series regrouped by a chosen label (or summed), optionally filtered to one label value.
import type { TimeSeries } from '../../api/types.gen';
import { toolDisplayName } from '../../format/tools';

/** `key`: the raw label value a group stands for (a service name when split by service), for its colour. */
export type ShapedSeries = { timestamps: number[]; groups: { name: string; key: string; values: number[]; total: number }[] };

/** Label keys present on the series, for the breakdown selector ("service" first). */
export function labelKeys(series: readonly TimeSeries[]): string[] {
  const keys = new Set<string>();
  for (const entry of series) for (const key of Object.keys(entry.labels ?? {})) keys.add(key);
  return [...keys].sort((a, b) => (a === 'service' ? -1 : b === 'service' ? 1 : a.localeCompare(b)));
}

function matchesFilter(entry: TimeSeries, attribute: string | null | undefined, value: string | null | undefined): boolean {
  if (!attribute || !value) return true;
  return (entry.labels?.[attribute] ?? 'default') === value;
}

/** A series without the breakdown label is named for what it is — the metric itself when no series
 *  has the label, else "no <label>" — never "default". */
function groupName(entry: TimeSeries, by: string | null, fallback: string, someHaveLabel: boolean): string {
  if (!by) return fallback;
  const value = entry.labels?.[by];
  if (value === undefined || value === '') return someHaveLabel ? `no ${by}` : fallback;
  return by === 'service' ? toolDisplayName(value) : value;
}

export function shapeSeries(
  series: readonly TimeSeries[],
  options: { by: string | null; totalName: string; filterAttribute?: string | null; filterValue?: string | null },
): ShapedSeries {
  const selected = series.filter((entry) => matchesFilter(entry, options.filterAttribute, options.filterValue));
  const timestamps = [...new Set(selected.flatMap((entry) => entry.datapoints.map(([time]) => time)))].sort((a, b) => a - b);
  const index = new Map(timestamps.map((time, position) => [time, position]));
  const groups = new Map<string, number[]>();
  const keys = new Map<string, string>();
  const by = options.by;
  const someHaveLabel = by !== null && selected.some((entry) => (entry.labels?.[by] ?? '') !== '');
  for (const entry of selected) {
    const name = groupName(entry, by, options.totalName, someHaveLabel);
    if (!keys.has(name)) keys.set(name, (by ? entry.labels?.[by] : undefined) ?? '');
    const values = groups.get(name) ?? new Array<number>(timestamps.length).fill(0);
    for (const [time, value] of entry.datapoints) {
      const position = index.get(time);
      if (position !== undefined && Number.isFinite(value)) values[position] = (values[position] ?? 0) + value;
    }
    groups.set(name, values);
  }
  return {
    timestamps,
    groups: [...groups.entries()]
      .map(([name, values]) => ({ name, key: keys.get(name) ?? '', values, total: values.reduce((sum, value) => sum + value, 0) }))
      .sort((a, b) => b.total - a.total),
  };
}

/** Sum of aggregate series (one [0, value] point each), optionally for one label value. */
export function aggregateValue(series: readonly TimeSeries[], filterAttribute?: string | null, filterValue?: string | null): number {
  return series
    .filter((entry) => matchesFilter(entry, filterAttribute, filterValue))
    .reduce((sum, entry) => sum + entry.datapoints.reduce((inner, [, value]) => inner + (Number.isFinite(value) ? value : 0), 0), 0);
}
