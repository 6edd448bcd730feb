import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { Span } from '../../src/lib/api/types.gen';
import TraceDetailPage from '../../src/routes/TraceDetailPage.svelte';
import TracesPage from '../../src/routes/TracesPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

const base = Date.parse('2026-11-28T12:00:00Z');
const span = (spanId: string, parentSpanId: string | undefined, offsetMs: number, durationMs: number, spanName: string): Span => ({
  timestamp: new Date(base + offsetMs).toISOString(),
  traceId: 'trace-1',
  spanId,
  parentSpanId,
  spanName,
  serviceName: 'codex_cli_rs',
  duration: durationMs * 1e6,
  spanAttributes: { turn_id: 't-1' },
});
const spans = [span('root', undefined, 0, 5000, 'run_task'), span('op1', 'root', 100, 2000, 'run_sampling_request'), span('op2', 'root', 2500, 2000, 'run_sampling_request')];

describe('TracesPage', () => {
  it('lists traces and expands an inline waterfall fetched with the row kind', async () => {
    const transport = createMemoryTransport({
      services_list: () => ({ services: ['codex_cli_rs'] }),
      traces_list: () => ({
        traces: [{ id: 'trace-1', kind: 'otel_trace', traceId: 'trace-1', rootSpanId: 'root', rootSpan: 'run_task', serviceName: 'codex_cli_rs', startTime: spans[0]!.timestamp, duration: 5e9, spanCount: 3, status: 'ERROR' }],
        total: 1,
        hasMore: false,
      }),
      trace_spans: () => ({ spans }),
    });
    useTransport(transport);
    render(TracesPage);

    const table = await screen.findByTestId('traces-table');
    expect(table.textContent).toContain('ERROR');
    expect(table.textContent).toContain('5 s');
    expect(screen.getByRole('link', { name: 'run_task' }).getAttribute('href')).toBe('/traces/otel_trace/trace-1');

    await fireEvent.click(screen.getByRole('button', { name: 'Show spans' }));
    await screen.findByTestId('waterfall');
    expect(transport.callsOf('trace_spans')[0]?.request).toEqual({ traceId: 'trace-1', kind: 'otel_trace' });
  });
});

describe('TracesPage, live', () => {
  it('loads no spans until a row is opened, and offers the traces that arrive live', async () => {
    const transport = createMemoryTransport({
      services_list: () => ({ services: ['codex_cli_rs'] }),
      traces_list: () => ({
        traces: [{ id: 'trace-1', kind: 'otel_trace', traceId: 'trace-1', rootSpanId: 'root', rootSpan: 'run_task', serviceName: 'codex_cli_rs', startTime: spans[0]!.timestamp, duration: 5e9, spanCount: 3, status: 'OK' }],
        total: 1,
        hasMore: false,
      }),
    });
    useTransport(transport);
    render(TracesPage);
    await screen.findByTestId('traces-table');
    expect(transport.callsOf('trace_spans')).toHaveLength(0);

    const calls = transport.callsOf('traces_list').length;
    transport.emit({ type: 'traces', timestamp: new Date().toISOString(), payload: [spans[0]!, { ...spans[0]!, traceId: 'trace-2' }, { ...spans[1]!, traceId: 'trace-2' }] });
    const button = await screen.findByTestId('traces-new-button');
    expect(button.textContent?.trim()).toBe('1 new trace');
    await fireEvent.click(button);
    await waitFor(() => expect(transport.callsOf('traces_list').length).toBe(calls + 1));
    expect(screen.queryByTestId('traces-new-button')).toBeNull();
  });
});

describe('TraceDetailPage', () => {
  it('shows the waterfall, span details and the Codex operations of the trace', async () => {
    const transport = createMemoryTransport({ trace_spans: () => ({ spans }) });
    useTransport(transport);
    render(TraceDetailPage, { props: { params: { kind: 'otel_trace', id: 'trace-1' } } });

    const operations = await screen.findByTestId('codex-operations');
    const links = operations.querySelectorAll('a');
    expect([...links].map((link) => link.getAttribute('href'))).toEqual(['/traces/codex_operation/op1', '/traces/codex_operation/op2']);

    await fireEvent.click(screen.getAllByRole('button', { name: 'run_sampling_request' })[0] as HTMLElement);
    const details = await screen.findByTestId('span-details');
    expect(details.textContent).toContain('turn_id');
    expect(details.textContent).toContain('2 s');
  });

  it('asks for a codex operation by span id', async () => {
    const transport = createMemoryTransport({ trace_spans: () => ({ spans: spans.slice(1, 2) }) });
    useTransport(transport);
    render(TraceDetailPage, { props: { params: { kind: 'codex_operation', id: 'op1' } } });
    await screen.findByTestId('waterfall');
    await waitFor(() => expect(transport.callsOf('trace_spans')[0]?.request).toEqual({ traceId: 'op1', kind: 'codex_operation' }));
    expect(screen.queryByTestId('codex-operations')).toBeNull();
  });
});
