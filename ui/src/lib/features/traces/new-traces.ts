// Which traces that live spans belong to are new to the trace list, for its "N new traces" button:
// a trace not on the current page, of the chosen service. A trace arrives as many spans, so the
// caller counts each id once.
import type { Span, TraceOverview } from '../../api/types.gen';

export function newTraceIds(spans: readonly Span[], service: string, shown: readonly TraceOverview[]): string[] {
  const known = new Set(shown.map((trace) => trace.traceId));
  return spans.filter((span) => (!service || span.serviceName === service) && !known.has(span.traceId)).map((span) => span.traceId);
}
