// The lazily loaded chart runtime draws real ECharts output (SVG renderer) from our option builders.
import { describe, expect, it } from 'vitest';
import { barChartOption, rankingChartOption } from './chart-options';
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
});
