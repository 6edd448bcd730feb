// Dates and times in the user's locale and chosen time zone: the one place every page takes its
// date and time formats from, so a time reads alike everywhere (the locale's own order and hour
// cycle: "Nov 28, 2026, 1:47:08 PM" in en-US, "28.11.2026, 13:47:08" in de-DE), with milliseconds
// only where they matter (logs, spans). All Intl use goes through locale.ts's safe constructors,
// so a "C" locale or an unknown zone degrades instead of throwing.
import { currentLocale, resolveLocale, safeDateTimeFormat } from './locale';

export type DateStyleOptions = { locale?: string; timeZone?: string };

function toDate(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function format(value: string | number | Date | null | undefined, options: Intl.DateTimeFormatOptions, style: DateStyleOptions): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = toDate(value);
  if (!date) return String(value);
  const formatter = safeDateTimeFormat(style.locale ? resolveLocale(style.locale) : currentLocale(), { ...options, timeZone: style.timeZone });
  try {
    return formatter.format(date);
  } catch {
    return date.toISOString();
  }
}

/** "Nov 28, 2026, 1:47:08 PM" (en-US) */
export function formatDateTime(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' }, style);
}

/** "Nov 28, 2026" */
export function formatDate(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { year: 'numeric', month: 'short', day: 'numeric' }, style);
}

/** "1:47:08 PM" */
export function formatTime(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { hour: 'numeric', minute: '2-digit', second: '2-digit' }, style);
}

/** "1:47:08.123 PM" — log and span times where milliseconds matter (the locale's hour cycle, like formatTime). */
export function formatPreciseTime(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { hour: 'numeric', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 }, style);
}

/** "Nov 28, 2026, 1:47:08.123 PM" — formatDateTime with milliseconds, for log records. */
export function formatPreciseDateTime(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 }, style);
}

/** "1:45 PM" — a time of day without seconds (when a limit is reached). */
export function formatTimeOfDay(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { hour: 'numeric', minute: '2-digit' }, style);
}

/** "Sat, Dec 5, 2:30 AM" — a moment within the coming days (a weekly limit's reset). */
export function formatWeekdayTime(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }, style);
}

/** Whether two moments fall on the same calendar day in the style's time zone. */
export function isSameDay(a: string | number | Date, b: string | number | Date, style: DateStyleOptions = {}): boolean {
  const day = (value: string | number | Date) => format(value, { year: 'numeric', month: 'numeric', day: 'numeric' }, style);
  return day(a) === day(b);
}

/** "Nov 28, 1:45 PM" — a chart bucket in a tooltip. */
export function formatBucket(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }, style);
}

/** Short label for chart axes: "Nov 28" or "1:45 PM" depending on the span of the range. */
export function formatAxisTime(epochMillis: number, rangeMillis: number, style: DateStyleOptions = {}): string {
  if (rangeMillis > 2 * 24 * 3600 * 1000) return format(epochMillis, { month: 'short', day: 'numeric' }, style);
  return format(epochMillis, { hour: 'numeric', minute: '2-digit' }, style);
}

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day the API already computed in the user's zone ("2026-11-28") as "Nov 28", without shifting it; other keys (weeks) stay as they are. */
export function formatDayKey(key: string, style: Pick<DateStyleOptions, 'locale'> = {}): string {
  const match = DAY_KEY.exec(key);
  if (!match) return key;
  return format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])), { month: 'short', day: 'numeric' }, { ...style, timeZone: 'UTC' });
}

export type AxisLabels = { categories: string[]; labels: string[] };

/**
 * Labels for time buckets on a chart axis: the full bucket time for the tooltip, and a short axis
 * label that never repeats a date. Day (or longer) buckets: "Nov 28". Buckets within one day: the
 * time. Buckets shorter than a day over several days: the date under the first bucket of each
 * day, nothing under the others.
 */
export function axisLabelsFor(timestamps: readonly number[], intervalSeconds: number, style: DateStyleOptions = {}): AxisLabels {
  const dayOf = (time: number) => format(time, { year: 'numeric', month: 'numeric', day: 'numeric' }, style);
  const shortDate = (time: number) => format(time, { month: 'short', day: 'numeric' }, style);
  const categories = timestamps.map((time) => (intervalSeconds >= 86_400 ? formatDate(time, style) : formatBucket(time, style)));
  if (intervalSeconds >= 86_400) return { categories, labels: timestamps.map(shortDate) };
  const days = new Set(timestamps.map(dayOf));
  if (days.size <= 1) return { categories, labels: timestamps.map((time) => format(time, { hour: 'numeric', minute: '2-digit' }, style)) };
  let previous = '';
  const labels = timestamps.map((time) => {
    const day = dayOf(time);
    if (day === previous) return '';
    previous = day;
    return shortDate(time);
  });
  return { categories, labels };
}

/** "5 min ago" style, falling back to an absolute time if RelativeTimeFormat is unavailable. */
export function formatRelative(value: string | number | Date | null | undefined, now: number = Date.now(), style: DateStyleOptions = {}): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = toDate(value);
  if (!date) return String(value);
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const [amount, unit]: [number, Intl.RelativeTimeFormatUnit] =
    abs < 60 ? [seconds, 'second'] : abs < 3600 ? [Math.round(seconds / 60), 'minute'] : abs < 86400 ? [Math.round(seconds / 3600), 'hour'] : [Math.round(seconds / 86400), 'day'];
  try {
    return new Intl.RelativeTimeFormat(style.locale ? resolveLocale(style.locale) : currentLocale(), { numeric: 'auto' }).format(amount, unit);
  } catch {
    return formatDateTime(date, style);
  }
}
