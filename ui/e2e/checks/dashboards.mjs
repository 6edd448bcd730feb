// Dashboards: the default dashboard is created on the first visit, without a request the API
// answers with an error (no 404 for /api/dashboards/default), and shows the API's stats; a
// widget is added, dragged to another cell, and after a reload it is still there — and the API's
// `/api/dashboards/default` has it at the same cell.
import { apiUrl, getJson } from '../lib/api.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { expect, expectEqual } from '../lib/report.mjs';

async function placement(page, widgetId) {
  return page.$eval(`[data-testid="widget-${widgetId}"]`, (element) => ({
    gridColumn: Number.parseInt(element.style.gridColumn, 10),
    gridRow: Number.parseInt(element.style.gridRow, 10),
  }));
}

async function defaultDashboard(origin) {
  return getJson(apiUrl(origin, '/api/dashboards/default'));
}

export async function checkDashboards({ report, page, origin }) {
  await report.check('dashboards page creates the default dashboard (no failed request) and shows the API’s stats', async () => {
    const failed = [];
    const listener = (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/') && response.status() >= 400) failed.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    };
    page.on('response', listener);
    try {
      await openByNav(page, 'dashboards', { path: '/dashboards', heading: 'Default Dashboard' });
      await page.locator('[data-testid="dashboard-grid"] [data-widget-type]').first().waitFor();
      await page.waitForLoadState('networkidle');
    } finally {
      page.off('response', listener);
    }
    expect(failed.length === 0, `the first visit made failing requests: ${failed.join(', ')}`);
    const dashboard = await defaultDashboard(origin);
    const shown = await page.$$eval('[data-testid="dashboard-grid"] [data-widget-type]', (elements) => elements.map((element) => element.getAttribute('data-testid')));
    expectEqual(shown.slice().sort().join(','), dashboard.widgets.map((widget) => `widget-${widget.id}`).sort().join(','), 'widgets');
    const stats = await getJson(apiUrl(origin, '/api/stats'));
    const traces = page.locator('[data-widget-type="stats_traces"] .stat-value');
    await page.waitForFunction(() => document.querySelector('[data-widget-type="stats_traces"] .stat-value')?.getAttribute('data-value'));
    expectEqual(Number(await traces.getAttribute('data-value')), stats.traceCount, 'Total Traces widget');
    expect(stats.traceCount > 0, 'the API counts no traces');
    return `${dashboard.widgets.length} widgets, ${stats.traceCount} traces`;
  });

  await report.check('a widget added and dragged to another cell keeps its place after a reload', async () => {
    const before = await defaultDashboard(origin);
    await page.click('[data-testid="add-widget"]');
    await page.locator('[data-testid="add-widget-form"]').waitFor();
    await page.selectOption('[data-testid="widget-type"]', 'spend_total');
    await page.click('[data-testid="add-widget-submit"]');
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="dashboard-grid"] [data-widget-type]').length === count, before.widgets.length + 1);
    const afterAdd = await defaultDashboard(origin);
    const added = afterAdd.widgets.find((widget) => !before.widgets.some((old) => old.id === widget.id));
    expect(added, 'the API has no new widget');
    const from = await placement(page, added.id);
    expectEqual(`${from.gridColumn}/${from.gridRow}`, `${added.gridColumn}/${added.gridRow}`, 'new widget cell (page vs API)');

    // an empty cell in a row that stays occupied, so closing the editor does not compact it away
    const lastOtherRow = Math.max(...before.widgets.map((widget) => widget.gridRow + widget.rowSpan - 1));
    const cells = await page.$$eval('button.empty-cell', (buttons) => buttons.map((button) => button.getAttribute('aria-label')));
    const target = cells
      .map((label) => /column (\d+), row (\d+)/.exec(label ?? ''))
      .filter(Boolean)
      .map((match) => ({ gridColumn: Number(match[1]), gridRow: Number(match[2]) }))
      .find((cell) => cell.gridRow <= lastOtherRow && (cell.gridColumn !== from.gridColumn || cell.gridRow !== from.gridRow));
    expect(target, `no free cell to drag to among ${cells.join('; ')}`);
    await page.dragAndDrop(`[data-testid="widget-${added.id}"]`, `button.empty-cell[aria-label="Add a widget at column ${target.gridColumn}, row ${target.gridRow}"]`);
    await page.waitForFunction(
      ({ id, cell }) => {
        const style = document.querySelector(`[data-testid="widget-${id}"]`)?.style;
        return style && Number.parseInt(style.gridColumn, 10) === cell.gridColumn && Number.parseInt(style.gridRow, 10) === cell.gridRow;
      },
      { id: added.id, cell: target },
      { timeout: 5_000 },
    );
    await page.click('[data-testid="edit-done"]');
    await page.locator('[data-testid="edit-dashboard"]').waitFor();

    await page.reload();
    await page.locator(`[data-testid="widget-${added.id}"]`).waitFor();
    const reloaded = await placement(page, added.id);
    expectEqual(`${reloaded.gridColumn}/${reloaded.gridRow}`, `${target.gridColumn}/${target.gridRow}`, 'cell after reload');
    const saved = (await defaultDashboard(origin)).widgets.find((widget) => widget.id === added.id);
    expectEqual(`${saved?.gridColumn}/${saved?.gridRow}`, `${target.gridColumn}/${target.gridRow}`, 'cell in /api/dashboards/default');
    return `${added.title} moved from column ${from.gridColumn}, row ${from.gridRow} to column ${target.gridColumn}, row ${target.gridRow}`;
  });
}
