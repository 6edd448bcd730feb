// Starts the system Chromium headless through playwright-core (no browser download) with a fresh
// profile directory, and seeds each page's remembered time range so the pages open on the fixtures.
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

/** Pages that keep a time selection (ui/src/lib/features/time-range/selection.ts `storageKey`). */
const RANGED_PAGES = ['overview', 'dashboard', 'metrics', 'logs', 'traces', 'sessions'];

export async function launchBrowser({ executablePath, work, range }) {
  const profile = mkdtempSync(join(work, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: VIEWPORT,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  context.setDefaultTimeout(15_000);
  // The user's remembered range, as if they had picked it once; a URL range still wins.
  await context.addInitScript(
    ({ pages, selection }) => {
      for (const page of pages) {
        const key = `ai-observer-${page}-timeselection`;
        if (window.localStorage.getItem(key) === null) window.localStorage.setItem(key, JSON.stringify(selection));
      }
    },
    { pages: RANGED_PAGES, selection: { kind: 'absolute', from: range.from, to: range.to } },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
