// The fixed spend windows of the summary (today, last 7 days, last 30 days, this month), with
// neighbours that hold the same amount merged into one entry: when all usage is recent the four
// windows are equal, and one "$0.25" with the windows it covers reads better than four.
import type { SpendGroup, SpendSummary } from '../../api/types.gen';

export type SpendWindowKey = 'today' | 'last7Days' | 'last30Days' | 'thisMonth';

export type MergedWindow = { keys: SpendWindowKey[]; label: string; group: SpendGroup };

const ORDER: readonly { key: SpendWindowKey; label: string }[] = [
  { key: 'today', label: 'Today' },
  { key: 'last7Days', label: 'Last 7 days' },
  { key: 'last30Days', label: 'Last 30 days' },
  { key: 'thisMonth', label: 'This month' },
];

function labelOf(key: SpendWindowKey): string {
  return (ORDER.find((entry) => entry.key === key) as (typeof ORDER)[number]).label;
}

/** The window's label inside a merged one: "Last 7 days, 30 days and this month". */
function laterLabel(key: SpendWindowKey, previous: SpendWindowKey): string {
  const label = labelOf(key).toLowerCase();
  return previous === 'last7Days' && key === 'last30Days' ? label.replace(/^last /, '') : label;
}

function sameAmount(a: SpendGroup, b: SpendGroup): boolean {
  return a.costUsd === b.costUsd && a.requests === b.requests;
}

/** "Last 7 days", "Last 7 days and 30 days", "Last 7 days, 30 days and this month". */
function joinLabels(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

export function mergeSpendWindows(summary: Pick<SpendSummary, SpendWindowKey>): MergedWindow[] {
  const merged: { keys: SpendWindowKey[]; group: SpendGroup }[] = [];
  for (const { key } of ORDER) {
    const group = summary[key];
    const last = merged.at(-1);
    if (last && sameAmount(last.group, group)) last.keys.push(key);
    else merged.push({ keys: [key], group });
  }
  return merged.map(({ keys, group }) => ({
    keys,
    group,
    label: joinLabels(keys.map((key, index) => (index === 0 ? labelOf(key) : laterLabel(key, keys[index - 1] as SpendWindowKey)))),
  }));
}
