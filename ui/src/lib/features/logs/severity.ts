// Log severities as the filter offers them and the badge colors they get.

export const SEVERITIES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export type SeverityTone = 'error' | 'warn' | 'info' | 'neutral';

export function severityTone(severityText: string | undefined): SeverityTone {
  const upper = (severityText ?? '').toUpperCase();
  if (upper.startsWith('ERROR') || upper.startsWith('FATAL')) return 'error';
  if (upper.startsWith('WARN')) return 'warn';
  if (upper.startsWith('INFO')) return 'info';
  return 'neutral';
}
