// Reading what a page shows: the raw numbers components keep in `data-value`, and the API requests
// the page made (so the script can ask the API the very same question).

/**
 * testid -> Number(data-value) for every element that has both (empty values are skipped; "null",
 * a cost the API reports as null, reads as null). An element whose number stands for several (spend
 * windows merged because they are equal) lists the other test ids in data-covers; each of them gets
 * the same value.
 */
export async function readValues(page) {
  const entries = await page.$$eval('[data-testid][data-value]', (elements) =>
    elements.map((element) => [element.getAttribute('data-testid'), element.getAttribute('data-value'), element.getAttribute('data-covers')]),
  );
  const values = {};
  for (const [testid, value, covers] of entries) {
    if (value === '' || value === null) continue;
    for (const id of [testid, ...(covers ? covers.split(' ') : [])]) values[id] = value === 'null' ? null : Number(value);
  }
  return values;
}

/** Records the URLs of the page's API GET requests until stopped. */
export function recordApiRequests(page) {
  const urls = [];
  const listener = (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname.startsWith('/api/')) urls.push(request.url());
  };
  page.on('request', listener);
  return {
    urls,
    /** The last recorded request to `pathname` whose query has every given param. */
    find(pathname, params = {}) {
      const found = urls.filter((url) => {
        const parsed = new URL(url);
        return parsed.pathname === pathname && Object.entries(params).every(([key, value]) => parsed.searchParams.get(key) === value);
      });
      return found.at(-1) ?? null;
    },
    stop: () => page.off('request', listener),
  };
}

/** Waits until every testid has a non-empty data-value (its own, or a merged one that covers it); returns performance.now() at that moment. */
export async function waitForValues(page, testids, timeout = 15_000) {
  const handle = await page.waitForFunction(
    (ids) => {
      const ready = ids.every((id) => {
        const element = document.querySelector(`[data-testid="${id}"]`) ?? [...document.querySelectorAll('[data-covers]')].find((candidate) => candidate.getAttribute('data-covers').split(' ').includes(id));
        const value = element?.getAttribute('data-value');
        return value !== null && value !== undefined && value !== '';
      });
      return ready ? performance.now() : false;
    },
    testids,
    { timeout, polling: 'raf' },
  );
  return handle.jsonValue();
}
