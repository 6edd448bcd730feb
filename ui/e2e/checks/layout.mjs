// Every page as a user sees it: it fits 800 px and 1280 px without sideways scrolling, it has no
// serious or critical accessibility violation (axe-core) in the light and the dark theme, and at
// 1280×800 it looks like its stored screenshot in docs/screenshots/ (<page>.png, <page>-dark.png)
// within a tolerance. Runs on the telemetry server once the other checks are done with it, so the
// data on screen is the same on every run.
import { apiUrl, getJson } from '../lib/api.mjs';
import { seriousViolations } from '../lib/axe.mjs';
import { VIEWPORT } from '../lib/browser.mjs';
import { expect } from '../lib/report.mjs';
import { compareWithStored, volatileBoxes } from '../lib/visual.mjs';

/** What changes between runs whatever the UI does: the live status, ports, temporary paths, today's windows. */
const ALWAYS_VOLATILE = ['[data-testid="live-status"]'];

/** The pages: how to reach each one's shown state, and its own volatile regions. */
function pages({ trace, session }) {
  return [
    { name: 'overview', path: '/', ready: '[data-testid="cost-chart"] svg', volatile: ['[data-testid="recent-spend-card"]'] },
    // no tool reported limits to this server yet (checks/limits.mjs does, after this): how to get them,
    // and the fixtures' 5-hour blocks
    { name: 'limits', path: '/limits', ready: '[data-testid="usage-blocks-table"] [data-testid="usage-block"]' },
    { name: 'dashboards', path: '/dashboards', ready: '[data-widget-type="stats_traces"] .stat-value[data-value]' },
    { name: 'metrics', path: '/metrics', ready: '[data-testid="metrics-chart"] svg' },
    { name: 'logs', path: '/logs', ready: '[data-testid="logs-table"] tbody tr' },
    { name: 'traces', path: '/traces', ready: '[data-testid="traces-table"] tbody tr' },
    { name: 'trace', path: `/traces/${trace.kind}/${encodeURIComponent(trace.id)}`, ready: '[data-testid="waterfall"] .span-row' },
    { name: 'sessions', path: '/sessions', ready: '[data-testid="sessions-table"] tbody tr' },
    { name: 'transcript', path: `/sessions/${encodeURIComponent(session.sessionId)}`, ready: '[data-testid="transcript-chat"] [data-role]' },
    {
      name: 'import',
      path: '/import',
      ready: '[data-testid="import-scan"]',
      prepare: async (page) => {
        await page.click('[data-testid="import-scan"]');
        await page.locator('[data-testid="scan-results"]').waitFor();
      },
      volatile: ['[data-testid="scan-results"] .roots', '[data-testid="retention-warning"] code'],
    },
    { name: 'data', path: '/data', ready: '[data-testid="export-root"] code', volatile: ['[data-testid="export-root"]'] },
    {
      name: 'sql',
      path: '/sql',
      ready: '[data-testid="sql-tables"] li',
      prepare: async (page) => {
        await page.click('[data-testid="sql-run"]');
        await page.locator('[data-testid="sql-table"] tbody tr').first().waitFor();
      },
      volatile: ['[data-testid="sql-summary"]'],
    },
    // this month's column follows the calendar; the token made by checks/pages.mjs carries today's date
    { name: 'team', path: '/team', ready: '[data-testid="spend-by-machine"] tbody tr', volatile: ['[data-testid="person-month"]', '[data-testid="tokens-table"]'] },
    { name: 'setup', path: '/setup', ready: '[data-testid="setup-status-claude-code"][data-connected="true"]', volatile: ['main code', 'main pre', '[data-testid^="setup-status-"]'] },
    { name: 'settings', path: '/settings', ready: '[data-testid="settings-port-api"]', volatile: ['[data-testid="settings-engine"]', 'main input.mono'] },
  ];
}

async function open(page, origin, entry) {
  await page.goto(`${origin}${entry.path}`);
  await page.locator(entry.ready).first().waitFor({ state: 'attached' });
  if (entry.prepare) await entry.prepare(page);
  await page.waitForLoadState('networkidle');
  // charts are drawn once their box has a size; give them a frame or two
  await page.waitForTimeout(400);
}

export async function checkLayout({ report, page, origin, range, shots, artefacts, update }) {
  const traces = await getJson(apiUrl(origin, '/api/traces', { from: range.from, to: range.to, limit: 1000 }));
  const trace = [...traces.traces].sort((a, b) => b.spanCount - a.spanCount)[0];
  const sessions = await getJson(apiUrl(origin, '/api/sessions', { from: range.from, to: range.to }));
  const session = [...sessions.sessions].sort((a, b) => b.messageCount - a.messageCount)[0];
  expect(trace && session, 'the fixtures have no trace or no session');
  const list = pages({ trace, session });
  // the app's shared range: the fixtures' range, whatever an earlier check picked
  await page.goto(`${origin}/?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);

  await report.check('every page fits 800 px and 1280 px without sideways scrolling', async () => {
    const widths = [];
    try {
      for (const width of [800, 1280]) {
        await page.setViewportSize({ width, height: VIEWPORT.height });
        for (const entry of list) {
          await open(page, origin, entry);
          const measured = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth }));
          expect(measured.scroll <= measured.inner, `${entry.name} at ${width} px is ${measured.scroll} px wide`);
          widths.push(`${entry.name}@${width}=${measured.scroll}`);
        }
      }
    } finally {
      await page.setViewportSize(VIEWPORT);
    }
    return widths.join(' ');
  });

  for (const theme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: theme });
    await report.check(`every page in the ${theme} theme: no serious accessibility violation (axe-core), and it looks like its stored screenshot`, async () => {
      const problems = [];
      const compared = [];
      for (const entry of list) {
        await open(page, origin, entry);
        const shown = await page.evaluate(() => document.documentElement.dataset.theme);
        expect(shown === theme, `${entry.name} shows the ${shown} theme`);
        for (const violation of await seriousViolations(page)) problems.push(`${entry.name}: ${violation}`);
        const name = theme === 'dark' ? `${entry.name}-dark` : entry.name;
        const boxes = await volatileBoxes(page, [...ALWAYS_VOLATILE, ...(entry.volatile ?? [])]);
        const actual = await page.screenshot({ animations: 'disabled', caret: 'hide' });
        try {
          compared.push(compareWithStored({ actual, name, storedDir: shots, artefactsDir: artefacts, boxes, update }));
        } catch (error) {
          problems.push(error.message);
        }
      }
      expect(problems.length === 0, problems.join('\n  '));
      return `${list.length} pages; ${compared.join(', ')}`;
    });
  }
  await page.emulateMedia({ colorScheme: null });
}
