// Limits page, "5-hour blocks (Claude Code)": for the app's range (the fixtures'), one row per
// block with requests that `/api/blocks` has for the very range the page asked for, newest first,
// each with the API's start, requests, tokens and cost (the raw number and its text).
import { getJson } from '../lib/api.mjs';
import { openByNav } from '../lib/navigation.mjs';
import { recordApiRequests } from '../lib/page-values.mjs';
import { expect, expectEqual } from '../lib/report.mjs';

/** The page's dollars (ui/src/lib/format/money.ts formatUsd): two decimals, four below one cent. */
function usdText(value) {
  const decimals = value > 0 && value < 0.01 ? 4 : 2;
  const [whole, fraction] = value.toFixed(decimals).split('.');
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

async function shownBlocks(page) {
  return page.$$eval('[data-testid="usage-blocks-table"] [data-testid="usage-block"]', (rows) =>
    rows.map((row) => {
      const cost = row.querySelector('[data-testid="usage-block-cost"]');
      return {
        start: row.getAttribute('data-start'),
        requests: row.querySelector('[data-testid="usage-block-requests"]')?.getAttribute('data-value'),
        tokens: row.querySelector('[data-testid="usage-block-tokens"]')?.getAttribute('data-value'),
        cost: cost?.getAttribute('data-value'),
        costText: cost?.textContent?.trim(),
      };
    }),
  );
}

export async function checkUsageBlocks({ report, page, range }) {
  await report.check('limits page: the 5-hour blocks of the fixtures’ range, each with the requests, tokens and cost /api/blocks has for the same range', async () => {
    const requests = recordApiRequests(page);
    await openByNav(page, 'limits', { path: '/limits', heading: 'Plan limits' });
    await page.locator('[data-testid="usage-blocks-table"] [data-testid="usage-block"]').first().waitFor();
    await page.waitForLoadState('networkidle');
    requests.stop();
    const asked = requests.find('/api/blocks');
    expect(asked, 'the page asked /api/blocks nothing');
    const query = new URL(asked).searchParams;
    expectEqual(query.get('from'), range.from, 'the blocks’ range start');
    expectEqual(query.get('to'), range.to, 'the blocks’ range end');

    const answer = await getJson(asked);
    const expected = answer.blocks.filter((block) => !block.isGap).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
    expect(expected.length > 0 && expected.some((block) => block.costUsd > 0), `/api/blocks has no block with a cost for ${range.from} .. ${range.to}`);
    const shown = await shownBlocks(page);
    expectEqual(shown.length, expected.length, 'block rows');
    const lines = [];
    expected.forEach((block, index) => {
      const row = shown[index];
      expectEqual(row.start, block.start, `block ${index + 1} start`);
      expectEqual(row.requests, String(block.requests), `block ${block.start} requests`);
      const tokens = block.tokens.input + block.tokens.cacheRead + block.tokens.cacheCreation + block.tokens.output;
      expectEqual(row.tokens, String(tokens), `block ${block.start} tokens`);
      expectEqual(row.cost, String(block.costUsd), `block ${block.start} cost`);
      expectEqual(row.costText, usdText(block.costUsd), `block ${block.start} cost text`);
      lines.push(`${block.start}: ${block.requests} requests, ${tokens} tokens, ${row.costText} (API ${block.costUsd})`);
    });
    return lines.join('; ');
  });
}
