// Lists the API requests the Overview and the default dashboard send against a running server, with
// the time each took in the browser — for timing them on a large store. Not a test.
// Usage: node ui/e2e/capture-requests.mjs --url http://127.0.0.1:PORT [--days 30]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from './lib/browser.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, index, all) => (index % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[index + 1]]] : pairs), []));
const to = new Date().toISOString();
const from = new Date(Date.parse(to) - Number(args.days ?? 30) * 86_400_000).toISOString();
const { context, page } = await launchBrowser({ executablePath: '/usr/bin/chromium', work: mkdtempSync(join(tmpdir(), 'capture-')), range: { from, to } });
for (const path of ['/', '/dashboards']) {
  const seen = [];
  const listener = (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/')) seen.push(`${response.request().method()} ${url.pathname}${url.search} ${Math.round(response.request().timing().responseEnd)}ms`);
  };
  page.on('response', listener);
  await page.goto(`${args.url}${path}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  await page.waitForLoadState('networkidle', { timeout: 120_000 });
  page.off('response', listener);
  console.log(`== ${path}`);
  for (const line of seen) console.log(line);
}
await context.close();
