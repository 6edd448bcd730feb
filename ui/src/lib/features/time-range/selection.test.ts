import { describe, expect, it } from 'vitest';
import { findPreset, intervalForSpan, PRESETS } from './presets';
import {
  DEFAULT_PRESET,
  initialSelection,
  loadStoredSelection,
  resolveSelection,
  selectionFromParams,
  STORAGE_KEY,
  storeSelection,
  writeSelectionParams,
  type TimeSelection,
} from './selection';

const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('presets', () => {
  it('has the reference presets with their bucket intervals', () => {
    const table = Object.fromEntries(PRESETS.map((preset) => [preset.id, [preset.durationSeconds, preset.intervalSeconds]]));
    expect(table).toEqual({
      '1m': [60, 1],
      '5m': [300, 5],
      '15m': [900, 15],
      '30m': [1800, 30],
      '1h': [3600, 60],
      '3h': [10800, 300],
      '6h': [21600, 600],
      '12h': [43200, 1200],
      '24h': [86400, 3600],
      '3d': [259200, 10800],
      '7d': [604800, 21600],
      '14d': [1209600, 43200],
      '30d': [2592000, 86400],
      '45d': [3888000, 86400],
      '60d': [5184000, 172800],
      '90d': [7776000, 259200],
      '180d': [15552000, 604800],
      '1y': [31536000, 1209600],
    });
  });

  it('picks an absolute range interval from the shortest covering preset', () => {
    expect(intervalForSpan(45)).toBe(1);
    expect(intervalForSpan(3600)).toBe(60);
    expect(intervalForSpan(2 * 86400)).toBe(10800);
    expect(intervalForSpan(10 * 365 * 86400)).toBe(1209600);
    expect(findPreset('2w')).toBeUndefined();
  });
});

describe('resolveSelection', () => {
  it('turns a preset into from/to/interval relative to now', () => {
    const range = resolveSelection({ kind: 'relative', preset: '24h' }, NOW);
    expect(range.from.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(range.to.toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(range.intervalSeconds).toBe(3600);
    expect(range.relative).toBe(true);
  });

  it('keeps absolute ranges fixed', () => {
    const range = resolveSelection({ kind: 'absolute', from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' }, NOW);
    expect(range.from.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(range.intervalSeconds).toBe(21600);
    expect(range.relative).toBe(false);
  });
});

describe('URL round trip', () => {
  it('writes and reads a relative preset as timeframe=', () => {
    const params = new URLSearchParams('from=x&to=y&service=codex');
    writeSelectionParams({ kind: 'relative', preset: '7d' }, params);
    expect(params.toString()).toBe('service=codex&timeframe=7d');
    expect(selectionFromParams(params)).toEqual({ kind: 'relative', preset: '7d' });
  });

  it('writes and reads an absolute range as from=/to=', () => {
    const selection: TimeSelection = { kind: 'absolute', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' };
    const params = new URLSearchParams('timeframe=1h');
    writeSelectionParams(selection, params);
    expect(params.get('timeframe')).toBeNull();
    expect(selectionFromParams(new URLSearchParams(params.toString()))).toEqual(selection);
  });

  it('ignores unknown presets and inverted or broken ranges', () => {
    expect(selectionFromParams(new URLSearchParams('timeframe=2w'))).toBeNull();
    expect(selectionFromParams(new URLSearchParams('from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z'))).toBeNull();
    expect(selectionFromParams(new URLSearchParams('from=soon&to=later'))).toBeNull();
  });
});

describe('localStorage round trip', () => {
  it('stores one selection for the whole app under ai-observer-timeselection', () => {
    storeSelection({ kind: 'relative', preset: '3h' }, localStorage);
    expect(STORAGE_KEY).toBe('ai-observer-timeselection');
    expect(JSON.parse(localStorage.getItem('ai-observer-timeselection') ?? '')).toEqual({ kind: 'relative', preset: '3h' });
    expect(loadStoredSelection(localStorage)).toEqual({ kind: 'relative', preset: '3h' });
  });

  it('falls back once to what the Overview stored before the range was shared', () => {
    localStorage.setItem('ai-observer-overview-timeselection', JSON.stringify({ kind: 'relative', preset: '30d' }));
    localStorage.setItem('ai-observer-logs-timeselection', JSON.stringify({ kind: 'relative', preset: '1h' }));
    expect(loadStoredSelection(localStorage)).toEqual({ kind: 'relative', preset: '30d' });
    storeSelection({ kind: 'relative', preset: '24h' }, localStorage);
    expect(loadStoredSelection(localStorage)).toEqual({ kind: 'relative', preset: '24h' });
  });

  it('ignores corrupt storage', () => {
    localStorage.setItem('ai-observer-timeselection', '{not json');
    expect(loadStoredSelection(localStorage)).toBeNull();
    localStorage.setItem('ai-observer-timeselection', JSON.stringify({ kind: 'relative', preset: 'forever' }));
    expect(loadStoredSelection(localStorage)).toBeNull();
  });

  it('prefers the URL, then storage, then the last 7 days', () => {
    storeSelection({ kind: 'relative', preset: '6h' }, localStorage);
    expect(initialSelection(new URLSearchParams('timeframe=1m'), localStorage)).toEqual({ kind: 'relative', preset: '1m' });
    expect(initialSelection(new URLSearchParams(''), localStorage)).toEqual({ kind: 'relative', preset: '6h' });
    expect(initialSelection(new URLSearchParams(''), null)).toEqual({ kind: 'relative', preset: '7d' });
    expect(DEFAULT_PRESET).toBe('7d');
  });
});
