// Per-page time selection state: created by a page with its name and default preset, it reads the
// URL and localStorage once, and writes both back whenever the user picks another range.
import { replaceQuery } from '../../router/location.svelte';
import type { PresetId } from './presets';
import {
  initialSelection,
  resolveSelection,
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
  readonly page: string;
  selection: TimeSelection = $state({ kind: 'relative', preset: '24h' });

  constructor(page: string, fallback: PresetId) {
    this.page = page;
    this.selection = initialSelection(page, addressParams(), browserStorage(), fallback);
    this.writeBack();
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
    this.writeBack();
  }

  private writeBack(): void {
    storeSelection(this.page, this.selection, browserStorage());
    if (typeof window !== 'undefined') replaceQuery((params) => writeSelectionParams(this.selection, params));
  }
}
