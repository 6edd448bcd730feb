// Turns one `spend?groupBy=day&tool=X` answer per tool into stacked chart data: one category
// per day (gaps filled with zero so the axis is continuous) and one series per tool.
import type { SpendResponse } from '../../api/types.gen';
import type { ChartSeries } from '../../components/chart-options';

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayKeyToUtc(key: string): number | null {
  const match = DAY_KEY.exec(key);
  if (!match) return null;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function utcToDayKey(epochMillis: number): string {
  return new Date(epochMillis).toISOString().slice(0, 10);
}

/** Every day key from the first to the last one present (keys that are not YYYY-MM-DD are kept as they are). */
export function continuousDayKeys(keys: Iterable<string>): string[] {
  const unique = [...new Set(keys)];
  const days = unique.map(dayKeyToUtc);
  if (unique.length === 0 || days.some((day) => day === null)) return unique.sort();
  const times = days as number[];
  const first = Math.min(...times);
  const last = Math.max(...times);
  const result: string[] = [];
  for (let day = first; day <= last && result.length < 3700; day += 86_400_000) result.push(utcToDayKey(day));
  return result;
}

export type NamedSpend = { name: string; response: SpendResponse };

export function stackedDailyCost(perSeries: NamedSpend[]): { days: string[]; series: ChartSeries[] } {
  const days = continuousDayKeys(perSeries.flatMap((entry) => entry.response.groups.map((group) => group.key)));
  const series = perSeries
    .map((entry) => {
      const byDay = new Map(entry.response.groups.map((group) => [group.key, group.costUsd]));
      return { name: entry.name, values: days.map((day) => byDay.get(day) ?? 0) };
    })
    .filter((entry) => entry.values.some((value) => value !== 0));
  return { days, series };
}

/** "2026-11-28" -> epoch millis at UTC midnight, for labelling with a UTC formatter. */
export function dayKeyLabelTime(key: string): number | null {
  return dayKeyToUtc(key);
}
