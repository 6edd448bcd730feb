import { describe, expect, it } from 'vitest';
import { arrivalStatus, latestTime, RECENT_ARRIVAL_MS } from './arrival-status';

const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('the live status', () => {
  it('says Receiving only when data arrived in the last five minutes', () => {
    expect(arrivalStatus(true, NOW - 60_000, NOW)).toEqual({ state: 'receiving', text: 'Receiving' });
    expect(arrivalStatus(true, NOW - RECENT_ARRIVAL_MS - 1, NOW, 'UTC')).toEqual({ state: 'idle', text: 'Connected — nothing received since Nov 30, 2026, 11:54:59 AM' });
    expect(arrivalStatus(true, null, NOW).text).toBe('Connected — nothing received yet');
    expect(arrivalStatus(false, NOW, NOW)).toEqual({ state: 'offline', text: 'Offline' });
  });

  it('takes the latest of the tools’ last events', () => {
    expect(latestTime(['2026-11-28T13:47:00Z', null, '2026-11-29T01:00:00Z', 'garbage'])).toBe(Date.parse('2026-11-29T01:00:00Z'));
    expect(latestTime([])).toBeNull();
  });
});
