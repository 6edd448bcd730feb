// Which rows of the trace list are open and the spans their inline waterfalls show. The list owns
// this, not the rows: a row is only drawn from what it is given. A trace's spans are asked for once,
// when its row is first opened, and kept (like the open state) while the trace stays on the page.
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { api } from '../../api/client';
import type { TraceOverview, TraceSpansResponse } from '../../api/types.gen';
import { Resource } from '../../resource/resource.svelte';

type TraceRef = Pick<TraceOverview, 'id' | 'kind'>;

function keyOf(trace: TraceRef): string {
  return `${trace.kind}:${trace.id}`;
}

export class InlineWaterfalls {
  readonly #open = new SvelteSet<string>();
  readonly #spans = new SvelteMap<string, Resource<TraceSpansResponse>>();

  isOpen(trace: TraceRef): boolean {
    return this.#open.has(keyOf(trace));
  }

  spansOf(trace: TraceRef): Resource<TraceSpansResponse> | undefined {
    return this.#spans.get(keyOf(trace));
  }

  /** Opens or closes a row; opening it the first time (or after a failure) loads its spans. */
  toggle(trace: TraceRef): void {
    const key = keyOf(trace);
    if (this.#open.delete(key)) return;
    this.#open.add(key);
    const spans = this.#spans.get(key);
    if (!spans) this.reload(trace);
    else if (!spans.value) void spans.refresh();
  }

  reload(trace: TraceRef): void {
    const key = keyOf(trace);
    let spans = this.#spans.get(key);
    if (!spans) {
      spans = new Resource(() => api.traces.spans({ traceId: trace.id, kind: trace.kind }));
      this.#spans.set(key, spans);
    }
    void spans.refresh();
  }

  /** Forgets the traces that left the page, so they come back closed, as a new row would. */
  keepOnly(traces: readonly TraceRef[]): void {
    const listed = traces.map(keyOf);
    for (const key of [...this.#open]) if (!listed.includes(key)) this.#open.delete(key);
    for (const key of [...this.#spans.keys()]) if (!listed.includes(key)) this.#spans.delete(key);
  }
}
