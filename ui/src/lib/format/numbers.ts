// Counts for people: 1234 -> "1.23K", 12_500_000 -> "12.5M". Deterministic (no locale) so the
// same value always reads the same and tests can reproduce the text from API numbers.

const UNITS: [number, string][] = [
  [1e3, 'K'],
  [1e6, 'M'],
  [1e9, 'B'],
  [1e12, 'T'],
];

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** K/M/B/T with at most 2 decimals; below 1000 the number itself (at most 2 decimals). */
export function formatCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  let unit = -1;
  for (let index = 0; index < UNITS.length; index += 1) if (abs >= (UNITS[index] as [number, string])[0]) unit = index;
  // 999_999 would round to "1000K": move up a unit instead
  if (unit >= 0 && unit < UNITS.length - 1 && Number((abs / (UNITS[unit] as [number, string])[0]).toFixed(2)) >= 1000) unit += 1;
  if (unit < 0 && Number(abs.toFixed(2)) >= 1000) unit = 0;
  if (unit >= 0) {
    const [size, suffix] = UNITS[unit] as [number, string];
    return `${sign}${trimZeros((abs / size).toFixed(2))}${suffix}`;
  }
  return `${sign}${trimZeros(abs.toFixed(2))}`;
}

/** Full integer with thousands separators: 1234567 -> "1,234,567". */
export function formatInteger(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Percent with one decimal: 12.345 -> "12.3%". The input is already a percentage. */
export function formatPercent(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toFixed(decimals)}%`;
}

/** A 0..1 ratio as percent: 0.4567 -> "45.7%". */
export function formatRatioAsPercent(ratio: number | null | undefined, decimals = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return formatPercent(ratio * 100, decimals);
}

/**
 * A count with its noun, singular for exactly one: (1, 'request') -> "1 request",
 * (1234, 'request') -> "1,234 requests", (2, 'query', 'queries') -> "2 queries".
 */
export function formatCount(count: number | null | undefined, singular: string, plural = `${singular}s`): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return `— ${plural}`;
  return `${formatInteger(count)} ${Math.round(count) === 1 ? singular : plural}`;
}

/** Like formatCount with a compact number: (12_500, 'token') -> "12.5K tokens". */
export function formatCompactCount(count: number | null | undefined, singular: string, plural = `${singular}s`): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return `— ${plural}`;
  return `${formatCompact(count)} ${count === 1 ? singular : plural}`;
}
