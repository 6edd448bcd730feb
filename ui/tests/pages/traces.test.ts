import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { Span, TraceOverview, TraceSort } from '../../src/lib/api/types.gen';
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

describe('TracesPage, sort and minimum duration', () => {
  const overview = (id: string, durationMs: number, spanCount: number, startTime: string): TraceOverview => ({
    id,
    kind: 'otel_trace',
    traceId: id,
    rootSpanId: `${id}-root`,
    rootSpan: id,
    serviceName: 'codex_cli_rs',
    startTime,
    duration: durationMs * 1e6,
    spanCount,
    status: 'OK',
  });
  // the newest first is a 6 µs auth span; the turns with hundreds of spans started earlier
  const all = [overview('auth', 0.006, 1, '2026-11-28T12:00:00Z'), overview('turn-492', 95_000, 492, '2026-11-28T11:00:00Z'), overview('turn-281', 120_000, 281, '2026-11-28T10:00:00Z')];
  const ORDER: Record<TraceSort, (a: TraceOverview, b: TraceOverview) => number> = {
    start: (a, b) => b.startTime.localeCompare(a.startTime),
    duration: (a, b) => b.duration - a.duration,
    spans: (a, b) => b.spanCount - a.spanCount,
  };
  /** A server with 45 more short traces behind these, which pages, sorts and filters as the real one does. */
  function serverTransport() {
    const filler = Array.from({ length: 45 }, (_, index) => overview(`short-${index}`, 0.5, 1, `2026-11-27T${String(10 + (index % 10)).padStart(2, '0')}:00:00Z`));
    return createMemoryTransport({
      services_list: () => ({ services: ['codex_cli_rs'] }),
      traces_list: ({ sort = 'start', minDurationMs = 0, limit = 20, offset = 0 }) => {
        const kept = [...all, ...filler].filter((trace) => trace.duration >= minDurationMs * 1e6).sort(ORDER[sort]);
        return { traces: kept.slice(offset, offset + limit), total: kept.length, hasMore: offset + limit < kept.length };
      },
    });
  }
  const shownIds = () => screen.getAllByRole('link').map((link) => link.textContent);
  const lastRequest = (transport: ReturnType<typeof serverTransport>) => transport.callsOf('traces_list').at(-1)?.request;

  it('asks the server for latest first, then for the order and the threshold picked, from the first page, and keeps them in the URL', async () => {
    const transport = serverTransport();
    useTransport(transport);
    render(TracesPage);
    await screen.findByTestId('traces-table');
    expect(lastRequest(transport)).toMatchObject({ sort: 'start', offset: 0 });
    expect(lastRequest(transport)).not.toHaveProperty('minDurationMs');
    expect(shownIds().slice(0, 3)).toEqual(['auth', 'turn-492', 'turn-281']);
    const sort = screen.getByLabelText<HTMLSelectElement>('Sort');
    const minDuration = screen.getByLabelText<HTMLSelectElement>('Min duration');
    expect([sort.value, minDuration.value]).toEqual(['', '']);
    expect([...minDuration.options].map((option) => option.text)).toEqual(['Any', '≥ 1 ms', '≥ 100 ms', '≥ 1 s', '≥ 10 s']);

    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(lastRequest(transport)).toMatchObject({ sort: 'start', offset: 20 }));

    await fireEvent.change(sort, { target: { value: 'duration' } });
    await waitFor(() => expect(lastRequest(transport)).toMatchObject({ sort: 'duration', offset: 0 }));
    await waitFor(() => expect(shownIds()[0]).toBe('turn-281'));
    expect(shownIds().slice(0, 3)).toEqual(['turn-281', 'turn-492', 'short-0']);
    expect(new URLSearchParams(window.location.search).get('sort')).toBe('duration');
    expect(screen.getByRole('columnheader', { name: /Duration/ }).getAttribute('aria-sort')).toBe('descending');

    await fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(lastRequest(transport)).toMatchObject({ offset: 20 }));
    await fireEvent.change(minDuration, { target: { value: '1000' } });
    await waitFor(() => expect(lastRequest(transport)).toMatchObject({ sort: 'duration', minDurationMs: 1000, offset: 0 }));
    await waitFor(() => expect(shownIds()).toEqual(['turn-281', 'turn-492']));
    expect(screen.getByRole('navigation', { name: 'Pagination' }).textContent).toContain('1–2 of 2');
    expect(new URLSearchParams(window.location.search).get('minDurationMs')).toBe('1000');

    await fireEvent.change(minDuration, { target: { value: '' } });
    await fireEvent.change(sort, { target: { value: '' } });
    await waitFor(() => expect(lastRequest(transport)).toEqual(expect.objectContaining({ sort: 'start', offset: 0 })));
    expect(lastRequest(transport)).not.toHaveProperty('minDurationMs');
    const params = new URLSearchParams(window.location.search);
    expect([params.has('sort'), params.has('minDurationMs')]).toEqual([false, false]);
  });

  it('sorts by the column header as the select does: the server orders every page', async () => {
    const transport = serverTransport();
    useTransport(transport);
    render(TracesPage);
    await screen.findByTestId('traces-table');
    await fireEvent.click(screen.getByRole('button', { name: 'Spans' }));
    await waitFor(() => expect(lastRequest(transport)).toMatchObject({ sort: 'spans', offset: 0 }));
    await waitFor(() => expect(shownIds().slice(0, 2)).toEqual(['turn-492', 'turn-281']));
    expect(screen.getByLabelText<HTMLSelectElement>('Sort').value).toBe('spans');
    const sortOfHeader = (name: string) => screen.getByRole('button', { name }).closest('th')?.getAttribute('aria-sort');
    expect(['Duration', 'Spans', 'Started'].map(sortOfHeader)).toEqual(['none', 'descending', 'none']);
  });

  it('starts from the sort and threshold of a shared link, offering a threshold the select does not list', async () => {
    window.history.replaceState(null, '', '/traces?sort=spans&minDurationMs=250');
    const transport = serverTransport();
    useTransport(transport);
    render(TracesPage);
    await screen.findByTestId('traces-table');
    expect(transport.callsOf('traces_list')[0]?.request).toMatchObject({ sort: 'spans', minDurationMs: 250, offset: 0 });
    expect(screen.getByLabelText<HTMLSelectElement>('Sort').value).toBe('spans');
    const minDuration = screen.getByLabelText<HTMLSelectElement>('Min duration');
    expect(minDuration.value).toBe('250');
    expect(minDuration.selectedOptions[0]?.text).toBe('≥ 250 ms');
    expect(shownIds()).toEqual(['turn-492', 'turn-281']);
  });

  it('says which filter to clear when the threshold leaves no trace', async () => {
    window.history.replaceState(null, '', '/traces?minDurationMs=10000000');
    const transport = serverTransport();
    useTransport(transport);
    render(TracesPage);
    expect((await screen.findByText('No traces match these filters in this range')).parentElement?.textContent).toContain('the minimum duration');
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
