import { describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../../tests/support/memory-transport';
import { ApiError } from '../../api/errors';
import { useTransport } from '../../api/client';
import type { Span, TraceOverview } from '../../api/types.gen';
import { InlineWaterfalls } from './inline-waterfalls.svelte';
import { newTraceIds } from './new-traces';

const trace = (id: string, kind: TraceOverview['kind'] = 'otel_trace'): TraceOverview => ({ id, kind, traceId: id, rootSpanId: 'root', rootSpan: 'run_task', serviceName: 'codex_cli_rs', startTime: '2026-11-28T12:00:00Z', duration: 1e9, spanCount: 1, status: 'OK' });
const span = (traceId: string, serviceName = 'codex_cli_rs'): Span => ({ timestamp: '2026-11-28T12:00:00Z', traceId, spanId: `${traceId}-s`, spanName: 'run_task', serviceName, duration: 1e6 });

describe('InlineWaterfalls', () => {
  it('loads a trace’s spans when its row is first opened, and keeps them while it is closed and reopened', async () => {
    const transport = createMemoryTransport({ trace_spans: ({ traceId }) => ({ spans: [span(traceId)] }) });
    useTransport(transport);
    const waterfalls = new InlineWaterfalls();
    const a = trace('a');
    expect(waterfalls.isOpen(a)).toBe(false);
    expect(waterfalls.spansOf(a)).toBeUndefined();

    waterfalls.toggle(a);
    expect(waterfalls.isOpen(a)).toBe(true);
    await expect.poll(() => waterfalls.spansOf(a)?.value?.spans.length).toBe(1);
    expect(transport.callsOf('trace_spans').map((call) => call.request)).toEqual([{ traceId: 'a', kind: 'otel_trace' }]);

    waterfalls.toggle(a);
    waterfalls.toggle(a);
    expect(waterfalls.isOpen(a)).toBe(true);
    expect(transport.callsOf('trace_spans')).toHaveLength(1);
    // the same id of another kind is another row
    expect(waterfalls.isOpen(trace('a', 'codex_operation'))).toBe(false);
  });

  it('asks again when reopened after a failure, or on retry', async () => {
    let fail = true;
    const transport = createMemoryTransport({
      trace_spans: () => {
        if (fail) throw new ApiError('internal', 'boom', 500);
        return { spans: [] };
      },
    });
    useTransport(transport);
    const waterfalls = new InlineWaterfalls();
    const a = trace('a');
    waterfalls.toggle(a);
    await expect.poll(() => waterfalls.spansOf(a)?.error?.message).toBe('boom');
    waterfalls.toggle(a);
    fail = false;
    waterfalls.toggle(a);
    await expect.poll(() => waterfalls.spansOf(a)?.value).toEqual({ spans: [] });
    waterfalls.reload(a);
    await expect.poll(() => transport.callsOf('trace_spans').length).toBe(3);
  });

  it('forgets the traces that left the page', () => {
    useTransport(createMemoryTransport({ trace_spans: () => ({ spans: [] }) }));
    const waterfalls = new InlineWaterfalls();
    const [a, b] = [trace('a'), trace('b')];
    waterfalls.toggle(a);
    waterfalls.toggle(b);
    waterfalls.keepOnly([b]);
    expect([waterfalls.isOpen(a), waterfalls.spansOf(a)]).toEqual([false, undefined]);
    expect(waterfalls.isOpen(b)).toBe(true);
    expect(waterfalls.spansOf(b)).toBeDefined();
  });
});

describe('newTraceIds', () => {
  it('names the traces of the chosen service that the page does not show', () => {
    const spans = [span('shown'), span('new'), span('new'), span('other', 'claude-code')];
    expect(newTraceIds(spans, '', [trace('shown')])).toEqual(['new', 'new', 'other']);
    expect(newTraceIds(spans, 'codex_cli_rs', [trace('shown')])).toEqual(['new', 'new']);
  });

  it('with a minimum duration, names a trace once one of its spans lasts that long', () => {
    const spans = [{ ...span('quick'), duration: 6_000 }, { ...span('turn'), duration: 999_999 }, { ...span('turn'), duration: 1_000_000 }, { ...span('long'), duration: 2.5e9 }];
    expect(newTraceIds(spans, '', [], 1)).toEqual(['turn', 'long']);
    expect(newTraceIds(spans, '', [], 1000)).toEqual(['long']);
    expect(newTraceIds(spans, '', [trace('long')], 1000)).toEqual([]);
    expect(newTraceIds(spans, '', [])).toEqual(['quick', 'turn', 'turn', 'long']);
  });
});
