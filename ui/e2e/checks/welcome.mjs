// The first-run welcome on its own server: an empty database, and a HOME where Claude Code and Codex
// CLI left session files but Gemini CLI did not. The Overview opens on the welcome, which lists each
// assistant with the files the API's scan counts; it fits 800 and 1280 px, passes axe in both themes
// and looks like docs/screenshots/welcome*.png; one click imports the found assistants (202, progress
// shown, the job done as the API says); "Open the Overview" then shows the spend the API has for the
// imported usage.
import { apiUrl, getJson } from '../lib/api.mjs';
import { seriousViolations } from '../lib/axe.mjs';
import { VIEWPORT } from '../lib/browser.mjs';
import { readValues } from '../lib/page-values.mjs';
import { expect, expectEqual } from '../lib/report.mjs';
import { compareWithStored, volatileBoxes } from '../lib/visual.mjs';
import { compareRangeTiles, compareSummaryTiles, loadOverview } from './overview.mjs';

const FOUND = ['claude-code', 'codex'];
const NOT_FOUND = ['gemini'];

/** Opens `/` on the fixtures' range and waits for the welcome's import button; returns the page's scan answer. */
async function openWelcome(page, origin, range) {
  const scanned = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/import/scan');
  await page.goto(`${origin}/?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);
  const scan = await (await scanned).json();
  await page.locator('[data-testid="welcome-import-start"]').waitFor();
  await page.waitForLoadState('networkidle');
  return scan;
}

export async function checkWelcome({ report, page, origin, range, shots, artefacts, update }) {
  let scan = null;
  let job = null;

  await report.check('welcome: an empty database opens on the welcome, each assistant with the files the API’s scan counts', async () => {
    const stats = await getJson(apiUrl(origin, '/api/stats'));
    expectEqual(stats.spanCount + stats.logCount + stats.metricCount, 0, 'spans, logs and metrics stored before');
    scan = await openWelcome(page, origin, range);
    await page.getByRole('heading', { level: 1, name: 'Welcome to AI Observer' }).waitFor();
    expectEqual(await page.locator('[data-testid="spend-range"]').count(), 0, 'Overview tiles behind the welcome');
    const values = await readValues(page);
    const shown = [];
    for (const tool of [...FOUND, ...NOT_FOUND]) {
      const expected = scan.tools.find((entry) => entry.tool === tool);
      expect(expected, `the scan has no entry for ${tool}`);
      expect(FOUND.includes(tool) ? expected.files > 0 : expected.files === 0, `the scan counts ${expected.files} ${tool} files`);
      expectEqual(values[`welcome-files-${tool}`], expected.files, `${tool} files`);
      expectEqual(await page.getAttribute(`[data-testid="welcome-tool-${tool}"]`, 'data-found'), String(expected.files > 0), `${tool} found`);
      // no OTLP reached this server, and a browser cannot read the tools' settings: Setup explains it
      expectEqual(await page.getAttribute(`[data-testid="welcome-telemetry-${tool}"]`, 'data-state'), 'unknown', `${tool} telemetry`);
      expectEqual(await page.getAttribute(`[data-testid="welcome-setup-${tool}"]`, 'href'), '/setup', `${tool} setup link`);
      shown.push(`${tool}=${expected.files} files`);
    }
    const toRead = scan.tools.filter((tool) => FOUND.includes(tool.tool)).reduce((sum, tool) => sum + tool.newFiles + tool.changedFiles, 0);
    const button = page.locator('[data-testid="welcome-import-start"]');
    expectEqual(Number(await button.getAttribute('data-files')), toRead, 'files the import button reads');
    expectEqual(await button.getAttribute('data-tools'), FOUND.join(' '), 'tools the import button imports');
    expectEqual((await button.textContent()).trim(), `Import ${toRead} ${toRead === 1 ? 'file' : 'files'} from Claude Code and Codex CLI`, 'import button');
    return shown.join(' ');
  });

  await report.check('welcome: fits 800 px and 1280 px, no serious accessibility violation (axe-core) in either theme, and looks like its stored screenshot', async () => {
    expect(scan, 'the welcome did not open');
    const problems = [];
    const measured = [];
    try {
      for (const width of [800, 1280]) {
        await page.setViewportSize({ width, height: VIEWPORT.height });
        await openWelcome(page, origin, range);
        const size = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth }));
        if (size.scroll > size.inner) problems.push(`at ${width} px the page is ${size.scroll} px wide`);
        measured.push(`${width}=${size.scroll}`);
      }
      await page.setViewportSize(VIEWPORT);
      for (const theme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: theme });
        await openWelcome(page, origin, range);
        const shown = await page.evaluate(() => document.documentElement.dataset.theme);
        if (shown !== theme) problems.push(`the ${theme} theme shows ${shown}`);
        for (const violation of await seriousViolations(page)) problems.push(`${theme}: ${violation}`);
        const name = theme === 'dark' ? 'welcome-dark' : 'welcome';
        const boxes = await volatileBoxes(page, ['[data-testid="live-status"]']);
        const actual = await page.screenshot({ animations: 'disabled', caret: 'hide' });
        try {
          measured.push(compareWithStored({ actual, name, storedDir: shots, artefactsDir: artefacts, boxes, update }));
        } catch (error) {
          problems.push(error.message);
        }
      }
    } finally {
      await page.setViewportSize(VIEWPORT);
      await page.emulateMedia({ colorScheme: null });
    }
    expect(problems.length === 0, problems.join('\n  '));
    return measured.join(', ');
  });

  await report.check('welcome: one click imports the found assistants with progress, as the API’s job reports', async () => {
    expect(scan, 'the welcome did not open');
    await openWelcome(page, origin, range);
    await page.evaluate(() => {
      window.__progressSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="welcome-import"] [data-testid="import-progress"]')) window.__progressSeen = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    const started = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/import/start');
    await page.click('[data-testid="welcome-import-start"]');
    const response = await started;
    expectEqual(response.status(), 202, 'import_start status');
    expectEqual(JSON.stringify(JSON.parse(response.request().postData() ?? '{}').tools), JSON.stringify(FOUND), 'tools asked for');
    const { jobId } = await response.json();
    const outcome = page.locator('[data-testid="welcome-import-outcome"]');
    await outcome.waitFor({ timeout: 120_000 });
    expectEqual(await outcome.getAttribute('data-state'), 'done', 'job state shown');
    expect(await page.evaluate(() => window.__progressSeen), 'the progress view never appeared');
    job = await getJson(apiUrl(origin, `/api/import/jobs/${encodeURIComponent(jobId)}`));
    expectEqual(job.state, 'done', 'job state in the API');
    for (const tool of FOUND) {
      const result = job.result.tools.find((entry) => entry.tool === tool);
      expect(result && result.requests > 0, `the job imported no ${tool} requests`);
      expectEqual(result.files, scan.tools.find((entry) => entry.tool === tool).newFiles, `${tool} files read vs the scan's new files`);
    }
    expect(!job.result.tools.some((entry) => NOT_FOUND.includes(entry.tool) && entry.files > 0), 'the job read files of a tool that was not found');
    const requests = job.result.tools.reduce((sum, tool) => sum + tool.requests, 0);
    const text = (await outcome.textContent()).trim();
    expect(text.includes(`Imported ${requests} model request`), `the outcome reads “${text}”; the job imported ${requests} requests`);
    return `${text} (job ${jobId})`;
  });

  await report.check('welcome: “Open the Overview” shows the imported spend, equal to the API', async () => {
    expect(job, 'needs the import');
    const loaded = await loadOverview(page, { origin, range, open: () => page.click('[data-testid="welcome-open-overview"]') });
    expectEqual(await page.locator('[data-testid="welcome"]').count(), 0, 'welcome still shown');
    const shown = compareRangeTiles(loaded, range, { nonZero: false });
    compareSummaryTiles(loaded, { nonZeroKeys: [] });
    const imported = job.result.tools.reduce((sum, tool) => sum + tool.requests, 0);
    expectEqual(loaded.values['requests-range'], imported, 'requests in range vs requests the job imported');
    expect(loaded.values['spend-range'] > 0, `the range's cost is ${loaded.values['spend-range']}`);
    const spendText = (await page.textContent('[data-testid="spend-range"]')).trim();
    expect(spendText.startsWith('$') && spendText !== '$0.00', `the cost tile reads “${spendText}”`);
    return `${spendText} shown; ${shown}`;
  });
}
