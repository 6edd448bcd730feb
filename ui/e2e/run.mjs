// Browser end-to-end run (started by tests/e2e/ui.sh): drives the built UI in headless Chromium
// against two real servers and compares what the pages show with what the API answers. Prints one
// line per check and `N passed, M failed`; exits 1 when a check failed. Screenshots go to --screenshots.
import { parseArgs } from './lib/args.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { fixtureRange, fixtureRequests, fixturesRootOf } from './lib/fixtures.mjs';
import { screenshot } from './lib/navigation.mjs';
import { createReport, expect } from './lib/report.mjs';
import { checkCrossOrigin } from './checks/cross-origin.mjs';
import { checkConfirmedDelete, checkExportAndPreview } from './checks/data.mjs';
import { checkDashboards } from './checks/dashboards.mjs';
import { checkImport, checkImportThenTelemetry } from './checks/import.mjs';
import { checkLive } from './checks/live.mjs';
import { compareRangeTiles, compareSummaryTiles, loadOverview, windowsContaining } from './checks/overview.mjs';
import { checkPages } from './checks/pages.mjs';

const LOAD_SAMPLES = 5;

const options = parseArgs(process.argv.slice(2));
const range = fixtureRange(fixturesRootOf(options.liveFixture));
const day = new Date(range.latest).toISOString().slice(0, 10);
const report = createReport();
report.info(`fixtures' range ${range.from} .. ${range.to}; telemetry server ${options.api}, import server ${options.importApi}`);

const { context, page } = await launchBrowser({ executablePath: options.chromium, work: options.work, range });
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
const shots = options.screenshots;
const origin = options.api;

try {
  let overview = null;
  await report.check('overview: range tiles (cost, requests, tokens) equal /api/spend for the fixtures’ range', async () => {
    overview = await loadOverview(page, { origin, range });
    const shown = compareRangeTiles(overview, range, { nonZero: true });
    await screenshot(page, shots, 'overview', { settleMs: 1200 });
    return shown;
  });
  await report.check('overview: today / 7 days / 30 days / month and today by tool equal /api/spend/summary', async () => {
    expect(overview, 'the Overview did not load');
    return compareSummaryTiles(overview, { nonZeroKeys: windowsContaining(range.latest) });
  });

  // Load time: navigation start -> every number on screen (performance.now() at that moment). Each
  // sample starts when the previous page's later requests are done, so it measures one page alone.
  const times = overview ? [overview.shownAt] : [];
  for (let sample = 1; sample < LOAD_SAMPLES && overview; sample += 1) {
    await page.waitForLoadState('networkidle');
    times.push((await loadOverview(page, { origin, range })).shownAt);
  }
  await page.waitForLoadState('networkidle');
  if (times.length > 0) {
    const sorted = [...times].sort((a, b) => a - b);
    report.info(`overview load, navigation start -> numbers visible: ${times.map((time) => Math.round(time)).join(', ')} ms (first is a cold profile; median ${Math.round(sorted[Math.floor(sorted.length / 2)])} ms)`);
  }

  await checkPages({ report, page, origin, otlp: options.otlp, shots });
  await checkExportAndPreview({ report, page, origin, day, shots });
  await checkDashboards({ report, page, origin, shots });
  await checkCrossOrigin({ report, context, origin });
  await checkLive({ report, page, origin, otlp: options.otlp, liveFixture: options.liveFixture, range });

  await checkImport({ report, page, origin: options.importApi, range, shots });
  await checkImportThenTelemetry({ report, page, origin: options.importApi, otlp: options.importOtlp, fixtures: fixtureRequests(fixturesRootOf(options.liveFixture)), range });
  await checkConfirmedDelete({ report, page, origin: options.importApi, day });

  await report.check('no uncaught errors in the pages', async () => {
    expect(pageErrors.length === 0, pageErrors.slice(0, 5).join(' | '));
  });
} catch (error) {
  await report.check('the run itself', async () => {
    throw error;
  });
} finally {
  await context.close();
}
process.exit(report.finish() ? 0 : 1);
