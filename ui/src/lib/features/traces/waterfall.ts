// Lays spans out as a waterfall: parent before children (depth-first, by start time), each with
// its offset from the trace start and its length as fractions of the whole trace, and how many
// spans sit below it. Collapsing a span hides its subtree; a long list is drawn a window at a time
// (rowWindow), so a 500-span trace stays a few hundred pixels tall and cheap to draw.
import type { Span } from '../../api/types.gen';

export type WaterfallRow = {
  span: Span;
  depth: number;
  /** Spans below this one (children, grandchildren, …). */
  descendants: number;
  offsetMs: number;
  durationMs: number;
  startFraction: number;
  widthFraction: number;
};

export type Waterfall = { rows: WaterfallRow[]; totalMs: number; startMs: number };

/** Codex span names that start one model request/turn (current name first, then legacy ones). */
export const CODEX_OPERATION_ROOTS = ['run_sampling_request', 'run_turn', 'run_task'];

function startOf(span: Span): number {
  return Date.parse(span.timestamp);
}

export function buildWaterfall(spans: readonly Span[]): Waterfall {
  if (spans.length === 0) return { rows: [], totalMs: 0, startMs: 0 };
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      const list = children.get(span.parentSpanId) ?? [];
      list.push(span);
      children.set(span.parentSpanId, list);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: Span, b: Span) => startOf(a) - startOf(b);
  const startMs = Math.min(...spans.map(startOf));
  const endMs = Math.max(...spans.map((span) => startOf(span) + span.duration / 1e6));
  const totalMs = Math.max(endMs - startMs, 0.001);

  const rows: WaterfallRow[] = [];
  const visited = new Set<string>();
  const visit = (span: Span, depth: number) => {
    if (visited.has(span.spanId)) return;
    visited.add(span.spanId);
    const offsetMs = startOf(span) - startMs;
    const durationMs = span.duration / 1e6;
    const row: WaterfallRow = {
      span,
      depth,
      descendants: 0,
      offsetMs,
      durationMs,
      startFraction: offsetMs / totalMs,
      widthFraction: Math.max(durationMs / totalMs, 0.002),
    };
    rows.push(row);
    const before = rows.length;
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
    row.descendants = rows.length - before;
  };
  for (const root of [...roots].sort(byStart)) visit(root, 0);
  return { rows, totalMs, startMs };
}

/** Codex operation roots inside an OTel trace, each openable as `kind=codex_operation`. */
export function codexOperations(spans: readonly Span[]): Span[] {
  for (const name of CODEX_OPERATION_ROOTS) {
    const found = spans.filter((span) => span.spanName === name);
    if (found.length > 0) return [...found].sort((a, b) => startOf(a) - startOf(b));
  }
  return [];
}

export function isErrorSpan(span: Span): boolean {
  return (span.statusCode ?? '').toUpperCase().includes('ERROR');
}

/** The rows still shown when the spans in `collapsed` hide their subtrees (rows are in depth-first order). */
export function visibleRows(rows: readonly WaterfallRow[], collapsed: ReadonlySet<string>): WaterfallRow[] {
  const shown: WaterfallRow[] = [];
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] as WaterfallRow;
    shown.push(row);
    if (collapsed.has(row.span.spanId)) index += row.descendants;
  }
  return shown;
}

/** Span ids to collapse so only the first `depth` levels show (0 = only the roots). */
export function collapseBelow(rows: readonly WaterfallRow[], depth: number): Set<string> {
  return new Set(rows.filter((row) => row.depth >= depth && row.descendants > 0).map((row) => row.span.spanId));
}

export type RowWindow = { start: number; end: number; padTop: number; padBottom: number };

/** Which of `count` rows of `rowHeight` px to draw for a viewport at `scrollTop`, with `overscan` rows either side. */
export function rowWindow(count: number, scrollTop: number, viewportHeight: number, rowHeight: number, overscan = 10): RowWindow {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + Math.max(viewportHeight, rowHeight)) / rowHeight) + overscan);
  const start = Math.min(first, count);
  const end = Math.max(start, last);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}
