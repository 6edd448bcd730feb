// API latency per tool from the request events the assistants log (Claude Code `api_request`,
// Gemini `api_response`, Codex `api_request`), each carrying `duration_ms`.
import type { LogRecord } from '../../api/types.gen';

export type LatencySummary = { service: string; requests: number; p50Ms: number; p95Ms: number; maxMs: number };

/** Event-name text that matches both `…api_request` and `…api_response` events (not `api_error`). */
export const REQUEST_EVENT_SEARCH = 'api_re';

const DURATION_KEYS = ['duration_ms', 'durationMs'];

export function percentile(sortedAscending: number[], fraction: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sortedAscending.length) - 1;
  return sortedAscending[Math.min(sortedAscending.length - 1, Math.max(0, rank))] as number;
}

function durationOf(log: LogRecord): number | null {
  for (const key of DURATION_KEYS) {
    const raw = log.logAttributes?.[key];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  return null;
}

export function summarizeLatency(logs: LogRecord[]): LatencySummary[] {
  const byService = new Map<string, number[]>();
  for (const log of logs) {
    const duration = durationOf(log);
    if (duration === null) continue;
    const list = byService.get(log.serviceName) ?? [];
    list.push(duration);
    byService.set(log.serviceName, list);
  }
  return [...byService.entries()]
    .map(([service, durations]) => {
      const sorted = [...durations].sort((a, b) => a - b);
      return {
        service,
        requests: sorted.length,
        p50Ms: percentile(sorted, 0.5),
        p95Ms: percentile(sorted, 0.95),
        maxMs: sorted[sorted.length - 1] as number,
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}
