import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import MetricsPage from '../../src/routes/MetricsPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

describe('MetricsPage', () => {
  it('loads the first metric, splits it by a label and keeps the choice in the URL', async () => {
    const transport = createMemoryTransport({
      services_list: () => ({ services: ['claude-code'] }),
      metric_names: () => ({ names: ['claude_code.cost.usage', 'claude_code.token.usage'] }),
      metric_series: ({ name }) => ({
        series:
          name === 'claude_code.token.usage'
            ? [
                { name, labels: { service: 'claude-code', type: 'input', model: 'm1' }, datapoints: [[1000, 1000], [2000, 500]] },
                { name, labels: { service: 'claude-code', type: 'output', model: 'm1' }, datapoints: [[1000, 200]] },
              ]
            : [{ name: name ?? '', labels: { service: 'claude-code', model: 'm1' }, datapoints: [[1000, 0.25], [2000, 0.5]] }],
      }),
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
});
