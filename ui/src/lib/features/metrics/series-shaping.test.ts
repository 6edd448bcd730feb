import { describe, expect, it } from 'vitest';
import type { TimeSeries } from '../../api/types.gen';
import { metricDisplayName, metricTool, metricUnit } from './metric-catalog';
import { formatMetricValue } from './metric-values';
import { aggregateValue, labelKeys, shapeSeries } from './series-shaping';

const series: TimeSeries[] = [
  { name: 'claude_code.token.usage', labels: { service: 'claude-code', type: 'input', model: 'a' }, datapoints: [[1000, 10], [2000, 20]] },
  { name: 'claude_code.token.usage', labels: { service: 'claude-code', type: 'output', model: 'a' }, datapoints: [[1000, 1], [3000, 3]] },
  { name: 'claude_code.token.usage', labels: { service: 'claude-code', type: 'input', model: 'b' }, datapoints: [[2000, 5]] },
];

describe('series shaping', () => {
  it('lists label keys with service first', () => {
    expect(labelKeys(series)).toEqual(['service', 'model', 'type']);
  });

  it('regroups by a label, summing per timestamp, largest group first', () => {
    expect(shapeSeries(series, { by: 'type', totalName: 'Tokens' })).toEqual({
      timestamps: [1000, 2000, 3000],
      groups: [
        { name: 'input', key: 'input', values: [10, 25, 0], total: 35 },
        { name: 'output', key: 'output', values: [1, 0, 3], total: 4 },
      ],
    });
    expect(shapeSeries(series, { by: null, totalName: 'Tokens' }).groups).toEqual([{ name: 'Tokens', key: '', values: [11, 25, 3], total: 39 }]);
    expect(shapeSeries(series, { by: 'service', totalName: 'Tokens' }).groups[0]?.name).toBe('Claude Code');
  });

  it('never names a series "default"', () => {
    const unlabelled: TimeSeries[] = [{ name: 'claude_code.active_time.total', labels: { service: 'claude-code' }, datapoints: [[1000, 2]] }];
    expect(shapeSeries(unlabelled, { by: 'type', totalName: 'Active Time' }).groups.map((group) => group.name)).toEqual(['Active Time']);
    const mixed: TimeSeries[] = [...series, { name: 'claude_code.token.usage', labels: { service: 'claude-code' }, datapoints: [[1000, 7]] }];
    expect(shapeSeries(mixed, { by: 'type', totalName: 'Tokens' }).groups.map((group) => group.name)).toEqual(['input', 'no type', 'output']);
  });

  it('filters to one breakdown value', () => {
    expect(shapeSeries(series, { by: 'model', totalName: 'T', filterAttribute: 'type', filterValue: 'input' }).groups.map((group) => group.name)).toEqual(['a', 'b']);
  });

  it('sums aggregate series for metric values', () => {
    const aggregate: TimeSeries[] = [
      { name: 'x', labels: { type: 'input' }, datapoints: [[0, 100]] },
      { name: 'x', labels: { type: 'output' }, datapoints: [[0, 40]] },
    ];
    expect(aggregateValue(aggregate)).toBe(140);
    expect(aggregateValue(aggregate, 'type', 'output')).toBe(40);
  });

  it('names and formats metrics', () => {
    expect(metricDisplayName('claude_code.cost.usage')).toBe('Cost');
    expect(metricDisplayName('claude_code.some_new.thing')).toBe('Some New Thing');
    expect(metricTool('codex_cli_rs.token.usage')).toBe('Codex CLI');
    expect(metricUnit('gemini_cli.api.request.latency')).toBe('ms');
    expect(formatMetricValue(0.5, 'usd')).toBe('$0.50');
    expect(formatMetricValue(1500, 'tokens')).toBe('1.5K');
    expect(formatMetricValue(1500, 'ms')).toBe('1.5 s');
  });
});
