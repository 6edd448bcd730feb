import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';
import { formatDurationMs, formatDurationNs, formatDurationSeconds } from './durations';

describe('durations', () => {
  it.each([
    [0, '0 ms'],
    [0.45, '450 µs'],
    [5.5, '5.5 ms'],
    [850, '850 ms'],
    [1234, '1.23 s'],
    [59_000, '59 s'],
    [60_000, '1m'],
    [200_000, '3m 20s'],
    [3_600_000, '1h'],
    [7_500_000, '2h 5m'],
    [90_000_000, '1d 1h'],
  ])('%s ms -> %s', (ms, expected) => {
    expect(formatDurationMs(ms)).toBe(expected);
  });

  it('converts nanoseconds and seconds', () => {
    expect(formatDurationNs(1_500_000_000)).toBe('1.5 s');
    expect(formatDurationNs(250_000)).toBe('250 µs');
    expect(formatDurationSeconds(90)).toBe('1m 30s');
    expect(formatDurationMs(null)).toBe('—');
  });
});

describe('bytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KB'],
    [10 * 1024 * 1024, '10 MB'],
    [5 * 1024 ** 3, '5 GB'],
    [1.25 * 1024 ** 4, '1.25 TB'],
  ])('%s -> %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});
