import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { LogRecord } from '../../src/lib/api/types.gen';
import LogsPage from '../../src/routes/LogsPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

const logs: LogRecord[] = [
  { timestamp: '2026-11-28T12:00:05Z', serviceName: 'claude-code', severityText: 'ERROR', body: 'claude_code.api_error', traceId: 'feed', logAttributes: { status_code: '529', 'event.name': 'claude_code.api_error' } },
  { timestamp: '2026-11-28T12:00:01Z', serviceName: 'codex_cli_rs', severityText: 'INFO', body: 'codex.api_request' },
];

describe('LogsPage', () => {
  it('lists logs, expands a row, filters by severity and offers new live logs', async () => {
    const transport = createMemoryTransport({
      services_list: () => ({ services: ['claude-code', 'codex_cli_rs'] }),
      logs_list: () => ({ logs, total: 2, hasMore: false }),
    });
    useTransport(transport);
    render(LogsPage);

    const table = await screen.findByTestId('logs-table');
    expect(table.textContent).toContain('claude_code.api_error');
    expect(table.textContent).toContain('Codex CLI');

    const [expand] = screen.getAllByRole('button', { name: 'Show details' });
    await fireEvent.click(expand as HTMLElement);
    expect(expand?.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('status_code')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'feed' }).getAttribute('href')).toBe('/traces/otel_trace/feed');

    await fireEvent.change(screen.getByTestId('logs-severity'), { target: { value: 'ERROR' } });
    await waitFor(() => expect(transport.callsOf('logs_list').at(-1)?.request.severity).toBe('ERROR'));
    expect(window.location.search).toContain('severity=ERROR');

    const calls = transport.callsOf('logs_list').length;
    expect(screen.queryByTestId('logs-new-button')).toBeNull();
    transport.emit({
      type: 'logs',
      timestamp: new Date().toISOString(),
      payload: [
        { timestamp: new Date(Date.now() + 1000).toISOString(), serviceName: 'claude-code', severityText: 'ERROR', body: 'fresh' },
        { timestamp: '2020-01-01T00:00:00Z', serviceName: 'claude-code', severityText: 'ERROR', body: 'outside the range' },
        { timestamp: new Date(Date.now() + 1000).toISOString(), serviceName: 'claude-code', severityText: 'INFO', body: 'filtered out' },
      ],
    });
    const button = await screen.findByTestId('logs-new-button');
    expect(button.textContent?.trim()).toBe('1 new log');
    await fireEvent.click(button);
    await waitFor(() => expect(transport.callsOf('logs_list').length).toBe(calls + 1));
    expect(screen.queryByTestId('logs-new-button')).toBeNull();
  });
});
