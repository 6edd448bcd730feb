// Wall-clock time in an IANA zone <-> UTC instants, for the custom-range inputs: the user types
// "2026-11-28 09:00" meaning 9 o'clock in *their chosen* zone, which may differ from the browser's.
import { safeDateTimeFormat } from '../../format/locale';

function wallParts(epochMillis: number, timeZone: string): number[] {
  const formatter = safeDateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const values: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(epochMillis))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return [values.year ?? 1970, values.month ?? 1, values.day ?? 1, (values.hour ?? 0) % 24, values.minute ?? 0, values.second ?? 0];
}

/** Offset of `timeZone` from UTC at that instant, in milliseconds (e.g. +3_600_000 for CET). */
export function zoneOffsetMillis(epochMillis: number, timeZone: string): number {
  const [year, month, day, hour, minute, second] = wallParts(epochMillis, timeZone) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const truncated = Math.floor(epochMillis / 1000) * 1000;
  return asUtc - truncated;
}

/** "2026-11-28T09:00" in `timeZone` -> ISO instant in UTC; null if the text is not a wall time. */
export function wallTimeToUtc(wallTime: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(wallTime.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  const naive = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // two passes settle the offset across DST changes
  let guess = naive - zoneOffsetMillis(naive, timeZone);
  guess = naive - zoneOffsetMillis(guess, timeZone);
  return new Date(guess).toISOString();
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** ISO instant -> "2026-11-28T09:00" as the wall clock in `timeZone` shows it (for datetime-local inputs). */
export function utcToWallTime(iso: string, timeZone: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const [year, month, day, hour, minute] = wallParts(time, timeZone) as [number, number, number, number, number];
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`;
}
