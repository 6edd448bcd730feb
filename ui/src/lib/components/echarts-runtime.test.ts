// The lazily loaded chart runtime draws real ECharts output (SVG renderer) from our option builders.
import { describe, expect, it } from 'vitest';
import { barChartOption, lineChartOption, rankingChartOption } from './chart-options';
import { createChart } from './echarts-runtime';

describe('echarts runtime', () => {
  it('renders a stacked bar chart to SVG', () => {
    const element = document.createElement('div');
    document.body.appendChild(element);
    const chart = createChart(element, 'light', { width: 600, height: 300 });
    chart.setOption(
      barChartOption({
        categories: ['Nov 26', 'Nov 27', 'Nov 28'],
        series: [
          { name: 'Claude Code', values: [1, 2, 3] },
          { name: 'Codex CLI', values: [0.5, 0, 0.25] },
        ],
        valueFormatter: (value) => `$${value.toFixed(2)}`,
      }),
    );
    const svg = element.querySelector('svg');
    expect(svg).not.toBeNull();
    expect(element.textContent).toContain('Nov 27');
    expect(element.textContent).toContain('Claude Code');
    expect(svg?.querySelectorAll('path').length).toBeGreaterThan(6);
    expect(chart.getOption().series).toHaveLength(2);
    chart.dispose();
    element.remove();
  });

  it('renders a ranking in the dark theme', () => {
    const element = document.createElement('div');
    const chart = createChart(element, 'dark', { width: 400, height: 200 });
    chart.setOption(rankingChartOption({ bars: [{ label: 'a', value: 3 }, { label: 'gpt-x', value: 0, note: 'no price' }] }));
    expect(element.textContent).toContain('no price');
    expect(element.querySelector('svg')).not.toBeNull();
    chart.dispose();
  });

  it('draws a line over a time axis with a dot per reported value', () => {
    const element = document.createElement('div');
    const chart = createChart(element, 'light', { width: 600, height: 240 });
    const from = Date.parse('2026-11-28T00:00:00Z');
    const points: [number, number][] = [
      [from + 3600_000, 10],
      [from + 2 * 3600_000, 40],
      [from + 3 * 3600_000, 88],
    ];
    chart.setOption(lineChartOption({ series: [{ name: '5-hour window', points, color: '#d9622b' }], from, to: from + 6 * 3600_000, yMax: 100, stepped: true, valueFormatter: (value) => `${value}%`, timeFormatter: (time) => new Date(time).toISOString() }));
    expect(element.querySelector('svg')).not.toBeNull();
    expect(element.textContent).toContain('100%');
    const option = chart.getOption() as { series: { data: [number, number][]; step: string }[]; yAxis: { max: number }[] };
    expect(option.series[0]?.data).toEqual(points);
    expect(option.series[0]?.step).toBe('end');
    expect(option.yAxis[0]?.max).toBe(100);
    // a dot (symbol path) for each report, besides the line
    expect(element.querySelectorAll('svg path').length).toBeGreaterThanOrEqual(points.length + 1);
    chart.dispose();
  });
});
