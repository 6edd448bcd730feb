// US dollars as the API reports them. Two decimals, four below one cent so small Codex or Gemini
// costs do not read as $0.00; `null` (cost cannot be computed) is shown as a dash, never as $0.

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
