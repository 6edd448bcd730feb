import { describe, expect, it } from 'vitest';
import { utcToWallTime, wallTimeToUtc, zoneOffsetMillis } from './zoned-time';

describe('zoned wall time', () => {
  it('computes zone offsets, including DST', () => {
    expect(zoneOffsetMillis(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3600_000);
    expect(zoneOffsetMillis(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(7200_000);
    expect(zoneOffsetMillis(Date.parse('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * 3600_000);
    expect(zoneOffsetMillis(Date.parse('2026-07-15T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('reads typed wall time in the user zone', () => {
    expect(wallTimeToUtc('2026-11-28T09:00', 'Europe/Berlin')).toBe('2026-11-28T08:00:00.000Z');
    expect(wallTimeToUtc('2026-07-01T09:00', 'Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(wallTimeToUtc('2026-11-28', 'Asia/Tokyo')).toBe('2026-11-27T15:00:00.000Z');
    expect(wallTimeToUtc('tomorrow', 'UTC')).toBeNull();
  });

  it('shows instants as wall time for the inputs (round trip)', () => {
    expect(utcToWallTime('2026-11-28T08:00:00.000Z', 'Europe/Berlin')).toBe('2026-11-28T09:00');
    expect(utcToWallTime('2026-03-29T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-03-29T03:30');
    const wall = '2026-10-10T23:15';
    expect(utcToWallTime(wallTimeToUtc(wall, 'America/Los_Angeles') as string, 'America/Los_Angeles')).toBe(wall);
  });
});
