// Starts the system Chromium headless through playwright-core (no browser download) with a fresh
// profile directory, and seeds the app's remembered time range so every page opens on the fixtures.
// Motion is reduced, so nothing animates into a screenshot.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORT = { width: 1280, height: 800 };

/** Where the app keeps its one time range (ui/src/lib/features/time-range/selection.ts `STORAGE_KEY`). */
export const TIME_RANGE_KEY = 'ai-observer-timeselection';

export async function launchBrowser({ executablePath, work, range }) {
  const profile = mkdtempSync(join(work, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: VIEWPORT,
    timezoneId: 'UTC',
    locale: 'en-US',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  // The user's remembered range, as if they had picked it once on any page; a URL range still wins.
  await context.addInitScript(
    ({ key, selection }) => {
      if (window.localStorage.getItem(key) === null) window.localStorage.setItem(key, JSON.stringify(selection));
    },
    { key: TIME_RANGE_KEY, selection: { kind: 'absolute', from: range.from, to: range.to } },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
