// Counts live log records that would show on the current first page (same filters, newer than
// what was loaded), for the "N new logs" button; the list itself only changes when clicked.
import type { LogRecord } from '../../api/types.gen';

export type LogFilter = { service: string; severity: string; search: string };

export function matchesLogFilter(log: LogRecord, filter: LogFilter): boolean {
  if (filter.service && log.serviceName !== filter.service) return false;
  if (filter.severity && log.severityText !== filter.severity) return false;
  if (filter.search) {
    const needle = filter.search.toLowerCase();
    const haystack = [log.body ?? '', log.scopeName ?? '', log.severityText ?? '', JSON.stringify(log.logAttributes ?? {})].join(' ').toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

export function countNewLogs(logs: readonly LogRecord[], filter: LogFilter, anchorMillis: number): number {
  return logs.filter((log) => Date.parse(log.timestamp) > anchorMillis && matchesLogFilter(log, filter)).length;
}
