// Runs before every test file: a clean URL, storage, app time range and transport for each test.
import { afterEach, beforeEach } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import { forgetAppTimeRange } from '../../src/lib/features/time-range/time-range.svelte';
import { setLocaleOverride } from '../../src/lib/format/locale';

beforeEach(() => {
  if (typeof window !== 'undefined') {
    window.history.replaceState(null, '', '/');
    window.localStorage.clear();
  }
  setLocaleOverride('en-US');
  forgetAppTimeRange();
});

afterEach(() => {
  useTransport(null);
  setLocaleOverride(null);
});
