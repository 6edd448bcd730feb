// Issue 10, in a real browser: a page on another loopback origin (a second HTTP server started here)
// tries every state-changing route of the operation table the way any web page can — `fetch` in
// `no-cors` mode with a text/plain body and with a Blob body, `fetch` with JSON (a preflight the API
// refuses), and a hidden form post into an iframe — and afterwards the data, the dashboards, the
// settings and the export folder are exactly as before. The same routes called from the app's own
// page (its origin, its page cookie) still work.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { apiUrl, getJson } from '../lib/api.mjs';
import { expect, expectEqual } from '../lib/report.mjs';

const OPERATIONS_FILE = new URL('../../src/lib/api/operations.gen.ts', import.meta.url);

/** `[name, method, path]` of every operation that may change state, read from the generated table. */
export function stateChangingRoutes() {
  const text = readFileSync(OPERATIONS_FILE, 'utf8');
  const routes = [...text.matchAll(/^\s+(\w+): \{ method: "(\w+)", path: "([^"]+)"/gm)].map((match) => [match[1], match[2], match[3]]);
  return routes.filter(([, method]) => method !== 'GET' && method !== 'DESKTOP');
}

/** A body that would change something if the route accepted it. */
function hostileBody(name, dashboardId) {
  switch (name) {
    case 'dashboard_create':
      return { name: 'Planted by evil.example', isDefault: true };
    case 'dashboard_update':
    case 'widget_update':
      return { name: 'Renamed by evil.example', title: 'Renamed by evil.example' };
    case 'settings_update':
      return { dailyBudgetUsd: 0.01, timeZone: 'Asia/Tokyo', exportRoot: '/tmp' };
    case 'export_data':
      return { output: '/tmp/ai-observer-stolen', overwrite: true };
    case 'delete_data':
    case 'delete_preview':
      return { scope: 'all', from: '2000-01-01', to: '2100-01-01' };
    case 'widget_create':
      return { widgetType: 'stat', title: 'Planted', gridColumn: 1, gridRow: 1, colSpan: 1, rowSpan: 1, id: dashboardId };
    default:
      return {};
  }
}

function fillPath(path, dashboardId) {
  return path.replace('{id}', dashboardId).replace('{widgetId}', 'w-1').replace('{jobId}', 'job-1');
}

function listFiles(folder) {
  const found = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      found.push(path);
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(folder);
  return found.sort();
}

async function snapshot(origin) {
  const settings = await getJson(apiUrl(origin, '/api/settings'));
  const dashboards = await getJson(apiUrl(origin, '/api/dashboards'));
  const stats = await getJson(apiUrl(origin, '/api/stats'));
  const spend = await getJson(apiUrl(origin, '/api/spend', { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }));
  delete settings.receivingPaused;
  return JSON.stringify({ settings, dashboards, stats, spend, exports: listFiles(settings.exportRoot), stolen: listFiles('/tmp/ai-observer-stolen') });
}

/** The attacker's page: fires every forged request, then reports how many it sent. */
function attackerPage(api, attempts) {
  return `<!doctype html><meta charset="utf-8"><title>A page on another origin</title>
<iframe name="sink" style="display:none"></iframe>
<script>
const API = ${JSON.stringify(api)};
const ATTEMPTS = ${JSON.stringify(attempts)};
async function attack() {
  let sent = 0;
  for (const { method, path, body } of ATTEMPTS) {
    const text = JSON.stringify(body);
    const tries = [
      { method, mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: text },
      { method, mode: 'no-cors', body: new Blob([text]) },
      { method, mode: 'cors', headers: { 'Content-Type': 'application/json' }, body: text },
      { method, mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: text + '=' },
    ];
    for (const init of tries) {
      try { await fetch(API + path, init); } catch (error) { /* a refused preflight or a non-simple method */ }
      sent += 1;
    }
    if (method === 'POST') {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = API + path;
      form.target = 'sink';
      form.enctype = 'text/plain';
      const field = document.createElement('input');
      field.type = 'hidden';
      field.name = text.slice(0, -1) + ',"x":"';
      field.value = '"}';
      form.appendChild(field);
      document.body.appendChild(form);
      form.submit();
      await new Promise((resolve) => setTimeout(resolve, 150));
      sent += 1;
    }
  }
  document.title = 'done ' + sent;
  return sent;
}
window.attackDone = attack();
</script>`;
}

async function startAttackerServer(html) {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

export async function checkCrossOrigin({ report, context, origin }) {
  await report.check('a page on another origin cannot change or export anything through the API (no-cors fetch, Blob, JSON, form posts)', async () => {
    const dashboards = await getJson(apiUrl(origin, '/api/dashboards'));
    const dashboardId = dashboards.dashboards?.[0]?.id ?? dashboards[0]?.id ?? 'd-1';
    const routes = stateChangingRoutes();
    expect(routes.length >= 17, `only ${routes.length} state-changing routes found in operations.gen.ts`);
    const attempts = routes.map(([name, method, path]) => ({ method, path: fillPath(path, dashboardId), body: hostileBody(name, dashboardId) }));
    const before = await snapshot(origin);
    const { server, origin: attackerOrigin } = await startAttackerServer(attackerPage(origin, attempts));
    const page = await context.newPage();
    try {
      await page.goto(attackerOrigin);
      const sent = await page.evaluate(() => window.attackDone);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await snapshot(origin);
      expectEqual(after, before, 'the app’s data, dashboards, settings and export folder after the attack');
      return `${sent} forged requests from ${attackerOrigin} to ${routes.length} routes; nothing changed`;
    } finally {
      await page.close();
      server.close();
    }
  });

  await report.check('the same routes still work from the app’s own page', async () => {
    const page = await context.newPage();
    try {
      await page.goto(origin);
      const outcome = await page.evaluate(async () => {
        const send = async (method, path, body) => {
          const response = await fetch(path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
          return { status: response.status, body: response.status === 204 ? null : await response.json() };
        };
        const created = await send('POST', '/api/dashboards', { name: 'Made on the page' });
        const renamed = await send('PUT', `/api/dashboards/${created.body.id}`, { name: 'Renamed on the page' });
        const previous = (await send('GET', '/api/settings')).body.dailyBudgetUsd ?? null;
        const budget = await send('PUT', '/api/settings', { dailyBudgetUsd: 42 });
        const restored = await send('PUT', '/api/settings', { dailyBudgetUsd: previous });
        const counted = await send('POST', '/api/export', { output: 'from-the-page', dryRun: true });
        const removed = await send('DELETE', `/api/dashboards/${created.body.id}`);
        return { created: created.status, renamed: renamed.status, budget: [budget.status, budget.body.dailyBudgetUsd], restored: restored.status, counted: [counted.status, counted.body.logs], removed: removed.status };
      });
      expectEqual(JSON.stringify(outcome.budget), JSON.stringify([200, 42]), 'budget set from the page');
      expectEqual(`${outcome.created} ${outcome.renamed} ${outcome.restored} ${outcome.counted[0]} ${outcome.removed}`, '201 200 200 200 204', 'statuses from the page');
      expect(outcome.counted[1] > 0, 'the page’s export count found no logs');
      return JSON.stringify(outcome);
    } finally {
      await page.close();
    }
  });
}
