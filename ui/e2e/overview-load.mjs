// Measures the Overview's load time (navigation start → the spend numbers shown) against a running
// server, e.g. one holding a large generated store. Not a test: prints the timings.
// Usage: node ui/e2e/overview-load.mjs --url http://127.0.0.1:PORT [--from ISO --to ISO] [--runs 5]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from './lib/browser.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, index, all) => (index % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[index + 1]]] : pairs), []));
const to = args.to ?? new Date().toISOString();
const from = args.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
const runs = Number(args.runs ?? 5);
const { context, page } = await launchBrowser({ executablePath: '/usr/bin/chromium', work: mkdtempSync(join(tmpdir(), 'overview-load-')), range: { from, to } });
const timings = [];
for (let run = 0; run < runs; run += 1) {
  const started = Date.now();
  await page.goto(`${args.url}/?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  await page.waitForSelector('[data-testid="spend-range"][data-value]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="spend-today"][data-value]', { timeout: 60_000 });
  timings.push(Date.now() - started);
}
const sorted = [...timings].sort((a, b) => a - b);
console.log(`overview load (ms): ${timings.join(', ')}; median ${sorted[Math.floor(sorted.length / 2)]}`);
console.log(`range requests: ${await page.getAttribute('[data-testid="requests-range"]', 'data-value')}`);
await context.close();
