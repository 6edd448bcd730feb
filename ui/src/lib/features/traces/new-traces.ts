// Which traces that live spans belong to are new to the trace list, for its "N new traces" button:
// a trace not on the current page, of the chosen service and, when the list asks for a minimum
// duration, with a span at least that long (a trace lasts at least as long as each of its spans; one
// whose spans so far are shorter counts once a longer one arrives, usually its root, which ends
// last). A trace arrives as many spans, so the caller counts each id once.
import type { Span, TraceOverview } from '../../api/types.gen';

export function newTraceIds(spans: readonly Span[], service: string, shown: readonly TraceOverview[], minDurationMs = 0): string[] {
  const known = new Set(shown.map((trace) => trace.traceId));
  const minDurationNs = minDurationMs * 1e6;
  return spans.filter((span) => (!service || span.serviceName === service) && span.duration >= minDurationNs && !known.has(span.traceId)).map((span) => span.traceId);
}
