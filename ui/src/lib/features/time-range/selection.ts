// A page's time selection: a relative preset or an absolute [from, to]. Kept in the URL
// (`timeframe=24h` or `from=…&to=…`) so links are shareable, and in localStorage under
// `ai-observer-<page>-timeselection` so a page reopens on what the user chose last.
import { findPreset, intervalForSpan, type PresetId } from './presets';

export type TimeSelection =
  | { kind: 'relative'; preset: PresetId }
  | { kind: 'absolute'; from: string; to: string };

export type ResolvedRange = {
  from: Date;
  to: Date;
  /** chart bucket in seconds */
  intervalSeconds: number;
  /** relative ranges move with the clock and may auto-refresh; absolute ones never do */
  relative: boolean;
};

export function storageKey(page: string): string {
  return `ai-observer-${page}-timeselection`;
}

function validIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function normalize(candidate: unknown): TimeSelection | null {
  if (typeof candidate !== 'object' || candidate === null) return null;
  const record = candidate as Record<string, unknown>;
  if (record.kind === 'relative' && typeof record.preset === 'string' && findPreset(record.preset)) {
    return { kind: 'relative', preset: record.preset as PresetId };
  }
  if (record.kind === 'absolute') {
    const from = validIso(record.from as string);
    const to = validIso(record.to as string);
    if (from && to && Date.parse(from) < Date.parse(to)) return { kind: 'absolute', from, to };
  }
  return null;
}

export function selectionFromParams(params: URLSearchParams): TimeSelection | null {
  const timeframe = params.get('timeframe');
  if (timeframe && findPreset(timeframe)) return { kind: 'relative', preset: timeframe as PresetId };
  return normalize({ kind: 'absolute', from: params.get('from'), to: params.get('to') });
}

/** Writes the selection into `params`, removing the keys of the other kind. */
export function writeSelectionParams(selection: TimeSelection, params: URLSearchParams): void {
  if (selection.kind === 'relative') {
    params.set('timeframe', selection.preset);
    params.delete('from');
    params.delete('to');
  } else {
    params.delete('timeframe');
    params.set('from', selection.from);
    params.set('to', selection.to);
  }
}

export function loadStoredSelection(page: string, storage: Storage | null): TimeSelection | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(storageKey(page));
    return raw ? normalize(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

export function storeSelection(page: string, selection: TimeSelection, storage: Storage | null): void {
  if (!storage) return;
  try {
    storage.setItem(storageKey(page), JSON.stringify(selection));
  } catch {
    // storage full or disabled: the URL still carries the selection
  }
}

/** URL first (a shared link wins), then what this page stored, then the page default. */
export function initialSelection(page: string, params: URLSearchParams, storage: Storage | null, fallback: PresetId): TimeSelection {
  return selectionFromParams(params) ?? loadStoredSelection(page, storage) ?? { kind: 'relative', preset: fallback };
}

export function resolveSelection(selection: TimeSelection, now: number = Date.now()): ResolvedRange {
  if (selection.kind === 'relative') {
    const preset = findPreset(selection.preset);
    const durationSeconds = preset?.durationSeconds ?? 86400;
    return {
      from: new Date(now - durationSeconds * 1000),
      to: new Date(now),
      intervalSeconds: preset?.intervalSeconds ?? 3600,
      relative: true,
    };
  }
  const from = new Date(selection.from);
  const to = new Date(selection.to);
  const spanSeconds = Math.max(1, (to.getTime() - from.getTime()) / 1000);
  return { from, to, intervalSeconds: intervalForSpan(spanSeconds), relative: false };
}

export function selectionsEqual(a: TimeSelection, b: TimeSelection): boolean {
  if (a.kind === 'relative' && b.kind === 'relative') return a.preset === b.preset;
  if (a.kind === 'absolute' && b.kind === 'absolute') return a.from === b.from && a.to === b.to;
  return false;
}
