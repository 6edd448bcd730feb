// US dollars as the API reports them. Two decimals, four below one cent so small Codex or Gemini
// costs do not read as $0.00; `null` (cost cannot be computed) is shown as a dash, never as $0,
// and a group none of whose requests has a price (the API's cost is then null) says "no price"
// instead of $0.00.

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

/** What a cost of a group of model requests (a tool, model, day, session) is read from. */
export type CostFields = { costUsd: number | null; requests: number; unpricedRequests: number };

/** Text for a spend group: its cost, or "no price" when it has requests and none of them is priced. */
export function formatGroupCost(group: CostFields): string {
  return isUnpriced(group) ? NO_PRICE : formatUsd(group.costUsd ?? 0);
}

export const NO_PRICE = 'no price';

/**
 * True when not one of a group's requests has a price: the API says so with a null cost (older
 * answers with 0 and every request unpriced). A group without requests costs 0, it is not unpriced.
 */
export function isUnpriced(group: { costUsd?: number | null; requests: number; unpricedRequests: number }): boolean {
  return group.costUsd === null || (group.requests > 0 && group.unpricedRequests >= group.requests);
}

/** A group's cost for sums and sorting: an unknown (null) cost counts as 0. */
export function costOrZero(group: { costUsd: number | null }): number {
  return group.costUsd ?? 0;
}
