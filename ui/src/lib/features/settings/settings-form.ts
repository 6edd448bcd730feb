// Turns what the user typed on the Settings page into a SettingsUpdate, or says what is wrong: the
// same rules the engine applies (a 400 from it should never be the first the user hears of them).
import type { LimitAlertSettings, Settings, SettingsUpdate } from '../../api/types.gen';
import { isValidTimeZone } from '../../format/locale';

export type SettingsDraft = {
  timeZone: string;
  dailyBudget: string;
  monthlyBudget: string;
  exportRoot: string;
  /** Plan-limit alerts: the percents as typed, and whether a pace that reaches the limit before the reset alerts too. */
  warnPercent: string;
  urgentPercent: string;
  alertOnPace: boolean;
};

export type DraftResult = { ok: true; update: SettingsUpdate } | { ok: false; errors: Partial<Record<keyof SettingsDraft, string>> };

/** "" -> null (no budget); "12.5" -> 12.5; anything else -> undefined (invalid). */
export function parseBudget(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/^\$/, '');
  if (trimmed === '') return null;
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

export function budgetText(value: number | null): string {
  return value === null ? '' : String(value);
}

/** "80" or "80%" -> 80; "92.5" -> 92.5; anything outside 1–100 or not a number -> undefined. */
export function parsePercent(text: string): number | undefined {
  const trimmed = text.trim().replace(/\s*%$/, '');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= 1 && value <= 100 ? value : undefined;
}

export const WARN_PERCENT_ERROR = 'Enter the warning as a percent from 1 to 100.';
export const URGENT_PERCENT_ERROR = 'Enter the urgent alert as a percent from 1 to 100.';
export const ALERT_ORDER_ERROR = 'The urgent alert must be above the warning: make its percent higher.';

/** The form's fields for what the engine has. */
export function draftOf(settings: Settings, machineZone: string): SettingsDraft {
  return {
    timeZone: settings.timeZone || machineZone,
    dailyBudget: budgetText(settings.dailyBudgetUsd),
    monthlyBudget: budgetText(settings.monthlyBudgetUsd),
    exportRoot: settings.exportRoot,
    warnPercent: String(settings.limitAlerts.warnPercent),
    urgentPercent: String(settings.limitAlerts.urgentPercent),
    alertOnPace: settings.limitAlerts.pace,
  };
}

function checkAlerts(draft: SettingsDraft, errors: Partial<Record<keyof SettingsDraft, string>>): LimitAlertSettings | null {
  const warnPercent = parsePercent(draft.warnPercent);
  if (warnPercent === undefined) errors.warnPercent = WARN_PERCENT_ERROR;
  const urgentPercent = parsePercent(draft.urgentPercent);
  if (urgentPercent === undefined) errors.urgentPercent = URGENT_PERCENT_ERROR;
  if (warnPercent === undefined || urgentPercent === undefined) return null;
  if (warnPercent >= urgentPercent) {
    errors.urgentPercent = ALERT_ORDER_ERROR;
    return null;
  }
  return { warnPercent, urgentPercent, pace: draft.alertOnPace };
}

/** An absolute folder path on Unix (`/…`) or Windows (`C:\…`, `\\server\…`). */
function isAbsoluteFolder(text: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(text);
}

/** `loadedExportRoot`: the export folder the engine reported; it is sent only when changed (empty restores the default). */
export function validateDraft(draft: SettingsDraft, loadedExportRoot?: string): DraftResult {
  const errors: Partial<Record<keyof SettingsDraft, string>> = {};
  const timeZone = draft.timeZone.trim();
  if (!isValidTimeZone(timeZone)) errors.timeZone = 'Use an IANA time zone such as Europe/Berlin or America/New_York.';
  const daily = parseBudget(draft.dailyBudget);
  if (daily === undefined) errors.dailyBudget = 'Enter an amount in dollars, or leave empty for no budget.';
  const monthly = parseBudget(draft.monthlyBudget);
  if (monthly === undefined) errors.monthlyBudget = 'Enter an amount in dollars, or leave empty for no budget.';
  const exportRoot = draft.exportRoot.trim();
  if (exportRoot !== '' && !isAbsoluteFolder(exportRoot)) errors.exportRoot = 'Enter a full folder path (such as /home/you/exports), or leave empty for the default.';
  const limitAlerts = checkAlerts(draft, errors);
  if (Object.keys(errors).length > 0 || limitAlerts === null) return { ok: false, errors };
  const update: SettingsUpdate = { timeZone, dailyBudgetUsd: daily ?? null, monthlyBudgetUsd: monthly ?? null, limitAlerts };
  if (exportRoot !== (loadedExportRoot ?? '')) update.exportRoot = exportRoot === '' ? null : exportRoot;
  return { ok: true, update };
}

/** IANA zones for the picker's suggestions (older WebKit lacks supportedValuesOf). */
export function knownTimeZones(): string[] {
  try {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}
