// Moving around the app like a user: clicking a nav link (client-side routing, no reload) and
// waiting for the page's heading.
import { expectEqual } from './report.mjs';

export async function openByNav(page, key, { path, heading }) {
  await page.click(`[data-testid="nav-${key}"]`);
  await page.waitForFunction((expected) => window.location.pathname === expected, path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  expectEqual(await page.getAttribute(`[data-testid="nav-${key}"]`, 'aria-current'), 'page', `nav-${key} aria-current`);
}
