import { describe, expect, it } from 'vitest';
import type { Settings } from '../../api/types.gen';
import { ALERT_ORDER_ERROR, URGENT_PERCENT_ERROR, WARN_PERCENT_ERROR, draftOf, parseBudget, parsePercent, validateDraft, type SettingsDraft } from './settings-form';

const ALERTS = { warnPercent: '80', urgentPercent: '95', alertOnPace: true };

function draft(partial: Partial<SettingsDraft> = {}): SettingsDraft {
  return { timeZone: 'UTC', dailyBudget: '', monthlyBudget: '', exportRoot: '', ...ALERTS, ...partial };
}

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
    expect(validateDraft(draft({ timeZone: 'Europe/Berlin', dailyBudget: '5', exportRoot: root }), root)).toEqual({
      ok: true,
      update: { timeZone: 'Europe/Berlin', dailyBudgetUsd: 5, monthlyBudgetUsd: null, limitAlerts: { warnPercent: 80, urgentPercent: 95, pace: true } },
    });
    const invalid = validateDraft(draft({ timeZone: 'Mars/Base', dailyBudget: 'x', monthlyBudget: '100', exportRoot: 'exports', warnPercent: '0' }), root);
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(Object.keys(invalid.errors).sort()).toEqual(['dailyBudget', 'exportRoot', 'timeZone', 'warnPercent']);
  });

  it('sends the export folder only when it changed, and empty restores the default', () => {
    const root = '/data/exports';
    const changed = draft({ exportRoot: '/mnt/backup/ai' });
    expect(validateDraft(changed, root)).toMatchObject({ ok: true, update: { exportRoot: '/mnt/backup/ai' } });
    expect(validateDraft({ ...changed, exportRoot: '' }, root)).toMatchObject({ ok: true, update: { exportRoot: null } });
    expect(validateDraft({ ...changed, exportRoot: 'D:\\exports' }, root)).toMatchObject({ ok: true, update: { exportRoot: 'D:\\exports' } });
  });

  it('reads plan-limit percents from 1 to 100, as the engine accepts them', () => {
    expect(parsePercent('80')).toBe(80);
    expect(parsePercent(' 92.5 % ')).toBe(92.5);
    expect(parsePercent('1')).toBe(1);
    expect(parsePercent('100')).toBe(100);
    expect(parsePercent('0')).toBeUndefined();
    expect(parsePercent('0.5')).toBeUndefined();
    expect(parsePercent('100.1')).toBeUndefined();
    expect(parsePercent('-5')).toBeUndefined();
    expect(parsePercent('')).toBeUndefined();
    expect(parsePercent('eighty')).toBeUndefined();
  });

  it('sends the plan-limit alerts with every save, the warning below the urgent alert', () => {
    expect(validateDraft(draft({ warnPercent: '60', urgentPercent: '90%', alertOnPace: false }))).toEqual({
      ok: true,
      update: { timeZone: 'UTC', dailyBudgetUsd: null, monthlyBudgetUsd: null, limitAlerts: { warnPercent: 60, urgentPercent: 90, pace: false } },
    });
    // the order is checked only when both are percents, and reported on the urgent field
    expect(validateDraft(draft({ warnPercent: '95', urgentPercent: '80' }))).toEqual({ ok: false, errors: { urgentPercent: ALERT_ORDER_ERROR } });
    expect(validateDraft(draft({ warnPercent: '90', urgentPercent: '90' }))).toEqual({ ok: false, errors: { urgentPercent: ALERT_ORDER_ERROR } });
    expect(validateDraft(draft({ warnPercent: '', urgentPercent: '101' }))).toEqual({ ok: false, errors: { warnPercent: WARN_PERCENT_ERROR, urgentPercent: URGENT_PERCENT_ERROR } });
  });

  it('fills the form from the engine’s settings', () => {
    const settings: Settings = {
      timeZone: '',
      dailyBudgetUsd: 12.5,
      monthlyBudgetUsd: null,
      ports: { api: 8080, otlpHttp: 4318, otlpGrpc: 4317 },
      databasePath: '/data/observer.duckdb',
      listen: '127.0.0.1',
      version: '0.1.0',
      receivingPaused: false,
      exportRoot: '/data/exports',
      limitAlerts: { warnPercent: 72.5, urgentPercent: 95, pace: false },
    };
    const filled = draftOf(settings, 'Europe/Berlin');
    expect(filled).toEqual({
      timeZone: 'Europe/Berlin',
      dailyBudget: '12.5',
      monthlyBudget: '',
      exportRoot: '/data/exports',
      warnPercent: '72.5',
      urgentPercent: '95',
      alertOnPace: false,
    });
    // saved unchanged, the form sends back what it was given
    expect(validateDraft(filled, settings.exportRoot)).toEqual({
      ok: true,
      update: { timeZone: 'Europe/Berlin', dailyBudgetUsd: 12.5, monthlyBudgetUsd: null, limitAlerts: settings.limitAlerts },
    });
  });
});
