// The Overview's numbers against the API: the range tiles (cost, requests, tokens by kind) against
// `/api/spend?groupBy=model` and the headline tiles against `/api/spend/summary`, each fetched by
// the script with exactly the URL the page requested. Equality is on the raw values (data-value).
import { getJson } from '../lib/api.mjs';
import { expect, expectEqual } from '../lib/report.mjs';
import { readValues, recordApiRequests, waitForValues } from '../lib/page-values.mjs';

export const RANGE_TILES = {
  'spend-range': (total) => total.costUsd,
  'requests-range': (total) => total.requests,
  'tokens-input': (total) => total.tokens.input,
  'tokens-output': (total) => total.tokens.output,
  'tokens-cache-read': (total) => total.tokens.cacheRead,
  'tokens-cache-creation': (total) => total.tokens.cacheCreation,
  'tokens-reasoning': (total) => total.tokens.reasoning,
};

const SUMMARY_TILES = { 'spend-today': 'today', 'spend-7d': 'last7Days', 'spend-30d': 'last30Days', 'spend-month': 'thisMonth' };

/**
 * Opens the Overview (by URL with the range, by its nav link so the remembered range applies, or by
 * `open` — e.g. leaving the first-run welcome), waits until its numbers are shown and fetches the API
 * answers to the page's own requests.
 */
export async function loadOverview(page, { origin, range, viaNav = false, open = null }) {
  const requests = recordApiRequests(page);
  try {
    if (open) await open();
    else if (viaNav) await page.click('[data-testid="nav-overview"]');
    else await page.goto(`${origin}/?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);
    const shownAt = await waitForValues(page, [...Object.keys(RANGE_TILES), ...Object.keys(SUMMARY_TILES)]);
    const values = await readValues(page);
    const windows = await page.$$eval('[data-testid="recent-spend"] .stat-value', (elements) => elements.map((element) => ({ testid: element.getAttribute('data-testid'), value: element.getAttribute('data-value') })));
    const spendUrl = requests.find('/api/spend', { groupBy: 'model' });
    const summaryUrl = requests.find('/api/spend/summary');
    expect(spendUrl, 'the page made no /api/spend?groupBy=model request');
    expect(summaryUrl, 'the page made no /api/spend/summary request');
    const [spend, summary] = await Promise.all([getJson(spendUrl), getJson(summaryUrl)]);
    return { values, windows, spend, summary, spendUrl, shownAt };
  } finally {
    requests.stop();
  }
}

/** Every range tile equals the API's total; with `nonZero`, each must also be above zero. */
export function compareRangeTiles(loaded, range, { nonZero }) {
  const query = new URL(loaded.spendUrl).searchParams;
  expectEqual(query.get('from'), range.from, 'requested from');
  expectEqual(query.get('to'), range.to, 'requested to');
  const shown = [];
  for (const [testid, pick] of Object.entries(RANGE_TILES)) {
    const expected = pick(loaded.spend.total);
    expectEqual(loaded.values[testid], expected, testid);
    // reasoning is legitimately 0 for tools that do not report it; every other tile must show data
    if (nonZero && testid !== 'tokens-reasoning') expect(expected > 0, `${testid} is ${expected}: the fixtures should make it non-zero`);
    shown.push(`${testid}=${expected}`);
  }
  return shown.join(' ');
}

/**
 * The four headline windows and today's per-tool costs equal /api/spend/summary; windows holding
 * the same amount are shown once (merged), so no two neighbouring amounts on screen are equal.
 */
export function compareSummaryTiles(loaded, { nonZeroKeys }) {
  const shown = [];
  for (let index = 1; index < loaded.windows.length; index += 1) {
    const [previous, current] = [loaded.windows[index - 1], loaded.windows[index]];
    expect(previous.value !== current.value, `${previous.testid} and ${current.testid} both show ${current.value}: equal windows should be merged`);
  }
  for (const [testid, key] of Object.entries(SUMMARY_TILES)) {
    const expected = loaded.summary[key].costUsd;
    expectEqual(loaded.values[testid], expected, testid);
    if (nonZeroKeys.includes(key)) expect(expected > 0, `${testid} is ${expected} although the fixtures fall into ${key}`);
    shown.push(`${testid}=${expected}`);
  }
  for (const group of loaded.summary.todayByTool) {
    expectEqual(loaded.values[`spend-today-${group.key}`], group.costUsd, `spend-today-${group.key}`);
  }
  return `${shown.join(' ')}; ${loaded.windows.length} amounts shown`;
}

/**
 * Which summary windows surely contain a moment (UTC days, with a margin at the 7- and 30-day edges),
 * so their totals must not be zero; the others are only compared.
 */
export function windowsContaining(moment, now = Date.now()) {
  const day = 86_400_000;
  const startOfToday = Math.floor(now / day) * day;
  const nowDate = new Date(now);
  const startOfMonth = Date.UTC(nowDate.getUTCFullYear(), nowDate.getUTCMonth(), 1);
  const keys = [];
  if (moment >= startOfToday) keys.push('today');
  if (moment >= now - 6 * day) keys.push('last7Days');
  if (moment >= now - 29 * day) keys.push('last30Days');
  if (moment >= startOfMonth) keys.push('thisMonth');
  return keys;
}
