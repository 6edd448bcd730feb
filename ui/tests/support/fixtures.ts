// Small builders for API answers used by the page tests, so each test states only what it checks.
import type { ImportJob, ImportProgress, ImportResult, LimitState, ScanToolResult, Session, SessionTotals, SpendGroup, SpendResponse, TokenCounts, TranscriptResponse } from '../../src/lib/api/types.gen';

export function tokens(partial: Partial<TokenCounts> = {}): TokenCounts {
  return { input: 0, cacheRead: 0, cacheCreation: 0, output: 0, reasoning: 0, ...partial };
}

/** A group of one request; a null cost (every request unpriced) also counts that request as unpriced. */
export function spendGroup(key: string, costUsd: number | null, partial: Partial<SpendGroup> = {}): SpendGroup {
  return {
    key,
    requests: 1,
    costUsd,
    reportedCostUsd: null,
    computedCostUsd: costUsd,
    unpricedRequests: costUsd === null ? 1 : 0,
    computedRequests: costUsd === null ? 0 : 1,
    tokens: tokens(),
    ...partial,
  };
}

/** An answer whose total adds up its groups as the API does (cost null when every request is unpriced). */
export function spendResponse(groupBy: SpendResponse['groupBy'], groups: SpendGroup[], partial: Partial<SpendResponse> = {}): SpendResponse {
  const summed = groups.reduce(
    (sum, group) => ({
      ...sum,
      requests: sum.requests + group.requests,
      unpricedRequests: sum.unpricedRequests + group.unpricedRequests,
      costUsd: (sum.costUsd ?? 0) + (group.costUsd ?? 0),
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
  const total = { ...summed, costUsd: summed.requests > 0 && summed.unpricedRequests >= summed.requests ? null : summed.costUsd };
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

export function importJob(partial: Omit<Partial<ImportJob>, 'progress'> & { progress?: Partial<ImportProgress> } = {}): ImportJob {
  const { progress, ...rest } = partial;
  return {
    id: 'job-1',
    state: 'running',
    result: null,
    error: null,
    startedAt: '2026-11-28T12:00:00Z',
    ...rest,
    progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, records: 0, currentFile: null, spendReady: false, ...progress },
  };
}

export function importResult(partial: Partial<ImportResult> = {}): ImportResult {
  return { tools: [], errors: [], cancelled: false, ...partial };
}

/** A session's totals: one priced request unless stated otherwise. */
export function sessionTotals(partial: Partial<SessionTotals> = {}): SessionTotals {
  return { requests: 1, tokens: tokens(), costUsd: 0.01, unpricedRequests: 0, models: [], title: null, project: null, ...partial };
}

/** A sessions-list entry of a Claude Code session, with its totals. */
export function session(sessionId: string, partial: Partial<Session> = {}): Session {
  return {
    sessionId,
    serviceName: 'claude-code',
    tool: 'claude-code',
    startTime: '2026-11-28T10:00:00Z',
    lastTime: '2026-11-28T10:30:00Z',
    messageCount: 1,
    ...sessionTotals(),
    ...partial,
  };
}

/** A transcript answer with its summary (the same totals as the session's list entry). */
export function transcript(sessionId: string, partial: Partial<TranscriptResponse> = {}): TranscriptResponse {
  return {
    sessionId,
    serviceName: 'claude-code',
    startTime: '2026-11-28T10:00:00Z',
    lastTime: '2026-11-28T10:05:00Z',
    messages: [],
    summary: sessionTotals(),
    subAgents: [],
    ...partial,
  };
}

/** A plan-limit state as /api/limits answers it: Claude Code's 5-hour window from its status line, open, no pace yet. */
export function limitState(partial: Partial<LimitState> = {}): LimitState {
  return {
    tool: 'claude-code',
    window: '5h',
    usedPercent: 42,
    resetsAt: '2026-11-28T14:00:00Z',
    observedAt: '2026-11-28T11:55:00Z',
    source: 'statusline',
    planType: null,
    expired: false,
    pace: null,
    ...partial,
  };
}
