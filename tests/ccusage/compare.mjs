// Compares AI Observer's imported per-model totals with ccusage's (`ccusage daily --json --offline`)
// on the same session files: input, cache read, cache creation and output tokens must be equal, and
// costs must agree within 1 % wherever ccusage has a price.
//
// Usage: node compare.mjs --api http://127.0.0.1:PORT --home <dir with .claude/.codex/.gemini>
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, index, all) => (index % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[index + 1]]] : pairs), []));
const here = dirname(fileURLToPath(import.meta.url));
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed += 1; else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `  ${detail}` : ''}`);
};

const environment = { ...process.env, HOME: args.home };
for (const variable of ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_DATA_DIR']) delete environment[variable];
const ccusageOutput = execFileSync(join(here, 'node_modules/.bin/ccusage'), ['daily', '--json', '--offline'], { env: environment, encoding: 'utf8' });
const ccusage = JSON.parse(ccusageOutput);
const theirs = new Map();
for (const day of ccusage.daily) {
  for (const model of day.modelBreakdowns) {
    const entry = theirs.get(model.modelName) ?? { input: 0, cacheRead: 0, cacheCreation: 0, output: 0, cost: 0, missingPricing: false };
    entry.input += model.inputTokens;
    entry.cacheRead += model.cacheReadTokens;
    entry.cacheCreation += model.cacheCreationTokens;
    entry.output += model.outputTokens;
    entry.cost += model.cost;
    entry.missingPricing ||= Boolean(model.missingPricing);
    theirs.set(model.modelName, entry);
  }
}

const response = await fetch(`${args.api}/api/spend?groupBy=model&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`);
const spend = await response.json();
const ours = new Map(spend.groups.map((group) => [group.key, group]));

check('ccusage found models', theirs.size > 0, `${theirs.size} models`);
check('same models', [...theirs.keys()].sort().join(',') === [...ours.keys()].sort().join(','), `ccusage ${[...theirs.keys()].sort()} / ours ${[...ours.keys()].sort()}`);
for (const [model, their] of theirs) {
  const our = ours.get(model);
  if (!our) {
    check(`${model}: present`, false);
    continue;
  }
  // ccusage keeps Gemini's thinking out of outputTokens; ours counts every billed output token.
  const output = model.startsWith('gemini') ? our.tokens.output - our.tokens.reasoning : our.tokens.output;
  check(`${model}: input`, our.tokens.input === their.input, `${our.tokens.input} vs ${their.input}`);
  check(`${model}: cache read`, our.tokens.cacheRead === their.cacheRead, `${our.tokens.cacheRead} vs ${their.cacheRead}`);
  check(`${model}: cache creation`, our.tokens.cacheCreation === their.cacheCreation, `${our.tokens.cacheCreation} vs ${their.cacheCreation}`);
  check(`${model}: output`, output === their.output, `${output} vs ${their.output}`);
  if (their.missingPricing || their.cost === 0) {
    check(`${model}: unpriced on both sides`, our.computedCostUsd === null, `ours ${our.computedCostUsd}`);
  } else {
    const difference = Math.abs(our.costUsd - their.cost) / their.cost;
    check(`${model}: cost within 1 %`, difference <= 0.01, `$${our.costUsd.toFixed(6)} vs $${their.cost.toFixed(6)} (${(difference * 100).toFixed(2)} %)`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
