// How a plan-limit window reads: its name, its colour by how much is used, the percent, the
// countdown to its reset and where its pace leads, all in the user's locale and time zone. A window
// whose reset time has passed has started over: its old percent is no longer true, so it reads
// "reset" until the tool reports again (the API says so in `expired`; the clock here keeps it true
// while the page stays open).
import type { LimitState, LimitWindow, Tool } from '../../api/types.gen';
import { formatTimeOfDay, formatWeekdayTime, isSameDay, type DateStyleOptions } from '../../format/dates';
import { TOOL_KEYS } from '../../format/tools';

export type LimitTone = 'ok' | 'warn' | 'error';

/** From this share used a window warns, and from the second it is in danger. */
export const WARN_PERCENT = 80;
export const DANGER_PERCENT = 95;

const WINDOW_LABELS: Record<LimitWindow, string> = { '5h': '5-hour window', '7d': 'Weekly window' };
const WINDOW_ORDER: readonly LimitWindow[] = ['5h', '7d'];

export function windowLabel(window: LimitWindow): string {
  return WINDOW_LABELS[window] ?? window;
}

export function limitTone(usedPercent: number): LimitTone {
  if (usedPercent >= DANGER_PERCENT) return 'error';
  if (usedPercent >= WARN_PERCENT) return 'warn';
  return 'ok';
}

/** 88 -> "88%", 7.000000000000001 (Claude Code's 0.07 × 100) -> "7%", 12.34 -> "12.3%". */
export function formatLimitPercent(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${Number(value.toFixed(1))}%`;
}

/** The window has started over since this report: by the API, or because its reset time has passed since. */
export function isExpired(state: LimitState, now: number): boolean {
  if (state.expired) return true;
  const reset = state.resetsAt === null ? Number.NaN : Date.parse(state.resetsAt);
  return Number.isFinite(reset) && reset <= now;
}

/** "1 h 12 min", "42 min", "2 h": a span under a day, rounded up to the minute. */
export function formatCountdown(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "resets in 1 h 12 min" within a day, "resets Sat, Dec 5, 2:30 AM" later. */
export function resetText(resetsAt: string | null, now: number, style: DateStyleOptions = {}): string {
  const reset = resetsAt === null ? Number.NaN : Date.parse(resetsAt);
  if (!Number.isFinite(reset)) return 'reset time not reported';
  const left = reset - now;
  if (left <= 0) return 'resetting now';
  if (left < 60_000) return 'resets in under a minute';
  if (left < 24 * 3600_000) return `resets in ${formatCountdown(left)}`;
  return `resets ${formatWeekdayTime(reset, style)}`;
}

export type PaceLine = { text: string; warn: boolean };

/**
 * Where the use is heading by the reset, or null when there is no pace yet (fewer than two reports
 * in the window) or the pace is stale (it reached the limit before now, and no report said so).
 */
export function paceLine(state: LimitState, now: number, style: DateStyleOptions = {}): PaceLine | null {
  const pace = state.pace;
  if (!pace || state.usedPercent >= 100) return null;
  if (pace.reachesLimitAt !== null) {
    const at = Date.parse(pace.reachesLimitAt);
    const when = isSameDay(at, now, style) ? formatTimeOfDay(at, style) : formatWeekdayTime(at, style);
    // a pace that placed the limit before now, yet no report since said so: the tool stopped, the pace is stale
    if (at <= now) return null;
    return { text: `At this pace the limit is reached at ${when}, before the reset`, warn: true };
  }
  return { text: `At this pace: ${formatLimitPercent(Math.round(Math.max(pace.projectedPercentAtReset, state.usedPercent)))} at reset`, warn: false };
}

/** Where the numbers come from, for the line under a tool's name. */
export function sourceText(state: LimitState): string {
  return state.source === 'statusline' ? 'from its status line' : 'from its session files';
}

/** "plus" -> "Plus plan". */
export function planLabel(planType: string | null): string | null {
  if (!planType) return null;
  return `${planType.charAt(0).toUpperCase()}${planType.slice(1)} plan`;
}

function toolRank(tool: Tool): number {
  const index = TOOL_KEYS.indexOf(tool);
  return index < 0 ? TOOL_KEYS.length : index;
}

function windowRank(window: LimitWindow): number {
  const index = WINDOW_ORDER.indexOf(window);
  return index < 0 ? WINDOW_ORDER.length : index;
}

/** Tools in the app's order, the 5-hour window before the weekly one. */
export function compareLimits(a: Pick<LimitState, 'tool' | 'window'>, b: Pick<LimitState, 'tool' | 'window'>): number {
  return toolRank(a.tool) - toolRank(b.tool) || a.tool.localeCompare(b.tool) || windowRank(a.window) - windowRank(b.window);
}

export type ToolLimits = { tool: Tool; planType: string | null; source: LimitState['source']; windows: LimitState[] };

/** The latest states, one group per tool, in order. */
export function limitsByTool(states: readonly LimitState[]): ToolLimits[] {
  const groups = new Map<Tool, ToolLimits>();
  for (const state of [...states].sort(compareLimits)) {
    const group = groups.get(state.tool) ?? { tool: state.tool, planType: null, source: state.source, windows: [] };
    group.windows.push(state);
    group.planType ??= state.planType;
    groups.set(state.tool, group);
  }
  return [...groups.values()];
}
