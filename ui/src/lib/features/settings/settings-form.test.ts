import { describe, expect, it } from 'vitest';
import { parseBudget, validateDraft } from './settings-form';

describe('settings form', () => {
  it('parses budgets: empty means none', () => {
    expect(parseBudget('')).toBeNull();
    expect(parseBudget(' 12.5 ')).toBe(12.5);
    expect(parseBudget('$40')).toBe(40);
    expect(parseBudget('-3')).toBeUndefined();
    expect(parseBudget('ten')).toBeUndefined();
  });

  it('builds a SettingsUpdate or explains each problem', () => {
    const root = '/home/me/.local/share/ai-observer/exports';
    expect(validateDraft({ timeZone: 'Europe/Berlin', dailyBudget: '5', monthlyBudget: '', exportRoot: root }, root)).toEqual({
      ok: true,
      update: { timeZone: 'Europe/Berlin', dailyBudgetUsd: 5, monthlyBudgetUsd: null },
    });
    const invalid = validateDraft({ timeZone: 'Mars/Base', dailyBudget: 'x', monthlyBudget: '100', exportRoot: 'exports' }, root);
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(Object.keys(invalid.errors).sort()).toEqual(['dailyBudget', 'exportRoot', 'timeZone']);
  });

  it('sends the export folder only when it changed, and empty restores the default', () => {
    const root = '/data/exports';
    const draft = { timeZone: 'UTC', dailyBudget: '', monthlyBudget: '', exportRoot: '/mnt/backup/ai' };
    expect(validateDraft(draft, root)).toMatchObject({ ok: true, update: { exportRoot: '/mnt/backup/ai' } });
    expect(validateDraft({ ...draft, exportRoot: '' }, root)).toMatchObject({ ok: true, update: { exportRoot: null } });
    expect(validateDraft({ ...draft, exportRoot: 'D:\\exports' }, root)).toMatchObject({ ok: true, update: { exportRoot: 'D:\\exports' } });
  });
});
