import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../api/types.gen';
import { countNewLogs, matchesLogFilter } from './new-logs';
import { severityTone } from './severity';

const record = (timestamp: string, serviceName: string, severityText: string, body: string): LogRecord => ({ timestamp, serviceName, severityText, body });

describe('new logs counter', () => {
  const window = { from: Date.parse('2026-11-28T12:00:00Z'), to: Number.POSITIVE_INFINITY };
  const incoming = [
    record('2026-11-28T11:59:59Z', 'claude-code', 'INFO', 'before the window'),
    record('2026-11-28T12:00:01Z', 'claude-code', 'INFO', 'api_request ok'),
    record('2026-11-28T12:00:02Z', 'claude-code', 'ERROR', 'api_error 529'),
    record('2026-11-28T12:00:03Z', 'codex_cli_rs', 'ERROR', 'tool failed'),
  ];

  it('counts only records inside the window that match the filters', () => {
    expect(countNewLogs(incoming, { service: '', severity: '', search: '' }, window)).toBe(3);
    expect(countNewLogs(incoming, { service: 'claude-code', severity: '', search: '' }, window)).toBe(2);
    expect(countNewLogs(incoming, { service: '', severity: 'ERROR', search: '' }, window)).toBe(2);
    expect(countNewLogs(incoming, { service: '', severity: '', search: 'API_ERROR' }, window)).toBe(1);
  });

  it('counts a late record of an absolute window, and nothing after its end', () => {
    const fixed = { from: Date.parse('2026-11-28T11:00:00Z'), to: Date.parse('2026-11-28T12:00:01Z') };
    expect(countNewLogs(incoming, { service: '', severity: '', search: '' }, fixed)).toBe(2);
  });

  it('matches attributes in the search too', () => {
    expect(matchesLogFilter({ timestamp: '', serviceName: 's', logAttributes: { 'event.name': 'codex.tool_result' } }, { service: '', severity: '', search: 'tool_result' })).toBe(true);
  });

  it('colors severities', () => {
    expect(severityTone('ERROR')).toBe('error');
    expect(severityTone('fatal')).toBe('error');
    expect(severityTone('WARN')).toBe('warn');
    expect(severityTone('INFO')).toBe('info');
    expect(severityTone(undefined)).toBe('neutral');
  });
});
