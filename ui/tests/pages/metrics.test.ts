import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { SeriesRequest, TimeSeries } from '../../src/lib/api/types.gen';
import MetricsPage from '../../src/routes/MetricsPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

/** An aggregate answer as the API gives it: each series' points added into one point at time 0. */
function asAggregate(series: TimeSeries[]): TimeSeries[] {
  return series.map((entry) => ({ ...entry, datapoints: [[0, entry.datapoints.reduce((sum, [, value]) => sum + value, 0)]] }));
}

function tokenAndCostSeries({ name, aggregate }: SeriesRequest): { series: TimeSeries[] } {
  const series: TimeSeries[] =
    name === 'claude_code.token.usage'
      ? [
          { name, labels: { service: 'claude-code', type: 'input', model: 'm1' }, datapoints: [[1000, 1000], [2000, 500]] },
          { name, labels: { service: 'claude-code', type: 'output', model: 'm1' }, datapoints: [[1000, 200]] },
        ]
      : [{ name: name ?? '', labels: { service: 'claude-code', model: 'm1' }, datapoints: [[1000, 0.25], [2000, 0.5]] }];
  return { series: aggregate ? asAggregate(series) : series };
}

describe('MetricsPage', () => {
  it('loads the first metric, splits it by a label and keeps the choice in the URL', async () => {
    const transport = createMemoryTransport({
      services_list: () => ({ services: ['claude-code'] }),
      metric_names: () => ({ names: ['claude_code.cost.usage', 'claude_code.token.usage'] }),
      metric_series: tokenAndCostSeries,
    });
    useTransport(transport);
    render(MetricsPage);

    const table = await screen.findByTestId('metrics-table');
    expect(table.textContent).toContain('$0.75');
    expect(transport.callsOf('metric_series')[0]?.request).toMatchObject({ name: 'claude_code.cost.usage', interval: 21600 });
    // the app's range: the last 7 days in 6-hour buckets unless the user chose another
    expect(window.location.search).toContain('timeframe=7d');

    await fireEvent.change(screen.getByTestId('metrics-name'), { target: { value: 'claude_code.token.usage' } });
    await waitFor(() => expect(screen.getByTestId('metrics-table').textContent).toContain('1.5K'));
    expect(screen.getByTestId('metrics-table').textContent).toContain('input');
    expect(screen.getByTestId('metrics-table').textContent).toContain('output');
    expect(window.location.search).toContain('metric=claude_code.token.usage');

    await fireEvent.change(screen.getByTestId('metrics-breakdown'), { target: { value: 'none' } });
    await waitFor(() => expect(screen.getByTestId('metrics-table').textContent).toContain('1.7K'));
    await fireEvent.click(screen.getByRole('button', { name: 'Grouped' }));
    expect(window.location.search).toContain('layout=grouped');
  });

  it('shows the range total and each series’ total from the API’s aggregate, not from the bars', async () => {
    // a cumulative counter: the bars hold running totals (0.5 then 0.75), the range's total is what
    // the API's aggregate says (0.3); adding the bars up would say 1.25
    const transport = createMemoryTransport({
      services_list: () => ({ services: ['claude-code'] }),
      metric_names: () => ({ names: ['claude_code.cost.usage', 'claude_code.token.usage'] }),
      metric_series: (request) => {
        if (request.name === 'claude_code.token.usage') return tokenAndCostSeries(request);
        const labels = { service: 'claude-code', model: 'm1' };
        return request.aggregate
          ? { series: [{ name: 'claude_code.cost.usage', labels, datapoints: [[0, 0.3]] }] }
          : { series: [{ name: 'claude_code.cost.usage', labels, datapoints: [[1000, 0.5], [2000, 0.75]] }] };
      },
    });
    useTransport(transport);
    render(MetricsPage);

    const total = await screen.findByTestId('metrics-total');
    expect(total.getAttribute('data-value')).toBe('0.3');
    expect(total.textContent).toBe('$0.30');
    expect(screen.getByTestId('metrics-table').textContent).toContain('Total over the range');
    expect(screen.getByTestId('metrics-table').textContent).not.toContain('$1.25');
    // both questions ask for the same metric and range; one in buckets, one as a whole
    const [bars, whole] = transport.callsOf('metric_series').map((call) => call.request);
    expect(whole).toMatchObject({ name: 'claude_code.cost.usage', aggregate: true, from: bars?.from, to: bars?.to });
    expect(whole).not.toHaveProperty('interval');

    // split by type: one total per type, carrying the raw number, and the total of them all
    await fireEvent.change(screen.getByTestId('metrics-name'), { target: { value: 'claude_code.token.usage' } });
    await waitFor(() => expect(screen.getByTestId('metrics-total-input').getAttribute('data-value')).toBe('1500'));
    expect(screen.getByTestId('metrics-total-output').getAttribute('data-value')).toBe('200');
    expect(screen.getByTestId('metrics-total').getAttribute('data-value')).toBe('1700');
    expect(screen.getByTestId('metrics-total').textContent).toBe('1.7K');
  });

  it('averages a gauge over the range and shows no total for it', async () => {
    const transport = createMemoryTransport({
      services_list: () => ({ services: ['gemini-cli'] }),
      metric_names: () => ({ names: ['gemini_cli.memory.usage'] }),
      metric_series: ({ name, aggregate }) => ({
        series: [{ name: name ?? '', labels: { service: 'gemini-cli', type: 'default' }, datapoints: aggregate ? [[0, 2048]] : [[1000, 1024], [2000, 3072]] }],
      }),
    });
    useTransport(transport);
    render(MetricsPage);

    const table = await screen.findByTestId('metrics-table');
    expect(table.textContent).toContain('Average over the range');
    expect(screen.queryByTestId('metrics-total')).toBeNull();
  });
});
