// The Traces page's "Sort" and "Min duration" selects against the real server, which applies both over
// every page: "Longest first" shows first the trace that /api/traces?sort=duration lists first for the
// same range, a minimum duration shows the total the API counts for it, and a reload keeps both (they
// live in the URL).
import { apiUrl, getJson } from '../lib/api.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { expect, expectEqual } from '../lib/report.mjs';
import { recordApiRequests } from '../lib/page-values.mjs';

const FIRST_LINK = '[data-testid="traces-table"] > tbody > tr:first-child a';
const PAGER = 'nav[aria-label="Pagination"] > span';

/** The href of the first row once it is `href` (the list re-renders after its answer arrives). */
async function waitForFirstRow(page, href) {
  await page.waitForFunction(({ selector, expected }) => document.querySelector(selector)?.getAttribute('href') === expected, { selector: FIRST_LINK, expected: href });
}

/** The `of N` of the pager: "1–20 of 26" -> 26. */
async function shownTotal(page) {
  const text = (await page.textContent(PAGER)).replace(/,/g, '');
  const match = /of (\d+)/.exec(text);
  expect(match, `the pager says “${text}”`);
  return Number(match[1]);
}

const hrefOf = (trace) => `/traces/${trace.kind}/${encodeURIComponent(trace.id)}`;

export async function checkTracesOrder({ report, page, origin }) {
  await report.check('traces page: “Longest first” shows the API’s longest trace first, a minimum duration the API’s total, and a reload keeps both', async () => {
    const requests = recordApiRequests(page);
    await openByNav(page, 'traces', { path: '/traces', heading: 'Traces' });
    await page.locator('[data-testid="traces-table"] tbody tr').first().waitFor();
    const opened = new URL(requests.find('/api/traces'));
    expectEqual(opened.searchParams.get('sort'), 'start', 'the sort the page opens with');
    for (const filter of ['service', 'search', 'minDurationMs']) expect(!opened.searchParams.has(filter), `the page opened with ${filter}=${opened.searchParams.get(filter)}`);
    const bounds = { from: opened.searchParams.get('from'), to: opened.searchParams.get('to') };
    const everything = await getJson(apiUrl(origin, '/api/traces', { ...bounds, limit: 1 }));

    // Longest first: the API's longest trace of the same range is the first row
    const longest = (await getJson(apiUrl(origin, '/api/traces', { ...bounds, sort: 'duration', limit: 1 }))).traces[0];
    expect(longest, 'the API has no trace in the range');
    const sorted = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/traces' && new URL(response.url()).searchParams.get('sort') === 'duration');
    await page.getByLabel('Sort').selectOption({ label: 'Longest first' });
    await sorted;
    await waitForFirstRow(page, hrefOf(longest));
    const firstDuration = (await page.textContent('[data-testid="traces-table"] > tbody > tr:first-child td.num')).trim();

    // a minimum duration that leaves some traces out but not all: the pager shows the API's count
    const options = await page.$$eval('[data-testid="traces-min-duration"] option', (elements) => elements.map((option) => ({ value: option.value, label: option.textContent.trim() })));
    const counted = [];
    for (const option of options.filter((candidate) => candidate.value !== '')) {
      const answer = await getJson(apiUrl(origin, '/api/traces', { ...bounds, sort: 'duration', minDurationMs: option.value, limit: 1 }));
      counted.push({ ...option, total: answer.total, first: answer.traces[0] });
    }
    const threshold = counted.filter((option) => option.total > 0 && option.total < everything.total).at(-1);
    expect(threshold, `no threshold among ${counted.map((option) => `${option.label}: ${option.total}`).join(', ')} leaves out some of the ${everything.total} traces`);
    const filtered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/traces' && new URL(response.url()).searchParams.get('minDurationMs') === threshold.value);
    await page.getByLabel('Min duration').selectOption(threshold.value);
    const answer = await (await filtered).json();
    expectEqual(answer.total, threshold.total, `the total the page was answered for ${threshold.label}`);
    await page.waitForFunction(({ selector, total }) => document.querySelector(selector)?.textContent.replace(/,/g, '').includes(`of ${total}`), { selector: PAGER, total: threshold.total });
    expectEqual(await shownTotal(page), threshold.total, `the pager's total for ${threshold.label}`);
    const rows = await page.locator('[data-testid="traces-table"] > tbody > tr').count();
    expectEqual(rows, Math.min(threshold.total, answer.traces.length), 'trace rows');

    // the URL keeps both: a reload asks the same and shows the same
    const params = new URL(page.url()).searchParams;
    expectEqual(`${params.get('sort')} ${params.get('minDurationMs')}`, `duration ${threshold.value}`, 'the URL’s sort and minDurationMs');
    await page.reload();
    await page.locator('[data-testid="traces-table"] tbody tr').first().waitFor();
    await waitForFirstRow(page, hrefOf(threshold.first));
    expectEqual(await page.inputValue('[data-testid="traces-sort"]'), 'duration', 'the sort after a reload');
    expectEqual(await page.inputValue('[data-testid="traces-min-duration"]'), threshold.value, 'the minimum duration after a reload');
    expectEqual(await shownTotal(page), threshold.total, 'the pager’s total after a reload');
    requests.stop();
    return `longest: ${longest.rootSpan} (${firstDuration}, ${longest.spanCount} spans) first; ${threshold.label}: ${threshold.total} of ${everything.total} traces (${counted.map((option) => `${option.label}: ${option.total}`).join(', ')})`;
  });
}
