// The one time range of the app. Overview, Dashboards, Metrics, Logs, Traces and Sessions all read
// the same TimeRange (appTimeRange()), so a range picked on one page is the range of every page.
// Opening a page adopts a range its URL carries (a shared link wins and is remembered); otherwise the
// page's URL is given the current range. Every change is written to the URL and to localStorage.
import { replaceQuery } from '../../router/location.svelte';
import {
  initialSelection,
  resolveSelection,
  selectionFromParams,
  selectionsEqual,
  storeSelection,
  writeSelectionParams,
  type ResolvedRange,
  type TimeSelection,
} from './selection';

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function addressParams(): URLSearchParams {
  return new URLSearchParams(typeof window === 'undefined' ? '' : window.location.search);
}

export class TimeRange {
  selection: TimeSelection = $state({ kind: 'relative', preset: '7d' });

  /** Without `initial`: from the URL, else storage, else the last 7 days. */
  constructor(initial?: TimeSelection) {
    this.selection = initial ?? initialSelection(addressParams(), browserStorage());
  }

  /** Range as of `now` (relative presets move with the clock). */
  resolve(now: number = Date.now()): ResolvedRange {
    return resolveSelection(this.selection, now);
  }

  get isRelative(): boolean {
    return this.selection.kind === 'relative';
  }

  set(next: TimeSelection): void {
    if (selectionsEqual(next, this.selection)) return;
    this.selection = next;
    this.#writeBack();
  }

  /** A page opened: take the range its URL carries, if any, then show the range in the URL. */
  adoptAddress(): void {
    const fromUrl = selectionFromParams(addressParams());
    if (fromUrl && !selectionsEqual(fromUrl, this.selection)) this.selection = fromUrl;
    this.#writeBack();
  }

  #writeBack(): void {
    storeSelection(this.selection, browserStorage());
    if (typeof window !== 'undefined') replaceQuery((params) => writeSelectionParams(this.selection, params));
  }
}

let shared: TimeRange | null = null;

/** The app's range, for a page that shows time-bound data; call it once when the page opens. */
export function appTimeRange(): TimeRange {
  shared ??= new TimeRange();
  shared.adoptAddress();
  return shared;
}

/** Tests: start the next page from the URL and storage again, as a fresh app would. */
export function forgetAppTimeRange(): void {
  shared = null;
}
