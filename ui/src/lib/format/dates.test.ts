import { afterEach, describe, expect, it, vi } from 'vitest';
import { axisLabelsFor, formatAxisTime, formatDate, formatDateTime, formatDayKey, formatPreciseDateTime, formatPreciseTime, formatRelative, formatTime, formatTimeOfDay, formatWeekdayTime, isSameDay } from './dates';
import { currentLocale, FALLBACK_LOCALE, isValidTimeZone, machineTimeZone, resolveLocale, safeDateTimeFormat, setLocaleOverride } from './locale';

const instant = '2026-11-28T13:47:08.123Z';

afterEach(() => {
  setLocaleOverride('en-US');
  vi.unstubAllGlobals();
});

describe('resolveLocale', () => {
  it.each([
    ['C', FALLBACK_LOCALE],
    ['c', FALLBACK_LOCALE],
    ['POSIX', FALLBACK_LOCALE],
    ['C.UTF-8', FALLBACK_LOCALE],
    ['', FALLBACK_LOCALE],
    [undefined, FALLBACK_LOCALE],
    ['de_DE.UTF-8', 'de-DE'],
    ['fr-FR', 'fr-FR'],
    ['en_GB@euro', 'en-GB'],
    ['!!not a locale', FALLBACK_LOCALE],
  ])('%s -> %s', (raw, expected) => {
    expect(resolveLocale(raw)).toBe(expected);
  });

  it('proves the guard is needed: Intl itself rejects "C"', () => {
    expect(() => new Intl.DateTimeFormat('C')).toThrow(RangeError);
  });

  it('falls back when the platform reports navigator.language = "C" (WebKitGTK)', () => {
    setLocaleOverride(null);
    vi.stubGlobal('navigator', { language: 'C' });
    expect(currentLocale()).toBe(FALLBACK_LOCALE);
    expect(() => formatDateTime(instant, { timeZone: 'UTC' })).not.toThrow();
    expect(formatDateTime(instant, { timeZone: 'UTC' })).toBe('Nov 28, 2026, 1:47:08 PM');
  });

  it('survives an explicit bad locale or time zone', () => {
    expect(formatDate(instant, { locale: 'C', timeZone: 'UTC' })).toBe('Nov 28, 2026');
    expect(formatDate(instant, { locale: 'en-US', timeZone: 'Mars/Olympus' })).toBe('Nov 28, 2026');
    expect(() => safeDateTimeFormat('POSIX', { timeZone: 'Nowhere/Else' })).not.toThrow();
  });
});

describe('date formatting', () => {
  it('uses the chosen zone', () => {
    expect(formatDateTime(instant, { timeZone: 'UTC' })).toBe('Nov 28, 2026, 1:47:08 PM');
    expect(formatDateTime(instant, { timeZone: 'Europe/Berlin' })).toBe('Nov 28, 2026, 2:47:08 PM');
    expect(formatTime(instant, { timeZone: 'America/New_York' })).toBe('8:47:08 AM');
    expect(formatPreciseTime(instant, { timeZone: 'UTC' })).toBe('1:47:08.123 PM');
    expect(formatPreciseDateTime(instant, { timeZone: 'UTC' })).toBe('Nov 28, 2026, 1:47:08.123 PM');
    expect(formatPreciseTime(instant, { timeZone: 'UTC', locale: 'de-DE' })).toBe('13:47:08,123');
  });

  it('uses the locale', () => {
    expect(formatDate(instant, { locale: 'de-DE', timeZone: 'UTC' })).toBe('28. Nov. 2026');
  });

  it('formats a time of day and a weekday with its time, and knows a calendar day in the zone', () => {
    expect(formatTimeOfDay(instant, { timeZone: 'UTC' })).toBe('1:47 PM');
    expect(formatTimeOfDay(instant, { timeZone: 'UTC', locale: 'de-DE' })).toBe('13:47');
    expect(formatWeekdayTime(instant, { timeZone: 'UTC' })).toBe('Sat, Nov 28, 1:47 PM');
    expect(isSameDay(instant, '2026-11-28T23:30:00Z', { timeZone: 'UTC' })).toBe(true);
    // 23:30 UTC is already the 29th in Berlin
    expect(isSameDay(instant, '2026-11-28T23:30:00Z', { timeZone: 'Europe/Berlin' })).toBe(false);
  });

  it('handles missing and unparsable values', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('')).toBe('—');
    expect(formatDateTime('yesterday-ish')).toBe('yesterday-ish');
  });

  it('labels axes by range length', () => {
    const time = Date.parse(instant);
    expect(formatAxisTime(time, 3600_000, { timeZone: 'UTC' })).toBe('1:47 PM');
    expect(formatAxisTime(time, 7 * 86400_000, { timeZone: 'UTC' })).toBe('Nov 28');
  });

  it('never repeats a date on an axis of 6-hour buckets', () => {
    const start = Date.parse('2026-11-27T00:00:00Z');
    const buckets = Array.from({ length: 8 }, (_, index) => start + index * 6 * 3600_000);
    const { categories, labels } = axisLabelsFor(buckets, 6 * 3600, { timeZone: 'UTC' });
    expect(labels).toEqual(['Nov 27', '', '', '', 'Nov 28', '', '', '']);
    expect(categories[1]).toBe('Nov 27, 6:00 AM');
    expect(axisLabelsFor(buckets.slice(0, 3), 6 * 3600, { timeZone: 'UTC' }).labels).toEqual(['12:00 AM', '6:00 AM', '12:00 PM']);
    expect(axisLabelsFor([start, start + 86400_000], 86400, { timeZone: 'UTC' }).labels).toEqual(['Nov 27', 'Nov 28']);
  });

  it('labels day keys without shifting them into another zone', () => {
    expect(formatDayKey('2026-11-22')).toBe('Nov 22');
    expect(formatDayKey('2026-W48')).toBe('2026-W48');
  });

  it('formats relative times', () => {
    const now = Date.parse(instant);
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(formatRelative(now - 10_000, now)).toBe('10 seconds ago');
    expect(formatRelative(now - 2 * 86400_000, now, { locale: 'C' })).toBe('2 days ago');
  });

  it('knows valid zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Not/AZone')).toBe(false);
    expect(isValidTimeZone(machineTimeZone())).toBe(true);
  });
});
