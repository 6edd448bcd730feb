// The import wizard on a server that has no data yet and the fixtures' session files in its HOME:
// the Overview opens on the first-run welcome (skipped here; checks/welcome.mjs follows it) -> scan
// (found per tool, as the API's scan says) -> start (202, progress shown) -> result per tool (as the
// API's job says) -> the Overview's numbers went from the empty state to the imported usage.
// Then the same conversations arrive over OTLP: each session is still listed once, and a session of
// each tool shows, on the Sessions list and on its own page, the requests and cost that
// /api/spend?groupBy=session gives it (each model request counted once across both sources).
import { apiUrl, getJson } from '../lib/api.mjs';
import { postFixture } from '../lib/fixtures.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { expect, expectEqual } from '../lib/report.mjs';
import { readValues, recordApiRequests } from '../lib/page-values.mjs';
import { compareRangeTiles, compareSummaryTiles, loadOverview, windowsContaining } from './overview.mjs';

const TOOLS = ['claude-code', 'codex', 'gemini'];

export async function checkImport({ report, page, origin, range }) {
  let before = null;
  let job = null;
  let scan = null;

  await report.check('import server: the Overview starts on the first-run welcome; skipped, it is empty and equals the API', async () => {
    await page.goto(`${origin}/?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);
    await page.locator('[data-testid="welcome"]').waitFor();
    before = await loadOverview(page, { origin, range, open: () => page.click('[data-testid="welcome-skip"]') });
    const shown = compareRangeTiles(before, range, { nonZero: false });
    expectEqual(before.values['requests-range'], 0, 'requests before the import');
    return shown;
  });

  await report.check('import wizard scan finds each tool’s session files, as the API’s scan does', async () => {
    await openByNav(page, 'import', { path: '/import', heading: 'Import' });
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/import/scan');
    await page.click('[data-testid="import-scan"]');
    scan = await (await answered).json();
    await page.locator('[data-testid="scan-results"]').waitFor();
    const values = await readValues(page);
    const found = [];
    for (const tool of TOOLS) {
      const expected = scan.tools.find((entry) => entry.tool === tool);
      expect(expected && expected.files > 0, `the scan found no ${tool} files`);
      expectEqual(values[`scan-files-${tool}`], expected.files, `${tool} files`);
      expectEqual(values[`scan-to-read-${tool}`], expected.bytesToRead, `${tool} bytes to read`);
      expect(await page.isChecked(`input[aria-label^="Import "][type="checkbox"] >> nth=${TOOLS.indexOf(tool)}`), `${tool} is not selected`);
      found.push(`${tool}=${expected.files} files`);
    }
    return found.join(' ');
  });

  await report.check('import runs with progress and reports each tool like the API’s job', async () => {
    await page.evaluate(() => {
      window.__progressSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="import-progress"]')) window.__progressSeen = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    const started = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/import/start');
    await page.click('[data-testid="import-start"]');
    const response = await started;
    expectEqual(response.status(), 202, 'import_start status');
    const { jobId } = await response.json();
    await page.locator('[data-testid="import-result"]').waitFor({ timeout: 120_000 });
    expectEqual(await page.getAttribute('[data-testid="import-result"]', 'data-state'), 'done', 'job state shown');
    expect(await page.evaluate(() => window.__progressSeen), 'the progress view never appeared');
    job = await getJson(apiUrl(origin, `/api/import/jobs/${encodeURIComponent(jobId)}`));
    expectEqual(job.state, 'done', 'job state in the API');
    const values = await readValues(page);
    for (const tool of TOOLS) {
      const result = job.result.tools.find((entry) => entry.tool === tool);
      expect(result && result.requests > 0, `the job imported no ${tool} requests`);
      expectEqual(values[`import-requests-${tool}`], result.requests, `${tool} requests`);
      expectEqual(values[`import-cost-${tool}`], result.costUsd, `${tool} cost`);
      expectEqual(values[`import-files-${tool}`], result.files, `${tool} files`);
    }
    return job.result.tools.map((tool) => `${tool.tool}=${tool.requests} requests`).join(' ');
  });

  await report.check('the import result counts the files it read per tool (all new ones on a first import)', async () => {
    expect(job && scan, 'needs the scan and the finished job');
    const wrong = [];
    for (const tool of TOOLS) {
      const read = job.result.tools.find((entry) => entry.tool === tool)?.files;
      const expected = scan.tools.find((entry) => entry.tool === tool)?.newFiles;
      if (read !== expected) wrong.push(`${tool}: result.files=${read}, scan.newFiles=${expected}`);
    }
    expectEqual(job.progress.filesDone, job.progress.filesTotal, 'progress filesDone vs filesTotal');
    expect(wrong.length === 0, `GET /api/import/jobs/{id} after a first import: ${wrong.join('; ')} (progress.filesDone=${job.progress.filesDone})`);
    return TOOLS.map((tool) => `${tool}=${scan.tools.find((entry) => entry.tool === tool)?.newFiles} files`).join(' ');
  });

  await report.check('after the import the Overview’s numbers changed and equal the API', async () => {
    expect(before && job, 'needs the checks before it');
    const after = await loadOverview(page, { origin, range, viaNav: true });
    const shown = compareRangeTiles(after, range, { nonZero: true });
    compareSummaryTiles(after, { nonZeroKeys: windowsContaining(range.latest) });
    expect(after.values['requests-range'] > before.values['requests-range'], `requests did not change: ${before.values['requests-range']} -> ${after.values['requests-range']}`);
    const imported = job.result.tools.reduce((sum, tool) => sum + tool.requests, 0);
    expectEqual(after.values['requests-range'], imported, 'requests in range vs requests the job imported');
    return `requests ${before.values['requests-range']} -> ${after.values['requests-range']}; ${shown}`;
  });
}

/**
 * The same conversations reported live after they were imported (a user who imports history and
 * has telemetry on): the Sessions page must still list each session once, and the Overview must
 * still equal the API.
 */
export async function checkImportThenTelemetry({ report, page, origin, otlp, fixtures, range }) {
  await report.check('imported sessions that then arrive over OTLP are listed once each', async () => {
    for (const fixture of fixtures) await postFixture(otlp, fixture);
    const requests = recordApiRequests(page);
    await openByNav(page, 'sessions', { path: '/sessions', heading: 'Sessions' });
    await page.locator('[data-testid="sessions-table"] tbody tr').first().waitFor();
    requests.stop();
    const answer = await getJson(requests.find('/api/sessions'));
    const shown = await page.$$eval('[data-testid="sessions-table"] tbody tr', (rows) =>
      rows.map((row) => `${row.getAttribute('data-session-id')} (${row.querySelector('.tool-badge')?.textContent?.trim()})`),
    );
    expectEqual(shown.length, answer.sessions.length, 'session rows vs the API');
    const ids = answer.sessions.map((session) => session.sessionId);
    const twice = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
    const services = (id) => answer.sessions.filter((session) => session.sessionId === id).map((session) => session.serviceName).join(' + ');
    expect(
      twice.length === 0,
      `GET /api/sessions?from=${range.from}&to=${range.to} lists ${ids.length} rows for ${new Set(ids).size} sessions: ${twice.map((id) => `${id} as ${services(id)}`).join('; ')}`,
    );
    expectEqual(ids.length, 6, 'sessions');
    return `${ids.length} sessions`;
  });

  // one session of each tool, with the totals /api/spend?groupBy=session gives it in the list's window
  let compared = null;

  await report.check('sessions list: a session of each tool shows the requests and cost /api/spend?groupBy=session has for it', async () => {
    const requests = recordApiRequests(page);
    await page.goto(apiUrl(origin, '/sessions', { from: range.from, to: range.to }));
    await page.locator('[data-testid="sessions-table"] tbody tr[data-session-id]').first().waitFor();
    await page.waitForLoadState('networkidle');
    requests.stop();
    const listUrl = requests.find('/api/sessions');
    expect(listUrl, 'the page made no /api/sessions request');
    const span = Object.fromEntries(['from', 'to'].map((key) => [key, new URL(listUrl).searchParams.get(key)]));
    const [answer, spend] = await Promise.all([getJson(listUrl), getJson(apiUrl(origin, '/api/spend', { groupBy: 'session', ...span }))]);
    const sessions = onePerTool(answer.sessions);
    const tools = [...new Set(answer.sessions.map((session) => session.tool).filter(Boolean))];
    expectEqual(sessions.map((session) => session.tool).sort().join(','), tools.sort().join(','), 'tools with a compared session');
    expect(TOOLS.every((tool) => tools.includes(tool)), `the list's sessions name the tools ${tools.join(', ')}; expected ${TOOLS.join(', ')}`);
    const values = await readValues(page);
    compared = [];
    for (const session of sessions) {
      const id = session.sessionId;
      const group = spend.groups.find((entry) => entry.key === id);
      expect(group, `/api/spend?groupBy=session has no group for ${session.tool} session ${id}`);
      expect(group.requests > 0, `${session.tool} session ${id} has no requests in /api/spend`);
      expectEqual(values[`session-requests-${id}`], group.requests, `${session.tool} session ${id} requests on the list`);
      expectEqual(values[`session-cost-${id}`], group.costUsd, `${session.tool} session ${id} cost on the list`);
      await expectCostText(page, `session-cost-${id}`, group.costUsd);
      compared.push({ id, tool: session.tool, group });
    }
    return compared.map(({ id, tool, group }) => `${tool} ${id.slice(0, 8)}: ${group.requests} requests, $${group.costUsd}`).join('; ');
  });

  await report.check('session page: the same sessions show the requests and cost /api/spend?groupBy=session has for them', async () => {
    expect(compared && compared.length > 0, 'needs the sessions list check');
    for (const { id, tool, group } of compared) {
      await page.goto(apiUrl(origin, `/sessions/${encodeURIComponent(id)}`));
      await page.locator('[data-testid="transcript-requests"]').waitFor();
      const values = await readValues(page);
      expectEqual(values['transcript-requests'], group.requests, `${tool} session ${id} requests on its page`);
      expectEqual(values['transcript-cost'], group.costUsd, `${tool} session ${id} cost on its page`);
      await expectCostText(page, 'transcript-cost', group.costUsd);
    }
    return `${compared.length} session pages: ${compared.map(({ tool }) => tool).join(', ')}`;
  });

  await report.check('the Overview still equals the API once imported and reported usage meet', async () => {
    const loaded = await loadOverview(page, { origin, range, viaNav: true });
    return compareRangeTiles(loaded, range, { nonZero: true });
  });
}

/** The first session of each tool in the answer that has model requests (else its first one). */
function onePerTool(sessions) {
  const picked = new Map();
  for (const session of sessions) {
    if (!session.tool) continue;
    const current = picked.get(session.tool);
    if (!current || (current.requests === 0 && session.requests > 0)) picked.set(session.tool, session);
  }
  return [...picked.values()];
}

/** A null cost reads "no price" and a known one never does; neither is "$0.00" unless the API said 0. */
async function expectCostText(page, testid, costUsd) {
  const text = (await page.textContent(`[data-testid="${testid}"]`))?.trim();
  if (costUsd === null) expectEqual(text, 'no price', `${testid} text`);
  else expect(text?.startsWith('$') && (costUsd === 0 || text !== '$0.00'), `${testid} shows “${text}” for ${costUsd}`);
}
