import { describe, expect, it } from 'vitest';
import type { Span } from '../../api/types.gen';
import { buildWaterfall, codexOperations, collapseBelow, isErrorSpan, rowWindow, visibleRows } from './waterfall';

const span = (spanId: string, parentSpanId: string | undefined, startMs: number, durationMs: number, spanName = spanId, statusCode?: string): Span => ({
  timestamp: new Date(Date.parse('2026-11-28T12:00:00Z') + startMs).toISOString(),
  traceId: 't1',
  spanId,
  parentSpanId,
  spanName,
  serviceName: 'codex_cli_rs',
  duration: durationMs * 1e6,
  statusCode,
});

describe('waterfall', () => {
  it('orders parents before children by start and positions bars as fractions', () => {
    const waterfall = buildWaterfall([span('c2', 'root', 600, 400), span('root', undefined, 0, 1000), span('c1', 'root', 100, 300), span('g1', 'c1', 150, 100)]);
    expect(waterfall.totalMs).toBe(1000);
    expect(waterfall.rows.map((row) => [row.span.spanId, row.depth])).toEqual([
      ['root', 0],
      ['c1', 1],
      ['g1', 2],
      ['c2', 1],
    ]);
    expect(waterfall.rows[3]).toMatchObject({ offsetMs: 600, durationMs: 400, startFraction: 0.6, widthFraction: 0.4 });
  });

  it('treats spans whose parent is missing as roots and survives cycles', () => {
    const waterfall = buildWaterfall([span('a', 'missing', 0, 10), span('b', 'c', 1, 1), span('c', 'b', 2, 1)]);
    expect(waterfall.rows.map((row) => row.span.spanId)).toEqual(['a']);
    expect(buildWaterfall([]).rows).toEqual([]);
  });

  it('finds Codex operation roots, preferring run_sampling_request', () => {
    const spans = [span('t', undefined, 0, 10, 'run_task'), span('s2', 't', 5, 1, 'run_sampling_request'), span('s1', 't', 1, 1, 'run_sampling_request')];
    expect(codexOperations(spans).map((entry) => entry.spanId)).toEqual(['s1', 's2']);
    expect(codexOperations([span('t', undefined, 0, 10, 'run_task')]).map((entry) => entry.spanId)).toEqual(['t']);
    expect(isErrorSpan(span('x', undefined, 0, 1, 'x', 'STATUS_CODE_ERROR'))).toBe(true);
  });

  it('counts each span\'s subtree and hides it when collapsed', () => {
    const waterfall = buildWaterfall([span('c2', 'root', 600, 400), span('root', undefined, 0, 1000), span('c1', 'root', 100, 300), span('g1', 'c1', 150, 100)]);
    expect(waterfall.rows.map((row) => row.descendants)).toEqual([3, 1, 0, 0]);
    expect(visibleRows(waterfall.rows, new Set(['c1'])).map((row) => row.span.spanId)).toEqual(['root', 'c1', 'c2']);
    expect(visibleRows(waterfall.rows, new Set(['root', 'c1'])).map((row) => row.span.spanId)).toEqual(['root']);
    expect([...collapseBelow(waterfall.rows, 1)]).toEqual(['c1']);
    expect([...collapseBelow(waterfall.rows, 0)]).toEqual(['root', 'c1']);
  });

  it('draws a window of a long list, padded to its full height', () => {
    expect(rowWindow(492, 0, 600, 30, 10)).toEqual({ start: 0, end: 30, padTop: 0, padBottom: 462 * 30 });
    expect(rowWindow(492, 3000, 600, 30, 10)).toEqual({ start: 90, end: 130, padTop: 2700, padBottom: 362 * 30 });
    expect(rowWindow(492, 1e9, 600, 30, 10)).toMatchObject({ end: 492, padBottom: 0 });
    expect(rowWindow(0, 0, 600, 30)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });
});
