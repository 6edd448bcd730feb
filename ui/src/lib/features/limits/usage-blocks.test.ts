import { describe, expect, it } from 'vitest';
import type { UsageBlock } from '../../api/types.gen';
import { blockPeriod, blockRows } from './usage-blocks';

const UTC = { timeZone: 'UTC' };

/** The block the captured CLI fixtures make (`/api/blocks` over them, as the browser suite's server answers). */
const FIXTURE_BLOCK: UsageBlock = {
  start: '2026-11-28T13:00:00Z',
  end: '2026-11-28T18:00:00Z',
  actualEnd: '2026-11-28T13:47:05.238Z',
  isActive: false,
  isGap: false,
  requests: 6,
  tokens: { input: 1188, cacheRead: 66818, cacheCreation: 13567, output: 1248, reasoning: 0 },
  costUsd: 0.13874085,
  models: ['claude-haiku-4-5-20251001', 'claude-opus-4-8', 'claude-sonnet-5'],
  burnRate: { tokensPerMinute: 1242315, costPerHour: 124.866765 },
  projection: null,
};

const GAP: UsageBlock = {
  start: '2026-11-28T18:47:05.238Z',
  end: '2026-11-29T22:00:00Z',
  actualEnd: null,
  isActive: false,
  isGap: true,
  requests: 0,
  tokens: { input: 0, cacheRead: 0, cacheCreation: 0, output: 0, reasoning: 0 },
  costUsd: 0,
  models: [],
  burnRate: null,
  projection: null,
};

/** Running at 23:55 UTC, across midnight: 40 requests since 22:05, 2 h 5 min left. */
const ACTIVE: UsageBlock = {
  start: '2026-11-29T22:00:00Z',
  end: '2026-11-30T03:00:00Z',
  actualEnd: '2026-11-29T23:55:00Z',
  isActive: true,
  isGap: false,
  requests: 40,
  tokens: { input: 20_000, cacheRead: 900_000, cacheCreation: 60_000, output: 45_000, reasoning: 5_000 },
  costUsd: 7.5,
  models: ['claude-opus-4-8'],
  burnRate: { tokensPerMinute: 9318.18, costPerHour: 4.090909 },
  projection: { totalTokens: 2_189_772, totalCostUsd: 16.022727, remainingMinutes: 125 },
};

describe('usage blocks', () => {
  it('lists the blocks with usage, newest first, without the gaps', () => {
    const rows = blockRows([FIXTURE_BLOCK, GAP, ACTIVE], UTC);
    expect(rows.map((row) => row.key)).toEqual(['2026-11-29T22:00:00Z', '2026-11-28T13:00:00Z']);
  });

  it('shows a finished block’s period, requests, tokens, cost and models, with no pace', () => {
    const [row] = blockRows([FIXTURE_BLOCK], UTC);
    expect(row).toEqual({
      key: '2026-11-28T13:00:00Z',
      period: 'Nov 28, 1:00 PM – 6:00 PM',
      lastRequest: 'last request 1:47 PM',
      active: false,
      requests: 6,
      // input + cache reads + cache writes + output
      tokens: 82_821,
      tokenSplit: '1.19K in · 66.82K cache read · 13.57K cache write · 1.25K out',
      costUsd: 0.13874085,
      models: ['claude-haiku-4-5-20251001', 'claude-opus-4-8', 'claude-sonnet-5'],
      // a finished block's rate is history, not a pace to watch
      burnRate: null,
      projection: null,
    });
  });

  it('gives the running block its burn rate and where it leads by its end', () => {
    const [row] = blockRows([ACTIVE], UTC);
    expect(row?.active).toBe(true);
    expect(row?.period).toBe('Nov 29, 10:00 PM – Nov 30, 3:00 AM');
    expect(row?.tokens).toBe(1_025_000);
    expect(row?.burnRate).toBe('$4.09/h · 9.32K tokens/min');
    expect(row?.projection).toBe('$16.02 (2.19M tokens) by 3:00 AM, 2h 5m from now');
    // at its very end there is no time left to mention
    expect(blockRows([{ ...ACTIVE, projection: { totalTokens: 1_031_000, totalCostUsd: 7.5, remainingMinutes: 0 } }], UTC)[0]?.projection).toBe('$7.50 (1.03M tokens) by 3:00 AM');
    // a first request has no rate yet
    expect(blockRows([{ ...ACTIVE, requests: 1, burnRate: null, projection: null }], UTC)[0]).toMatchObject({ burnRate: null, projection: null });
  });

  it('writes the period in the user’s time zone', () => {
    expect(blockPeriod(FIXTURE_BLOCK, { timeZone: 'Europe/Berlin' })).toBe('Nov 28, 2:00 PM – 7:00 PM');
    expect(blockPeriod(FIXTURE_BLOCK, { timeZone: 'Asia/Tokyo' })).toBe('Nov 28, 10:00 PM – Nov 29, 3:00 AM');
    expect(blockRows([FIXTURE_BLOCK], { timeZone: 'America/New_York' })[0]?.lastRequest).toBe('last request 8:47 AM');
  });
});
