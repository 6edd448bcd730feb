// One time range for the whole app: a range picked on one page is the range of every page reached
// afterwards through the navigation — in each page's URL and in the window its API requests ask for —
// and a link carrying a range wins and is remembered. Leaves the app on the fixtures' range.
import { openByNav } from '../lib/navigation.mjs';
import { TIME_RANGE_KEY } from '../lib/browser.mjs';
import { expect, expectEqual } from '../lib/report.mjs';

const DAY = 86_400_000;

/** Each page reached by nav, and one request of it that carries the range. */
const PAGES = [
  { key: 'logs', path: '/logs', heading: 'Logs', request: ['/api/logs', {}] },
  { key: 'sessions', path: '/sessions', heading: 'Sessions', request: ['/api/sessions', {}] },
  { key: 'metrics', path: '/metrics', heading: 'Metrics', request: ['/api/metrics/series', {}] },
  { key: 'overview', path: '/', heading: 'Overview', request: ['/api/spend', { groupBy: 'model' }] },
  { key: 'limits', path: '/limits', heading: 'Plan limits', request: ['/api/limits/history', {}] },
  { key: 'dashboards', path: '/dashboards', heading: 'Default Dashboard', request: ['/api/traces/recent', {}] },
];

export async function checkSharedTimeRange({ report, page, origin, range }) {
  await report.check('a time range picked on one page is the range of every page (URL and API requests), and a link’s range wins', async () => {
    await openByNav(page, 'traces', { path: '/traces', heading: 'Traces' });
    await page.selectOption('[data-testid="time-range-select"]', '24h');
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get('timeframe') === '24h');
    const seen = [];
    for (const target of PAGES) {
      const [pathname, params] = target.request;
      const asked = page.waitForRequest((request) => {
        const url = new URL(request.url());
        return url.pathname === pathname && Object.entries(params).every(([key, value]) => url.searchParams.get(key) === value);
      });
      try {
        await openByNav(page, target.key, { path: target.path, heading: target.heading });
        const query = new URL((await asked).url()).searchParams;
        const span = Date.parse(query.get('to')) - Date.parse(query.get('from'));
        expect(Math.abs(span - DAY) < 60_000, `${target.key} asked ${pathname} for ${query.get('from')} .. ${query.get('to')}, not the last 24 hours`);
        expectEqual(new URLSearchParams(await page.evaluate(() => window.location.search)).get('timeframe'), '24h', `${target.key} URL timeframe`);
        expectEqual(await page.inputValue('[data-testid="time-range-select"]'), '24h', `${target.key} picker`);
        seen.push(target.key);
      } catch (error) {
        // leave the app on the fixtures' range for the checks after this one
        await page.goto(`${origin}/?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);
        throw error;
      }
    }
    // a shared link with the fixtures' range wins over the remembered one, and becomes the remembered one
    await page.goto(`${origin}/logs?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);
    await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
    const stored = JSON.parse(await page.evaluate((key) => window.localStorage.getItem(key), TIME_RANGE_KEY));
    expectEqual(`${stored.kind} ${stored.from} ${stored.to}`, `absolute ${range.from} ${range.to}`, 'remembered range after opening a link');
    await openByNav(page, 'traces', { path: '/traces', heading: 'Traces' });
    const query = new URLSearchParams(await page.evaluate(() => window.location.search));
    expectEqual(`${query.get('from')} ${query.get('to')}`, `${range.from} ${range.to}`, 'traces URL range after the link');
    return `24h picked on Traces reached ${seen.join(', ')}; a link's range then reached Traces`;
  });
}
