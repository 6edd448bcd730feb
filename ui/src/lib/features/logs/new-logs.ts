// Counts live log records that the current list would show if reloaded (same filters, inside the
// selected time window), for the "N new logs" button; the list itself only changes when clicked.
// Arriving over the live socket is what makes a record new: its own timestamp may be older than the
// page (a CLI exports in batches, a clock may be off), so it is checked against the window only.
import type { LogRecord } from '../../api/types.gen';
import type { LiveWindow } from '../explorer/explorer.svelte';

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

export function countNewLogs(logs: readonly LogRecord[], filter: LogFilter, window: LiveWindow): number {
  return logs.filter((log) => {
    const time = Date.parse(log.timestamp);
    return time >= window.from && time <= window.to && matchesLogFilter(log, filter);
  }).length;
}
