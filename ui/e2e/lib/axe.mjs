// Accessibility audit of the page as it is on screen: axe-core (from npm) injected into the page
// and run there — no browser download, no service. Only serious and critical violations count.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

/** Serious and critical violations, as "rule (impact): N nodes, e.g. <selector>" lines. */
export async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.length} nodes, e.g. ${violation.nodes.slice(0, 2).join(' | ')}`);
}
