import { describe, expect, it } from 'vitest';
import { spendGroup, tokens } from '../../../../tests/support/fixtures';
import { cacheHitRate } from './cache-hit-rate';
import { continuousDayKeys, stackedDailyCost, unattributedDays } from './cost-series';

describe('cost series', () => {
  it('fills missing days so the axis is continuous', () => {
    expect(continuousDayKeys(['2026-11-30', '2026-12-02', '2026-11-30'])).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
    expect(continuousDayKeys(['2026-W48', '2026-W47'])).toEqual(['2026-W47', '2026-W48']);
    expect(continuousDayKeys([])).toEqual([]);
  });

  it('stacks one series per tool and drops tools without cost', () => {
    const result = stackedDailyCost([
      { name: 'Claude Code', days: [spendGroup('2026-11-26', 1.5), spendGroup('2026-11-28', 2)] },
      { name: 'Codex CLI', days: [spendGroup('2026-11-27', 0.25)] },
      { name: 'Gemini CLI', days: [] },
    ]);
    expect(result.days).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
    expect(result.series).toEqual([
      { name: 'Claude Code', values: [1.5, 0, 2] },
      { name: 'Codex CLI', values: [0, 0.25, 0] },
    ]);
  });

  it('keeps the cost no tool accounts for, ignoring rounding differences', () => {
    const parts = [
      { name: 'Claude Code', days: [{ key: '2026-11-27', costUsd: 0.1 }, { key: '2026-11-28', costUsd: 0.2 }] },
      { name: 'Codex CLI', days: [{ key: '2026-11-28', costUsd: 0.1 }] },
    ];
    const total = [
      { key: '2026-11-27', costUsd: 0.1 },
      { key: '2026-11-28', costUsd: 0.2 + 0.1 + 0.5 },
    ];
    const rest = unattributedDays(total, parts);
    expect(rest.map((day) => day.key)).toEqual(['2026-11-28']);
    expect(rest[0]?.costUsd).toBeCloseTo(0.5, 12);
  });

  it('computes the cache hit rate over all prompt tokens', () => {
    expect(cacheHitRate(tokens({ input: 100, cacheRead: 700, cacheCreation: 200 }))).toBe(0.7);
    expect(cacheHitRate(tokens({ output: 50 }))).toBeNull();
  });
});
