import { describe, expect, it } from 'vitest';
import { spendGroup } from '../../../../tests/support/fixtures';
import { mergeSpendWindows } from './spend-windows';

describe('spend windows', () => {
  it('shows an amount once for neighbouring windows that hold the same', () => {
    const recent = spendGroup('x', 0.25, { requests: 17 });
    const merged = mergeSpendWindows({ today: spendGroup('t', 0, { requests: 0 }), last7Days: recent, last30Days: { ...recent }, thisMonth: { ...recent } });
    expect(merged.map((window) => [window.label, window.keys])).toEqual([
      ['Today', ['today']],
      ['Last 7 days, 30 days and this month', ['last7Days', 'last30Days', 'thisMonth']],
    ]);
  });

  it('keeps windows apart when they differ', () => {
    const merged = mergeSpendWindows({ today: spendGroup('t', 1), last7Days: spendGroup('w', 2), last30Days: spendGroup('m', 3), thisMonth: spendGroup('c', 2) });
    expect(merged.map((window) => window.label)).toEqual(['Today', 'Last 7 days', 'Last 30 days', 'This month']);
    expect(mergeSpendWindows({ today: spendGroup('t', 1), last7Days: spendGroup('w', 1), last30Days: spendGroup('m', 3), thisMonth: spendGroup('c', 3) }).map((window) => window.label)).toEqual([
      'Today and last 7 days',
      'Last 30 days and this month',
    ]);
  });
});
