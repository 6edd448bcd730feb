// Small builders for API answers used by the page tests, so each test states only what it checks.
import type { SpendGroup, SpendResponse, TokenCounts } from '../../src/lib/api/types.gen';

export function tokens(partial: Partial<TokenCounts> = {}): TokenCounts {
  return { input: 0, cacheRead: 0, cacheCreation: 0, output: 0, reasoning: 0, ...partial };
}

export function spendGroup(key: string, costUsd: number, partial: Partial<SpendGroup> = {}): SpendGroup {
  return {
    key,
    requests: 1,
    costUsd,
    reportedCostUsd: null,
    computedCostUsd: costUsd,
    unpricedRequests: 0,
    tokens: tokens(),
    ...partial,
  };
}

export function spendResponse(groupBy: string, groups: SpendGroup[], partial: Partial<SpendResponse> = {}): SpendResponse {
  const total = groups.reduce(
    (sum, group) => ({
      ...sum,
      requests: sum.requests + group.requests,
      costUsd: sum.costUsd + group.costUsd,
      tokens: tokens({
        input: sum.tokens.input + group.tokens.input,
        output: sum.tokens.output + group.tokens.output,
        cacheRead: sum.tokens.cacheRead + group.tokens.cacheRead,
        cacheCreation: sum.tokens.cacheCreation + group.tokens.cacheCreation,
        reasoning: sum.tokens.reasoning + group.tokens.reasoning,
      }),
    }),
    spendGroup('total', 0, { requests: 0 }),
  );
  return {
    from: '2026-10-29T00:00:00Z',
    to: '2026-11-28T00:00:00Z',
    tz: 'UTC',
    groupBy,
    groups,
    total,
    unpricedModels: [],
    ...partial,
  };
}
