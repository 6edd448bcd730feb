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
    expect(validateDraft({ timeZone: 'Europe/Berlin', dailyBudget: '5', monthlyBudget: '' })).toEqual({
      ok: true,
      update: { timeZone: 'Europe/Berlin', dailyBudgetUsd: 5, monthlyBudgetUsd: null },
    });
    const invalid = validateDraft({ timeZone: 'Mars/Base', dailyBudget: 'x', monthlyBudget: '100' });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(Object.keys(invalid.errors).sort()).toEqual(['dailyBudget', 'timeZone']);
  });
});
