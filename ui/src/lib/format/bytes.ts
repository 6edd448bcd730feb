// File sizes for the import wizard (binary units, as file managers show them).

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 512 -> "512 B", 1536 -> "1.5 KB", 5_368_709_120 -> "5 GB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 0) return `-${formatBytes(-bytes)}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 ? String(Math.round(value)) : value.toFixed(value < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return `${text} ${UNITS[unit]}`;
}
