// The Traces list's order and minimum duration: what the selects offer, how the URL keeps them
// (`sort=duration`, `minDurationMs=1000`; the defaults — latest first, any duration — leave the URL)
// and how the API is asked for them, which applies both across every page.
import type { TraceSort, TracesListRequest } from '../../api/types.gen';
import { formatDurationMs } from '../../format/durations';
import type { ExplorerQuery } from '../explorer/explorer.svelte';

/** The list's filters as the explorer keeps them in the URL, each a string ('' for the default). */
export const TRACE_FILTERS = ['service', 'sort', 'minDurationMs'] as const;
export type TraceFilter = (typeof TRACE_FILTERS)[number];

/** A select's option: the URL's value for it ('' for the default) and what it reads. */
export type Choice = { param: string; label: string };

/** The sorts the list offers, the default first. */
export const TRACE_SORTS: readonly (Choice & { sort: TraceSort })[] = [
  { sort: 'start', param: '', label: 'Latest first' },
  { sort: 'duration', param: 'duration', label: 'Longest first' },
  { sort: 'spans', param: 'spans', label: 'Most spans' },
];

/** The URL's `sort`: `duration` or `spans`, latest first (`start`) for anything else. */
export function traceSortOf(param: string | undefined): TraceSort {
  return TRACE_SORTS.find((choice) => choice.param !== '' && choice.param === param)?.sort ?? 'start';
}

/** What the URL keeps for a sort: nothing for the default. */
export function sortParam(sort: TraceSort): string {
  return TRACE_SORTS.find((choice) => choice.sort === sort)?.param ?? '';
}

/** The thresholds the select offers, in milliseconds (besides "Any"). */
export const MIN_DURATIONS_MS = [1, 100, 1000, 10_000] as const;

/** The API takes a whole number of milliseconds that fits an unsigned 32-bit integer. */
const MAX_MIN_DURATION_MS = 2 ** 32 - 1;

/** The URL's `minDurationMs`: a whole, positive number of milliseconds, or 0 (any duration) for anything else. */
export function minDurationOf(param: string | undefined): number {
  if (!param || !/^\d+$/.test(param)) return 0;
  const ms = Number(param);
  return ms <= MAX_MIN_DURATION_MS ? ms : 0;
}

/** What the URL keeps for a threshold: nothing for "any duration". */
export function minDurationParam(ms: number): string {
  return Number.isInteger(ms) && ms > 0 && ms <= MAX_MIN_DURATION_MS ? String(ms) : '';
}

/** "≥ 100 ms", "≥ 1 s"; "Any" for no threshold. */
export function minDurationLabel(ms: number): string {
  return ms > 0 ? `≥ ${formatDurationMs(ms)}` : 'Any';
}

/** The select's options: Any, the usual thresholds, and the URL's own when a link asked for another, in order. */
export function minDurationChoices(param: string | undefined): Choice[] {
  const current = minDurationOf(param);
  const thresholds: number[] = [...MIN_DURATIONS_MS];
  if (current > 0 && !thresholds.includes(current)) thresholds.push(current);
  thresholds.sort((a, b) => a - b);
  return [{ param: '', label: minDurationLabel(0) }, ...thresholds.map((ms) => ({ param: minDurationParam(ms), label: minDurationLabel(ms) }))];
}

/** The list's request: the explorer's query, with the sort always named and the threshold only when there is one. */
export function tracesRequest(query: ExplorerQuery<TraceFilter>): TracesListRequest {
  const { sort, minDurationMs, ...rest } = query;
  const threshold = minDurationOf(minDurationMs);
  return { ...rest, sort: traceSortOf(sort), ...(threshold > 0 ? { minDurationMs: threshold } : {}) };
}
