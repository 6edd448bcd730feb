// Turns what the user typed on the Data page into an ExportRequest (the folder is optional and
// lies inside the engine's export folder; without one the engine names a new folder) or a DeleteRequest (days as
// `YYYY-MM-DD`, UTC, both ends inclusive), or says what is wrong; and sums delete counts.
import type { DeleteCounts, DeleteRequest, DeleteScope, ExportRequest } from '../../api/types.gen';

export type ExportDraft = {
  tool: string;
  output: string;
  from: string;
  to: string;
  zip: boolean;
  partitioned: boolean;
  overwrite: boolean;
};

export type DeleteDraft = { scope: DeleteScope; from: string; to: string; service: string };

type Errors<D> = Partial<Record<keyof D, string>>;

export type Checked<R, D> = { ok: true; request: R } | { ok: false; errors: Errors<D> };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const DELETE_SCOPES: readonly { scope: DeleteScope; label: string }[] = [
  { scope: 'all', label: 'Everything (logs, usage, metrics, traces)' },
  { scope: 'logs', label: 'Logs and usage records' },
  { scope: 'metrics', label: 'Metrics' },
  { scope: 'traces', label: 'Traces' },
];

export function defaultExportDraft(): ExportDraft {
  return { tool: 'all', output: '', from: '', to: '', zip: false, partitioned: false, overwrite: false };
}

export function defaultDeleteDraft(): DeleteDraft {
  return { scope: 'all', from: '', to: '', service: '' };
}

function isDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().startsWith(text);
}

function checkDays<D extends { from: string; to: string }>(draft: D, required: boolean, errors: Errors<D>): void {
  const from = draft.from.trim();
  const to = draft.to.trim();
  const fromKey = 'from' as keyof D;
  const toKey = 'to' as keyof D;
  if (from === '' && required) errors[fromKey] = 'Choose the first day.';
  else if (from !== '' && !isDay(from)) errors[fromKey] = 'Use a date like 2026-11-28.';
  if (to === '' && required) errors[toKey] = 'Choose the last day.';
  else if (to !== '' && !isDay(to)) errors[toKey] = 'Use a date like 2026-11-28.';
  if (!errors[fromKey] && !errors[toKey] && from !== '' && to !== '' && from > to) errors[toKey] = 'The last day must not be before the first.';
}

export function checkExport(draft: ExportDraft, dryRun = false): Checked<ExportRequest, ExportDraft> {
  const errors: Errors<ExportDraft> = {};
  const output = draft.output.trim();
  if (output.split(/[\\/]/).includes('..')) errors.output = 'Name a folder inside the export folder (no “..”).';
  checkDays(draft, false, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const request: ExportRequest = { tool: draft.tool || 'all' };
  if (output !== '') request.output = output;
  if (draft.from.trim()) request.from = draft.from.trim();
  if (draft.to.trim()) request.to = draft.to.trim();
  if (draft.zip) request.zip = true;
  if (draft.partitioned) request.partitioned = true;
  if (draft.overwrite) request.overwrite = true;
  if (dryRun) request.dryRun = true;
  return { ok: true, request };
}

export function checkDelete(draft: DeleteDraft): Checked<DeleteRequest, DeleteDraft> {
  const errors: Errors<DeleteDraft> = {};
  checkDays(draft, true, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const request: DeleteRequest = { scope: draft.scope, from: draft.from.trim(), to: draft.to.trim() };
  if (draft.service.trim()) request.service = draft.service.trim();
  return { ok: true, request };
}

/** Rows a delete touches: spans are the traces' rows, so traces are not counted twice. */
export function deletedRows(counts: DeleteCounts): number {
  return counts.logs + counts.metrics + counts.spans + counts.usageRecords;
}

/** Same request, field by field: a preview only counts for the exact request it was made for. */
export function sameDelete(a: DeleteRequest | null, b: DeleteRequest | null): boolean {
  if (a === null || b === null) return false;
  return a.scope === b.scope && a.from === b.from && a.to === b.to && (a.service ?? '') === (b.service ?? '');
}
