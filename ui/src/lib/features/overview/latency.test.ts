import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../api/types.gen';
import { errorLogCount } from './health-loader';
import { percentile, summarizeLatency } from './latency';

const log = (serviceName: string, duration: string | undefined): LogRecord => ({
  timestamp: '2026-11-28T12:00:00Z',
  serviceName,
  logAttributes: duration === undefined ? {} : { duration_ms: duration },
});

describe('latency summary', () => {
  it('computes nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(Number.isNaN(percentile([], 0.5))).toBe(true);
  });

  it('groups request durations per service and skips events without one', () => {
    const summary = summarizeLatency([log('codex_cli_rs', '900'), log('claude-code', '100'), log('claude-code', '300'), log('claude-code', 'n/a'), log('claude-code', undefined), log('claude-code', '200')]);
    expect(summary).toEqual([
      { service: 'claude-code', requests: 3, p50Ms: 200, p95Ms: 300, maxMs: 300 },
      { service: 'codex_cli_rs', requests: 1, p50Ms: 900, p95Ms: 900, maxMs: 900 },
    ]);
  });

  it('counts error and fatal logs from the level counts', () => {
    expect(errorLogCount({ INFO: 10, ERROR: 2, error: 1, FATAL: 1, WARN: 5 })).toBe(4);
  });
});
