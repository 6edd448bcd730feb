// Dates and times in the user's locale and chosen time zone. All Intl use goes through
// locale.ts's safe constructors, so a "C" locale or an unknown zone degrades instead of throwing.
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

/** "13:47:08.123" — log and span timestamps where milliseconds matter. */
export function formatPreciseTime(value: string | number | Date | null | undefined, style: DateStyleOptions = {}): string {
  return format(value, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23' }, style);
}

/** Short label for chart axes: "Nov 28" or "13:45" depending on the span of the range. */
export function formatAxisTime(epochMillis: number, rangeMillis: number, style: DateStyleOptions = {}): string {
  if (rangeMillis > 2 * 24 * 3600 * 1000) return format(epochMillis, { month: 'short', day: 'numeric' }, style);
  return format(epochMillis, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, style);
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
