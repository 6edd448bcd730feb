// The Data page: "Count only" and a real export against the API's dry run and the files on disk,
// a delete preview against the API's, and (where asked) a confirmed delete that empties the range.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { apiUrl, getJson, postJson } from '../lib/api.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { expect, expectEqual } from '../lib/report.mjs';
import { readValues } from '../lib/page-values.mjs';

const EXPORTED = { 'export-traces': 'traces', 'export-logs': 'logs', 'export-metrics': 'metrics', 'export-usage': 'usage' };
const DELETED = { 'delete-count-logs': 'logs', 'delete-count-metrics': 'metrics', 'delete-count-traces': 'traces', 'delete-count-spans': 'spans', 'delete-count-usageRecords': 'usageRecords' };

async function previewDelete(page, origin, day) {
  await page.fill('[data-testid="delete-from"]', day);
  await page.fill('[data-testid="delete-to"]', day);
  await page.click('[data-testid="delete-preview"]');
  await page.locator('[data-testid="delete-preview-result"]').waitFor();
  const values = await readValues(page);
  const expected = await postJson(apiUrl(origin, '/api/delete/preview'), { scope: 'all', from: day, to: day });
  for (const [testid, key] of Object.entries(DELETED)) expectEqual(values[testid], expected[key], testid);
  return expected;
}

export async function checkExportAndPreview({ report, page, origin, day }) {
  await report.check('data page counts an export exactly like the API, then writes the files inside the export folder', async () => {
    await openByNav(page, 'data', { path: '/data', heading: 'Data' });
    const { exportRoot } = await getJson(apiUrl(origin, '/api/settings'));
    await page.locator('[data-testid="export-root"] code').waitFor();
    expectEqual(await page.textContent('[data-testid="export-root"] code'), exportRoot, 'export folder shown');
    const name = 'browser-export';
    const output = join(exportRoot, name);
    await page.fill('[data-testid="export-output"]', name);
    await page.click('[data-testid="export-count"]');
    await page.waitForSelector('[data-testid="export-result"][data-dry-run="true"]');
    const counted = await readValues(page);
    const expected = await postJson(apiUrl(origin, '/api/export'), { output: name, tool: 'all', dryRun: true });
    for (const [testid, key] of Object.entries(EXPORTED)) {
      expectEqual(counted[testid], expected[key], testid);
      expect(expected[key] > 0, `${key}: nothing to export from the fixtures`);
    }

    await page.check('[data-testid="export-partitioned"]');
    await page.click('[data-testid="export-run"]');
    await page.waitForSelector('[data-testid="export-result"][data-dry-run="false"]', { timeout: 60_000 });
    const written = await readValues(page);
    for (const [testid, key] of Object.entries(EXPORTED)) expectEqual(written[testid], expected[key], `${testid} after writing`);
    const files = await page.$$eval('[data-testid="export-files"] li', (items) => items.map((item) => item.textContent.trim()));
    expect(files.length > 0, 'the export listed no files');
    const missing = files.filter((file) => !existsSync(isAbsolute(file) ? file : join(output, file)));
    expect(missing.length === 0, `listed files missing on disk: ${missing.slice(0, 3).join(', ')}`);
    return `${Object.entries(EXPORTED).map(([, key]) => `${key}=${expected[key]}`).join(' ')}; ${files.length} files written`;
  });

  await report.check('data page previews a delete with the API’s counts (nothing deleted)', async () => {
    const expected = await previewDelete(page, origin, day);
    expect(expected.logs > 0 && expected.spans > 0, `the fixture day ${day} has nothing to delete`);
    expect(await page.locator('[data-testid="delete-confirm"]').isVisible(), 'no delete button after a non-empty preview');
    return `${day}: ${JSON.stringify(expected)}`;
  });
}

export async function checkConfirmedDelete({ report, page, origin, day }) {
  await report.check('data page deletes a previewed day and the API then has nothing left there', async () => {
    await openByNav(page, 'data', { path: '/data', heading: 'Data' });
    const expected = await previewDelete(page, origin, day);
    const rows = expected.logs + expected.metrics + expected.spans + expected.usageRecords;
    expect(rows > 0, `nothing to delete on ${day}`);
    await page.click('[data-testid="delete-confirm"]');
    await page.locator('[data-testid="delete-done"]').waitFor();
    expectEqual(Number(await page.getAttribute('[data-testid="delete-done"]', 'data-rows')), rows, 'deleted rows');
    const left = await postJson(apiUrl(origin, '/api/delete/preview'), { scope: 'all', from: day, to: day });
    expectEqual(left.logs + left.metrics + left.spans + left.usageRecords, 0, 'rows left after the delete');
    return `${rows} rows deleted`;
  });
}
