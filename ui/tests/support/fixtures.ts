// Small builders for API answers used by the page tests, so each test states only what it checks.
import type { ImportJob, ImportProgress, ImportResult, ScanToolResult, SpendGroup, SpendResponse, TokenCounts } from '../../src/lib/api/types.gen';

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
    computedRequests: 1,
    tokens: tokens(),
    ...partial,
  };
}

export function spendResponse(groupBy: SpendResponse['groupBy'], groups: SpendGroup[], partial: Partial<SpendResponse> = {}): SpendResponse {
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

export function scanTool(tool: string, partial: Partial<ScanToolResult> = {}): ScanToolResult {
  return { tool, roots: [], files: 0, bytes: 0, newFiles: 0, changedFiles: 0, importedFiles: 0, bytesToRead: 0, firstTime: null, lastTime: null, ...partial };
}

export function importJob(partial: Partial<ImportJob> & { progress?: Partial<ImportProgress> } = {}): ImportJob {
  const { progress, ...rest } = partial;
  return {
    id: 'job-1',
    state: 'running',
    result: null,
    error: null,
    startedAt: '2026-11-28T12:00:00Z',
    ...rest,
    progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, records: 0, currentFile: null, ...progress },
  };
}

export function importResult(partial: Partial<ImportResult> = {}): ImportResult {
  return { tools: [], errors: [], cancelled: false, ...partial };
}
