// Lays spans out as a waterfall: parent before children (depth-first, by start time), each with
// its offset from the trace start and its length as fractions of the whole trace.
import type { Span } from '../../api/types.gen';

export type WaterfallRow = {
  span: Span;
  depth: number;
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
    rows.push({
      span,
      depth,
      offsetMs,
      durationMs,
      startFraction: offsetMs / totalMs,
      widthFraction: Math.max(durationMs / totalMs, 0.002),
    });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
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
