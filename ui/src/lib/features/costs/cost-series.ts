// Turns one `spend?groupBy=day&tool=X` answer per tool into stacked chart data: one category
// per day (gaps filled with zero so the axis is continuous) and one series per tool, plus the cost
// no tool accounts for (the daily total minus the tools), so the stack always adds up to the total.
import type { SpendGroup } from '../../api/types.gen';
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

/** One series of the stack: cost per day key. */
export type NamedSpend = { name: string; days: readonly Pick<SpendGroup, 'key' | 'costUsd'>[] };

/** Below this a difference of sums is rounding, not money. */
const NEGLIGIBLE_USD = 1e-9;

/** Per day: the total's cost minus what the named series already hold (e.g. usage of an unknown tool). */
export function unattributedDays(total: readonly Pick<SpendGroup, 'key' | 'costUsd'>[], parts: readonly NamedSpend[]): NamedSpend['days'] {
  const attributed = new Map<string, number>();
  for (const part of parts) for (const day of part.days) attributed.set(day.key, (attributed.get(day.key) ?? 0) + (day.costUsd ?? 0));
  return total
    .map((day) => ({ key: day.key, costUsd: (day.costUsd ?? 0) - (attributed.get(day.key) ?? 0) }))
    .filter((day) => day.costUsd > NEGLIGIBLE_USD);
}

export function stackedDailyCost(perSeries: NamedSpend[]): { days: string[]; series: ChartSeries[] } {
  const days = continuousDayKeys(perSeries.flatMap((entry) => entry.days.map((group) => group.key)));
  const series = perSeries
    .map((entry) => {
      const byDay = new Map(entry.days.map((group) => [group.key, group.costUsd ?? 0]));
      return { name: entry.name, values: days.map((day) => byDay.get(day) ?? 0) };
    })
    .filter((entry) => entry.values.some((value) => value !== 0));
  return { days, series };
}

/** "2026-11-28" -> epoch millis at UTC midnight, for labelling with a UTC formatter. */
export function dayKeyLabelTime(key: string): number | null {
  return dayKeyToUtc(key);
}

/** One value per day (gaps as 0) for a sparkline, from a `groupBy=day` answer. */
export function dailyValues(days: readonly SpendGroup[], pick: (group: SpendGroup) => number): number[] {
  const byKey = new Map(days.map((group) => [group.key, pick(group)]));
  return continuousDayKeys(days.map((group) => group.key)).map((key) => byKey.get(key) ?? 0);
}
