// Plan limits end to end: with the Overview open, Claude Code's status line hands its limits to
// the server (`POST /api/limits/statusline`, as `ai-observer statusline` does: JSON, no Origin);
// the Overview's Plan-limits card shows them without a reload, equal to `/api/limits`. Then the
// Limits page shows the same windows and draws the report in each window's history chart, as
// `/api/limits/history` has it, fits 800 and 1280 px and has no serious accessibility violation in
// either theme. Runs last on the telemetry server, whose pages' screenshots were compared before
// (they show the card's empty state), and leaves the app on the fixtures' range.
import { apiUrl, getJson, postJson } from '../lib/api.mjs';
import { seriousViolations } from '../lib/axe.mjs';
import { VIEWPORT } from '../lib/browser.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { expect, expectEqual } from '../lib/report.mjs';

const WINDOWS = { '5h': 'five_hour', '7d': 'seven_day' };
const REPORTED = { '5h': 88, '7d': 14 };

/** The page's percent text for an API value, as the UI formats it (limit-display.ts formatLimitPercent). */
function percentText(value) {
  return `${Number(value.toFixed(1))}%`;
}

async function shownWindows(page) {
  return page.$$eval('[data-testid^="limit-claude-code-"]', (elements) =>
    Object.fromEntries(
      elements.map((element) => [
        element.getAttribute('data-testid').replace('limit-claude-code-', ''),
        {
          value: element.getAttribute('data-value'),
          expired: element.getAttribute('data-expired'),
          percent: element.querySelector('[data-testid^="limit-percent-"]')?.textContent?.trim(),
          reset: element.querySelector('[data-testid^="limit-reset-"]')?.textContent?.trim(),
          meter: element.querySelector('[role="meter"]')?.getAttribute('aria-valuenow') ?? null,
        },
      ]),
    ),
  );
}

/** Each of Claude Code's windows on the page equals the API's latest state. */
function compareWithApi(shown, latest) {
  const claude = latest.limits.filter((state) => state.tool === 'claude-code');
  expectEqual(claude.map((state) => state.window).sort().join(','), '5h,7d', 'Claude Code windows in /api/limits');
  const lines = [];
  for (const state of claude) {
    const window = shown[state.window];
    expect(window, `the page shows no Claude Code ${state.window} window`);
    expectEqual(state.expired, false, `/api/limits ${state.window} expired`);
    expectEqual(state.usedPercent, REPORTED[state.window], `/api/limits ${state.window} usedPercent`);
    expectEqual(window.expired, 'false', `${state.window} data-expired`);
    expectEqual(window.value, String(state.usedPercent), `${state.window} data-value`);
    expectEqual(window.percent, percentText(state.usedPercent), `${state.window} percent`);
    expectEqual(window.meter, String(state.usedPercent), `${state.window} meter aria-valuenow`);
    lines.push(`${state.window} ${window.percent} = API ${state.usedPercent} (“${window.reset}”)`);
  }
  return lines.join(', ');
}

export async function checkLimits({ report, page, origin, range }) {
  let reportedAt = 0;
  await report.check('overview: the Plan-limits card shows Claude Code’s status-line limits live, without a reload, equal to /api/limits', async () => {
    await page.goto(`${origin}/?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);
    const before = await getJson(apiUrl(origin, '/api/limits'));
    expectEqual(before.limits.length, 0, 'limits on the telemetry server before the status line');
    await page.locator('[data-testid="plan-limits"] [data-testid="limits-empty"]').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-connected') === 'true');
    // a reload would lose this marker
    await page.evaluate(() => {
      window.__e2eLimitsSamePage = true;
    });

    reportedAt = Date.now();
    const seconds = Math.floor(reportedAt / 1000);
    const statusLine = {
      model: { id: 'claude-sonnet-5', display_name: 'Sonnet 5' },
      rate_limits: {
        [WINDOWS['5h']]: { used_percentage: REPORTED['5h'], resets_at: seconds + 2 * 3600 },
        [WINDOWS['7d']]: { used_percentage: REPORTED['7d'], resets_at: seconds + 4 * 86_400 },
      },
    };
    const answer = await postJson(apiUrl(origin, '/api/limits/statusline'), statusLine);
    expectEqual(answer.recorded, 2, 'windows the status line recorded');

    await page.waitForFunction(() => document.querySelectorAll('[data-testid="plan-limits"] [data-testid^="limit-percent-claude-code-"]').length === 2, null, { timeout: 10_000 });
    expect(await page.evaluate(() => window.__e2eLimitsSamePage === true), 'the page was reloaded');
    const latest = await getJson(apiUrl(origin, '/api/limits'));
    const shown = await shownWindows(page);
    const compared = compareWithApi(shown, latest);
    expect(/^resets in (1 h 5\d min|2 h)$/.test(shown['5h'].reset), `5h countdown “${shown['5h'].reset}”, expected about 2 h`);
    expect(/^resets \w{3}, /.test(shown['7d'].reset), `7d reset “${shown['7d'].reset}”, expected a weekday`);
    return `live, no reload: Claude Code ${compared}`;
  });

  await report.check('limits page: the same windows, and each window’s history chart draws the reports /api/limits/history has; fits 800 and 1280 px; no serious accessibility violation in either theme', async () => {
    expect(reportedAt > 0, 'nothing was reported');
    try {
      await openByNav(page, 'limits', { path: '/limits', heading: 'Plan limits' });
      // the last 24 hours: the report of a moment ago, not the fixtures' range
      await page.selectOption('[data-testid="time-range-select"]', '24h');
      await page.waitForFunction(() => new URLSearchParams(window.location.search).get('timeframe') === '24h');
      await page.locator('[data-testid="limits-now"] [data-testid="limit-percent-claude-code-5h"]').waitFor();
      const compared = compareWithApi(await shownWindows(page), await getJson(apiUrl(origin, '/api/limits')));
      const drawn = [];
      for (const window of ['5h', '7d']) {
        const key = `claude-code-${window}`;
        const summary = page.locator(`[data-testid="limit-history-summary-${key}"]`);
        await summary.waitFor();
        await page.locator(`[data-testid="limit-chart-${key}"] svg`).waitFor();
        const to = new Date().toISOString();
        const from = new Date(Date.now() - 86_400_000).toISOString();
        const history = await getJson(apiUrl(origin, '/api/limits/history', { tool: 'claude-code', window, from, to }));
        expectEqual(Number(await summary.getAttribute('data-points')), history.limits.length, `${key} points drawn`);
        const rows = await page.$$eval(`[data-testid="limit-history-table-${key}"] tbody td.num`, (cells) => cells.map((cell) => cell.getAttribute('data-value')));
        expectEqual(rows[rows.length - 1], String(REPORTED[window]), `${key} last report in the table`);
        drawn.push(`${key}: ${history.limits.length} report(s) drawn`);
      }

      const widths = [];
      try {
        for (const width of [800, 1280]) {
          await page.setViewportSize({ width, height: VIEWPORT.height });
          for (const path of ['/limits', '/']) {
            await page.goto(`${origin}${path}?timeframe=24h`);
            await page.locator('[data-testid="limit-percent-claude-code-7d"]').first().waitFor();
            await page.waitForLoadState('networkidle');
            const measured = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth }));
            expect(measured.scroll <= measured.inner, `${path} with limits at ${width} px is ${measured.scroll} px wide`);
            widths.push(`${path}@${width}=${measured.scroll}`);
          }
        }
      } finally {
        await page.setViewportSize(VIEWPORT);
      }

      const problems = [];
      for (const theme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: theme });
        for (const path of ['/limits', '/']) {
          await page.goto(`${origin}${path}?timeframe=24h`);
          await page.locator('[data-testid="limit-percent-claude-code-7d"]').first().waitFor();
          await page.waitForLoadState('networkidle');
          for (const violation of await seriousViolations(page)) problems.push(`${path} (${theme}): ${violation}`);
        }
      }
      expect(problems.length === 0, problems.join('\n  '));
      return `${compared}; ${drawn.join(', ')}; ${widths.join(' ')}; axe clean in both themes`;
    } finally {
      await page.emulateMedia({ colorScheme: null });
      // leave the app on the fixtures' range
      await page.goto(`${origin}/?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);
    }
  });
}
