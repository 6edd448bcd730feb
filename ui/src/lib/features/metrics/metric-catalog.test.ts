import { describe, expect, it } from 'vitest';
import { metricNamesByTool } from './metric-catalog';

describe('metricNamesByTool', () => {
  it('groups names under their tool, in order of first appearance', () => {
    expect(metricNamesByTool(['codex_cli_rs.token.usage', 'claude_code.cost.usage', 'codex_cli_rs.cost.usage', 'custom.thing'])).toEqual([
      ['Codex CLI', ['codex_cli_rs.token.usage', 'codex_cli_rs.cost.usage']],
      ['Claude Code', ['claude_code.cost.usage']],
      ['Other', ['custom.thing']],
    ]);
    expect(metricNamesByTool([])).toEqual([]);
  });
});
