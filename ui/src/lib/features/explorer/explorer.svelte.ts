// The state of one list page — Logs, Traces, Sessions — in one place: the filters kept in the URL,
// a search applied after a pause in typing, the page offset, the list itself (re-queried whenever
// one of those or the time range changes), and what live data does: count "N new" items that a
// reload would show, or re-query the first page of a moving window.
// Created in a component's script, whose lifetime its effects share.
import { untrack } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import { api, type LiveMessage, type LiveMessageType } from '../../api/client';
import { startLiveRefresh } from '../../live/live-refresh';
import { Resource } from '../../resource/resource.svelte';
import { appLocation, replaceQuery } from '../../router/location.svelte';
import type { TimeRange } from '../time-range/time-range.svelte';
import { readFilterParams, writeFilterParams } from './url-filters';

/** How long typing must pause before the search is applied. */
export const SEARCH_PAUSE_MS = 300;

/** What a list is asked for: the chosen filters (absent when empty), the window and the page. */
export type ExplorerQuery<F extends string> = Partial<Record<F | 'search', string>> & { from: string; to: string; limit: number; offset: number };

/** Epoch millis, both ends inclusive; `to` is +Infinity for a relative window that moves with the clock. */
export type LiveWindow = { from: number; to: number };

export type ExplorerOptions<F extends string, T> = {
  /** The page's time range (a getter, as components hand it in as a prop). */
  range: () => TimeRange;
  /** Select filters, each kept in the URL under its own name (e.g. `service`). */
  filters: readonly F[];
  /** A free-text search (URL `search`), applied SEARCH_PAUSE_MS after the last keystroke. */
  search?: boolean;
  pageSize: number;
  load: (query: ExplorerQuery<F>) => Promise<T>;
  /** For an "N new" button: what one live message adds — a count, or keys of which each distinct one counts once. */
  countNew?: (message: LiveMessage, explorer: Explorer<F, T>) => number | readonly string[];
  /** For a list without that button: re-query on these live message types, coalesced, while the first page of a moving window shows. */
  reloadOn?: { types: readonly LiveMessageType[]; debounceMs: number };
};

/** Live items that arrived since the list was last loaded and that a reload would show. */
export class NewItems {
  #counted = $state(0);
  #keys = new SvelteSet<string>();

  get count(): number {
    return this.#counted + this.#keys.size;
  }

  add(found: number | readonly string[]): void {
    if (typeof found === 'number') this.#counted += found;
    else for (const key of found) this.#keys.add(key);
  }

  clear(): void {
    this.#counted = 0;
    this.#keys.clear();
  }
}

export class Explorer<F extends string, T> {
  readonly pageSize: number;
  /** The select filters' values, '' meaning "all". Change them with setFilter. */
  filters = $state({} as Record<F, string>);
  /** What the search box shows; `search` follows it after a pause. */
  searchInput = $state('');
  search = $state('');
  offset = $state(0);
  readonly list: Resource<T>;
  /** The services the filter offers. */
  readonly services = new Resource(() => api.services.list());
  readonly newItems = new NewItems();
  readonly #options: ExplorerOptions<F, T>;

  constructor(options: ExplorerOptions<F, T>) {
    this.#options = options;
    this.pageSize = options.pageSize;
    const initial = readFilterParams(appLocation.search, [...options.filters, 'search' as const]);
    this.filters = Object.fromEntries(options.filters.map((key) => [key, initial[key]])) as Record<F, string>;
    if (options.search) this.searchInput = this.search = initial.search;
    this.list = new Resource(() => options.load(this.query()));

    $effect(() => untrack(() => void this.services.refresh()));

    // a new query empties the "N new" count: the list it counted against is being replaced
    $effect(() => {
      this.#readQueryInputs();
      untrack(() => {
        this.newItems.clear();
        void this.list.refresh();
      });
    });

    $effect(() => {
      const values: Record<string, string> = { ...this.filters };
      if (options.search) values.search = this.search;
      replaceQuery((params) => writeFilterParams(params, values));
    });

    if (options.search) {
      $effect(() => {
        const text = this.searchInput.trim();
        const timer = setTimeout(() => {
          if (text !== this.search) {
            this.search = text;
            this.offset = 0;
          }
        }, SEARCH_PAUSE_MS);
        return () => clearTimeout(timer);
      });
    }

    $effect(() =>
      untrack(() =>
        startLiveRefresh({
          subscribe: api.live.subscribe,
          types: options.reloadOn?.types ?? [],
          debounceMs: options.reloadOn?.debounceMs,
          onRefresh: () => {
            if (this.offset === 0 && this.range.isRelative) void this.list.refresh();
          },
          onMessage: options.countNew ? (message) => this.newItems.add(options.countNew?.(message, this) ?? 0) : undefined,
        }),
      ),
    );
  }

  get range(): TimeRange {
    return this.#options.range();
  }

  /** The list's request as of now (a relative window ends now). */
  query(): ExplorerQuery<F> {
    const resolved = this.range.resolve();
    const query: Record<string, string | number | undefined> = {};
    for (const key of this.#options.filters) query[key] = this.filters[key] || undefined;
    if (this.#options.search) query.search = this.search || undefined;
    return { ...query, from: resolved.from.toISOString(), to: resolved.to.toISOString(), limit: this.pageSize, offset: this.offset } as ExplorerQuery<F>;
  }

  /** The window a live item must fall in to be counted as new. */
  liveWindow(): LiveWindow {
    const resolved = this.range.resolve();
    return { from: resolved.from.getTime(), to: this.range.isRelative ? Number.POSITIVE_INFINITY : resolved.to.getTime() };
  }

  /** A filter chosen by the user: back to the first page. */
  setFilter(key: F, value: string): void {
    this.filters[key] = value;
    this.offset = 0;
  }

  /** The "N new" button: load the first page with what arrived. */
  showNew(): void {
    if (this.offset === 0) {
      this.newItems.clear();
      void this.list.refresh();
    } else {
      this.offset = 0;
    }
  }

  #readQueryInputs(): void {
    for (const key of this.#options.filters) void this.filters[key];
    void this.search;
    void this.offset;
    void this.range.selection;
  }
}
