// The usage numbers outside the Overview and Sessions read the same reconciled ledger as spend: on a
// server that has both imported and live-reported the same conversations, the Metrics page's range
// totals of Claude Code's cost and token metrics, and a dashboard's Spend and metric widgets, equal
// /api/spend for the range each of them asked for (each model request counted once, whichever way
// it arrived). Every number is read from the page (data-value) and compared with the API's.
import { apiUrl, getJson } from '../lib/api.mjs';
import { expect, expectEqual } from '../lib/report.mjs';
import { readValues, recordApiRequests } from '../lib/page-values.mjs';

const COST_METRIC = 'claude_code.cost.usage';
const TOKEN_METRIC = 'claude_code.token.usage';
/** Claude Code's token metric `type` labels, which are spend's token fields. */
const TOKEN_TYPES = ['input', 'output', 'cacheRead', 'cacheCreation'];
/** The cost metric of each tool, for the dashboard's total. */
const COST_METRICS = { 'claude-code': 'claude_code.cost.usage', codex: 'codex_cli_rs.cost.usage', gemini: 'gemini_cli.cost.usage' };
const COST_TOLERANCE = 1e-6;

/** /api/spend grouped by tool for a range (from, to and, when given, tz as a page asked). */
async function spendByTool(origin, span) {
  const answer = await getJson(apiUrl(origin, '/api/spend', { groupBy: 'tool', ...span }));
  const claude = answer.groups.find((group) => group.key === 'claude-code');
  expect(claude && claude.requests > 0, `/api/spend?groupBy=tool&from=${span.from}&to=${span.to} has no claude-code requests`);
  expect(typeof claude.costUsd === 'number' && claude.costUsd > 0, `/api/spend has no cost for claude-code: ${claude.costUsd}`);
  return { answer, claude };
}

function expectCost(shown, expected, what) {
  expect(typeof shown === 'number' && Math.abs(shown - expected) <= COST_TOLERANCE, `${what}: page shows ${shown}, /api/spend has ${expected}`);
}

/** Opens the Metrics page on one metric over the range; returns its data-values and the range its aggregate request asked for. */
async function openMetric(page, origin, range, metric, by) {
  const requests = recordApiRequests(page);
  await page.goto(apiUrl(origin, '/metrics', { metric, by, from: range.from, to: range.to }));
  await page.locator('[data-testid="metrics-total"]').waitFor();
  await page.waitForLoadState('networkidle');
  requests.stop();
  expectEqual(await page.inputValue('[data-testid="metrics-name"]'), metric, 'metric shown');
  const url = requests.find('/api/metrics/series', { name: metric, aggregate: 'true' });
  expect(url, `the Metrics page asked for no aggregate of ${metric}: ${requests.urls.join(', ')}`);
  const params = new URL(url).searchParams;
  return { values: await readValues(page), span: { from: params.get('from'), to: params.get('to') }, text: (await page.textContent('[data-testid="metrics-total"]'))?.trim() };
}

export async function checkMetricsPageTotals({ report, page, origin, range }) {
  await report.check('metrics page: Claude Code’s cost and tokens by type over the range equal /api/spend for claude-code', async () => {
    const cost = await openMetric(page, origin, range, COST_METRIC, 'none');
    const { claude: costGroup } = await spendByTool(origin, cost.span);
    expectCost(cost.values['metrics-total'], costGroup.costUsd, `${COST_METRIC} total over ${cost.span.from} .. ${cost.span.to}`);
    expect(cost.text?.startsWith('$'), `the cost total reads “${cost.text}”`);

    const tokens = await openMetric(page, origin, range, TOKEN_METRIC, 'type');
    const { claude: tokenGroup } = await spendByTool(origin, tokens.span);
    const shownTypes = Object.keys(tokens.values).filter((key) => key.startsWith('metrics-total-')).map((key) => key.slice('metrics-total-'.length));
    const unknown = shownTypes.filter((type) => !TOKEN_TYPES.includes(type) && tokens.values[`metrics-total-${type}`] !== 0);
    expect(unknown.length === 0, `the page shows token types spend has no field for: ${unknown.map((type) => `${type}=${tokens.values[`metrics-total-${type}`]}`).join(', ')}`);
    const compared = [];
    for (const type of TOKEN_TYPES) {
      expectEqual(tokens.values[`metrics-total-${type}`] ?? 0, tokenGroup.tokens[type], `${TOKEN_METRIC} ${type} over ${tokens.span.from} .. ${tokens.span.to}`);
      compared.push(`${type} ${tokens.values[`metrics-total-${type}`] ?? 0}=${tokenGroup.tokens[type]}`);
    }
    const spendTokens = TOKEN_TYPES.reduce((sum, type) => sum + tokenGroup.tokens[type], 0) + tokenGroup.tokens.reasoning;
    expectEqual(tokens.values['metrics-total'], spendTokens, `${TOKEN_METRIC} total over the range`);
    return `cost $${cost.values['metrics-total']} on the page (“${cost.text}”), $${costGroup.costUsd} in /api/spend; tokens page=spend: ${compared.join(', ')}`;
  });
}

/** The default dashboard's widgets as the API has them. */
async function widgetsOf(origin) {
  return (await getJson(apiUrl(origin, '/api/dashboards/default'))).widgets;
}

/** Adds one widget through the dashboard's form; `configure` fills the form after the type is chosen. Returns the new widget as the API has it. */
async function addWidget(page, origin, widgetType, configure = async () => {}) {
  const before = await widgetsOf(origin);
  await page.click('[data-testid="add-widget"]');
  await page.locator('[data-testid="add-widget-form"]').waitFor();
  await page.selectOption('[data-testid="widget-type"]', widgetType);
  await configure(page.locator('[data-testid="add-widget-form"]'));
  await page.click('[data-testid="add-widget-submit"]');
  await page.locator('[data-testid="add-widget-form"]').waitFor({ state: 'detached' });
  const added = (await widgetsOf(origin)).find((widget) => !before.some((old) => old.id === widget.id));
  expect(added && added.widgetType === widgetType, `the API has no new ${widgetType} widget`);
  await page.locator(`[data-testid="widget-${added.id}"]`).waitFor();
  return added;
}

async function chooseMetric(form, metric) {
  await form.locator(`[data-testid="widget-metric"] option[value="${metric}"]`).waitFor({ state: 'attached' });
  await form.locator('[data-testid="widget-metric"]').selectOption(metric);
}

export async function checkDashboardTotals({ report, page, origin, range }) {
  await report.check('dashboard: the Spend widget and Claude Code cost and cache-read token widgets equal /api/spend for the range they ask for', async () => {
    await page.goto(apiUrl(origin, '/dashboards', { from: range.from, to: range.to }));
    await page.locator('[data-testid="dashboard-grid"] [data-widget-type]').first().waitFor();
    await page.waitForLoadState('networkidle');
    const spendWidget = await addWidget(page, origin, 'spend_total');
    const costWidget = await addWidget(page, origin, 'metric_value', (form) => chooseMetric(form, COST_METRIC));
    const tokenWidget = await addWidget(page, origin, 'metric_value', async (form) => {
      await chooseMetric(form, TOKEN_METRIC);
      await form.getByLabel('Breakdown attribute').fill('type');
      const only = form.getByLabel('Only value');
      await only.locator('option[value="cacheRead"]').waitFor({ state: 'attached' });
      await only.selectOption('cacheRead');
    });
    expectEqual(`${costWidget.config.metricName}`, COST_METRIC, 'cost widget metric');
    expectEqual(`${tokenWidget.config.metricName} ${tokenWidget.config.breakdownAttribute}=${tokenWidget.config.breakdownValue}`, `${TOKEN_METRIC} type=cacheRead`, 'token widget config');
    await page.click('[data-testid="edit-done"]');
    await page.locator('[data-testid="edit-dashboard"]').waitFor();

    // a fresh load, recording what the widgets ask for
    const spendUrls = [];
    const batches = [];
    const listener = (request) => {
      const url = new URL(request.url());
      if (request.method() === 'GET' && url.pathname === '/api/spend' && url.searchParams.get('groupBy') === 'tool') spendUrls.push(url);
      if (request.method() === 'POST' && url.pathname === '/api/metrics/batch-series') batches.push(request.postDataJSON());
    };
    page.on('request', listener);
    try {
      await page.reload();
      for (const testid of [`spend-total-${spendWidget.id}`, `metric-value-${costWidget.id}`, `metric-value-${tokenWidget.id}`]) {
        await page.locator(`[data-testid="${testid}"][data-value]`).waitFor();
      }
      await page.waitForLoadState('networkidle');
    } finally {
      page.off('request', listener);
    }
    const values = await readValues(page);

    // the Spend widget: the total of /api/spend for the range it asked for, which is also the sum of the tools' cost metrics
    const spendUrl = spendUrls.at(-1);
    expect(spendUrl, 'the dashboard asked /api/spend nothing grouped by tool');
    const spendSpan = Object.fromEntries(['from', 'to', 'tz'].map((key) => [key, spendUrl.searchParams.get(key) ?? undefined]));
    const { answer: spend } = await spendByTool(origin, spendSpan);
    const shownSpend = values[`spend-total-${spendWidget.id}`];
    expectCost(shownSpend, spend.total.costUsd, `Spend widget over ${spendSpan.from} .. ${spendSpan.to}`);
    let metricsSum = 0;
    for (const metric of Object.values(COST_METRICS)) {
      const series = await getJson(apiUrl(origin, '/api/metrics/series', { name: metric, aggregate: true, from: spendSpan.from, to: spendSpan.to }));
      metricsSum += series.series.reduce((sum, entry) => sum + entry.datapoints.reduce((inner, [, value]) => inner + value, 0), 0);
    }
    expectCost(shownSpend, metricsSum, 'Spend widget vs the sum of the tools’ cost metrics');

    // the metric widgets: the range of their batch request
    const batch = batches.findLast((body) => body.queries?.some((query) => query.id === costWidget.id));
    expect(batch, 'the dashboard sent no metric batch with the cost widget');
    const { claude } = await spendByTool(origin, { from: batch.from, to: batch.to });
    const shownCost = values[`metric-value-${costWidget.id}`];
    expectCost(shownCost, claude.costUsd, `${COST_METRIC} widget over ${batch.from} .. ${batch.to}`);
    const shownCacheRead = values[`metric-value-${tokenWidget.id}`];
    expectEqual(shownCacheRead, claude.tokens.cacheRead, `${TOKEN_METRIC} cacheRead widget over ${batch.from} .. ${batch.to}`);
    return `Spend widget $${shownSpend} = /api/spend total $${spend.total.costUsd} (tools’ cost metrics $${metricsSum}); cost widget $${shownCost} = claude-code $${claude.costUsd}; cacheRead widget ${shownCacheRead} = ${claude.tokens.cacheRead}`;
  });
}
