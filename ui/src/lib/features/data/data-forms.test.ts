import { describe, expect, it } from 'vitest';
import { checkDelete, checkExport, defaultDeleteDraft, defaultExportDraft, deletedRows, sameDelete } from './data-forms';

describe('checkExport', () => {
  it('takes an optional folder inside the export folder and sends only what was chosen', () => {
    expect(checkExport(defaultExportDraft())).toEqual({ ok: true, request: { tool: 'all' } });
    expect(checkExport({ ...defaultExportDraft(), output: ' monday ' })).toEqual({ ok: true, request: { output: 'monday', tool: 'all' } });
    expect(checkExport({ ...defaultExportDraft(), output: '../elsewhere' })).toEqual({ ok: false, errors: { output: 'Name a folder inside the export folder (no “..”).' } });
    expect(checkExport({ ...defaultExportDraft(), output: 'a\\..\\b' }).ok).toBe(false);
    expect(checkExport({ ...defaultExportDraft(), output: '/o', tool: 'codex', from: '2026-11-01', to: '2026-11-28', zip: true, partitioned: true }, true)).toEqual({
      ok: true,
      request: { output: '/o', tool: 'codex', from: '2026-11-01', to: '2026-11-28', zip: true, partitioned: true, dryRun: true },
    });
  });

  it('rejects impossible or reversed days', () => {
    const result = checkExport({ ...defaultExportDraft(), output: '/o', from: '2026-02-30', to: '2026-01-01' });
    expect(result).toEqual({ ok: false, errors: { from: 'Use a date like 2026-11-28.' } });
    expect(checkExport({ ...defaultExportDraft(), output: '/o', from: '2026-02-03', to: '2026-02-01' })).toEqual({
      ok: false,
      errors: { to: 'The last day must not be before the first.' },
    });
  });
});

describe('checkDelete', () => {
  it('requires both days and keeps the service optional', () => {
    expect(checkDelete(defaultDeleteDraft())).toEqual({ ok: false, errors: { from: 'Choose the first day.', to: 'Choose the last day.' } });
    expect(checkDelete({ scope: 'logs', from: '2026-11-01', to: '2026-11-01', service: '' })).toEqual({ ok: true, request: { scope: 'logs', from: '2026-11-01', to: '2026-11-01' } });
    expect(checkDelete({ scope: 'all', from: '2026-11-01', to: '2026-11-02', service: 'codex' })).toEqual({
      ok: true,
      request: { scope: 'all', from: '2026-11-01', to: '2026-11-02', service: 'codex' },
    });
  });

  it('compares requests field by field and sums rows without counting traces twice', () => {
    const request = { scope: 'all' as const, from: '2026-11-01', to: '2026-11-02' };
    expect(sameDelete(request, { ...request })).toBe(true);
    expect(sameDelete(request, { ...request, service: 'codex' })).toBe(false);
    expect(sameDelete(null, request)).toBe(false);
    expect(deletedRows({ logs: 3, metrics: 4, traces: 2, spans: 10, usageRecords: 1 })).toBe(18);
  });
});
