// A team server that asks every caller for a token (`serve --require-token`, as behind a reverse
// proxy): the page loads without one and asks for it; signed in with a machine token, the Team page
// shows each machine's requests as /api/spend answers them for that token, the live socket connects
// (the token rides as its subprotocol), and Sign out forgets the token.
import { apiUrl } from '../lib/api.mjs';
import { expect, expectEqual } from '../lib/report.mjs';

async function spendByMachine(origin, token, range) {
  const url = apiUrl(origin, '/api/spend', { groupBy: 'machine', from: range.from, to: range.to });
  const response = await fetch(url, { headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${url} with the token answered ${response.status}`);
  return response.json();
}

export async function checkTeamSignIn({ report, page, origin, token, range }) {
  await report.check('a team server that asks for a token: the page asks, a machine token signs in, the Team page and the live socket work, Sign out forgets it', async () => {
    const refused = await fetch(apiUrl(origin, '/api/stats'));
    expectEqual(refused.status, 401, '/api/stats without a token');
    await page.goto(`${origin}/team`);
    await page.getByTestId('sign-in').waitFor();
    expectEqual(await page.getByTestId('spend-by-machine').count(), 0, 'machine tables shown before signing in');

    await page.getByTestId('sign-in-token').fill(`  ${token}  `);
    await Promise.all([page.waitForEvent('load'), page.getByTestId('sign-in-submit').click()]);
    await page.getByTestId('sign-out').waitFor();
    expectEqual(await page.getByTestId('sign-in').count(), 0, 'sign-in panels after signing in');
    await page.getByTestId('spend-by-machine').waitFor({ timeout: 15_000 });

    const spend = await spendByMachine(origin, token, range);
    expect(spend.groups.length > 0, 'the team server has no requests in the fixtures’ range');
    for (const group of spend.groups) {
      const requests = (await page.locator(`[data-testid="spend-by-machine"] tr[data-key="${group.key}"] td:nth-child(2)`).textContent()).trim();
      expectEqual(requests.replace(/[^0-9]/g, ''), String(group.requests), `requests of machine ${group.key} on the Team page`);
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-connected') === 'true', null, { timeout: 10_000 });

    await Promise.all([page.waitForEvent('load'), page.getByTestId('sign-out').click()]);
    await page.getByTestId('sign-in').waitFor();
    expectEqual(await page.evaluate(() => localStorage.getItem('ai-observer.access-token')), null, 'the token after signing out');
  });
}
