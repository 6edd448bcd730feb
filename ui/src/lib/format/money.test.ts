import { describe, expect, it } from 'vitest';
import { costOrZero, formatGroupCost, formatUsd, formatUsdAxis, isUnpriced } from './money';

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [0.1234, '$0.12'],
    [0.01, '$0.01'],
    [0.009999, '$0.0100'],
    [0.001234, '$0.0012'],
    [0.00004, '$0.0000'],
    [12.5, '$12.50'],
    [1234.567, '$1,234.57'],
    [1234567.891, '$1,234,567.89'],
    [-3.5, '-$3.50'],
  ])('%s -> %s', (value, expected) => {
    expect(formatUsd(value)).toBe(expected);
  });

  it('never shows a missing cost as $0', () => {
    expect(formatUsd(null)).toBe('—');
    expect(formatUsd(undefined)).toBe('—');
  });

  it('formats axis labels compactly', () => {
    expect(formatUsdAxis(0)).toBe('$0');
    expect(formatUsdAxis(2.5)).toBe('$2.50');
    expect(formatUsdAxis(1500)).toBe('$1.5K');
    expect(formatUsdAxis(0.005)).toBe('$0.0050');
  });
});

describe('unpriced groups', () => {
  it('say "no price" instead of $0.00 when no request has a price', () => {
    expect(formatGroupCost({ costUsd: 0, requests: 3, unpricedRequests: 3 })).toBe('no price');
    expect(formatGroupCost({ costUsd: 0.5, requests: 3, unpricedRequests: 1 })).toBe('$0.50');
    expect(formatGroupCost({ costUsd: 0, requests: 0, unpricedRequests: 0 })).toBe('$0.00');
    expect(isUnpriced({ requests: 2, unpricedRequests: 2 })).toBe(true);
  });

  it('read a null cost (every request unpriced) as "no price", never $0.00, and as 0 in sums', () => {
    const group = { costUsd: null, requests: 4, unpricedRequests: 4 };
    expect(formatGroupCost(group)).toBe('no price');
    expect(isUnpriced(group)).toBe(true);
    expect(costOrZero(group)).toBe(0);
    expect(costOrZero({ costUsd: 1.5 })).toBe(1.5);
    expect(isUnpriced({ costUsd: 0, requests: 0, unpricedRequests: 0 })).toBe(false);
  });
});
