// Browser end-to-end run (started by tests/e2e/ui.sh): drives the built UI in headless Chromium
// against four real servers and compares what the pages show with what the API answers, then checks
// every page's width at 800 and 1280 px, its accessibility (axe-core) and its look against the
// screenshots stored in --screenshots (UPDATE_SCREENSHOTS=1 rewrites them; a failed comparison
// leaves its images in --artefacts). Prints one line per check and `N passed, M failed`; exits 1 when
// a check failed.
import { join } from 'node:path';
import { parseArgs } from './lib/args.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { fixtureRange, fixtureRequests, fixturesRootOf } from './lib/fixtures.mjs';
import { createReport, expect } from './lib/report.mjs';
import { checkCrossOrigin } from './checks/cross-origin.mjs';
import { checkConfirmedDelete, checkExportAndPreview } from './checks/data.mjs';
import { checkDashboards } from './checks/dashboards.mjs';
import { checkImport, checkImportThenTelemetry } from './checks/import.mjs';
import { checkLimitAlerts } from './checks/limit-alerts.mjs';
import { checkLimits } from './checks/limits.mjs';
import { checkLive } from './checks/live.mjs';
import { compareRangeTiles, compareSummaryTiles, loadOverview, windowsContaining } from './checks/overview.mjs';
import { checkLayout } from './checks/layout.mjs';
import { checkPages } from './checks/pages.mjs';
import { checkSharedTimeRange } from './checks/time-range.mjs';
import { checkTeamSignIn } from './checks/team-sign-in.mjs';
import { checkUsageBlocks } from './checks/usage-blocks.mjs';
import { checkWelcome } from './checks/welcome.mjs';
import { checkDashboardTotals, checkMetricsPageTotals } from './checks/usage-totals.mjs';

const LOAD_SAMPLES = 5;

const options = parseArgs(process.argv.slice(2));
const range = fixtureRange(fixturesRootOf(options.liveFixture));
const day = new Date(range.latest).toISOString().slice(0, 10);
const report = createReport();
report.info(`fixtures' range ${range.from} .. ${range.to}; telemetry server ${options.api}, import server ${options.importApi}, welcome server ${options.welcomeApi}`);

const { context, page } = await launchBrowser({ executablePath: options.chromium, work: options.work, range });
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
const shots = options.screenshots;
options.artefacts ??= join(options.work, 'visual');
const origin = options.api;

try {
  let overview = null;
  await report.check('overview: range tiles (cost, requests, tokens) equal /api/spend for the fixtures’ range', async () => {
    overview = await loadOverview(page, { origin, range });
    return compareRangeTiles(overview, range, { nonZero: true });
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

  await checkPages({ report, page, origin, otlp: options.otlp });
  await checkLimitAlerts({ report, page, origin });
  await checkUsageBlocks({ report, page, range });
  await checkExportAndPreview({ report, page, origin, day });
  await checkDashboards({ report, page, origin });
  await checkSharedTimeRange({ report, page, origin, range });
  await checkCrossOrigin({ report, context, origin });
  await checkLive({ report, page, origin, otlp: options.otlp, liveFixture: options.liveFixture, range });
  // the telemetry server's data no longer changes: every page's width, accessibility and look
  await checkLayout({ report, page, origin, range, shots, artefacts: options.artefacts, update: process.env.UPDATE_SCREENSHOTS === '1' });

  // a first run on a machine with Claude Code's and Codex CLI's history: the welcome, its import, the Overview
  await checkWelcome({ report, page, origin: options.welcomeApi, range, shots, artefacts: options.artefacts, update: process.env.UPDATE_SCREENSHOTS === '1' });

  // a team server behind a proxy: every caller needs a token, the page asks for one
  await checkTeamSignIn({ report, page, origin: options.teamApi, token: options.teamToken, range });

  await checkImport({ report, page, origin: options.importApi, range });
  await checkImportThenTelemetry({ report, page, origin: options.importApi, otlp: options.importOtlp, fixtures: fixtureRequests(fixturesRootOf(options.liveFixture)), range });
  // both sources loaded: the Metrics page and a dashboard's widgets read the same ledger as spend
  await checkMetricsPageTotals({ report, page, origin: options.importApi, range });
  await checkDashboardTotals({ report, page, origin: options.importApi, range });
  await checkConfirmedDelete({ report, page, origin: options.importApi, day });
  // the telemetry server's screenshots are compared: Claude Code's status line reports its limits now
  await checkLimits({ report, page, origin, range });

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
