// US dollars as the API reports them. Two decimals, four below one cent so small Codex or Gemini
// costs do not read as $0.00; `null` (cost cannot be computed) is shown as a dash, never as $0,
// and a group none of whose requests has a price says "no price" instead of $0.00.

function groupThousands(integerPart: string): string {
  return integerPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1234.5 -> "$1,234.50"; 0.1234 -> "$0.12"; 0.001234 -> "$0.0012"; 0 -> "$0.00"; null -> "—". */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const decimals = abs > 0 && abs < 0.01 ? 4 : 2;
  const [integerPart, fraction] = abs.toFixed(decimals).split('.');
  return `${sign}$${groupThousands(integerPart ?? '0')}.${fraction ?? ''}`;
}

/** Compact dollars for chart axes: 1234 -> "$1.2K". */
export function formatUsdAxis(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `$${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `$${(value / 1e3).toFixed(1)}K`;
  if (abs >= 1 || abs === 0) return `$${value.toFixed(abs === 0 ? 0 : 2)}`;
  return `$${value.toFixed(abs < 0.01 ? 4 : 2)}`;
}

/** Text for a spend group: its cost, or "no price" when it has requests and none of them is priced. */
export function formatGroupCost(group: { costUsd: number; requests: number; unpricedRequests: number }): string {
  return isUnpriced(group) ? NO_PRICE : formatUsd(group.costUsd);
}

export const NO_PRICE = 'no price';

/** True when a group has requests and not one of them has a price (its cost of 0 means "unknown"). */
export function isUnpriced(group: { requests: number; unpricedRequests: number }): boolean {
  return group.requests > 0 && group.unpricedRequests >= group.requests;
}
