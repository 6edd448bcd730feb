// The app's time selection: a relative preset or an absolute [from, to], one for every page that
// shows time-bound data. Kept in the URL (`timeframe=24h` or `from=…&to=…`) so links are shareable,
// and in localStorage under `ai-observer-timeselection` so the app reopens on what the user chose
// last. Without either, the last 7 days: a first visit shows the user's recent data.
import { formatDateTime } from '../../format/dates';
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

export const STORAGE_KEY = 'ai-observer-timeselection';
/** Where the Overview kept its own range before there was one for the whole app; read once as a fallback. */
export const LEGACY_STORAGE_KEY = 'ai-observer-overview-timeselection';
export const DEFAULT_PRESET: PresetId = '7d';

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

function readStored(storage: Storage, key: string): TimeSelection | null {
  try {
    const raw = storage.getItem(key);
    return raw ? normalize(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

export function loadStoredSelection(storage: Storage | null): TimeSelection | null {
  if (!storage) return null;
  return readStored(storage, STORAGE_KEY) ?? readStored(storage, LEGACY_STORAGE_KEY);
}

export function storeSelection(selection: TimeSelection, storage: Storage | null): void {
  if (!storage) return;
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(selection));
  } catch {
    // storage full or disabled: the URL still carries the selection
  }
}

/** URL first (a shared link wins), then what the user chose last, then the last 7 days. */
export function initialSelection(params: URLSearchParams, storage: Storage | null, fallback: PresetId = DEFAULT_PRESET): TimeSelection {
  return selectionFromParams(params) ?? loadStoredSelection(storage) ?? { kind: 'relative', preset: fallback };
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

/** What the selection covers, for subtitles: "Last 7 days", or "Nov 28, 2026, 1:30:00 PM – 2:15:00 PM" style. */
export function describeSelection(selection: TimeSelection, timeZone?: string): string {
  if (selection.kind === 'relative') return findPreset(selection.preset)?.label ?? selection.preset;
  return `${formatDateTime(selection.from, { timeZone })} – ${formatDateTime(selection.to, { timeZone })}`;
}
