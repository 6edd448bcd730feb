// Live updates: with the Logs page open, one more captured logs request is posted to the OTLP port;
// the "N new logs" button must appear without a reload, count exactly the records the API gained,
// and clicking it must load them. The top bar's status says "Receiving" only once data arrived (the
// fixtures were replayed long before: until then it says when the last data came).
import { apiUrl, getJson } from '../lib/api.mjs';
import { postFixture } from '../lib/fixtures.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { expect, expectEqual } from '../lib/report.mjs';

export async function checkLive({ report, page, origin, otlp, liveFixture, range }) {
  await report.check('logs page offers the logs that arrive live, without a reload', async () => {
    await openByNav(page, 'logs', { path: '/logs', heading: 'Logs' });
    await page.locator('[data-testid="logs-table"] tbody tr').first().waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-connected') === 'true');
    const statusBefore = (await page.textContent('[data-testid="live-status"]')).trim();
    expectEqual(await page.locator('[data-testid="logs-new-button"]').count(), 0, 'new-logs buttons before posting');
    const totalOf = async () => (await getJson(apiUrl(origin, '/api/logs', { from: range.from, to: range.to, limit: 1 }))).total;
    const before = await totalOf();
    // a reload would lose this marker
    await page.evaluate(() => {
      window.__e2eSamePage = true;
    });

    const path = await postFixture(otlp, liveFixture);
    const button = page.locator('[data-testid="logs-new-button"]');
    await button.waitFor({ timeout: 10_000 });
    const after = await totalOf();
    expect(after > before, `the API did not gain logs (${before} -> ${after})`);
    // live messages may come in more than one batch: wait for the count to reach what the API gained
    await page
      .waitForFunction((expected) => Number(document.querySelector('[data-testid="logs-new-button"]')?.getAttribute('data-count')) === expected, after - before, { timeout: 5_000 })
      .catch(() => undefined);
    expectEqual(Number(await button.getAttribute('data-count')), after - before, 'new logs counted by the button');
    expect(await page.evaluate(() => window.__e2eSamePage === true), 'the page was reloaded');
    await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'receiving', null, { timeout: 5_000 });
    const statusAfter = (await page.textContent('[data-testid="live-status"]')).trim();
    expectEqual(statusAfter, 'Receiving', 'live status after data arrived');

    await button.click();
    await button.waitFor({ state: 'detached' });
    const rows = await page.locator('[data-testid="logs-table"] > tbody > tr:not(.detail-row)').count();
    expectEqual(rows, Math.min(50, after), 'log rows after loading the new ones');
    return `posted ${path}: button showed ${after - before} new logs, list reloaded in place; status “${statusBefore}” -> “${statusAfter}”`;
  });
}
