// A query's answer as CSV (RFC 4180): a header of column names, then one line per row; a field
// with a comma, a quote or a line break is quoted, quotes doubled; null is an empty field.
export type CsvValue = number | string | boolean | null;

function field(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [columns, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** `ai-observer-query-2026-11-30T12-00-00.csv` */
export function csvFileName(now: Date): string {
  return `ai-observer-query-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.csv`;
}
