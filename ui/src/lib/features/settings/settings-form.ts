// Turns what the user typed on the Settings page into a SettingsUpdate, or says what is wrong.
import type { SettingsUpdate } from '../../api/types.gen';
import { isValidTimeZone } from '../../format/locale';

export type SettingsDraft = { timeZone: string; dailyBudget: string; monthlyBudget: string; exportRoot: string };

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
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const update: SettingsUpdate = { timeZone, dailyBudgetUsd: daily ?? null, monthlyBudgetUsd: monthly ?? null };
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
