// A window's reports over the app's range as a chart and a list: one history per tool and window
// (those reported in the range, and those whose latest state is shown even without a report in the
// range), the points of its line, and the reports where the use or the reset time changed (a tool
// repeats the same state many times; the list keeps the moments something moved).
import type { LimitState, LimitWindow, Tool } from '../../api/types.gen';
import type { TimePoint } from '../../components/chart-options';
import { compareLimits } from './limit-display';

export type WindowHistory = {
  key: string;
  tool: Tool;
  window: LimitWindow;
  /** Every report in the range, oldest first. */
  reports: LimitState[];
  points: TimePoint[];
  /** The reports that changed the use or the reset time, oldest first. */
  changes: LimitState[];
  highest: number | null;
};

export function historyKey(state: Pick<LimitState, 'tool' | 'window'>): string {
  return `${state.tool}-${state.window}`;
}

export function windowHistories(history: readonly LimitState[], latest: readonly LimitState[] = []): WindowHistory[] {
  const byKey = new Map<string, WindowHistory>();
  const entry = (state: LimitState): WindowHistory => {
    const key = historyKey(state);
    let found = byKey.get(key);
    if (!found) {
      found = { key, tool: state.tool, window: state.window, reports: [], points: [], changes: [], highest: null };
      byKey.set(key, found);
    }
    return found;
  };
  for (const state of latest) entry(state);
  const ordered = [...history].sort((a, b) => Date.parse(a.observedAt) - Date.parse(b.observedAt));
  for (const state of ordered) {
    const found = entry(state);
    const previous = found.reports[found.reports.length - 1];
    found.reports.push(state);
    found.points.push([Date.parse(state.observedAt), state.usedPercent]);
    if (!previous || previous.usedPercent !== state.usedPercent || previous.resetsAt !== state.resetsAt) found.changes.push(state);
    found.highest = Math.max(found.highest ?? state.usedPercent, state.usedPercent);
  }
  return [...byKey.values()].sort(compareLimits);
}
